"""Files → decoded text → cleaned paragraphs → metadata → chunks with offsets → the index."""

from .pipeline import IngestReport, ingest, prepare, read_document, read_paragraphs

__all__ = ["IngestReport", "ingest", "prepare", "read_document", "read_paragraphs"]

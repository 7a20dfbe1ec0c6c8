"""Files → decoded text → cleaned paragraphs → metadata → chunks with offsets → the index."""

from .metafile import MAX_CELL, write_metadata_row
from .pipeline import IngestReport, ingest, ingest_lock, prepare, read_document, read_paragraphs
from .reader import SUPPORTED

__all__ = ["IngestReport", "ingest", "ingest_lock", "prepare", "read_document", "read_paragraphs", "SUPPORTED",
           "MAX_CELL", "write_metadata_row"]

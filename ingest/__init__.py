"""Files → decoded text → cleaned paragraphs → metadata → chunks with offsets → the index."""

from ._convert import scan_pages
from ._metafile import MAX_CELL, write_metadata_row
from ._pipeline import IngestReport, ingest, ingest_lock, prepare, read_document, read_paragraphs
from ._reader import SUPPORTED, why_not_read

__all__ = ["IngestReport", "ingest", "ingest_lock", "prepare", "read_document", "read_paragraphs", "SUPPORTED",
           "why_not_read", "scan_pages", "MAX_CELL", "write_metadata_row"]

"""Files → decoded text → cleaned paragraphs → metadata → chunks with offsets → the index."""

from ._convert import scan_pages
from ._duplicates import Seen
from ._lanes import Lanes
from ._metafile import MAX_CELL, write_metadata_row
from ._pipeline import IngestReport, ingest, ingest_lock, prepare, read_document, read_paragraphs
from ._reader import SUPPORTED, why_not_read
from ._sandbox import Limits, isolation_note, network_isolation

__all__ = ["IngestReport", "ingest", "ingest_lock", "prepare", "read_document", "read_paragraphs", "SUPPORTED",
           "why_not_read", "scan_pages", "MAX_CELL", "write_metadata_row",
           "Limits", "Lanes", "Seen", "network_isolation", "isolation_note"]

"""Files → decoded text → cleaned paragraphs → metadata → chunks with offsets → the index.

Each public name is loaded from its module on first use (PEP 562): what only checks a file or a limit does not
load the index and its embedder."""

from qa.core.faces import lazy_face as _lazy_face

_NAMES = {  # module → the public names it gives the package
    "ingest._pipeline": ("IngestReport", "ingest", "ingest_lock", "prepare", "read_document", "read_paragraphs"),
    "ingest._reader": ("SUPPORTED", "why_not_read"),
    "ingest._convert": ("scan_pages",),
    "ingest._metafile": ("MAX_CELL", "write_metadata_row"),
    "ingest._sandbox": ("Limits", "network_isolation", "isolation_note"),
    "ingest._lanes": ("Lanes",),
    "ingest._duplicates": ("Seen",),
}
__all__, __getattr__, __dir__ = _lazy_face(globals(), _NAMES)

"""Files → decoded text → cleaned paragraphs → metadata → chunks with offsets → the index.

Each public name is loaded from its module on first use (PEP 562): what only checks a file or a limit does not
load the index and its embedder."""

import importlib

_NAMES = {  # module → the public names it gives the package
    "ingest._pipeline": ("IngestReport", "ingest", "ingest_lock", "prepare", "read_document", "read_paragraphs"),
    "ingest._reader": ("SUPPORTED", "why_not_read"),
    "ingest._convert": ("scan_pages",),
    "ingest._metafile": ("MAX_CELL", "write_metadata_row"),
    "ingest._sandbox": ("Limits", "network_isolation", "isolation_note"),
    "ingest._lanes": ("Lanes",),
    "ingest._duplicates": ("Seen",),
}
_HOME = {name: module for module, names in _NAMES.items() for name in names}

__all__ = list(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

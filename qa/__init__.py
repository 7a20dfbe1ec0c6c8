"""Cited question answering over officials' speeches.

    import qa
    qa.ask("市委书记把2023年确立为什么年？").answer

Each public name is loaded from its module on first use (PEP 562), so `qa --help`, and ingest reading pledges
through `qa.pledges.reading`, do not pay for the answer path, LangChain or Chroma.
"""

import sys
import types

from qa.core.faces import lazy_face as _lazy_face
from qa.core.settings import apply_offline_env as _apply_offline_env

_apply_offline_env()  # before anything can load a model or a client that would phone home

_NAMES = {  # module → the public names it gives the package
    "qa.api": ("QA", "ask", "ask_stream", "search", "documents", "pledges", "follow", "targets", "digest", "trend",
               "check_quote", "compare", "get_qa", "history_turns"),
    "qa.core.settings": ("Settings", "load_settings"),
    "qa.index.store": ("Index",),
    "qa.answer.hybrid": ("Retriever", "SpeechRetriever"),
    "qa.core.records": ("Answer", "AnswerDelta", "AnswerReset", "AnswerDone", "AnswerEvent", "Chunk", "Citation",
                        "Document", "Hit", "Pledge", "SearchResult", "Span"),
    "qa.quotes": ("QuoteCheck", "QuotePart", "QuoteMatch", "VERDICT_LABELS", "describe_diff"),
    "qa.compare": ("Comparison", "SpeakerView"),
    "qa.digest": ("Digest", "Excerpt", "digest_markdown"),
    "qa.trend": ("Trend", "TermTrend"),
    "qa.pledges.follow": ("FollowReport", "FollowUp", "STATUSES", "STATUS_LABELS"),
    "qa.pledges.accounts": ("Account",),
    "qa.pledges.targets": ("Target",),
    "qa.core.errors": ("QAError", "ConfigError", "IndexStateError", "InputError", "BackendError"),
    "qa.core.dates": ("DateError", "UNDATED", "display_date", "parse_date"),
    "qa.core.text": ("listed",),
    "qa.core.speakers": ("speaker_docs",),
    "qa.core.files": ("atomic_write", "safe_name", "UMASK"),
    "qa.core.faces": ("lazy_face",),
    "qa.exports": ("write_answer_docx", "write_digest_docx", "write_trend_png", "write_trend_xlsx", "citation_note",
                   "paragraph_label", "quoted"),
    "qa.pledges.ledger": ("write_docx", "write_xlsx"),
    "qa.pledges.table": ("Table", "TableRow", "Stated"),
    "qa.core.lexicon.measures": ("INDICATORS",),
    "qa.pledges.table_files": ("TARGET_COLUMNS", "VERDICTS", "format_table", "target_cells", "write_table_png",
                               "write_table_xlsx"),
}
__all__, __getattr__, __dir__ = _lazy_face(globals(), _NAMES)


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value) -> None:
        """Python names each submodule it loads on its package; `qa.compare`, `qa.digest`, `qa.trend` and
        `qa.pledges` stay the public functions of that name, never the modules that share it."""
        if not (name in __all__ and isinstance(value, types.ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

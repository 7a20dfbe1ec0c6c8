"""Cited question answering over officials' speeches.

    import qa
    qa.ask("市委书记把2023年确立为什么年？").answer
"""

from qa.core.settings import apply_offline_env as _apply_offline_env

_apply_offline_env()  # before anything below can load a model or a client that would phone home

from qa.compare import Comparison, SpeakerView  # noqa: E402, I001 - before .api: `qa.compare` is the function
from qa.api import (  # noqa: E402
    QA,
    ask,
    ask_stream,
    check_quote,
    compare,
    digest,
    documents,
    follow,
    get_qa,
    history_turns,
    pledges,
    search,
    trend,
)
from qa.core.errors import BackendError, ConfigError, IndexStateError, InputError, QAError  # noqa: E402
from qa.answer.hybrid import Retriever, SpeechRetriever  # noqa: E402
from qa.quotes import QuoteCheck, QuoteMatch, QuotePart  # noqa: E402
from qa.pledges.follow import STATUS_LABELS, STATUSES, Account, FollowReport, FollowUp  # noqa: E402
from qa.pledges.targets import Target  # noqa: E402
from qa.digest import Digest, Excerpt, digest_markdown  # noqa: E402
from qa.trend import TermTrend, Trend  # noqa: E402
from qa.core.records import (  # noqa: E402
    Answer,
    AnswerDelta,
    AnswerDone,
    AnswerEvent,
    AnswerReset,
    Chunk,
    Citation,
    Document,
    Hit,
    Pledge,
    SearchResult,
    Span,
)
from qa.core.settings import Settings, load_settings  # noqa: E402
from qa.core.dates import UNDATED, DateError, display_date, parse_date  # noqa: E402
from qa.core.text import listed  # noqa: E402
from qa.core.files import UMASK, atomic_write, safe_name  # noqa: E402
from qa.core.speakers import speaker_docs  # noqa: E402
from qa.exports import (  # noqa: E402
    citation_note,
    paragraph_label,
    quoted,
    write_answer_docx,
    write_digest_docx,
    write_trend_png,
    write_trend_xlsx,
)
from qa.pledges.ledger import write_docx, write_xlsx  # noqa: E402
from qa.quotes import VERDICT_LABELS, describe_diff  # noqa: E402
from qa.index.store import Index  # noqa: E402

__all__ = [
    "QA", "ask", "ask_stream", "search", "documents", "pledges", "follow", "digest", "trend", "check_quote", "compare", "get_qa", "history_turns",
    "Settings", "load_settings", "Index", "Retriever", "SpeechRetriever",
    "Answer", "AnswerDelta", "AnswerReset", "AnswerDone", "AnswerEvent",
    "Chunk", "Citation", "Document", "Hit", "Pledge", "SearchResult", "Span", "QuoteCheck", "QuotePart", "QuoteMatch",
    "Comparison", "SpeakerView", "Digest", "Excerpt", "Trend", "TermTrend", "FollowReport", "FollowUp", "Account", "Target", "STATUSES", "STATUS_LABELS",
    "QAError", "ConfigError", "IndexStateError", "InputError", "BackendError",
    "DateError", "UNDATED", "listed", "display_date", "parse_date", "speaker_docs", "atomic_write", "safe_name", "UMASK",
    "write_answer_docx", "digest_markdown", "write_digest_docx", "write_trend_png", "write_trend_xlsx", "citation_note", "paragraph_label", "quoted", "write_docx", "write_xlsx", "VERDICT_LABELS", "describe_diff",
]

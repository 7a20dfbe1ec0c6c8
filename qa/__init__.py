"""Cited question answering over officials' speeches.

    import qa
    qa.ask("市委书记把2023年确立为什么年？").answer
"""

from .settings import apply_offline_env as _apply_offline_env

_apply_offline_env()  # before anything below can load a model or a client that would phone home

from .compare import Comparison, SpeakerView  # noqa: E402, I001 - before .api: `qa.compare` is the function
from .api import (  # noqa: E402
    QA,
    ask,
    ask_stream,
    check_quote,
    compare,
    documents,
    get_qa,
    history_turns,
    pledges,
    search,
)
from .errors import BackendError, ConfigError, IndexStateError, InputError, QAError  # noqa: E402
from .hybrid import Retriever, SpeechRetriever  # noqa: E402
from .quotes import QuoteCheck, QuoteMatch, QuotePart  # noqa: E402
from .records import (  # noqa: E402
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
from .settings import Settings, load_settings  # noqa: E402
from .store import Index  # noqa: E402

__all__ = [
    "QA", "ask", "ask_stream", "search", "documents", "pledges", "check_quote", "compare", "get_qa", "history_turns",
    "Settings", "load_settings", "Index", "Retriever", "SpeechRetriever",
    "Answer", "AnswerDelta", "AnswerReset", "AnswerDone", "AnswerEvent",
    "Chunk", "Citation", "Document", "Hit", "Pledge", "SearchResult", "Span", "QuoteCheck", "QuotePart", "QuoteMatch",
    "Comparison", "SpeakerView",
    "QAError", "ConfigError", "IndexStateError", "InputError", "BackendError",
]

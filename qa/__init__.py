"""Cited question answering over officials' speeches.

    import qa
    qa.ask("市委书记把2023年确立为什么年？").answer
"""

from .api import QA, ask, documents, get_qa, pledges, search
from .errors import BackendError, ConfigError, IndexStateError, InputError, QAError
from .hybrid import Retriever, SpeechRetriever
from .records import Answer, Chunk, Citation, Document, Hit, Pledge, SearchResult, Span
from .settings import Settings
from .store import Index

__all__ = [
    "QA", "ask", "search", "documents", "pledges", "get_qa",
    "Settings", "Index", "Retriever", "SpeechRetriever",
    "Answer", "Chunk", "Citation", "Document", "Hit", "Pledge", "SearchResult", "Span",
    "QAError", "ConfigError", "IndexStateError", "InputError", "BackendError",
]

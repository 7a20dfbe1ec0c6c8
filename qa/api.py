"""The library's front door: `search`, `ask`, `documents`. One `QA` object per settings, reused across calls."""

from __future__ import annotations

import threading

from .errors import InputError
from .extractive import extractive_answer
from .hybrid import Retriever
from .llms import parse_backend
from .pledges import PLEDGE_QUESTION, known_speakers, lookup, mentioned_speakers, unknown_speaker_in
from .records import Answer, Document, Pledge, SearchResult
from .settings import Settings
from .store import Index

__all__ = ["QA", "search", "ask", "documents", "pledges", "get_qa"]


class QA:
    def __init__(self, settings: Settings | None = None, index: Index | None = None) -> None:
        self.settings = settings or Settings()
        self.index = index or Index(self.settings)
        self.retriever = Retriever(self.index)
        self._loaded = False
        self._lock = threading.Lock()

    def _ready(self) -> None:
        with self._lock:
            if not self._loaded:
                self.index.load()
                self._loaded = True
            else:
                self.index.refresh()  # an ingest may have finished since

    def search(self, query: str, k: int | None = None, speaker: str | None = None, doc: str | None = None,
               mode: str | None = None) -> SearchResult:
        self._ready()
        return SearchResult(query, self.retriever.search(query, k=k, speaker=speaker, doc=doc, mode=mode))

    def ask(self, question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
            mode: str | None = None) -> Answer:
        question = (question or "").strip()
        if not question:
            raise InputError("问题是空的。")
        backend, _arg = parse_backend(llm or self.settings.llm)
        self._ready()
        docs, prefer = None, []
        if PLEDGE_QUESTION.search(question) and not speaker and not doc:
            docs = mentioned_speakers(self.index, question) or None
            if docs is None and (who := unknown_speaker_in(self.index, question)):
                known = "、".join(known_speakers(self.index)) or "（无）"
                return Answer(question, f"资料中没有找到“{who}”的讲话，无法说明其承诺。已收录的讲话人：{known}。",
                              False, [], backend.prefix)
            prefer = [p for p in self.index.pledges if docs is None or p.doc in docs]
        retrieval = self.retriever.retrieve(question, speaker=speaker, doc=doc, mode=mode, docs=docs)
        answer = extractive_answer(question, retrieval, self.index.bm25, self.settings, prefer)
        if backend.factory is not None:  # pragma: no cover - LLM backends arrive with their own issue
            raise NotImplementedError
        return answer

    def pledges(self, speaker: str | None = None, topic: str | None = None, query: str | None = None,
                doc: str | None = None) -> list[Pledge]:
        self._ready()
        return lookup(self.index, speaker=speaker, topic=topic, query=query,
                      doc=self.retriever.resolve_doc(doc) if doc else None)

    def documents(self) -> list[Document]:
        self._ready()
        return sorted(self.index.docs.values(), key=lambda d: d.doc)


_instances: dict[str, QA] = {}
_instances_lock = threading.Lock()


def get_qa(settings: Settings | None = None) -> QA:
    """A shared QA for these settings (the index and embedder stay loaded between calls)."""
    settings = settings or Settings()
    key = settings.model_dump_json()
    with _instances_lock:
        if key not in _instances:
            _instances[key] = QA(settings)
        return _instances[key]


def search(query: str, k: int | None = None, speaker: str | None = None, doc: str | None = None,
           settings: Settings | None = None) -> SearchResult:
    return get_qa(settings).search(query, k=k, speaker=speaker, doc=doc)


def ask(question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
        settings: Settings | None = None) -> Answer:
    return get_qa(settings).ask(question, speaker=speaker, doc=doc, llm=llm)


def documents(settings: Settings | None = None) -> list[Document]:
    return get_qa(settings).documents()


def pledges(speaker: str | None = None, topic: str | None = None, query: str | None = None,
            settings: Settings | None = None) -> list[Pledge]:
    return get_qa(settings).pledges(speaker=speaker, topic=topic, query=query)

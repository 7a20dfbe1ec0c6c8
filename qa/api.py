"""The library's front door: `search`, `ask`, `documents`. One `QA` object per settings, reused across calls."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

from .errors import InputError
from .extractive import extractive_answer
from .generate import llm_answer_stream, rewrite_question
from .hybrid import Retriever
from .llms import get_chat_model, parse_backend
from .pledges import PLEDGE_QUESTION, known_speakers, lookup, mentioned_speakers, unknown_speaker_in
from .records import Answer, Document, Pledge, SearchResult
from .settings import Settings
from .store import Index

__all__ = ["QA", "search", "ask", "ask_stream", "documents", "pledges", "get_qa"]


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
            mode: str | None = None, history: list | None = None) -> Answer:
        """A cited answer; `history` (earlier (question, answer) turns) lets a follow-up leave things out."""
        events = self._answer_events(question, speaker, doc, llm, mode, history, stream=False)
        for kind, value in events:
            if kind == "answer":
                return value
        raise AssertionError("ask_stream ended without an answer")  # pragma: no cover

    def ask_stream(self, question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
                   mode: str | None = None, history: list | None = None) -> Iterator[tuple[str, object]]:
        """Events as the answer is produced: ("delta", text) pieces, possibly ("reset", warning) when a model
        failed and the extractive answer replaces what was shown, and finally ("answer", Answer)."""
        return self._answer_events(question, speaker, doc, llm, mode, history, stream=True)

    def _answer_events(self, question, speaker, doc, llm, mode, history, stream: bool) -> Iterator[tuple[str, object]]:
        question = (question or "").strip()
        if not question:
            raise InputError("问题是空的。")
        name = llm or self.settings.llm
        backend, _arg = parse_backend(name)
        model = get_chat_model(name, self.settings) if backend.factory is not None else None
        self._ready()
        turns = _turns(history)
        standalone = question
        if turns:
            standalone = (rewrite_question(model, name, question, turns, self.settings) if model is not None
                          else self._carry_over(question, turns))
        docs, prefer = None, []
        if PLEDGE_QUESTION.search(standalone) and not speaker and not doc:
            docs = mentioned_speakers(self.index, standalone) or None
            if docs is None and (who := unknown_speaker_in(self.index, standalone)):
                known = "、".join(known_speakers(self.index)) or "（无）"
                text = f"资料中没有找到“{who}”的讲话，无法说明其承诺。已收录的讲话人：{known}。"
                yield "delta", text
                yield "answer", Answer(question, text, False, [], name)
                return
            prefer = [p for p in self.index.pledges if docs is None or p.doc in docs]
        retrieval = self.retriever.retrieve(standalone, speaker=speaker, doc=doc, mode=mode, docs=docs)
        extractive = extractive_answer(standalone, retrieval, self.index.bm25, self.settings, prefer)
        extractive.question = question
        if standalone != question:
            extractive.warnings.append(f"按上下文理解为：{standalone}")
        if model is None or not retrieval.chunks:
            yield "delta", extractive.answer
            yield "answer", extractive
            return
        for kind, value in llm_answer_stream(model, name, standalone, retrieval.chunks, extractive, self.settings,
                                             stream=stream):
            if kind == "answer":
                value.question = question
                if standalone != question and not any(w.startswith("按上下文") for w in value.warnings):
                    value.warnings.append(f"按上下文理解为：{standalone}")
            yield kind, value

    def _carry_over(self, question: str, turns: list[tuple[str, str]]) -> str:
        """Extractive follow-ups: the previous turn's speaker, and its pledge intent, carry over."""
        last = turns[-1][0]
        q = question
        if not mentioned_speakers(self.index, q):
            names = sorted({self.index.docs[d].speaker for d in mentioned_speakers(self.index, last)
                            if self.index.docs[d].speaker})
            if names:
                q = f"{'、'.join(names)}{re.sub(r'^(那么?|那|他|她|其|该)+', '', q)}"
        if PLEDGE_QUESTION.search(last) and not PLEDGE_QUESTION.search(q):
            q = re.sub(r"呢?[？?。]*$", "", q) + "承诺了什么？"
        return q

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
        settings: Settings | None = None, history: list | None = None) -> Answer:
    return get_qa(settings).ask(question, speaker=speaker, doc=doc, llm=llm, history=history)


def ask_stream(question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
               settings: Settings | None = None, history: list | None = None) -> Iterator[tuple[str, object]]:
    return get_qa(settings).ask_stream(question, speaker=speaker, doc=doc, llm=llm, history=history)


def _turns(history: list | None) -> list[tuple[str, str]]:
    """(question, answer) pairs from either pairs or OpenAI-style message dicts (as Gradio sends them)."""
    if not history:
        return []
    if isinstance(history[0], dict):
        turns, pending = [], None
        for m in history:
            content = m.get("content") if isinstance(m.get("content"), str) else str(m.get("content") or "")
            if m.get("role") == "user":
                pending = content
            elif m.get("role") == "assistant" and pending is not None:
                turns.append((pending, content))
                pending = None
        return turns
    return [(str(q), str(a)) for q, a in history]


def documents(settings: Settings | None = None) -> list[Document]:
    return get_qa(settings).documents()


def pledges(speaker: str | None = None, topic: str | None = None, query: str | None = None,
            settings: Settings | None = None) -> list[Pledge]:
    return get_qa(settings).pledges(speaker=speaker, topic=topic, query=query)

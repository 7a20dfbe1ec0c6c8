"""The library's front door: `search`, `ask`, `documents`. One `QA` object per settings, reused across calls."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from langchain_core.embeddings import Embeddings

from qa.answer.hybrid import Retriever
from qa.answer.llms import get_chat_model
from qa.answer.pipeline import Answerer, Ask, history_turns
from qa.compare import Comparison
from qa.compare import compare as _compare
from qa.core.errors import InputError
from qa.core.records import Answer, AnswerDone, AnswerEvent, Document, Pledge, SearchResult
from qa.core.settings import Settings, load_settings
from qa.digest import Digest
from qa.digest import digest as _digest
from qa.index.store import Index
from qa.pledges.follow import STATUSES, Follower, FollowReport
from qa.pledges.ledger import LedgerRow, ledger_rows
from qa.pledges.lookup import lookup
from qa.pledges.table import Table, target_table
from qa.quotes import QuoteCheck
from qa.quotes import check_quote as _check_quote
from qa.trend import Trend
from qa.trend import trend as _trend

__all__ = ["QA", "search", "ask", "ask_stream", "documents", "pledges", "follow", "targets", "digest", "trend", "check_quote",
           "compare", "get_qa", "history_turns"]


class QA:
    """Search, answers and pledges over one index.

    `embedder` (a LangChain `Embeddings`) and `chat_model` (a LangChain chat model) are seams for library users and
    tests: given, they are used instead of the ones `settings` names. With a `chat_model`, answers come from it
    unless `llm="extractive"` (or another backend name) is asked for."""

    def __init__(self, settings: Settings | None = None, index: Index | None = None, *,
                 embedder: Embeddings | None = None, chat_model: Any = None) -> None:
        self.settings = settings or load_settings()
        self.index = index or Index(self.settings, embedder)
        self.retriever = Retriever(self.index)
        self.answerer = Answerer(self.index, self.retriever)
        self.chat_model = chat_model
        self.follower = Follower(self.index)  # keeps nothing between calls: one serves every thread
        self._loaded = False
        self._lock = threading.Lock()

    def _ready(self) -> None:
        with self._lock:
            if not self._loaded:
                self.index.load()
                self._loaded = True
            else:
                self.index.refresh()  # an ingest may have finished since

    def _backend(self, llm: str | None) -> tuple[str, Any]:
        """(label shown with the answer, chat model or None for extractive)."""
        if llm is None and self.chat_model is not None:
            model = self.chat_model
            return getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__, model
        name = llm or self.settings.llm
        return name, get_chat_model(name, self.settings)  # an unknown name fails here, before any work

    def _bounded(self, text: str | None, what: str = "问题") -> str:
        """The text stripped, or an InputError when it is longer than a question may be (checked before any work)."""
        text = (text or "").strip()
        cap = self.settings.max_question_chars
        if len(text) > cap:
            raise InputError(f"{what}太长（{len(text)} 字，最多 {cap} 字）：请只写要问的内容，不要粘贴整段材料。")
        return text

    def search(self, query: str, k: int | None = None, speaker: str | None = None, doc: str | None = None,
               mode: str | None = None, since: str | None = None, until: str | None = None) -> SearchResult:
        """`since`/`until` (2023, 2023-03, 2023-03-05, 2023年3月…) keep speeches dated in that range."""
        query = self._bounded(query, "检索内容")
        self._ready()
        return SearchResult(query, self.retriever.search(query, k=k, speaker=speaker, doc=doc, mode=mode,
                                                         since=since, until=until))

    def ask(self, question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
            mode: str | None = None, history: list | None = None, since: str | None = None,
            until: str | None = None) -> Answer:
        """A cited answer; `history` (earlier (question, answer) turns) lets a follow-up leave things out."""
        for event in self.ask_stream(question, speaker, doc, llm, mode, history, stream=False, since=since,
                                     until=until):
            if isinstance(event, AnswerDone):
                return event.answer
        raise AssertionError("ask_stream ended without an answer")  # pragma: no cover

    def ask_stream(self, question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
                   mode: str | None = None, history: list | None = None, stream: bool = True,
                   since: str | None = None, until: str | None = None) -> Iterator[AnswerEvent]:
        """Events as the answer is produced: `AnswerDelta` pieces, an `AnswerReset` when a model failed and the
        extractive answer replaces what was shown, and finally `AnswerDone` with the checked answer."""
        question = self._bounded(question)
        if not question:
            raise InputError("问题是空的。")
        label, model = self._backend(llm)
        self._ready()
        yield from self.answerer.events(Ask(question, label, model, speaker=speaker, doc=doc, mode=mode,
                                            history=history, stream=stream, since=since, until=until))

    def pledges(self, speaker: str | None = None, topic: str | None = None, query: str | None = None,
                doc: str | None = None, since: str | None = None, until: str | None = None) -> list[Pledge]:
        query, topic = self._bounded(query, "查找内容") or None, self._bounded(topic, "主题") or None
        self._ready()
        return lookup(self.retriever, speaker=speaker, topic=topic, query=query, doc=doc,
                      docs=self.retriever.dated_docs(since, until))

    def follow(self, speaker: str | None = None, doc: str | None = None, since: str | None = None,
               until: str | None = None, status: str | None = None) -> FollowReport:
        """落实追踪: each target of these pledges, what later documents of the same speaker or body say became of it
        (`qa.pledges.follow`). `status`: only targets with this status (met, not_met, progress, restated, no_account,
        unclear). An InputError when none of the pledges' documents has a date."""
        if status and status not in STATUSES:
            raise InputError(f"落实情况“{status}”不存在：可选 {'、'.join(STATUSES)}。")
        found = self.pledges(speaker=speaker, doc=doc, since=since, until=until)
        report = self.follower.follow(found)
        return replace(report, followups=[f for f in report.followups if f.status == status]) if status else report

    def ledger(self, speaker: str | None = None, doc: str | None = None, since: str | None = None,
               until: str | None = None) -> list[LedgerRow]:
        """督办台账: one row per pledge (the order of `pledges`), lead unit and deadline where the text states them,
        and, where the pledge's document is dated, what became of it (落实情况) with the later passage (落实出处)."""
        found = self.pledges(speaker=speaker, doc=doc, since=since, until=until)
        report = self.follower.follow(found, strict=False)
        why = {d: "讲话没有日期，未追踪" for d in report.undated} | {d: "暂无此后的文件可对照" for d in report.latest}
        return ledger_rows(found, {d.doc: d.occasion for d in self.index.docs.values()}, report, why)

    def compare(self, topic: str, speakers: list[str] | None = None) -> Comparison:
        """对标: each speaker's sentences on `topic`, verbatim and cited; a speaker who never addresses it is silent."""
        return _compare(self, topic, speakers)

    def digest(self, topic: str, speakers: list[str] | None = None, since: str | None = None,
               until: str | None = None, by: str | None = None, passing: bool = True) -> Digest:
        """摘编: every passage on `topic`, whole sentences, by year (or speaker), in date order, with sources;
        `passing`: mentions in a list go to an appendix."""
        return _digest(self, topic, speakers, since, until, by, passing)

    def trend(self, terms: str | list[str], by: str = "year") -> Trend:
        """提法: per year (or speaker) the documents and passages that use each term, its first use, its variants."""
        return _trend(self, terms, by)

    def targets(self, terms: str | list[str], speaker: str | None = None, since: str | None = None,
                until: str | None = None) -> Table:
        """主要预期目标完成情况: per indicator and year, the target a report set and the result the next report gave,
        each cited, met / not_met only where the text decides (`qa.pledges.table`)."""
        return target_table(self, terms, speaker, since, until)

    def check_quote(self, quote: str) -> QuoteCheck:
        """核对原话: where `quote` was said (exact / close with a diff / not found with the nearest candidates)."""
        return _check_quote(self, quote, self.settings.max_quote_chars)

    def documents(self, since: str | None = None, until: str | None = None) -> list[Document]:
        self._ready()
        dated = self.retriever.dated_docs(since, until)
        return sorted((d for d in self.index.docs.values() if dated is None or d.doc in dated), key=lambda d: d.doc)


_instances: dict[str, QA] = {}
_instances_lock = threading.Lock()


def get_qa(settings: Settings | None = None) -> QA:
    """A shared QA for these settings (the index and embedder stay loaded between calls)."""
    settings = settings or load_settings()
    key = settings.model_dump_json()
    with _instances_lock:
        if key not in _instances:
            _instances[key] = QA(settings)
        return _instances[key]


def search(query: str, k: int | None = None, speaker: str | None = None, doc: str | None = None,
           settings: Settings | None = None, since: str | None = None, until: str | None = None) -> SearchResult:
    return get_qa(settings).search(query, k=k, speaker=speaker, doc=doc, since=since, until=until)


def ask(question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
        settings: Settings | None = None, history: list | None = None, since: str | None = None,
        until: str | None = None) -> Answer:
    return get_qa(settings).ask(question, speaker=speaker, doc=doc, llm=llm, history=history, since=since,
                                until=until)


def ask_stream(question: str, speaker: str | None = None, doc: str | None = None, llm: str | None = None,
               settings: Settings | None = None, history: list | None = None, since: str | None = None,
               until: str | None = None) -> Iterator[AnswerEvent]:
    return get_qa(settings).ask_stream(question, speaker=speaker, doc=doc, llm=llm, history=history, since=since,
                                       until=until)


def compare(topic: str, speakers: list[str] | None = None, settings: Settings | None = None) -> Comparison:
    """对标比较 (see `qa.compare`)."""
    return get_qa(settings).compare(topic, speakers)


def check_quote(quote: str, settings: Settings | None = None) -> QuoteCheck:
    """核对原话 (see `qa.quotes`)."""
    return get_qa(settings).check_quote(quote)


def documents(settings: Settings | None = None, since: str | None = None, until: str | None = None) -> list[Document]:
    return get_qa(settings).documents(since=since, until=until)


def digest(topic: str, speakers: list[str] | None = None, since: str | None = None, until: str | None = None,
           by: str | None = None, settings: Settings | None = None, passing: bool = True) -> Digest:
    """摘编 (see `qa.digest`)."""
    return get_qa(settings).digest(topic, speakers, since, until, by, passing)


def trend(terms: str | list[str], by: str = "year", settings: Settings | None = None) -> Trend:
    """提法 (see `qa.trend`)."""
    return get_qa(settings).trend(terms, by)


def targets(terms: str | list[str], speaker: str | None = None, since: str | None = None, until: str | None = None,
            settings: Settings | None = None) -> Table:
    """主要预期目标完成情况 (see `qa.pledges.table`)."""
    return get_qa(settings).targets(terms, speaker, since, until)


def follow(speaker: str | None = None, doc: str | None = None, since: str | None = None, until: str | None = None,
           status: str | None = None, settings: Settings | None = None) -> FollowReport:
    """落实追踪 (see `qa.pledges.follow`)."""
    return get_qa(settings).follow(speaker=speaker, doc=doc, since=since, until=until, status=status)


def pledges(speaker: str | None = None, topic: str | None = None, query: str | None = None, doc: str | None = None,
            settings: Settings | None = None, since: str | None = None, until: str | None = None) -> list[Pledge]:
    return get_qa(settings).pledges(speaker=speaker, topic=topic, query=query, doc=doc, since=since, until=until)

"""The library's front door: `search`, `ask`, `documents`. One `QA` object per settings, reused across calls."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.embeddings import Embeddings

from .citations import in_context
from .compare import Comparison
from .compare import compare as _compare
from .errors import InputError
from .extractive import extractive_answer
from .generate import llm_answer_stream, rewrite_question
from .hybrid import Retriever
from .judge import Refusal, anchors, check_answer, missing_anchor, missing_subject, refuse_before_search
from .ledger import LedgerRow, ledger_rows
from .llms import get_chat_model
from .pledges import PLEDGE_QUESTION, lookup, route_pledge_question
from .question import Question, analyse
from .quotes import QuoteCheck
from .quotes import check_quote as _check_quote
from .records import Answer, AnswerDelta, AnswerDone, AnswerEvent, Document, Pledge, SearchResult
from .settings import Settings, load_settings
from .speakers import (
    mentioned_speakers,
    named_apart,
    part_of_named_speaker,
    require_speaker_docs,
    speaker_docs,
)
from .store import Index
from .text import chunk_sentences

__all__ = ["QA", "search", "ask", "ask_stream", "documents", "pledges", "check_quote", "compare", "get_qa",
           "history_turns"]


MAX_GAP = 1  # passages between two retrieved ones of the best speech that are read too (2 and 1 measure the same)


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
        self.chat_model = chat_model
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
        for event in self._answer_events(question, speaker, doc, llm, mode, history, stream, since, until):
            if isinstance(event, AnswerDone):
                in_context(event.answer.citations, self._speech)
            yield event

    def _answer_events(self, question: str, speaker: str | None, doc: str | None, llm: str | None,
                       mode: str | None, history: list | None, stream: bool, since: str | None,
                       until: str | None) -> Iterator[AnswerEvent]:
        question = self._bounded(question)
        if not question:
            raise InputError("问题是空的。")
        label, model = self._backend(llm)
        self._ready()
        dated = self.retriever.dated_docs(since, until)
        turns = history_turns(history)
        standalone = question
        if turns:
            standalone = (rewrite_question(model, label, question, turns, self.settings) if model is not None
                          else self._carry_over(question, turns))
        q = analyse(standalone)
        if q.subject and (speaker_docs(self.index.docs, q.subject)
                          or part_of_named_speaker(self.index.docs, standalone, q.subject)):
            q.subject = None  # a speaker or body: the speaker rules decide (a question may name two of them)
        route = refusal = docs = None
        if not speaker and not doc:  # the user's filters decide which speeches; otherwise the question does
            route = route_pledge_question(self.index, standalone)
            refusal = refuse_before_search(q, self.index.docs) or (Refusal(route.refusal) if route and route.refusal
                                                                   else None)
            # a question that names speakers is answered from their speeches only
            docs = route.docs if route and route.docs else (mentioned_speakers(self.index.docs, standalone) or None)
        refusal = refusal or self._unanswerable_terms(q, speaker, doc, docs, dated)
        if refusal is not None:
            yield from _refuse(question, label, refusal)
            return
        retrieval = self.retriever.retrieve(standalone, speaker=speaker, doc=doc, mode=mode, docs=docs, since=since,
                                            until=until)
        apart = named_apart(self.index.docs, standalone) if docs and not route else []
        if len(apart) > 1:
            self._each_speaker(retrieval, apart, mode, since, until)
        self._fill_gaps(retrieval)
        speakers = sorted({self.index.docs[d].speaker for d in docs or ()} - {None})
        named = "、".join(speakers)
        similarity = self.index.sentence_similarity(
            retrieval.query_vector, [s.text for c in retrieval.chunks for s in chunk_sentences(c)])
        floor = self.index.unrelated_similarity if similarity else None
        unrelated = floor is not None and max(similarity.values()) < floor
        extractive = extractive_answer(standalone, retrieval, self.index.bm25, self.settings,
                                       route.prefer if route else [], q, speakers_named=bool(docs or speaker),
                                       who=named, similarity=similarity, unrelated=unrelated,
                                       several_speeches=len(speakers) > 1, speech=self._speech,
                                       apart=apart if len(apart) > 1 else [])
        extractive.question = question
        if unrelated:  # nothing retrieved is about the question: no backend can answer it from these passages
            yield from _refuse(question, label, Refusal(extractive.answer))
            return
        if extractive.found:
            quoted = [(c, s, e) for c in extractive.citations for s, e in c.highlights]
            if refusal := check_answer(q, quoted, lambda: self._pool(speaker, doc, docs, dated)):
                yield from _refuse(question, label, refusal)
                return
            if "source" in q.kinds:
                extractive.answer = _name_the_speech(extractive)
        understood = f"按上下文理解为：{standalone}" if standalone != question else None
        if understood:
            extractive.warnings.append(understood)
        if model is None or not retrieval.chunks:
            yield AnswerDelta(extractive.answer)
            yield AnswerDone(extractive)
            return
        for event in llm_answer_stream(model, label, standalone, retrieval.chunks, extractive, self.settings,
                                       stream=stream):
            if isinstance(event, AnswerDone):
                event.answer.question = question
                if understood and understood not in event.answer.warnings:
                    event.answer.warnings.append(understood)
            yield event

    def _each_speaker(self, retrieval, groups: list[set[str]], mode: str | None, since: str | None,
                      until: str | None) -> None:
        """A question that names several speakers apart ("工信局长和市委书记都…") is answered from each one's
        passages: every speaker gets a fair share of the passages read, even when another's crowd the top k."""
        share = -(-self.settings.k // len(groups))
        for group in groups:
            have = sum(c.doc in group for c in retrieval.chunks)
            if have >= share:
                continue
            more = self.retriever.retrieve(retrieval.query, k=share, mode=mode, docs=group, since=since, until=until)
            held = {c.id for c in retrieval.chunks}
            for c in more.chunks:
                if c.id not in held and have < share:
                    retrieval.chunks.append(c)
                    retrieval.dense_similarity.setdefault(c.id, more.dense_similarity.get(c.id, 0.0))
                    have += 1

    def _fill_gaps(self, retrieval) -> None:
        """The passages between two retrieved passages of the best speech are read too (at most MAX_GAP of them):
        what answers often sits between two passages that share the question's words."""
        if not retrieval.chunks:
            return
        doc = retrieval.chunks[0].doc
        have = {c.index for c in retrieval.chunks if c.doc == doc}
        missing = [i for i in range(min(have), max(have)) if i not in have]
        if not missing or len(missing) > MAX_GAP:
            return
        for c in self._speech(doc):
            if c.index in missing:
                retrieval.chunks.append(c)
                retrieval.dense_similarity.setdefault(c.id, 0.0)

    def _speech(self, doc: str) -> list:
        """All chunks of one speech, in order."""
        return [c for cid in self.index.table.doc_chunk_ids(doc) if (c := self.index.chunk(cid)) is not None]

    def _pool(self, speaker: str | None, doc: str | None, docs: set[str] | None, dated: set[str] | None) -> list:
        """The chunks a question is about: the filtered speeches, the named speakers' speeches, or all."""
        allowed = set(docs) if docs else None
        if speaker:
            allowed = require_speaker_docs(self.index.docs, speaker)
        if doc:
            allowed = {self.retriever.resolve_doc(doc)}
        if dated is not None:
            allowed = dated if allowed is None else allowed & dated
        return [c for c in self.index.chunks if allowed is None or c.doc in allowed]

    def _unanswerable_terms(self, q: Question, speaker: str | None, doc: str | None,
                            docs: set[str] | None, dated: set[str] | None) -> Refusal | None:
        """A specific thing the question names that the speeches it is about never mention."""
        if q.subject and missing_subject(q.subject, [self.index.table.said]):
            return Refusal(f"资料中没有找到关于“{q.subject}”的内容，无法回答这个问题。")
        terms = anchors(q)
        if not terms:  # most questions: no need to read the passages at all
            return None
        missing = missing_anchor(terms, _texts(self._pool(speaker, doc, docs, dated)))
        if missing is None:
            return None
        who = speaker or "、".join(sorted({self.index.docs[d].speaker or d for d in docs or ()}))
        return Refusal(f"资料中没有找到{who}关于“{missing}”的内容，无法回答这个问题。")

    def _carry_over(self, question: str, turns: list[tuple[str, str]]) -> str:
        """Extractive follow-ups: the previous turn's speaker, and its pledge intent, carry over."""
        last = turns[-1][0]
        q = question
        if not mentioned_speakers(self.index.docs, q):
            names = sorted({self.index.docs[d].speaker for d in mentioned_speakers(self.index.docs, last)
                            if self.index.docs[d].speaker})
            if names:
                q = f"{'、'.join(names)}{re.sub(r'^(那么?|那|他|她|其|该)+', '', q)}"
        if PLEDGE_QUESTION.search(last) and not PLEDGE_QUESTION.search(q):
            q = re.sub(r"呢?[？?。]*$", "", q) + "承诺了什么？"
        return q

    def pledges(self, speaker: str | None = None, topic: str | None = None, query: str | None = None,
                doc: str | None = None, since: str | None = None, until: str | None = None) -> list[Pledge]:
        query, topic = self._bounded(query, "查找内容") or None, self._bounded(topic, "主题") or None
        self._ready()
        return lookup(self.retriever, speaker=speaker, topic=topic, query=query, doc=doc,
                      docs=self.retriever.dated_docs(since, until))

    def ledger(self, speaker: str | None = None, doc: str | None = None, since: str | None = None,
               until: str | None = None) -> list[LedgerRow]:
        """督办台账: one row per pledge (the order of `pledges`), lead unit and deadline where the text states them."""
        found = self.pledges(speaker=speaker, doc=doc, since=since, until=until)
        return ledger_rows(found, {d.doc: d.occasion for d in self.index.docs.values()})

    def compare(self, topic: str, speakers: list[str] | None = None) -> Comparison:
        """对标: each speaker's sentences on `topic`, verbatim and cited; a speaker who never addresses it is silent."""
        return _compare(self, topic, speakers)

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


def _texts(chunks: list) -> list[str]:
    """What passages say, and what their titles, occasions and sections say of them."""
    return [c.text for c in chunks] + [" ".join(filter(None, (c.title, c.occasion, c.section))) for c in chunks]


def _refuse(question: str, label: str, refusal: Refusal) -> Iterator[AnswerEvent]:
    yield AnswerDelta(refusal.text)
    yield AnswerDone(Answer(question, refusal.text, False, refusal.citations, label))


def _name_the_speech(ans: Answer) -> str:
    """For "出自哪篇发言": the speech's title and speaker lead the quote."""
    c = ans.citations[0]
    who = f"（{c.speaker}）" if c.speaker else ""
    return f"出自《{c.title or c.doc}》{who}：{ans.answer}"


def history_turns(history: list | None, to_text: Callable[[str], str] = str) -> list[tuple[str, str]]:
    """(question, answer) pairs from either pairs or OpenAI-style message dicts (as Gradio sends them);
    `to_text` turns a message's content into plain text (the web app passes its HTML stripper)."""
    if not history:
        return []
    if not isinstance(history[0], dict):
        return [(to_text(str(q)), to_text(str(a))) for q, a in history]
    turns, pending = [], None
    for m in history:
        content = m.get("content")
        if not isinstance(content, str):
            continue  # files and components carry no text to carry over
        if m.get("role") == "user":
            pending = to_text(content)
        elif m.get("role") == "assistant" and pending is not None:
            turns.append((pending, to_text(content)))
            pending = None
    return turns


def documents(settings: Settings | None = None, since: str | None = None, until: str | None = None) -> list[Document]:
    return get_qa(settings).documents(since=since, until=until)


def pledges(speaker: str | None = None, topic: str | None = None, query: str | None = None, doc: str | None = None,
            settings: Settings | None = None, since: str | None = None, until: str | None = None) -> list[Pledge]:
    return get_qa(settings).pledges(speaker=speaker, topic=topic, query=query, doc=doc, since=since, until=until)

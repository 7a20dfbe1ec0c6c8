"""The answer pipeline, run: a question (a follow-up made to stand on its own) is analysed once, scoped to the
speeches it names, retrieved, selected and judged (see `stages.py` for what each stage hands on and `judge.py` for the
checks); what the judge lets through is composed by the extractive composer or, when a chat model is chosen, by the
model from the same passages (its answer checked in turn)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from qa.answer.generate import llm_answer_stream, rewrite_question
from qa.answer.hybrid import Retrieval, Retriever
from qa.answer.pipeline.compose import compose, events_of, refused, related
from qa.answer.pipeline.documents import document_answer, named_documents
from qa.answer.pipeline.judge import Case, Judge
from qa.answer.pipeline.judge_selection import signals
from qa.answer.pipeline.select import select
from qa.answer.pipeline.stages import Evidence, Scope, Selection, Verdict
from qa.answer.question import analyse
from qa.core.outline import review_sections
from qa.core.records import Answer, AnswerDelta, AnswerDone, AnswerEvent, AnswerReset
from qa.core.speakers import (
    mentioned_speakers,
    named_apart,
    part_of_named_speaker,
    speaker_docs,
)
from qa.core.text import chunk_sentences, tokenize
from qa.index.store import Index
from qa.pledges.lookup import PLEDGE_QUESTION, route_pledge_question

__all__ = ["Answerer", "history_turns"]


class Answerer:
    """Answers over one index, through its retriever and one judge (whose counts `qa eval --checks` reads)."""

    def __init__(self, index: Index, retriever: Retriever) -> None:
        self.index, self.retriever = index, retriever
        self.judge = Judge(self.settings.checks_off.split(","))
        self._reviews: dict[str, tuple[str, list[tuple[int, int]]]] = {}  # doc → (its hash, review sections)

    @property
    def settings(self):
        return self.index.settings

    @contextmanager
    def checks_off(self, *names: str) -> Iterator[None]:
        """Answer with these checks of the judge switched off too, for the duration (`qa eval --checks`, `qa fit`:
        command-line runs, one question at a time)."""
        judge = self.judge
        self.judge = Judge(judge.off | set(names))
        try:
            yield
        finally:
            self.judge = judge

    def events(self, question: str, label: str, model: Any, speaker: str | None, doc: str | None,
               mode: str | None, history: list | None, stream: bool, since: str | None,
               until: str | None) -> Iterator[AnswerEvent]:
        """The answer to `question` as events (see `QA.ask_stream`), from `model` or, when None, extractive."""
        self.retriever.dated_docs(since, until)  # a wrong date range is said before any work
        standalone = self._standalone(question, label, model, history)
        scope = self._scope(standalone, speaker, doc)
        pool = _once(lambda: self._pool(self.retriever.allowed(set(scope.docs) if scope.docs else None, speaker, doc,
                                                               since, until)))
        case = Case(scope, self.index.docs, lambda: [self.index.table.said], pool, self.settings,
                    self.index.unrelated_similarity)
        if verdict := self.judge.run("question", case):
            yield from events_of(refused(question, verdict))
            return
        if told := document_answer(question, scope.question, scope.documents, self.index.docs, self.speech):
            yield from events_of(told)  # who gave a named document, or where: what the index knows, cited
            return
        evidence = self._evidence(scope, speaker, doc, mode, since, until)
        case = replace(case, evidence=evidence)
        if verdict := self.judge.run("evidence", case):
            yield from events_of(_signed(refused(question, verdict), case))
            return
        selection = select(scope, evidence, self.index.bm25, self.settings, self.speech, self.reviewed)
        case = replace(case, selection=selection)
        verdict = self.judge.run("selection", case)
        understood = f"按上下文理解为：{standalone}" if standalone != question else None
        if verdict is not None:
            answer = (refused(question, verdict) if verdict.outcome == "none"
                      else related(question, selection, verdict, self.settings.answer))
            yield from events_of(_signed(_noted(answer, understood), case))
            return
        extractive = _signed(_noted(compose(question, scope.question, selection, self.settings.answer, self.speech),
                                    understood), case)
        if model is None:
            yield from events_of(extractive)
            return
        yield from self._written(question, standalone, extractive, selection, evidence.retrieval, label, model,
                                 stream, understood, case)

    def _standalone(self, question: str, label: str, model: Any, history: list | None) -> str:
        """A follow-up as a question that stands on its own (the model rewrites it, or the last turn's speaker and
        pledge intent carry over)."""
        turns = history_turns(history)
        if not turns:
            return question
        return (rewrite_question(model, label, question, turns, self.settings) if model is not None
                else self._carry_over(question, turns))

    def _scope(self, standalone: str, speaker: str | None, doc: str | None) -> Scope:
        """What the question is about: its analysis, the speeches it names (unless the user's filters decide), each
        speaker it names apart, and for a question asking for commitments the pledges to quote first."""
        q = analyse(standalone, self.settings.answer.max_topic)
        docs_index = self.index.docs
        if q.subject and (speaker_docs(docs_index, q.subject) or part_of_named_speaker(docs_index, standalone, q.subject)):
            q = q.without_subject()  # a speaker or body: the speaker rules decide (a question may name two of them)
        filtered = bool(speaker or doc)
        route = None if filtered else route_pledge_question(self.index, standalone)
        docs = named = None
        if not filtered:  # a question that names speakers is answered from their speeches only
            docs = route.docs if route and route.docs else (mentioned_speakers(docs_index, standalone) or None)
            # ... and one that names a year's document, from it (and the speaker's, when that leaves any)
            if named := named_documents(q, docs_index):
                docs = (named & docs) or named if docs else named
        apart = named_apart(docs_index, standalone) if docs and not route else []
        speakers = tuple(sorted({docs_index[d].speaker for d in docs or ()} - {None}))
        return Scope(q, standalone, frozenset(docs) if docs else None, speakers,
                     tuple(frozenset(g) for g in apart) if len(apart) > 1 else (),
                     tuple(route.prefer) if route else (), filtered, bool(PLEDGE_QUESTION.search(standalone)),
                     named)

    def _evidence(self, scope: Scope, speaker: str | None, doc: str | None, mode: str | None, since: str | None,
                  until: str | None) -> Evidence:
        """The passages read: the retrieved ones, each separately named speaker's share, and the gaps of the best
        speech; with each of their sentences' similarity to the question."""
        retrieval = self.retriever.retrieve(scope.text, speaker=speaker, doc=doc, mode=mode,
                                            docs=set(scope.docs) if scope.docs else None, since=since, until=until)
        if scope.apart:
            retrieval = self._each_speaker(retrieval, scope.apart, mode, since, until)
        retrieval = self._fill_gaps(retrieval)
        if "earliest" in scope.question.kinds:  # "首次…": every passage that says the term, not the best five
            allowed = self.retriever.allowed(set(scope.docs) if scope.docs else None, speaker, doc, since, until)
            retrieval = retrieval.with_chunks(self._saying(scope, allowed), {})
        similarity = self.index.sentence_similarity(
            retrieval.query_vector, [s.text for c in retrieval.chunks for s in chunk_sentences(c)])
        return Evidence(retrieval, similarity or {})

    def _written(self, question: str, standalone: str, extractive: Answer, selection: Selection,
                 retrieval: Retrieval, label: str, model: Any, stream: bool, understood: str | None,
                 case: Case) -> Iterator[AnswerEvent]:
        """The model's answer from the same passages (checked; replaced by the extractive one when it fails). A
        model that declines gives the "related" outcome: the judge found sentences, the model could not use them."""
        for event in llm_answer_stream(model, label, standalone, retrieval.chunks, extractive, self.settings,
                                       stream=stream):
            if isinstance(event, AnswerDone):
                answer = event.answer
                if not answer.found and answer is not extractive:
                    verdict = Verdict("related", "model_declined", f"回答模型 {label} 认为这些段落没有直接回答问题")
                    answer = related(question, selection, verdict, self.settings.answer, label)
                    yield AnswerReset(verdict.text + "，以下是最相关的原文。")
                    yield AnswerDelta(answer.answer)
                answer.question = question
                event = AnswerDone(_signed(_noted(answer, understood), case))
            yield event

    def _each_speaker(self, retrieval: Retrieval, groups: tuple[frozenset[str], ...], mode: str | None,
                      since: str | None, until: str | None) -> Retrieval:
        """A question that names several speakers apart ("工信局长和市委书记都…") is answered from each one's
        passages: every speaker gets a fair share of the passages read, even when another's crowd the top k."""
        share = -(-self.settings.k // len(groups))
        for group in groups:
            have = sum(c.doc in group for c in retrieval.chunks)
            if have >= share:
                continue
            more = self.retriever.retrieve(retrieval.query, k=share, mode=mode, docs=set(group), since=since,
                                           until=until)
            held = {c.id for c in retrieval.chunks}
            retrieval = retrieval.with_chunks([c for c in more.chunks if c.id not in held][: share - have],
                                              more.dense_similarity)
        return retrieval

    def _fill_gaps(self, retrieval: Retrieval) -> Retrieval:
        """The passages between two retrieved passages of the best speech are read too (at most `max_gap` of them):
        what answers often sits between two passages that share the question's words."""
        if not retrieval.chunks:
            return retrieval
        doc = retrieval.chunks[0].doc
        have = {c.index for c in retrieval.chunks if c.doc == doc}
        missing = [i for i in range(min(have), max(have)) if i not in have]
        if not missing or len(missing) > self.settings.answer.max_gap:
            return retrieval
        return retrieval.with_chunks([c for c in self.speech(doc) if c.index in missing], {})

    def _saying(self, scope: Scope, allowed: set[str] | None) -> list:
        """The passages that say one of the question's specific terms (a compound, a quotation) verbatim, at most
        `earliest_passages` of them, oldest documents first."""
        index, out = self.index, []
        for term in (*scope.question.compounds, *scope.question.quoted):
            for i in index.bm25.containing([max(tokenize(term), key=len, default=term)]):
                c = index.chunks[i]
                if term in c.text and (allowed is None or c.doc in allowed):
                    out.append(c)
        out.sort(key=lambda c: (index.docs[c.doc].date or "9999", c.start))
        return out[: self.settings.answer.earliest_passages]

    def reviewed(self, doc: str, offset: int) -> bool:
        """Whether `offset` of `doc` lies in a section that reviews past work ("一、过去一年工作回顾"), read from the
        document's passages once per version of it."""
        d = self.index.docs.get(doc)
        if d is None:
            return False
        held = self._reviews.get(doc)
        if held is None or held[0] != d.hash:
            lines = [line for _n, line in self.index.lines(doc)]
            held = self._reviews[doc] = (d.hash, review_sections(lines) if lines else [])
        return any(s <= offset < e for s, e in held[1])

    def _pool(self, allowed: set[str] | None) -> list:
        """The passages of the speeches a question is about (those the filters and its names leave; None: all)."""
        return [c for c in self.index.chunks if allowed is None or c.doc in allowed]

    def speech(self, doc: str) -> list:
        """All chunks of one speech, in order."""
        return [c for cid in self.index.table.doc_chunk_ids(doc) if (c := self.index.chunk(cid)) is not None]

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


def _once(read: Callable[[], list]) -> Callable[[], list]:
    """`read`, called at most once (the passages a question is about are read only when a check needs them)."""
    held: list[list] = []

    def get() -> list:
        if not held:
            held.append(read())
        return held[0]
    return get


def _noted(answer: Answer, understood: str | None) -> Answer:
    if understood and understood not in answer.warnings:
        answer.warnings.append(understood)
    return answer


def _signed(answer: Answer, case: Case) -> Answer:
    """The answer with what the judge measured (for `qa fit`; not part of the JSON contract)."""
    if case.evidence is not None:
        answer.signals = signals(case)
    return answer


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

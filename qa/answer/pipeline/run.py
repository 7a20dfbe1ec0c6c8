"""The answer pipeline, run: a question walks down `Answerer.STAGES` once. It is understood (a follow-up made to
stand on its own), scoped to the speeches it names and judged; a named document's giver is told from its header;
otherwise passages are read and judged, sentences selected and judged (see `stages.py` for what each stage hands on
and `judge.py` for the checks); what the judge lets through is composed by the extractive composer and, when a chat
model is chosen, written by the model from the same passages (its answer checked in turn)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace

from qa.answer.citations import in_context
from qa.answer.generate import llm_answer_stream, rewrite_question
from qa.answer.hybrid import Retrieval, Retriever
from qa.answer.pipeline import judge_binding, judge_constraints  # noqa: F401  (register their checks)
from qa.answer.pipeline.compose import compose, refused, related
from qa.answer.pipeline.documents import document_answer, named_documents
from qa.answer.pipeline.judge import Judge
from qa.answer.pipeline.judge_selection import signals
from qa.answer.pipeline.select import select
from qa.answer.pipeline.stages import Ask, Case, Evidence, Scope, Verdict, Walk
from qa.answer.question import analyse
from qa.core.outline import review_sections
from qa.core.records import Answer, AnswerDelta, AnswerDone, AnswerEvent, AnswerReset, Chunk, Document
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

    def events(self, ask: Ask) -> Iterator[AnswerEvent]:
        """The answer to `ask` as events (see `QA.ask_stream`): the walk runs down `STAGES` until one settles the
        answer; the model's pieces are passed on as they arrive; the answer is shown finished (`_finished`)."""
        self.retriever.dated_docs(ask.since, ask.until)  # a wrong date range is said before any work
        walk = Walk(ask)
        for stage in self.STAGES:
            walk = stage(self, walk)
            if walk.settled:
                break
        answer = walk.answer
        if walk.written is None:
            yield AnswerDelta(answer.answer)
        else:
            for event in walk.written:
                if isinstance(event, AnswerDone):
                    answer = event.answer
                else:
                    yield event
        yield AnswerDone(self._finished(walk, answer))

    # -- the stages, in order ------------------------------------------------------------------------------------------

    def _understand(self, walk: Walk) -> Walk:
        """A follow-up as a question that stands on its own (the model rewrites it, or the last turn's speaker and
        pledge intent carry over)."""
        ask, turns = walk.ask, history_turns(walk.ask.history)
        if not turns:
            return replace(walk, text=ask.question)
        return replace(walk, text=rewrite_question(ask.model, ask.label, ask.question, turns, self.settings)
                       if ask.model is not None else _carry_over(self.index.docs, ask.question, turns))

    def _scope(self, walk: Walk) -> Walk:
        """What the question is about: its analysis, the speeches it names (unless the user's filters decide), each
        speaker it names apart, and for a question asking for commitments the pledges to quote first."""
        ask, standalone, docs_index = walk.ask, walk.text, self.index.docs
        q = analyse(standalone, self.settings.answer.max_topic)
        if q.subject and (speaker_docs(docs_index, q.subject) or part_of_named_speaker(docs_index, standalone, q.subject)):
            q = q.without_subject()  # a speaker or body: the speaker rules decide (a question may name two of them)
        filtered = bool(ask.speaker or ask.doc)
        route = None if filtered else route_pledge_question(self.index, standalone)
        docs = named = None
        if not filtered:  # a question that names speakers is answered from their speeches only
            docs = route.docs if route and route.docs else (mentioned_speakers(docs_index, standalone) or None)
            # ... and one that names a year's document, from it (and the speaker's, when that leaves any)
            if named := named_documents(q, docs_index, self._head, self.judge):
                docs = (named & docs) or named if docs else named
        apart = named_apart(docs_index, standalone) if docs and not route else []
        speakers = tuple(sorted({docs_index[d].speaker for d in docs or ()} - {None}))
        scope = Scope(q, standalone, frozenset(docs) if docs else None, speakers,
                      tuple(frozenset(g) for g in apart) if len(apart) > 1 else (),
                      tuple(route.prefer) if route else (), filtered, bool(PLEDGE_QUESTION.search(standalone)), named)
        pool = _once(lambda: self._pool(self._allowed(scope, ask)))
        return replace(walk, case=Case(scope, docs_index, lambda: [self.index.table.said], pool, self.settings,
                                       self.index.unrelated_similarity))

    def _judge_question(self, walk: Walk) -> Walk:
        verdict = self.judge.run("question", walk.case)
        return walk.settle(refused(walk.ask.question, verdict)) if verdict else walk

    def _tell_document(self, walk: Walk) -> Walk:
        """Who gave a named document, or where: what the index knows, cited."""
        told = document_answer(walk.ask.question, walk.case.scope, self.index.docs, self.speech, self.judge)
        return walk.settle(told) if told else walk

    def _read(self, walk: Walk) -> Walk:
        """The passages read: the retrieved ones, each separately named speaker's share, and the gaps of the best
        speech; with each of their sentences' similarity to the question."""
        ask, scope = walk.ask, walk.case.scope
        retrieval = self.retriever.retrieve(scope.text, speaker=ask.speaker, doc=ask.doc, mode=ask.mode,
                                            docs=set(scope.docs) if scope.docs else None, since=ask.since,
                                            until=ask.until)
        if scope.apart:
            retrieval = self._each_speaker(retrieval, scope.apart, ask)
        retrieval = self._fill_gaps(retrieval)
        if "earliest" in scope.question.kinds:  # "首次…": every passage that says the term, not the best five
            retrieval = retrieval.with_chunks(_saying(self.index, scope, self._allowed(scope, ask)), {})
        similarity = self.index.sentence_similarity(
            retrieval.query_vector, [s.text for c in retrieval.chunks for s in chunk_sentences(c)])
        return replace(walk, case=replace(walk.case, evidence=Evidence(retrieval, similarity or {})))

    def _judge_evidence(self, walk: Walk) -> Walk:
        verdict = self.judge.run("evidence", walk.case)
        return walk.settle(refused(walk.ask.question, verdict)) if verdict else walk

    def _select(self, walk: Walk) -> Walk:
        case = walk.case
        selection = select(case.scope, case.evidence, self.index.bm25, self.settings, self.speech, self.reviewed,
                           self.judge)
        return replace(walk, case=replace(case, selection=selection))

    def _judge_selection(self, walk: Walk) -> Walk:
        verdict = self.judge.run("selection", walk.case)
        if verdict is None:
            return walk
        return walk.settle(refused(walk.ask.question, verdict) if verdict.outcome == "none"
                           else related(walk.ask.question, walk.case.selection, verdict, self.settings.answer))

    def _compose(self, walk: Walk) -> Walk:
        """The extractive answer (also what stands when a model fails)."""
        case = walk.case
        return replace(walk, answer=compose(walk.ask.question, case.scope.question, case.selection,
                                            self.settings.answer, self.speech))

    def _write(self, walk: Walk) -> Walk:
        """With a chat model chosen, its answer from the same passages, as it arrives."""
        return walk if walk.ask.model is None else replace(walk, written=self._written(walk), settled=True)

    STAGES: tuple[Callable[[Answerer, Walk], Walk], ...] = (
        _understand, _scope, _judge_question, _tell_document, _read, _judge_evidence, _select, _judge_selection,
        _compose, _write)

    # -- what the stages use -----------------------------------------------------------------------------------------

    def _finished(self, walk: Walk, answer: Answer) -> Answer:
        """The answer as shown: with an answer drawn from the selection, how a follow-up was understood; what the
        judge measured (for `qa fit`; not part of the JSON contract); each quotation in its context."""
        warnings, case = answer.warnings, walk.case
        understood = f"按上下文理解为：{walk.text}"
        if case is not None and case.selection is not None and walk.text != walk.ask.question \
                and understood not in warnings:
            warnings = (*warnings, understood)
        return replace(answer, warnings=warnings, citations=in_context(answer.citations, self.speech),
                       signals=signals(case) if case is not None and case.evidence is not None else answer.signals)

    def _written(self, walk: Walk) -> Iterator[AnswerEvent]:
        """The model's answer from the same passages (checked; replaced by the extractive one when it fails). A
        model that declines gives the "related" outcome: the judge found sentences, the model could not use them."""
        ask, case = walk.ask, walk.case
        for event in llm_answer_stream(ask.model, ask.label, walk.text, case.evidence.retrieval.chunks, walk.answer,
                                       self.settings, stream=ask.stream):
            if isinstance(event, AnswerDone):
                answer = replace(event.answer, question=ask.question)
                if not answer.found:
                    verdict = Verdict("related", "model_declined", f"回答模型 {ask.label} 认为这些段落没有直接回答问题")
                    answer = related(ask.question, case.selection, verdict, self.settings.answer, ask.label)
                    yield AnswerReset(verdict.text + "，以下是最相关的原文。")
                    yield AnswerDelta(answer.answer)
                event = AnswerDone(answer)
            yield event

    def _allowed(self, scope: Scope, ask: Ask) -> set[str] | None:
        """The speeches the filters and the question's names leave (None: all)."""
        return self.retriever.allowed(set(scope.docs) if scope.docs else None, ask.speaker, ask.doc, ask.since,
                                      ask.until)

    def _each_speaker(self, retrieval: Retrieval, groups: tuple[frozenset[str], ...], ask: Ask) -> Retrieval:
        """A question that names several speakers apart ("工信局长和市委书记都…") is answered from each one's
        passages: every speaker gets a fair share of the passages read, even when another's crowd the top k."""
        share = -(-self.settings.k // len(groups))
        for group in groups:
            have = sum(c.doc in group for c in retrieval.chunks)
            if have >= share:
                continue
            more = self.retriever.retrieve(retrieval.query, k=share, mode=ask.mode, docs=set(group), since=ask.since,
                                           until=ask.until)
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

    def _head(self, doc: str) -> str:
        """The opening text of a speech (its first passage)."""
        ids = self.index.table.doc_chunk_ids(doc)
        first = self.index.chunk(ids[0]) if ids else None
        return first.text if first is not None else ""

    def _pool(self, allowed: set[str] | None) -> list:
        """The passages of the speeches a question is about (those the filters and its names leave; None: all)."""
        return [c for c in self.index.chunks if allowed is None or c.doc in allowed]

    def speech(self, doc: str) -> list:
        """All chunks of one speech, in order."""
        return [c for cid in self.index.table.doc_chunk_ids(doc) if (c := self.index.chunk(cid)) is not None]


def _carry_over(docs: Mapping[str, Document], question: str, turns: list[tuple[str, str]]) -> str:
    """Extractive follow-ups: the previous turn's speaker, and its pledge intent, carry over."""
    last = turns[-1][0]
    q = question
    if not mentioned_speakers(docs, q):
        names = sorted({docs[d].speaker for d in mentioned_speakers(docs, last) if docs[d].speaker})
        if names:
            q = f"{'、'.join(names)}{re.sub(r'^(那么?|那|他|她|其|该)+', '', q)}"
    if PLEDGE_QUESTION.search(last) and not PLEDGE_QUESTION.search(q):
        q = re.sub(r"呢?[？?。]*$", "", q) + "承诺了什么？"
    return q


def _saying(index: Index, scope: Scope, allowed: set[str] | None) -> list[Chunk]:
    """The passages that say one of the question's specific terms (a compound, a quotation) verbatim, at most
    `earliest_passages` of them, oldest documents first."""
    out = []
    for term in (*scope.question.compounds, *scope.question.quoted):
        for i in index.bm25.containing([max(tokenize(term), key=len, default=term)]):
            c = index.chunks[i]
            if term in c.text and (allowed is None or c.doc in allowed):
                out.append(c)
    out.sort(key=lambda c: (index.docs[c.doc].date or "9999", c.start))
    return out[: index.settings.answer.earliest_passages]


def _once(read: Callable[[], list]) -> Callable[[], list]:
    """`read`, called at most once (the passages a question is about are read only when a check needs them)."""
    held: list[list] = []

    def get() -> list:
        if not held:
            held.append(read())
        return held[0]
    return get


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

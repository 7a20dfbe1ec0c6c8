"""The answer path, from a question to a checked, cited answer: understand a follow-up, refuse what the speeches
cannot answer before searching, retrieve (each named speaker's passages, and what lies between the best speech's
passages), quote the best sentences, check them against what was asked, and let a chat model rewrite them when one
is chosen (its answer checked in turn)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from qa.answer.extractive import extractive_answer
from qa.answer.generate import llm_answer_stream, rewrite_question
from qa.answer.hybrid import Retriever
from qa.answer.judge import (
    Refusal,
    anchors,
    check_answer,
    missing_anchor,
    missing_subject,
    refuse_before_search,
)
from qa.answer.pledges import PLEDGE_QUESTION, route_pledge_question
from qa.answer.question import Question, analyse
from qa.core.records import Answer, AnswerDelta, AnswerDone, AnswerEvent
from qa.core.speakers import (
    mentioned_speakers,
    named_apart,
    part_of_named_speaker,
    require_speaker_docs,
    speaker_docs,
)
from qa.core.text import chunk_sentences
from qa.index.store import Index

__all__ = ["Answerer", "history_turns"]


class Answerer:
    """Answers over one index, through its retriever (see the module docstring)."""

    def __init__(self, index: Index, retriever: Retriever) -> None:
        self.index, self.retriever = index, retriever

    @property
    def settings(self):
        return self.index.settings

    def events(self, question: str, label: str, model: Any, speaker: str | None, doc: str | None,
               mode: str | None, history: list | None, stream: bool, since: str | None,
               until: str | None) -> Iterator[AnswerEvent]:
        """The answer to `question` as events (see `QA.ask_stream`), from `model` or, when None, extractive."""
        dated = self.retriever.dated_docs(since, until)
        standalone = self._standalone(question, label, model, history)
        q = analyse(standalone)
        if q.subject and (speaker_docs(self.index.docs, q.subject)
                          or part_of_named_speaker(self.index.docs, standalone, q.subject)):
            q.subject = None  # a speaker or body: the speaker rules decide (a question may name two of them)
        route, refusal, docs = self._before_search(q, standalone, speaker, doc, dated)
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
        similarity = self.index.sentence_similarity(
            retrieval.query_vector, [s.text for c in retrieval.chunks for s in chunk_sentences(c)])
        floor = self.index.unrelated_similarity if similarity else None
        unrelated = floor is not None and max(similarity.values()) < floor
        extractive = extractive_answer(standalone, retrieval, self.index.bm25, self.settings,
                                       route.prefer if route else [], q, speakers_named=bool(docs or speaker),
                                       who="、".join(speakers), similarity=similarity, unrelated=unrelated,
                                       several_speeches=len(speakers) > 1, speech=self.speech,
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
        yield from self._compose(question, standalone, extractive, retrieval, label, model, stream)

    def _standalone(self, question: str, label: str, model: Any, history: list | None) -> str:
        """A follow-up as a question that stands on its own (the model rewrites it, or the last turn's speaker and
        pledge intent carry over)."""
        turns = history_turns(history)
        if not turns:
            return question
        return (rewrite_question(model, label, question, turns, self.settings) if model is not None
                else self._carry_over(question, turns))

    def _before_search(self, q: Question, standalone: str, speaker: str | None, doc: str | None,
                       dated: set[str] | None) -> tuple[Any, Refusal | None, set[str] | None]:
        """(the pledge route, a refusal before any search, the speeches the question names)."""
        route = refusal = docs = None
        if not speaker and not doc:  # the user's filters decide which speeches; otherwise the question does
            route = route_pledge_question(self.index, standalone)
            refusal = refuse_before_search(q, self.index.docs) or (Refusal(route.refusal) if route and route.refusal
                                                                   else None)
            # a question that names speakers is answered from their speeches only
            docs = route.docs if route and route.docs else (mentioned_speakers(self.index.docs, standalone) or None)
        return route, refusal or self._unanswerable_terms(q, speaker, doc, docs, dated), docs

    def _compose(self, question: str, standalone: str, extractive: Answer, retrieval, label: str, model: Any,
                 stream: bool) -> Iterator[AnswerEvent]:
        """The extractive answer, or the model's written from the same passages (checked, or replaced by it)."""
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
        """The passages between two retrieved passages of the best speech are read too (at most `max_gap` of them):
        what answers often sits between two passages that share the question's words."""
        if not retrieval.chunks:
            return
        doc = retrieval.chunks[0].doc
        have = {c.index for c in retrieval.chunks if c.doc == doc}
        missing = [i for i in range(min(have), max(have)) if i not in have]
        if not missing or len(missing) > self.settings.answer.max_gap:
            return
        for c in self.speech(doc):
            if c.index in missing:
                retrieval.chunks.append(c)
                retrieval.dense_similarity.setdefault(c.id, 0.0)

    def speech(self, doc: str) -> list:
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

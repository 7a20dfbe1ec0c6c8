"""The compose stage: the answer as staff read it. An answer quotes the chosen sentences verbatim, each followed by
its [n] citation (with the sentences they bring along: the rest of a sentence cut at a semicolon, the sentence a
"when/who/why" answer points back to); a "related" outcome quotes the closest one to three sentences under a plain
statement that they do not answer directly; a "none" outcome says why, citing only what explains it."""

from __future__ import annotations

from collections.abc import Callable

from qa.answer.pipeline.stages import Selection, Verdict
from qa.answer.question import Question, gives_date, gives_figure
from qa.answer.sentences import DEFERRED, Candidate, antecedents, contiguous, focused, plain, rest_of_sentence
from qa.answer.terms import Forms, said_terms
from qa.core.dates import display_date
from qa.core.records import Answer, Chunk, Citation
from qa.core.settings import AnswerParams

__all__ = ["compose", "related", "refused", "RELATED"]

SINGLE = frozenset({"number", "year", "name", "called"})  # asked for one figure, year or name: one clause answers
RELATED = "资料中没有直接回答这个问题，最相关的原文如下："


def compose(question: str, q: Question, sel: Selection, p: AnswerParams,
            speech: Callable[[str], list[Chunk]]) -> Answer:
    """The extractive answer from the chosen sentences."""
    chosen = list(sel.chosen)
    if q.kinds & DEFERRED:  # context, not evidence: added after the judge
        chosen += antecedents(chosen, speech)
    if q.wants_list or not q.kinds & SINGLE:
        chosen += rest_of_sentence(p, chosen, speech)
    text, citations = _quote(chosen, sel.forms, q, p.long_sentence)
    if "source" in q.kinds:
        text = _name_the_speech(citations[0], text)
    return Answer(question, text, True, citations, "extractive", sel.warnings)


def related(question: str, sel: Selection, verdict: Verdict, p: AnswerParams, label: str = "extractive") -> Answer:
    """The closest sentences (one to `related_sentences`, distinct, within `related_gap` of the best), or the passage
    the verdict cites, under `RELATED`; the verdict's reason is a warning."""
    if verdict.citations:
        quoted = "".join(f"{_highlighted(c)}[{c.n}]" for c in verdict.citations)
        return Answer(question, f"{RELATED}\n{quoted}", False, verdict.citations, label, (verdict.text + "。",),
                      outcome="related", check=verdict.check)
    best: list[Candidate] = []
    for cand in sel.pool:
        if len(best) >= p.related_sentences:
            break
        if best and cand.score < best[0].score - p.related_gap:
            break
        if all(plain(c.span.text) != plain(cand.span.text) for c in best):
            best.append(cand)
    text, citations = _quote(best, sel.forms, None, p.long_sentence)
    return Answer(question, f"{RELATED}\n{text}", False, citations, label, (verdict.text + "。",),
                  outcome="related", check=verdict.check)


def refused(question: str, verdict: Verdict, label: str = "extractive") -> Answer:
    return Answer(question, verdict.text, False, verdict.citations, label, outcome="none", check=verdict.check)


def _highlighted(c: Citation) -> str:
    return "……".join(c.text[s - c.start : e - c.start] for s, e in c.highlights)


def _name_the_speech(c: Citation, text: str) -> str:
    """For "出自哪篇发言", "哪一年的报告": the speech's title, speaker and date lead the quote."""
    about = "，".join(x for x in (c.speaker, display_date(c.date) if c.date else None) if x)
    return f"出自《{c.title or c.doc}》{f'（{about}）' if about else ''}：{text}"


def _quote(chosen: list[Candidate], forms: Forms, asked: Question | None,
           long_sentence: int) -> tuple[str, tuple[Citation, ...]]:
    """The chosen sentences verbatim, each followed by its [n], and their citations."""
    # Speeches in the order of their best passage, sentences in reading order within a speech (an enumeration reads
    # 一是, 二是, 三是 whichever passage holds each item); passages numbered in the order the answer first cites them.
    speech_rank: dict[str, int] = {}
    for c in chosen:
        speech_rank[c.chunk.doc] = min(c.rank, speech_rank.get(c.chunk.doc, c.rank))
    chosen.sort(key=lambda c: (speech_rank[c.chunk.doc], c.span.start))
    quoted: list[Candidate] = []
    for cand in chosen:
        if quoted and (joined := contiguous(quoted[-1], cand)) is not None:
            quoted[-1] = joined  # the sentence right after the last one quoted: one quotation, one citation mark
        else:
            quoted.append(cand)
    asked_for = _asked_for(asked)
    numbers: dict[str, int] = {}
    marked: dict[str, tuple[Chunk, list[tuple[int, int]]]] = {}  # chunk id → the chunk and what is quoted of it
    parts = []
    for cand in quoted:
        ch = cand.chunk
        numbers.setdefault(ch.id, len(numbers) + 1)
        spans = [cand.span]
        if asked_for is not None and len(cand.span.text) > long_sentence:
            spans = focused(cand.span, lambda t: bool(said_terms(forms, t)) or asked_for(t))
            if not any(asked_for(sp.text) for sp in spans):
                spans = [cand.span]  # the figure or date asked for must be in what is quoted
        marked.setdefault(ch.id, (ch, []))[1].extend((sp.start, sp.end) for sp in spans)
        said = "……".join(sp.text for sp in spans)
        if spans[0].start > cand.span.start:
            said = "……" + said
        if spans[-1].end < cand.span.end:
            said += "……"
        parts.append(f"{said}[{numbers[ch.id]}]")
    return "".join(parts), tuple(Citation.of(numbers[i], ch, spans) for i, (ch, spans) in marked.items())


def _asked_for(asked: Question | None) -> Callable[[str], bool] | None:
    """For a question asking one figure or date: whether a clause gives it (None for other questions)."""
    if asked is None or asked.wants_list or not asked.kinds & {"number", "year"}:
        return None
    if asked.wants_figure:
        return lambda t: gives_figure(t, asked.unit, asked.counted)
    return gives_date

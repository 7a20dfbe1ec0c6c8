"""The select stage: every sentence of the passages read as a candidate, scored (see `qa.answer.sentences`), and
the ones to quote: the best with the rest of its enumeration, each separately named speaker's own best, and further
sentences that add enough. Support is measured lexically: the weighted share of the question's key terms that the
chosen sentences, or their passage's title/speaker/section, say (a term weighs its BM25 idf times its
specificity, see `qa.answer.terms`); the judge decides what that share means."""


from __future__ import annotations

import re
from collections.abc import Callable

from qa.answer.hybrid import Retrieval
from qa.answer.pipeline.judge import Judge, missing_subject
from qa.answer.pipeline.stages import Evidence, Scope, Selection
from qa.answer.question import INTERROGATIVE, Question
from qa.answer.sentences import Candidate, candidates, enumeration, leads_list, plain
from qa.answer.synonyms import table
from qa.answer.terms import (
    Covered,
    compounds_whole,
    coverage,
    names_whole,
    quoted_whole,
    split_artefacts,
    term_forms,
    term_weights,
    union,
)
from qa.core.dates import YEAR
from qa.core.lexical import BM25
from qa.core.records import Chunk
from qa.core.settings import Settings
from qa.core.text import FUNCTION_CHARS, tagged_words

__all__ = ["select", "prepare"]



def select(scope: Scope, evidence: Evidence, bm25: BM25, settings: Settings,
           speech: Callable[[str], list[Chunk]], reviewed: Callable[[str, int], bool] | None = None,
           rules: Judge | None = None) -> Selection:
    """The Selection for a question from the passages read (`speech`: a document id → all its chunks in order, for
    an enumeration that runs beyond the passages read; `reviewed(doc, offset)`: the place reviews past work)."""
    q, retrieval, p = scope.question, evidence.retrieval, settings.answer
    terms = _key_terms(scope, retrieval, bm25, p.min_run)
    forms = term_forms(terms, settings.synonyms, bm25, p.synonym_credit)
    named = bool(scope.docs) or scope.filtered
    topic = None if named else _topic(q, retrieval.chunks)
    pledge_spans = {(x.doc, x.start) for x in scope.prefer}
    pool = candidates(p, retrieval, terms, forms, pledge_spans, q, dict(evidence.similarity) or None, topic,
                      reviewed)
    pool = _about_the_subject(pool, q, retrieval, topic, speech)
    pool.sort(key=lambda c: -c.score)
    if "earliest" in q.kinds:
        pool = _earliest_first(pool, terms)
    elif q.wants_list:
        pool = _list_first(pool, q, terms, p.list_reach, rules)
    if not pool or not terms:
        return Selection(tuple(pool), (), terms, forms, 0.0)
    chosen, covered, warnings = _choose(pool, terms, retrieval, settings, speech, scope.apart, len(scope.speakers) > 1,
                                        rules)
    if "earliest" in q.kinds:  # one document answers "which first": the earliest's own sentences
        chosen = [c for c in chosen if c.chunk.doc == pool[0].chunk.doc]
        covered = union(*(c.covered for c in chosen))
    return Selection(tuple(pool), tuple(chosen), terms, forms, coverage(terms, covered), tuple(warnings))


def _key_terms(scope: Scope, retrieval: Retrieval, bm25: BM25, min_run: int) -> dict[str, float]:
    """The question's key terms with their weights (see `qa.answer.terms`), less the words that shape it."""
    q, apart = scope.question, scope.apart
    terms = {t: w for t, w in term_weights(retrieval.tokens, bm25).items()
             if t not in q.never and not INTERROGATIVE.search(t)}
    if scope.docs or scope.filtered:
        # a word that names only one of several speakers asked ("主题教育" of one's title) is the other's topic
        names = [" ".join(x for c in retrieval.chunks if not apart or c.doc in group for x in (c.title, c.speaker,
                                                                                                c.occasion) if x)
                 for group in apart or [None]]
        content = {t: w for t, w in terms.items() if not all(t in n for n in names)}
        terms = content or terms
    seen = " ".join(c.context() for c in retrieval.chunks)
    terms = split_artefacts(q, names_whole(q, terms, seen), bm25, seen, min_run)
    return compounds_whole(q, quoted_whole(q, terms, bm25))


_ROUNDING = 1e-9  # coverages are sums of float weights: equal shares may differ in the last bits


def _listed(q: Question) -> str | None:
    """What a list question lists: the noun it counts (“哪三个表率” → 表率, `Constraints.counts`), else the first noun
    of two characters or more after its interrogative (“有哪些措施” → 措施, “从哪几个方面” → 方面)."""
    if q.constraints.counts:
        return q.constraints.counts[-1].noun
    after = False
    for w, flag in q.tagged:
        if w.startswith("哪"):
            after = True
        elif after and flag[0] in "mq":
            continue
        elif after:
            return w if flag[0] == "n" and len(w) >= 2 else None
    return None


def _list_first(pool: list[Candidate], q: Question, terms: dict[str, float], reach: int,
                rules: Judge | None) -> list[Candidate]:
    """For a list question (rule `list_lead`): an enumeration answers it, so when the best sentence opens or announces
    none, a sentence that does, names what is listed and says another of the question's key terms (“当好哪三个表率”
    → “今后…一是做理论学习的表率。”) leads, though the best shares more of the question's other words (the speaker's
    role: “中小企业服务中心的同志”); failing that, one of the next `reach` that says as much of the key terms."""
    if not pool or leads_list(pool[0].span.text) or (rules is not None and not rules.allows("list_lead")):
        return pool
    listed = _listed(q)
    lead = None
    if listed and listed not in pool[0].span.text:
        lead = next((c for c in pool[1:] if leads_list(c.span.text) and listed in c.span.text
                     and any(t != listed and t not in listed for t in c.covered)), None)
    if lead is None:
        most = coverage(terms, pool[0].covered)
        lead = next((c for c in pool[1:reach + 1] if leads_list(c.span.text)
                     and coverage(terms, c.covered) >= most - _ROUNDING), None)
    if lead is None:
        return pool
    if rules is not None:
        rules.count("list_lead")
    return [lead] + [c for c in pool if c is not lead]


def _earliest_first(pool: list[Candidate], terms: dict[str, float]) -> list[Candidate]:
    """For "哪一年的报告首次…": of the sentences that say as much of the question as the best, the one of the earliest
    dated document first."""
    if not pool:
        return pool
    most = max(coverage(terms, c.covered) for c in pool)
    dated = [c for c in pool if c.chunk.date and coverage(terms, c.covered) >= most - _ROUNDING]
    if not dated:
        return pool
    first = min(dated, key=lambda c: (c.chunk.date, -c.score))
    return [first] + [c for c in pool if c is not first]


def _about_the_subject(pool: list[Candidate], q: Question, retrieval: Retrieval, topic: str | None,
                       speech: Callable[[str], list[Chunk]]) -> list[Candidate]:
    """The candidates from passages about what the question is about, when some are (else all)."""
    if q.subject:  # "蔡敏就读于…": a passage that names her answers, not one that does not
        return [c for c in pool if not missing_subject(q.subject, [c.chunk.context()])] or pool
    if topic:
        # "纽西兰鸡毛松有多高？": the speeches that say what the question opens with answer it
        saying = {c.doc for c in retrieval.chunks if topic in c.context()}
        whole = q.text[len(topic) : len(topic) + 1] in FUNCTION_CHARS  # "猴面包树的…", not "四川|地区，…"
        if whole:  # of those, a text that opens with it is about it ("猴面包树（学名：）…")
            saying = {d for d in saying if _opens_with(speech(d), topic)} or saying
        return [c for c in pool if c.chunk.doc in saying] or pool
    return pool


def _choose(pool: list[Candidate], terms: dict[str, float], retrieval: Retrieval, settings: Settings,
            speech: Callable[[str], list[Chunk]], apart: tuple[frozenset[str], ...],
            several_speeches: bool, rules: Judge | None = None) -> tuple[list[Candidate], Covered, list[str]]:
    """(the sentences to quote, the key terms they say, warnings): the best one with the rest of its enumeration,
    each separately named speaker's own best, and further sentences that add enough (see `AnswerParams`)."""
    p = settings.answer
    best = pool[0]
    chosen = [best]
    covered = dict(best.covered)
    length = len(best.span.text)
    ranks = {c.id: i for i, c in enumerate(retrieval.chunks, 1)}
    doc = best.chunk.doc
    items = enumeration(p, best, lambda: speech(doc), ranks, rules)
    warnings = []
    for i, cand in enumerate(items):
        if length + len(cand.span.text) > p.max_list_chars:
            warnings.append(f"列举较长，只摘录了前面的部分，其余 {len(items) - i} 项见出处原文。")
            items = items[:i]
            break
        chosen.append(cand)
        length += len(cand.span.text)
    for group in apart:
        if not any(c.chunk.doc in group for c in chosen):
            own = next((c for c in pool if c.chunk.doc in group), None)
            if own is not None and coverage(terms, own.covered) >= settings.found_threshold:
                chosen.append(own)
                covered = union(covered, own.covered)
                length += len(own.span.text)
    for cand in pool[1:]:
        if cand in chosen:
            continue
        if len(chosen) >= settings.answer_sentences + len(items) or length + len(cand.span.text) > p.max_answer_chars:
            continue
        if any(plain(c.span.text) == plain(cand.span.text) for c in chosen):
            continue  # the same sentence (through overlapping passages, or a near-identical file): quoted once
        gain = coverage(terms, union(covered, cand.covered)) - coverage(terms, covered)
        near = best.score > 0 and cand.score >= p.near_best * best.score
        if cand.chunk.doc != best.chunk.doc and not several_speeches and not near:
            continue  # another speech's sentence must answer as well as the best, not merely add a word
        far = cand.sim is not None and best.sim is not None and cand.sim < best.sim - p.add_within
        if (gain >= p.min_gain and not far) or near:
            chosen.append(cand)
            covered = union(covered, cand.covered)
            length += len(cand.span.text)
    return chosen, covered, warnings


def _topic(q: Question, chunks: list[Chunk]) -> str | None:
    """The longest of the question's openings (see `question._openings`) that the passages say verbatim, as the
    name the question is about ("纽西兰鸡毛松" of "纽西兰鸡毛松有多高？")."""
    texts = [c.context() for c in chunks]
    found = None
    for head in q.openings:
        if not any(head in t for t in texts):
            break
        found = head
    if found:  # "中国2019年人口出生率": a year after the name is a constraint on it, not part of it
        found = re.sub(rf"{YEAR}年?$", "", found)
    found = found.rstrip(FUNCTION_CHARS) if found else None
    if found and [flag for _, flag in tagged_words(found)] == ["ns"]:
        return None  # "中国2019年人口出生率": a place is the setting, and its own texts say "我国", "全市"
    return found if found and len(found) >= 2 else None


def _opens_with(chunks: list[Chunk], topic: str) -> bool:
    first = min(chunks, key=lambda c: c.start, default=None)
    return first is not None and ((first.title or "").startswith(topic) or first.text.lstrip().startswith(topic))


def prepare() -> None:
    """Reads what the first answer would otherwise wait for (about a second): the synonym table and jieba's
    part-of-speech model. The server calls it at start-up."""
    table()
    tagged_words("预热")

"""The default answerer: quotes the sentences of the retrieved passages that best answer the question, verbatim,
each followed by its [n] citation; says plainly when the passages do not answer it.

Sentences are chosen by words and meaning (the scoring block below). Support is measured lexically: the share of
the question's key terms that the quoted sentences, or their passage's title/speaker/section, contain. A term
weighs its BM25 idf (rare in the corpus) times its specificity (rare in everyday Chinese, so "眼下" or "阶段" weigh
less than "常住人口"). `found` requires that share to reach
`found_threshold`, or the lower `found_threshold_agreeing` when the dense and the lexical retriever independently
put the first quoted passage near the top: two unrelated signals agreeing is evidence a paraphrase cannot fake.
"""


from __future__ import annotations

import re
from collections.abc import Callable

from qa.answer.hybrid import Retrieval
from qa.answer.judge import missing_subject
from qa.answer.question import Question, gives_date, gives_figure
from qa.answer.sentences import (
    DEFERRED,
    Candidate,
    antecedents,
    candidates,
    contiguous,
    enumeration,
    focused,
    rest_of_sentence,
)
from qa.answer.synonyms import table
from qa.answer.terms import (
    INTERROGATIVE,
    Covered,
    Forms,
    coverage,
    names_whole,
    quoted_whole,
    said_terms,
    shaping,
    split_artefacts,
    term_forms,
    term_weights,
    union,
)
from qa.core.dates import YEAR
from qa.core.lexical import BM25
from qa.core.records import Answer, Chunk, Citation, Pledge
from qa.core.settings import Settings
from qa.core.text import FUNCTION_CHARS, POINTING, STOPWORDS, tagged_words

__all__ = ["extractive_answer", "NOT_FOUND", "prepare"]


NOT_FOUND = "资料中没有找到能回答这个问题的内容。"

SINGLE = frozenset({"number", "year", "name", "called"})  # asked for one figure, year or name: one clause answers


def extractive_answer(question: str, retrieval: Retrieval, bm25: BM25, settings: Settings,
                      pledges: list[Pledge] = (), asked: Question | None = None, speakers_named: bool = False,
                      who: str = "", similarity: dict[str, float] | None = None, unrelated: bool = False,
                      several_speeches: bool = False, speech: Callable[[str], list[Chunk]] | None = None,
                      apart: list[set[str]] = ()) -> Answer:
    """`asked`: the question's analysis (a figure asked for prefers sentences that give one); `speakers_named`: the
    passages are already limited to the speeches the question names, so words naming them prove nothing; `who`:
    the speakers so named, for the refusal ("资料中没有找到市委书记关于…"); `similarity`: each passage sentence's
    similarity to the question (None when unavailable); `unrelated`: no retrieved sentence is close to the question
    in meaning, so the answer is "not found" whatever words it shares; `several_speeches`: the question is about
    more than one speaker, so the answer may quote more than one speech; `speech`: a document id → all its chunks
    in order (an enumeration is followed beyond the retrieved passages); `apart`: the speeches of each speaker the
    question names separately, each of whom answers with their own best sentence when it answers on its own."""
    never, unnamed = shaping(question)
    terms = _key_terms(question, retrieval, bm25, asked, never, speakers_named, apart, settings.answer.min_run)
    pledge_spans = {(p.doc, p.start) for p in pledges}
    p = settings.answer
    forms = term_forms(terms, settings.synonyms, bm25, p.synonym_credit)
    topic = None if speakers_named else _topic(question, retrieval.chunks, p.max_topic)
    pool = candidates(p, retrieval, terms, forms, pledge_spans, asked, similarity, topic)
    pool = _about_the_subject(pool, question, retrieval, asked, topic, speech)
    if not pool or not terms or unrelated:
        return _not_found(question, forms, retrieval, who, unnamed)
    pool.sort(key=lambda c: -c.score)
    chosen, covered, warnings = _choose(pool, terms, retrieval, settings, speech, apart, several_speeches)
    if coverage(terms, covered) < _threshold(pool[0], retrieval, settings, pledge_spans):
        return _not_found(question, forms, retrieval, who, unnamed)
    if asked is not None and asked.kinds & DEFERRED:  # after the support check: context, not evidence
        chosen += antecedents(chosen, speech)
    if asked is None or asked.wants_list or not asked.kinds & SINGLE:
        chosen += rest_of_sentence(p, chosen, speech)
    return _compose(question, chosen, forms, asked, warnings, p.long_sentence)


def _key_terms(question: str, retrieval: Retrieval, bm25: BM25, asked: Question | None, never: set[str],
               speakers_named: bool, apart: list[set[str]], min_run: int) -> dict[str, float]:
    """The question's key terms with their weights (see `qa.answer.terms`), less the words that shape it."""
    terms = {t: w for t, w in term_weights(retrieval.tokens, bm25).items() if t not in never and not INTERROGATIVE.search(t)}
    if speakers_named:
        # a word that names only one of several speakers asked ("主题教育" of one's title) is the other's topic
        names = [" ".join(x for c in retrieval.chunks if not apart or c.doc in group for x in (c.title, c.speaker,
                                                                                                c.occasion) if x)
                 for group in apart or [None]]
        content = {t: w for t, w in terms.items() if not all(t in n for n in names)}
        terms = content or terms
    seen = " ".join(c.context() for c in retrieval.chunks)
    terms = split_artefacts(question, names_whole(question, terms, seen), bm25, seen, min_run)
    return quoted_whole(asked, terms, bm25)


def _about_the_subject(pool: list[Candidate], question: str, retrieval: Retrieval, asked: Question | None,
                       topic: str | None, speech: Callable[[str], list[Chunk]] | None) -> list[Candidate]:
    """The candidates from passages about what the question is about, when some are (else all)."""
    if asked is not None and asked.subject:  # "蔡敏就读于…": a passage that names her answers, not one that does not
        return [c for c in pool if not missing_subject(asked.subject, [c.chunk.context()])] or pool
    if topic:
        # "纽西兰鸡毛松有多高？": the speeches that say what the question opens with answer it
        saying = {c.doc for c in retrieval.chunks if topic in c.context()}
        whole = question[len(topic) : len(topic) + 1] in FUNCTION_CHARS  # "猴面包树的…", not "四川|地区，…"
        if speech is not None and whole:  # of those, a text that opens with it is about it ("猴面包树（学名：）…")
            saying = {d for d in saying if _opens_with(speech(d), topic)} or saying
        return [c for c in pool if c.chunk.doc in saying] or pool
    return pool


def _choose(pool: list[Candidate], terms: dict[str, float], retrieval: Retrieval, settings: Settings,
            speech: Callable[[str], list[Chunk]] | None, apart: list[set[str]],
            several_speeches: bool) -> tuple[list[Candidate], Covered, list[str]]:
    """(the sentences to quote, the key terms they say, warnings): the best one with the rest of its enumeration,
    each separately named speaker's own best, and further sentences that add enough (see `AnswerParams`)."""
    p = settings.answer
    best = pool[0]
    chosen = [best]
    covered = dict(best.covered)
    length = len(best.span.text)
    ranks = {c.id: i for i, c in enumerate(retrieval.chunks, 1)}
    doc = best.chunk.doc
    items = enumeration(p, best, lambda: speech(doc) if speech else [c for c in retrieval.chunks if c.doc == doc], ranks)
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
        if any(_plain(c.span.text) == _plain(cand.span.text) for c in chosen):
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


def _threshold(best: Candidate, retrieval: Retrieval, settings: Settings, pledge_spans: set[tuple[str, int]]) -> float:
    """The share of the key terms the quoted sentences must say for an answer to count as found."""
    agree = retrieval.agreement(retrieval.chunks[0].id)
    agreeing = agree is not None and agree <= settings.agree_rank
    threshold = settings.found_threshold_agreeing if agreeing else settings.found_threshold
    # A paraphrase shares few words but much meaning: a passage the embedder finds very close needs fewer words.
    if retrieval.dense_similarity.get(best.chunk.id, 0.0) >= settings.found_similarity:
        threshold = min(threshold, settings.found_threshold_similar)
    if (best.chunk.doc, best.span.start) in pledge_spans:
        # asked what a speaker committed to, and the best sentence is one of that speaker's own pledges
        threshold = min(threshold, settings.found_threshold_agreeing)
    return threshold


def _compose(question: str, chosen: list[Candidate], forms: Forms, asked: Question | None,
             warnings: list[str], long_sentence: int) -> Answer:
    """The answer text: the chosen sentences verbatim, each followed by its [n]."""
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
    citations: list[Citation] = []
    parts = []
    for cand in quoted:
        ch = cand.chunk
        if ch.id not in numbers:
            numbers[ch.id] = len(numbers) + 1
            citations.append(Citation.of(numbers[ch.id], ch))
        spans = [cand.span]
        if asked_for is not None and len(cand.span.text) > long_sentence:
            spans = focused(cand.span, lambda t: bool(said_terms(forms, t)) or asked_for(t))
            if not any(asked_for(sp.text) for sp in spans):
                spans = [cand.span]  # the figure or date asked for must be in what is quoted
        citations[numbers[ch.id] - 1].highlights += [[sp.start, sp.end] for sp in spans]
        said = "……".join(sp.text for sp in spans)
        if spans[0].start > cand.span.start:
            said = "……" + said
        if spans[-1].end < cand.span.end:
            said += "……"
        parts.append(f"{said}[{numbers[ch.id]}]")
    text = "".join(parts)
    return Answer(question=question, answer=text, found=True, citations=citations, backend="extractive",
                  warnings=warnings)


def _asked_for(asked: Question | None) -> Callable[[str], bool] | None:
    """For a question asking one figure or date: whether a clause gives it (None for other questions)."""
    if asked is None or asked.wants_list or not asked.kinds & {"number", "year"}:
        return None
    if asked.wants_figure:
        return lambda t: gives_figure(t, asked.unit, asked.counted)
    return gives_date


_NOT_TOPIC = frozenset({"p", "c", "r", "d", "u", "uj", "ul", "uz", "y", "e", "o"})  # prepositions, pronouns, particles


def _topic(question: str, chunks: list[Chunk], max_topic: int) -> str | None:
    """The longest opening of the question, of two characters or more, that the passages say verbatim ("纽西兰鸡毛松"
    of "纽西兰鸡毛松有多高？"), when the question opens with a content word (not "在", "关于", "哪些", "他", "该词")."""
    first = next(iter(tagged_words(question)), None)
    if first is None or first[1] in _NOT_TOPIC or first[0] in STOPWORDS or first[0][0] in POINTING:
        return None
    texts = [c.context() for c in chunks]
    found = None
    for n in range(2, min(len(question), max_topic) + 1):
        head = question[:n]
        if not re.fullmatch(r"[\w·．.\-]+", head) or not any(head in t for t in texts):
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


def _plain(text: str) -> str:
    """A sentence without spaces and punctuation, to recognise the same sentence in another copy of a speech."""
    return re.sub(r"[\W_]+", "", text)


def _not_found(question: str, forms: Forms, retrieval: Retrieval, who: str = "", unnamed: set[str] = frozenset()) -> Answer:
    seen = " ".join(c.context() for c in retrieval.chunks).lower()
    missing = [t for t, fs in forms.items() if len(t) > 1 and t not in unnamed and not any(f in seen for f, _ in fs)]
    # show whole words only: drop a missing term that is part of a longer missing one
    missing = [t for t in missing if not any(t != o and t in o for o in missing)]
    text = NOT_FOUND
    if missing:
        text = f"资料中没有找到{who}关于" + "、".join(f"“{t}”" for t in missing[:4]) + "的内容，无法回答这个问题。"
    return Answer(question=question, answer=text, found=False, citations=[], backend="extractive", warnings=[])

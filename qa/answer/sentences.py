"""The sentences an answer may quote: each sentence of the retrieved passages as a candidate with its score, and
the sentences a chosen one brings along (the rest of its enumeration, of a sentence cut at a semicolon, the
sentence it points back to), joined when they touch and focused when long."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from qa.answer.hybrid import Retrieval
from qa.answer.question import Question, gives_figure
from qa.answer.terms import Covered, Forms, coverage, said_terms, union
from qa.core.dates import BARE_YEAR, RELATIVE_YEARS, YEAR
from qa.core.lexicon.pointing import POINTS_BACK
from qa.core.records import Chunk, Span
from qa.core.settings import AnswerParams
from qa.core.text import STOPWORDS, chunk_sentences, words

__all__ = ["Candidate", "candidates", "plain", "other_years", "enumeration", "leads_list", "rest_of_sentence", "antecedents", "contiguous",
           "focused", "DEFERRED"]


# Scoring, in one place (the weights are `AnswerParams`): a sentence's score = own × (share of the key terms its
#   passage's title/speaker/section do not already supply that the sentence itself contains) + context × (share
#   counting the passage's metadata too) + meaning × (its similarity to the question − the best similarity among the
#   candidates) + rank_bonus / rank, plus the pledge, figure and aspect bonuses.
# A term the title supplies ("六耳铃" in a passage about 六耳铃) is the topic, not the point: the sentence that
# answers usually leaves it out ("分布于……"), so the other terms decide between the passage's sentences.

_CUT = ("；", ";")  # a clause cut here is quoted with the rest of its sentence (`sentence_chars`)
# a year a sentence names: 1628年, or a bare modern one that is no figure ("2000米", "2000人" are not years)
_YEAR_SAID = re.compile(rf"(?<![\d.])(?:({YEAR})(?=年)|({BARE_YEAR})(?![\d.%万亿千百米元个人]))")
_RELATIVE_YEAR = re.compile("|".join(RELATIVE_YEARS))

# A sentence that opens an enumeration ("一是", "一要", "第一，", "（一）") is read together with its siblings.
_ENUM_OPEN = re.compile(r"(?:^|[，：:；])(?:一是|一要|第一[，、]|首先)|^[（(]一[）)]")
_ENUM_NEXT = re.compile(r"^(?:[二三四五六七八九十][是要]|第[二三四五六七八九十][，、]|[（(][二三四五六七八九十][）)]|其次|再次|最后)")
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Candidate:
    span: Span
    chunk: Chunk
    rank: int
    covered: Covered
    score: float
    sim: float | None = None  # similarity to the question, when sentence vectors are available
    review: bool = False  # the sentence lies in a section that reviews past work


def candidates(p: AnswerParams, retrieval: Retrieval, terms: dict[str, float], forms: Forms,
               pledge_spans: set[tuple[str, int]], asked: Question, similarity: dict[str, float] | None = None,
               topic: str | None = None, reviewed: Callable[[str, int], bool] | None = None) -> list[Candidate]:
    """Every sentence of the retrieved passages that may be quoted, with its score (see the scoring note above).
    `reviewed(doc, offset)`: whether that place lies in a section that reviews past work; a question about what is
    required, planned or pledged prefers other sentences by `structure`, one about what was done prefers these."""
    plan = "plan" in asked.kinds and "done" not in asked.kinds
    done = "done" in asked.kinds and "plan" not in asked.kinds
    out = []
    topical = frozenset(t for t in terms if topic and t in topic.lower() and not t.isdigit())
    years = set(asked.years)
    for rank, chunk in enumerate(retrieval.chunks, 1):
        meta = " ".join(x for x in (chunk.title, chunk.speaker, chunk.occasion, chunk.section) if x)
        meta_terms = said_terms(forms, meta)
        # the question's topic, said by the passage, is given like its title: the other terms are the point
        given = union(meta_terms, dict.fromkeys(topical, 1.0) if topic and topic in chunk.context() else {})
        point = {t: w for t, w in terms.items() if t not in given} or terms
        if other_years(chunk.text, years):
            continue  # a passage about other years (an article of 2013 for a question about 2020)
        for span in chunk_sentences(chunk):
            if span.text == chunk.title:
                continue  # the title line names the speech; it says nothing to quote
            own = said_terms(forms, span.text)
            if not asked.kinds & {"yesno", "reason"} and _restates(span.text, forms):
                continue
            if other_years(span.text, years):
                continue  # "2019年…出生率" is not answered by "2022年…出生率为6.77‰": a year asked is a constraint
            covered = union(own, meta_terms)
            score = p.own * coverage(point, own) + p.context * coverage(terms, covered) + p.rank_bonus / rank
            if (chunk.doc, span.start) in pledge_spans:
                score += p.pledge_bonus
            if asked.wants_figure and not asked.wants_list and gives_figure(span.text, asked.unit, asked.counted):
                score += p.figure_bonus
            if asked.aspect and _opens_with_word(span.text, asked.aspect):
                score += p.aspect_bonus
            review = reviewed is not None and reviewed(chunk.doc, span.start)
            if review and (plan or done):
                score += p.structure if done else -p.structure
            out.append(Candidate(span, chunk, rank, covered, score, review=review))
    if similarity and out:
        best = max(similarity.get(c.span.text, 0.0) for c in out)
        out = [replace(c, sim=(sim := similarity.get(c.span.text, best)), score=c.score + p.meaning * (sim - best))
               for c in out]
    return out


def other_years(text: str, years: set[str]) -> bool:
    """`text` names years, none of them one of `years` (those the question asks about), and no year relative to
    when it was written ("去年", "过去一年": a 2023 report on 2022 says so)."""
    said = {a or b for a, b in _YEAR_SAID.findall(text)} if years else set()
    return bool(said) and not said & years and not _RELATIVE_YEAR.search(text)


def _restates(text: str, forms: Forms) -> bool:
    """`text` says nothing but the question's own words: "瓦士本市的地理位置为。", a sentence whose figure or place
    the source left out, answers nothing."""
    rest = text.lower()
    for word in sorted({f for fs in forms.values() for f, _ in fs}, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return not [w for w in words(rest) if w not in STOPWORDS]


_CUT_CONTEXT = 4  # characters after a word that jieba needs to cut it as it cuts the sentence ("花为…", "花期…")


def _opens_with_word(text: str, word: str) -> bool:
    """`text` opens with the word `word` (a function character may be glued on: "花为…", not "花期…")."""
    if not text.startswith(word):
        return False
    first = next(iter(words(text[:len(word) + _CUT_CONTEXT])), "")
    return first == word or (len(first) == len(word) + 1 and first[-1] in "为是有呈在")


def enumeration(p: AnswerParams, best: Candidate, read_speech: Callable[[], list[Chunk]],
                ranks: dict[str, int], rules: Any = None) -> list[Candidate]:
    """The enumeration the best sentence opens ('一是…') or announces ('要抓好三个方面的工作。' followed by '一是…', or
    by as many run-in headings, see `run_in`): its items in order, wherever they are in the speech (retrieved or not); it ends when the next number does not
    come within `enum_gap` sentences. The speech is read only when an enumeration may follow."""
    opens = bool(_ENUM_OPEN.search(best.span.text))
    if not opens:
        after = [s for s in chunk_sentences(best.chunk) if s.start > best.span.start]
        run_in_on = rules is None or rules.allows("run_in_list")  # rules: the judge (`RULES`), or None
        if after and not _ENUM_OPEN.match(after[0].text) and not (run_in_on and _ANNOUNCES.search(best.span.text)):
            return []  # the usual case: no enumeration, and no need to read the whole speech
    later: dict[int, tuple[Span, Chunk]] = {}
    for chunk in read_speech():
        for span in chunk_sentences(chunk):
            if span.start > best.span.start:
                later.setdefault(span.start, (span, chunk))  # a sentence seen through overlapping passages: once
    following = [later[start] for start in sorted(later)]
    out: list[Candidate] = []

    def item(span: Span, chunk: Chunk) -> Candidate:
        return Candidate(span, chunk, ranks.get(chunk.id, len(ranks) + 1), {}, 0.0)

    opening = best.span.text
    if not opens:
        if not following or not _ENUM_OPEN.match(following[0][0].text):
            heads = run_in(best.span.text, following) if run_in_on else []
            if heads and rules is not None:
                rules.count("run_in_list")
            return [item(*x) for x in heads]
        opening = following[0][0].text
        out.append(item(*following[0]))
        following = following[1:]
    style = _style(opening)
    number, gap = 2, 0
    whole: list[Candidate] = list(out)  # the items with the sentences that elaborate them, in reading order
    between: list[Candidate] = []
    most = 0  # the most sentences of elaboration one item has
    for span, chunk in following:
        if _ENUM_NEXT.match(span.text) and _is_number(span.text, number, style):
            out.append(item(span, chunk))
            whole += between + [out[-1]]
            most = max(most, len(between))
            between = []
            number, gap = number + 1, 0
        elif _ENUM_OPEN.search(span.text) or (gap := gap + 1) > p.enum_gap:
            break  # another enumeration opens ("其职能有四个方面：一是…"), or this one has ended
        else:
            between.append(item(span, chunk))
    for cand in between[:most]:  # the last item's elaboration, as long as the longest of the others, in its paragraph
        if not _same_line(whole[-1], cand):
            break
        whole.append(cand)
    if out and whole[-1].span.end - best.span.start <= p.whole_list_chars:
        return whole  # a short enumeration reads whole, elaboration and all
    return out


# A sentence that announces a count of items ("着力从六个关键维度深耕细作", "当好三个表率"), and the run-in headings
# that may follow it: short sentences of their own ("推进产业基础高级化。"), each opening a paragraph of elaboration.
_ANNOUNCES = re.compile(r"([两二三四五六七八九十])(?:个|项|条|大)[\u4e00-\u9fff]{0,4}?"
                        r"(?:方面|维度|领域|重点|任务|举措|环节|着力点|表率|转变|坚持|原则|目标)")
_COUNT = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
_RUN_IN = (4, 24)  # a run-in heading's length: no comma, no colon
_RUN_IN_START = 3  # the first heading comes within this many sentences of the lead
_RUN_IN_REACH = 80  # sentences after the lead searched for its headings


def run_in(lead: str, following: list[tuple[Span, Chunk]]) -> list[tuple[Span, Chunk]]:
    """The run-in headings of an enumeration its lead sentence announces by count without numbering its items: as
    many short sentences, each of their own, opening with the same two characters (parallel headings: "推进产业基础
    高级化。…推进产业链条现代化。…"), the first within `_RUN_IN_START` sentences of the lead. Fewer than announced
    within `_RUN_IN_REACH` sentences: no enumeration (nothing is guessed)."""
    m = _ANNOUNCES.search(lead)
    if not m:
        return []
    n = _COUNT[m.group(1)]
    heads = [(i, x) for i, x in enumerate(following[:_RUN_IN_REACH])
             if _RUN_IN[0] <= len(x[0].text.rstrip("。！")) <= _RUN_IN[1] and not re.search(r"[，,：:；;]", x[0].text)]
    if not heads or heads[0][0] >= _RUN_IN_START:
        return []
    opening = heads[0][1][0].text[:2]
    items = [x for _, x in heads if x[0].text.startswith(opening)][:n]
    return items if len(items) == n else []


def leads_list(text: str) -> bool:
    """`text` opens an enumeration (一是…, 第一，…, （一）…) or announces one by its count (当好三个表率)."""
    return bool(_ENUM_OPEN.search(text) or _ANNOUNCES.search(text))


def _same_line(last: Candidate, cand: Candidate) -> bool:
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


def plain(text: str) -> str:
    """A sentence without spaces and punctuation, to recognise the same sentence in another copy of a speech."""
    return re.sub(r"[\W_]+", "", text)


_CLAUSE = re.compile(r"[，；：]+|[,;:](?!\d)")  # "11:00", "2,800" are figures, not clause marks


def focused(span: Span, keep: Callable[[str], bool]) -> list[Span]:
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


def rest_of_sentence(p: AnswerParams, chosen: list[Candidate],
                     speech: Callable[[str], list[Chunk]] | None = None) -> list[Candidate]:
    """The clauses that complete each quoted clause the splitter cut at a semicolon ("主治感冒发热……等症；" +
    "近用于乳糜尿。"), from the same passage or the one that continues it, while the whole sentence stays within
    `sentence_chars`."""
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
            if (chunk.doc, span.start) in have or length + len(span.text) > p.sentence_chars:
                break
            have.add((chunk.doc, span.start))
            out.append(Candidate(span, chunk, cand.rank, {}, 0.0))
            length += len(span.text)
            if not span.text.endswith(_CUT):
                break
    return out


def contiguous(last: Candidate, cand: Candidate) -> Candidate | None:
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
    return Candidate(Span(start, end, chunk.text[start - chunk.start : end - chunk.start]), chunk,
                      min(last.rank, cand.rank), union(last.covered, cand.covered), last.score)


# A sentence that opens by pointing back (`POINTS_BACK`: "赛后，…", "该银行…", "为此，…") says its when, who or why in
# the one before: for a question asking when, who or why, that sentence comes too (for others the quoted sentence
# stays first).
DEFERRED = frozenset({"year", "name", "reason"})


def antecedents(chosen: list[Candidate], speech: Callable[[str], list[Chunk]] | None) -> list[Candidate]:
    """The sentence before each quoted sentence that points back to it (when not quoted yet): from the same passage,
    or from the passage before when the quoted sentence opens its passage."""
    have = {(c.chunk.doc, c.span.start) for c in chosen}
    out = []
    for cand in chosen:
        if not POINTS_BACK.match(cand.span.text):
            continue
        chunk = cand.chunk
        before = [s for s in chunk_sentences(chunk) if s.end <= cand.span.start]
        if not before and speech is not None:
            chunk = next((c for c in speech(chunk.doc) if c.index == cand.chunk.index - 1), chunk)
            before = [s for s in chunk_sentences(chunk) if s.end <= cand.span.start]
        if before and (chunk.doc, before[-1].start) not in have:
            have.add((chunk.doc, before[-1].start))
            out.append(Candidate(before[-1], chunk, cand.rank, {}, 0.0))
    return out

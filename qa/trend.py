"""提法: how a formulation rises and changes — per year (or speaker), the documents and passages (paragraphs) that
use it, its first use (cited), and the formulations around it.

Counts are literal and exact: a passage is a paragraph (a line of the file) holding the term as written, a document
one holding it anywhere, so `grep -c` / `grep -l` over the files give the same figures. Neighbouring formulations are
read from the same text: the term with the word before or after it (“推动高质量发展”, “高质量发展阶段”), and
phrases that share its rarest word without the whole term (“高质量就业” beside “高质量发展”). Undated documents are
counted apart, and said so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from qa.core.dates import UNDATED, date_order, display_date
from qa.core.errors import InputError
from qa.core.text import STOPWORDS, listed, split_sentences, tagged_pieces, tokenize

__all__ = ["Bucket", "Variant", "TermTrend", "Trend", "trend", "format_trend", "MAX_TERMS"]

_FUNCTION = set("的是和与及在对把被为了着也都就而又或等")


@dataclass(slots=True)
class Bucket:
    key: str  # a year ("2019"), a speaker, or 未注明日期
    documents: int
    passages: int
    mentions: int


@dataclass(slots=True)
class Variant:
    phrase: str
    kind: str  # "extends" (the term with a word before or after it) or "shares" (its rarest word, not the term)
    mentions: int
    documents: int
    first: str | None  # the earliest date it is used (None: only in undated documents)


@dataclass(slots=True)
class TermTrend:
    term: str
    buckets: list[Bucket]
    first: dict | None  # the first dated use: doc, title, speaker, date, paragraph, start, end, text
    variants: list[Variant] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(b.documents for b in self.buckets)


@dataclass(slots=True)
class Trend:
    by: str
    terms: list[TermTrend]
    documents: int  # documents read
    undated: int
    note: str = ""  # said first: e.g. no document has a date, so speakers were counted instead of years
    years: dict[str, int] = field(default_factory=dict)  # year → dated documents read that year (any term or none)

    def keys(self) -> list[str]:
        """The buckets of all terms, in order (years ascending, then 未注明日期; or speakers by first use)."""
        seen = dict.fromkeys(b.key for t in self.terms for b in t.buckets)
        if self.by == "year":
            return sorted(seen, key=lambda k: (k == UNDATED, k))
        return list(seen)

    def span(self) -> list[tuple[str, int]]:
        """Every year from the first dated document read to the last, with the documents read that year: a year of
        0 documents is a gap in the archive (nothing to count), not a year the terms went unsaid."""
        if self.by != "year" or not self.years:
            return []
        first, last = int(min(self.years)), int(max(self.years))
        return [(str(y), self.years.get(str(y), 0)) for y in range(first, last + 1)]

    def columns(self) -> list[str]:
        """The keys a table or chart shows: by year every year of the span (then 未注明日期 where counted), so a year
        with documents and no mention reads 0 and a year without documents shows as such; by speaker, keys()."""
        span = [y for y, _ in self.span()]
        if not span:
            return self.keys()
        return span + [k for k in self.keys() if k not in span]

    def gap_note(self) -> str:
        """The years in the span with no document, said once: 资料中没有2020年、2022年的文件，这几年无从统计（图中断开）。"""
        empty = [f"{y}年" for y, n in self.span() if not n]
        return f"资料中没有{'、'.join(empty)}的文件，这几年无从统计（图中断开）。" if empty else ""

    def to_dict(self) -> dict:
        return {"by": self.by, "note": self.note, "documents": self.documents, "undated": self.undated,
                "years": dict(self.years),
                "terms": [{"term": t.term, "documents": t.documents, "buckets": [asdict(b) for b in t.buckets],
                           "first": t.first, "variants": [asdict(v) for v in t.variants]} for t in self.terms]}


MAX_TERMS = 10  # formulations on one chart: more are unreadable, and each reads the whole archive


def trend(qa, terms: str | list[str], by: str = "year") -> Trend:
    text = qa._bounded("、".join(terms) if isinstance(terms, list) else terms, "提法")
    names = listed(text)
    if not names:
        raise InputError("请给出要看的提法，如：高质量发展（几个提法用顿号隔开）。")
    if len(names) > MAX_TERMS:
        raise InputError(f"一次最多比较 {MAX_TERMS} 个提法（给了 {len(names)} 个）。")
    if by not in ("year", "speaker"):
        raise InputError("统计方式只能是 year（按年份）或 speaker（按讲话人）。")
    qa._ready()
    index = qa.index
    docs = sorted(index.docs.values(), key=lambda d: (date_order(d.date), d.doc))
    lines = {d.doc: index.lines(d.doc) for d in docs}
    note = ""
    if by == "year" and docs and not any(d.date for d in docs):
        by, note = "speaker", "所收文件都没有日期，无法按年份统计，改为按讲话人统计。"
    out = [_one(index, term, by, docs, lines) for term in names]
    years = Counter(d.date[:4] for d in docs if d.date and d.date[:4].isdigit()) if by == "year" else {}
    return Trend(by, out, len(docs), sum(not d.date for d in docs), note, dict(sorted(years.items())))


def _key(d, by: str) -> str:
    if by == "year":
        return d.date[:4] if d.date else UNDATED
    return d.speaker or "讲话人未知"


def _one(index, term: str, by: str, docs: list, lines: dict) -> TermTrend:
    counts: dict[str, list[int]] = {}  # key → [documents, passages, mentions]
    first = None
    for d in docs:
        held = [(n, line) for n, line in lines[d.doc] if term in line.text]
        if not held:
            continue
        c = counts.setdefault(_key(d, by), [0, 0, 0])
        c[0] += 1
        c[1] += len(held)
        c[2] += sum(line.text.count(term) for _n, line in held)
        if first is None and d.date:
            n, line = held[0]
            s = next((s for s in split_sentences(line.text) if term in s.text), line)  # or the line: “。我们”
            at = line.start + s.start if s is not line else line.start
            first = {"doc": d.doc, "title": d.title, "speaker": d.speaker, "date": d.date, "paragraph": n,
                     "start": at, "end": at + len(s.text), "text": s.text}
    buckets = [Bucket(k, *v) for k, v in counts.items()]
    return TermTrend(term, buckets, first, _variants(index, term, docs, lines))


def _variants(index, term: str, docs: list, lines: dict, most: int = 8) -> list[Variant]:
    """The term with the word before or after it, and phrases sharing its rarest word (without the whole term)."""
    words = [w for w in tokenize(term) if len(w) > 1]
    rare = max(words, key=index.bm25.idf) if len(words) > 1 else None
    mentions: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], set[str]] = {}
    first: dict[tuple[str, str], str] = {}
    for d in docs:
        for _n, line in lines[d.doc]:
            found = _around(line.text, term) + (_sharing(line.text, rare, term) if rare else [])
            for key in found:
                mentions[key] += 1
                where.setdefault(key, set()).add(d.doc)
                if d.date and key not in first:
                    first[key] = d.date
    ranked = sorted(mentions, key=lambda k: (-len(where[k]), -mentions[k], k))
    out = [Variant(p, kind, mentions[(p, kind)], len(where[(p, kind)]), first.get((p, kind)))
           for p, kind in ranked if len(where[(p, kind)]) > 1 or mentions[(p, kind)] > 1]
    return [v for v in out if v.kind == "extends"][:most] + [v for v in out if v.kind == "shares"][:most]


def _content(word: str) -> bool:
    return len(word) > 1 and word not in STOPWORDS and not (set(word) & _FUNCTION) and not re.search(r"\d", word)


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[dict[int, tuple[str, str]], dict[int, tuple[str, str]]]:
    """jieba's words of `text` with their part of speech, by where they end and where they start (cached: each term
    and its neighbours read the same lines)."""
    ends, starts, pos = {}, {}, 0
    for word, flag in tagged_pieces(text):
        ends[pos + len(word)], starts[pos] = (word, flag), (word, flag)
        pos += len(word)
    return ends, starts


def _around(text: str, term: str) -> list[tuple[str, str]]:
    """“推动高质量发展”, “高质量发展阶段”: the term with the content word that touches it — any before it (推动, 贯彻落实),
    a noun after it (阶段, 目标; not the verb of the sentence: 取得, 打下)."""
    if term not in text:
        return []
    ends, starts = _cut(text)
    out = []
    for m in re.finditer(re.escape(term), text):
        before, after = ends.get(m.start()), starts.get(m.end())
        if before and _content(before[0]):
            out.append((before[0] + term, "extends"))
        if after and _content(after[0]) and after[1].startswith(("n", "vn")):
            out.append((term + after[0], "extends"))
    return out


def _sharing(text: str, rare: str, term: str) -> list[tuple[str, str]]:
    """The term's rarest word with the noun after it, where the term itself is not said (高质量就业 beside
    高质量发展)."""
    if term in text or rare not in text:
        return []
    _ends, starts = _cut(text)
    out = []
    for m in re.finditer(re.escape(rare), text):
        after = starts.get(m.end())
        if starts.get(m.start(), ("",))[0] == rare and after and _content(after[0]) and after[1].startswith(("n", "vn")):
            out.append((rare + after[0], "shares"))
    return out


def format_trend(t: Trend) -> str:
    lines = ([t.note] if t.note else []) + [
        f"共读 {t.documents} 篇文件" + (f"，其中 {t.undated} 篇没有日期，另列为“{UNDATED}”" if t.undated and t.by == "year" else "")
        + "。"] + ([t.gap_note()] if t.gap_note() else [])
    for tt in t.terms:
        lines.append(f"\n【{tt.term}】{tt.documents} 篇文件使用")
        if not tt.buckets:
            lines.append("  资料中没有这个提法。")
            continue
        for b in sorted(tt.buckets, key=lambda b: (b.key == UNDATED, b.key)) if t.by == "year" else tt.buckets:
            label = f"{b.key}年" if t.by == "year" and b.key != UNDATED else b.key
            lines.append(f"  {label}：{b.documents} 篇，{b.passages} 段，{b.mentions} 处")
        if tt.first:
            f = tt.first
            lines.append(f"  最早：{display_date(f['date'])}《{f['title'] or f['doc']}》第{f['paragraph']}段：“{f['text']}”"
                         f"（{f['doc']}，字符 {f['start']}–{f['end']}）")
        if tt.variants:
            lines.append("  相关提法：" + "；".join(
                f"{v.phrase}（{v.documents} 篇{'，始于' + v.first[:4] + '年' if v.first else ''}）" for v in tt.variants))
    return "\n".join(lines)

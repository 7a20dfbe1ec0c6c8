"""摘编: everything the speeches say on a topic, as excerpts of whole sentences in date order with their sources.

A sentence that names the topic only as one item of an enumeration (“推进理论创新、制度创新、科技创新、文化创新”,
“加大对科技创新、绿色发展、提振消费……的支持”) mentions it in passing: it is kept, in an appendix after the
compilation (附：列举中顺带提及), so that nothing said is lost and the body stays on the topic.

A sentence is on the topic when it holds the topic or one of its phrases (“人才、招商引资” → 人才 | 招商引资: every
speech in scope is read whole, so no literal mention is missed), or when the hybrid search offers it and its meaning
is as close to the topic as the answerer requires of a paraphrase (`found_similarity`). Sentences next to each
other in one paragraph make one excerpt (never cut mid-sentence); a passage said word for word in two documents (a
speech reprinted) is given once, at its first date, with the other places noted. Excerpts are grouped by year
(dated documents, in date order; the undated last, said so) or by speaker.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from qa.core.dates import UNDATED, date_order, display_date
from qa.core.errors import InputError
from qa.core.speakers import require_speaker_docs
from qa.core.text import chunk_sentences, listed, split_sentences

__all__ = ["Excerpt", "Digest", "digest", "topic_phrases", "format_digest", "digest_markdown", "APPENDIX"]

@dataclass(slots=True)
class Excerpt:
    doc: str
    title: str | None
    speaker: str | None
    date: str | None
    occasion: str | None
    paragraph: int
    start: int
    end: int
    text: str
    how: str  # "words": holds the topic or a phrase of it; "meaning": a paraphrase of it; "mention": only as an item
    #          of an enumeration (…、科技创新、…), listed in the appendix
    also: list[str] = field(default_factory=list)  # other documents that say the same words
    also_notes: list[str] = field(default_factory=list)  # those places as 《标题》、讲话人、日期

    def note(self) -> str:
        """The source as an office cites it: 《标题》、讲话人、日期、场合、第n段."""
        parts = [f"《{self.title or self.doc}》", self.speaker or "讲话人未知", display_date(self.date), self.occasion,
                 f"第{self.paragraph}段" if self.paragraph else "标题"]
        return "、".join(p for p in parts if p)

    def to_dict(self) -> dict:
        return asdict(self) | {"note": self.note()}


@dataclass(slots=True)
class Digest:
    topic: str
    by: str  # "year" or "speaker"
    groups: list[tuple[str, list[Excerpt]]]
    documents: int  # documents read
    undated: int  # documents in scope without a date (grouped last, or the reason for grouping by speaker)

    @property
    def excerpts(self) -> list[Excerpt]:
        return [e for _h, items in self.groups for e in items]

    def explanation(self) -> str:
        """The 说明 of the compilation, one fact a sentence: what was read and found, the date range, what was found
        by meaning or only in lists, which of several topics nothing was found for, how it is ordered."""
        found = self.excerpts
        dated = sorted(e.date for e in found if e.date)
        out = [f"本摘编从 {self.documents} 篇讲话、报告中收录有关“{self.topic}”的论述 {len(found)} 段，出自 "
               f"{len({e.doc for e in found})} 篇。"]
        if dated:
            out.append(f"时间从{display_date(dated[0])}到{display_date(dated[-1])}。")
        meaning = sum(e.how == "meaning" for e in found)
        if meaning:
            out.append(f"其中 {meaning} 段未出现“{self.topic}”字样，按意思收录。")
        passing = sum(e.how == "mention" for e in found)
        if passing:
            out.append(f"另有 {passing} 段只在列举中提到，附在最后。")
        phrases = topic_phrases(self.topic)
        missing = [p for p in phrases if not any(p in e.text for e in found)] if len(phrases) > 1 else []
        if missing:
            out.append(f"{'、'.join(f'“{p}”' for p in missing)}在所收文件中没有找到原文提及。")
        out.append(self._ordering())
        out.append("每段均为原文整句，后注出处（标题、讲话人、日期、场合、段落）。")
        return "".join(out)

    def _ordering(self) -> str:
        """How the excerpts are ordered, said once and without contradiction."""
        if self.by == "year":
            last = sum(not e.date for e in self.excerpts)
            return "按年份编排，同一年内按日期先后。" + (f"未注明日期的 {last} 段列在最后。" if last else "")
        if self.undated and self.undated >= self.documents:
            return "所收文件都没有日期，因此按讲话人编排。"
        if self.undated:
            return "按讲话人编排，各人讲话按日期先后，没有日期的列在后面。"
        return "按讲话人编排，各人讲话按日期先后。"

    def to_dict(self) -> dict:
        return {"topic": self.topic, "by": self.by, "explanation": self.explanation(), "documents": self.documents,
                "undated": self.undated,
                "groups": [{"heading": h, "excerpts": [e.to_dict() for e in items]} for h, items in self.groups]}


def topic_phrases(topic: str) -> list[str]:
    """The topic's own phrases (“营商环境”, or “人才、招商引资”); a sentence holding a part of one (“环境”) is not on it."""
    return [p for p in listed(topic) if len(p) > 1] or [topic]


def _scope(qa, speakers: list[str] | None, since: str | None, until: str | None) -> set[str]:
    docs = set(qa.index.docs)
    named = [s.strip() for s in speakers or [] if s and s.strip()]
    if named:
        docs = set().union(*(require_speaker_docs(qa.index.docs, s) for s in named))
    dated = qa.retriever.dated_docs(since, until)
    if dated is not None:
        docs &= dated
    if not docs:
        raise InputError("所选范围内没有讲话（讲话人或日期范围内没有文件；没有日期的讲话不在日期范围内）。")
    return docs


# A sentence ends with its mark; a line without one (the title, a heading, the speaker's line) is no statement.
_ENDED = re.compile(r"[。！？；!?;…][”’」』）)]*$")


def _sentences(qa, doc: str):
    """(paragraph number, start, end, text) of every sentence of a document's body, in order."""
    for number, line in qa.index.lines(doc):
        for s in split_sentences(line.text) if number else ():
            if _ENDED.search(s.text):
                yield number, line.start + s.start, line.start + s.end, s.text


_CLAUSE_MARKS = frozenset("，。；：,;:")


def _in_enumeration(text: str, phrases: list[str]) -> bool:
    """Every mention of the topic is an item of a list of three or more (…、X、… / X、…、…等). Linear in the
    sentence: its clauses and their 、 are found in one pass, then each mention is looked up."""
    clause_start, clause_of = 0, [0] * (len(text) + 1)  # the clause each position lies in, by its start
    starts, ends = [], []
    for i, ch in enumerate(text):
        clause_of[i] = len(starts)
        if ch in _CLAUSE_MARKS:
            starts.append(clause_start)
            ends.append(i)
            clause_start = i + 1
    clause_of[len(text)] = len(starts)
    starts.append(clause_start)
    ends.append(len(text))
    commas = [text.count("、", a, b) for a, b in zip(starts, ends, strict=True)]
    for p in phrases:
        for m in re.finditer(re.escape(p), text):
            first, last = clause_of[m.start()], clause_of[m.end()]
            listed_by = sum(commas[first : last + 1])  # the clause(s) the mention and the text up to the next mark lie in
            if listed_by < 2 or not (text[m.start() - 1: m.start()] == "、" or text[m.end(): m.end() + 1] == "、"):
                return False
    return True


def digest(qa, topic: str, speakers: list[str] | None = None, since: str | None = None, until: str | None = None,
           by: str | None = None, passing: bool = True) -> Digest:
    """`passing`: put sentences that name the topic only in an enumeration in the appendix (False: in the body)."""
    topic = qa._bounded(topic, "主题")
    if not topic:
        raise InputError("请给出要摘编的主题，如：营商环境。")
    if by not in (None, "year", "speaker"):
        raise InputError("编排方式只能是 year（按年份）或 speaker（按讲话人）。")
    qa._ready()
    index = qa.index
    scope = _scope(qa, speakers, since, until)
    phrases = topic_phrases(topic)
    hits: dict[tuple[str, int], tuple[int, int, int, str, str]] = {}  # (doc, start) → (paragraph, start, end, text, how)
    for doc in sorted(scope):
        for number, start, end, text in _sentences(qa, doc):
            if any(p in text for p in phrases):
                how = "mention" if passing and _in_enumeration(text, phrases) else "words"
                hits[(doc, start)] = (number, start, end, text, how)
    retrieval = qa.retriever.retrieve(topic, k=qa.settings.digest_passages, docs=scope)
    candidates = {(c.doc, s.start): s for c in retrieval.chunks for s in chunk_sentences(c)}
    sims = index.sentence_similarity(retrieval.query_vector, [s.text for s in candidates.values()]) or {}
    meant = {key for key, s in candidates.items() if key not in hits and sims.get(s.text, 0.0) >= qa.settings.found_similarity}
    if meant:
        for doc in {d for d, _ in meant}:
            for number, start, end, text in _sentences(qa, doc):
                if (doc, start) in meant:
                    hits[(doc, start)] = (number, start, end, text, "meaning")
    excerpts = _excerpts(index, hits)
    undated = sum(not index.docs[d].date for d in scope)
    by = by or ("year" if undated < len(scope) else "speaker")
    return Digest(topic, by, _grouped(excerpts, by), len(scope), undated)


def _excerpts(index, hits: dict) -> list[Excerpt]:
    """Runs of neighbouring sentences of one paragraph joined into one excerpt; the same words twice given once."""
    out: list[Excerpt] = []
    for (doc, _start), (number, start, end, text, how) in sorted(hits.items()):
        last = out[-1] if out else None
        if last and last.doc == doc and last.paragraph == number and start - last.end <= 2:
            last.text += text if start == last.end else " " * (start - last.end) + text
            last.end, last.how = end, next(h for h in ("words", "mention", "meaning") if h in (last.how, how))
            continue
        d = index.docs[doc]
        out.append(Excerpt(doc, d.title, d.speaker, d.date, d.occasion, number, start, end, text, how))
    first: dict[str, Excerpt] = {}
    kept = []
    for e in sorted(out, key=_order):
        key = re.sub(r"\s+", "", e.text)
        if key in first:
            first[key].also.append(e.doc)
            first[key].also_notes.append("、".join(x for x in (f"《{e.title or e.doc}》", e.speaker,
                                                               display_date(e.date)) if x))
            continue
        first[key] = e
        kept.append(e)
    return kept


def _order(e: Excerpt) -> tuple:
    return (date_order(e.date), e.doc, e.start)


APPENDIX = "附：列举中顺带提及"


def _grouped(excerpts: list[Excerpt], by: str) -> list[tuple[str, list[Excerpt]]]:
    groups: dict[str, list[Excerpt]] = {}
    body = [e for e in excerpts if e.how != "mention"]
    passing = sorted((e for e in excerpts if e.how == "mention"), key=_order)
    for e in sorted(body, key=_order):
        key = (e.date[:4] + "年" if e.date else UNDATED) if by == "year" else (e.speaker or "讲话人未知")
        groups.setdefault(key, []).append(e)
    order = sorted(groups, key=lambda k: (k == UNDATED, k)) if by == "year" else list(groups)
    return [(k, groups[k]) for k in order] + ([(APPENDIX, passing)] if passing else [])


def format_digest(d: Digest) -> str:
    lines = [f"关于“{d.topic}”的讲话摘编", d.explanation()]
    if not d.excerpts:
        lines.append(f"资料中没有谈及“{d.topic}”的内容。")
    for heading, items in d.groups:
        lines.append(f"\n【{heading}】")
        for e in items:
            also = f"（又见{'；'.join(e.also_notes)}）" if e.also else ""
            lines.append(f"  {e.text}\n      ——{e.note()}{also}（{e.doc}，字符 {e.start}–{e.end}）")
    return "\n".join(lines)


def digest_markdown(d: Digest) -> str:
    md = lambda t: re.sub(r"([\\`*_#\[\]|<>])", r"\\\1", t)  # noqa: E731 - speech text stays text
    lines = [f"# 关于“{md(d.topic)}”的讲话摘编", "", f"> {md(d.explanation())}", ""]
    for heading, items in d.groups:
        lines += [f"## {md(heading)}", ""]
        for e in items:
            also = f"；又见{'；'.join(e.also_notes)}" if e.also else ""
            lines += [f"{md(e.text)}（{md(e.note() + also)}）", ""]
    return "\n".join(lines)

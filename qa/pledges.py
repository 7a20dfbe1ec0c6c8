"""Pledge lookup: what a speaker or body committed to, verbatim, with the exact span of each pledge.

Pledges are extracted at ingest (`ingest/pledges.py`) and kept in the index; this module matches the names staff
type (aliases, abbreviations) to speeches and ranks the pledges: concrete ones first, or by relevance to a query.
"""

from __future__ import annotations

import re

from .errors import InputError
from .records import Document, Pledge
from .store import Index
from .text import tokenize

__all__ = ["normalize_name", "speaker_docs", "require_speaker_docs", "speaker_label", "lookup", "mentioned_speakers", "PLEDGE_QUESTION",
           "unknown_speaker_in"]

# Official abbreviations: staff write 工信局 as often as 工业和信息化局.
_ABBREVIATIONS = {"工业和信息化": "工信", "发展和改革": "发改", "人力资源和社会保障": "人社", "住房和城乡建设": "住建",
                  "自然资源和规划": "自然资源", "中国共产党": "", "委员会": "委"}
# "承诺了什么", "表态要做什么", "准备怎么做": the question asks for commitments rather than facts.
PLEDGE_QUESTION = re.compile(r"承诺|许诺|表态|保证要|打算|准备(?:做|推行|开展|怎么|如何)|计划(?:做|推行|开展)|立下|要做哪些|将做哪些|部署了哪些")
# A speaker-like name in a question: 省长, 市委书记, 区发改委, 市人社局 …
_TITLED = re.compile(
    r"(?:[\u4e00-\u9fff]{0,4}?)(?:书记|市长|省长|区长|县长|镇长|局长|主任|部长|厅长|主席|委员|总理|党组|[^\s，。？]{1,4}局|[^\s，。？]{1,4}委)"
)


def normalize_name(name: str) -> str:
    out = name.strip()
    for long, short in _ABBREVIATIONS.items():
        out = out.replace(long, short)
    return re.sub(r"\s+", "", out)


def _names(d: Document) -> list[str]:
    return [normalize_name(n) for n in ([d.speaker] if d.speaker else []) + list(d.aliases)]


def speaker_label(d: Document) -> str:
    return d.speaker or "讲话人未知"


def speaker_docs(index: Index, who: str) -> set[str]:
    """Speeches of a speaker or body, matched by name, alias or (for a body) the occasion it convened."""
    w = normalize_name(who)
    if not w:
        return set()
    def same(n: str) -> bool:  # 工信局长 ~ 市工信局局长; 市工信局 ~ 工信局; not 市工信局 ~ 市工信局党组理论学习中心组
        longer = len(n) >= 3 and n in w and len(w) - len(n) <= 2 and not w[len(n):].endswith(("长", "书记", "主任"))
        return w == n or (len(w) >= 3 and w in n) or longer

    docs = {d.doc for d in index.docs.values() if any(same(n) for n in _names(d))}
    if not docs:  # "工信局党组" convened the meeting at which an unnamed member spoke
        docs = {d.doc for d in index.docs.values() if d.occasion and len(w) >= 3 and w in normalize_name(d.occasion)}
    return docs


def require_speaker_docs(index: Index, who: str) -> set[str]:
    """`speaker_docs`, or an InputError that lists the speakers the index knows."""
    docs = speaker_docs(index, who)
    if not docs:
        raise InputError(f"索引中没有“{who}”的讲话。已知讲话人：{'、'.join(known_speakers(index)) or '（无）'}")
    return docs


def known_speakers(index: Index) -> list[str]:
    return sorted({d.speaker for d in index.docs.values() if d.speaker})


def mentioned_speakers(index: Index, question: str) -> set[str]:
    """Speeches whose speaker (or an alias) the question names."""
    q = normalize_name(question)
    return {d.doc for d in index.docs.values() if any(len(n) >= 2 and n in q for n in _names(d))}


def unknown_speaker_in(index: Index, question: str) -> str | None:
    """A speaker-like name in the question that matches no speech in the index, e.g. 省长."""
    for m in _TITLED.finditer(question):
        name = m.group(0)
        if not speaker_docs(index, name) and not any(name in normalize_name(d.title or "") for d in index.docs.values()):
            return name
    return None


def lookup(index: Index, speaker: str | None = None, topic: str | None = None, query: str | None = None,
           doc: str | None = None) -> list[Pledge]:
    pledges = index.pledges
    if speaker:
        docs = require_speaker_docs(index, speaker)
        pledges = [p for p in pledges if p.doc in docs]
    if doc:
        pledges = [p for p in pledges if p.doc == doc]
    if topic:
        t = topic.strip()
        pledges = [p for p in pledges if (p.topic and t in p.topic) or t in p.text]
    order = {d: i for i, d in enumerate(sorted(index.docs))}
    if not query:
        return sorted(pledges, key=lambda p: (not p.concrete, order.get(p.doc, 0), p.start))
    return _rank_by_query(index, pledges, query)


def _rank_by_query(index: Index, pledges: list[Pledge], query: str) -> list[Pledge]:
    """Words (query terms the pledge contains, weighted by idf) plus meaning (the hybrid retriever's rank of the
    passage that holds the pledge)."""
    from .hybrid import Retriever

    terms = {t: index.bm25.idf(t) for t in dict.fromkeys(tokenize(query)) if len(t) > 1}
    total = sum(terms.values()) or 1.0
    docs = sorted({p.doc for p in pledges})
    hits = Retriever(index).retrieve(query, k=20, doc=None).chunks if docs else []
    passage_rank = {}
    for rank, c in enumerate(hits, 1):
        if c.doc in docs:
            passage_rank.setdefault((c.doc, c.start, c.end), rank)

    def score(p: Pledge) -> float:
        words = sum(w for t, w in terms.items() if t in p.text or (p.topic and t in p.topic)) / total
        ranks = [r for (d, s, e), r in passage_rank.items() if d == p.doc and s <= p.start and p.end <= e]
        meaning = 1.0 / (1 + min(ranks)) if ranks else 0.0
        return words + meaning

    scored = [(score(p), p) for p in pledges]
    return [p for s, p in sorted(scored, key=lambda x: (-x[0], not x[1].concrete, x[1].doc, x[1].start)) if s > 0.15]

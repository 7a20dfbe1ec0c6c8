"""Pledge lookup: what a speaker or body committed to, verbatim, with the exact span of each pledge.

Pledges are extracted at ingest (`ingest/pledges.py`) and kept in the index; this module ranks them (concrete ones
first, or by relevance to a query) and routes a question that asks for commitments to the speaker's pledges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from qa.core.records import Pledge
from qa.core.settings import Settings
from qa.core.speakers import known_speakers, mentioned_speakers, require_speaker_docs, unknown_speaker_in
from qa.core.text import tokenize
from qa.index.store import Index

__all__ = ["PLEDGE_QUESTION", "PledgeRoute", "route_pledge_question", "lookup"]

# "承诺了什么", "表态要做什么", "准备怎么做": the question asks for commitments rather than facts.
PLEDGE_QUESTION = re.compile(r"承诺|许诺|表态|保证要|打算|准备(?:做|推行|开展|怎么|如何)|计划(?:做|推行|开展)|立下|要做哪些|将做哪些|部署了哪些")

# Ranking by a query: a pledge's score is the idf-weighted share of the query's terms it contains (0–1) plus
# 1/(1 + rank) of the passage holding it in the hybrid search (0–0.5). Below the floor (`pledge_floor`) it is left
# out: a pledge that shares no term and sits in no retrieved passage scores 0; one weak term alone stays under 0.15.


@dataclass
class PledgeRoute:
    """How a question asking for commitments is answered: from these speeches' pledges, or with a refusal."""

    docs: set[str] | None = None  # the named speaker's speeches (None: any)
    prefer: list[Pledge] = field(default_factory=list)  # pledges the answer should quote first
    refusal: str | None = None  # the question names a speaker the corpus does not have


class Retriever(Protocol):
    """What lookup asks of the answer path's hybrid retriever (`qa.answer.hybrid.Retriever`): the index, the settings,
    a speech named by the user, and passages ranked by words and meaning."""

    index: Index
    settings: Settings

    def resolve_doc(self, doc: str) -> str: ...

    def retrieve(self, query: str, k: int, docs: set[str] | None = None): ...


def route_pledge_question(index: Index, question: str) -> PledgeRoute | None:
    """None unless the question asks what someone pledged."""
    if not PLEDGE_QUESTION.search(question):
        return None
    docs = mentioned_speakers(index.docs, question) or None
    if docs is None and (who := unknown_speaker_in(index.docs, question)):
        known = "、".join(known_speakers(index.docs)) or "（无）"
        return PledgeRoute(refusal=f"资料中没有找到“{who}”的讲话，无法说明其承诺。已收录的讲话人：{known}。")
    return PledgeRoute(docs, [p for p in index.pledges if docs is None or p.doc in docs])


def lookup(retriever: Retriever, speaker: str | None = None, topic: str | None = None, query: str | None = None,
           doc: str | None = None, docs: set[str] | None = None) -> list[Pledge]:
    """`docs`: only these speeches (a date range)."""
    index = retriever.index
    scope = set(docs) if docs is not None else None
    if speaker:
        named = require_speaker_docs(index.docs, speaker)
        scope = named if scope is None else scope & named
    if doc:
        one = {retriever.resolve_doc(doc)}
        scope = one if scope is None else scope & one
    pledges = index.pledges if scope is None else [p for p in index.pledges if p.doc in scope]
    if topic:
        t = topic.strip()
        pledges = [p for p in pledges if (p.topic and t in p.topic) or t in p.text]
    order = {d: i for i, d in enumerate(sorted(index.docs))}
    if not query:
        return sorted(pledges, key=lambda p: (not p.concrete, order.get(p.doc, 0), p.start))
    return _rank_by_query(retriever, pledges, query, scope)


def _rank_by_query(retriever: Retriever, pledges: list[Pledge], query: str, scope: set[str] | None) -> list[Pledge]:
    """Words (query terms the pledge contains, weighted by idf) plus meaning (the hybrid retriever's rank of the
    passage that holds the pledge)."""
    bm25 = retriever.index.bm25
    terms = {t: bm25.idf(t) for t in dict.fromkeys(tokenize(query)) if len(t) > 1}
    total = sum(terms.values()) or 1.0
    docs = {p.doc for p in pledges}
    params = retriever.settings.answer
    hits = retriever.retrieve(query, k=params.pledge_passages, docs=scope).chunks if docs else []
    passages: dict[str, list[tuple[int, int, int]]] = {}  # doc → (start, end, rank) of its retrieved passages
    for rank, c in enumerate(hits, 1):
        if c.doc in docs:
            passages.setdefault(c.doc, []).append((c.start, c.end, rank))

    def score(p: Pledge) -> float:
        words = sum(w for t, w in terms.items() if t in p.text or (p.topic and t in p.topic)) / total
        ranks = [r for s, e, r in passages.get(p.doc, ()) if s <= p.start and p.end <= e]
        meaning = 1.0 / (1 + min(ranks)) if ranks else 0.0
        return words + meaning

    scored = [(score(p), p) for p in pledges]
    return [p for s, p in sorted(scored, key=lambda x: (-x[0], not x[1].concrete, x[1].doc, x[1].start))
            if s > params.pledge_floor]

"""Hybrid retrieval: dense (Chroma) and lexical (BM25 over jieba tokens) candidates fused by reciprocal rank."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from qa.answer.named import DocumentRules
from qa.answer.register import said_instead
from qa.core.dates import DateError, date_bounds, display_date, in_range, parse_date, relative_year, years_in
from qa.core.errors import ConfigError, InputError
from qa.core.lexicon.tense import LATEST
from qa.core.records import Chunk, Hit
from qa.core.settings import MAX_K, MODES
from qa.core.speakers import mentioned_occasions, mentioned_speakers, require_speaker_docs
from qa.core.text import STOPWORDS, quoted_terms, tokenize, words
from qa.index.store import Index

__all__ = ["Retriever", "Retrieval", "SpeechRetriever", "check_k"]

_NAMED = 10  # speeches a message about an unknown or ambiguous doc id names: enough to recognise the right one
_SCORE_DIGITS = 6  # a hit's fused score as shown: reciprocal ranks (1/61 …) differ in the third or fourth digit
# Two passages of one speech that share more than this share of the shorter are one (chunks overlap by up to 60
# characters of about 200; a passage read again through a neighbouring cut is no second passage).
_SAME_PASSAGE = 0.5


@dataclass(frozen=True)
class Retrieval:
    """What a search found, plus what the answerer needs to judge it (never changed once made: a stage that reads
    more passages makes a new one, see `with_chunks`)."""

    query: str
    hits: list[Hit]
    chunks: list[Chunk]
    tokens: list[str]  # the query's content tokens
    preferred_docs: set[str] = field(default_factory=set)  # speeches of speakers the question names
    dense_similarity: dict[str, float] = field(default_factory=dict)
    dense_rank: dict[str, int] = field(default_factory=dict)  # 1-based rank of each candidate per retriever
    lexical_rank: dict[str, int] = field(default_factory=dict)
    query_vector: list[float] | None = None  # the question's embedding (dense and hybrid modes)

    def with_chunks(self, more: list[Chunk], similarity: dict[str, float]) -> Retrieval:
        """This retrieval with `more` passages read after its own (`similarity`: theirs to the query, if known)."""
        held = {c.id for c in self.chunks}
        added = [c for c in more if c.id not in held]
        dense = dict(self.dense_similarity)
        for c in added:
            dense.setdefault(c.id, similarity.get(c.id, 0.0))
        return replace(self, chunks=[*self.chunks, *added], dense_similarity=dense)

    def agreement(self, chunk_id: str) -> int | None:
        """The worse of the two retrievers' ranks for a chunk (None unless both found it)."""
        d, lx = self.dense_rank.get(chunk_id), self.lexical_rank.get(chunk_id)
        return max(d, lx) if d and lx else None


class Retriever:
    """Hybrid search over one index (its rules for named documents: `documents`, counted in `documents.fired`)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.settings = index.settings
        self.documents = DocumentRules(index)  # the rules for documents a question names

    # -- filters ------------------------------------------------------------------------------------
    def resolve_doc(self, doc: str) -> str:
        """A doc id, or a unique prefix of one (`004` → `004_333b86c7d610c3e1.txt`)."""
        if doc in self.index.docs:
            return doc
        matches = [d for d in self.index.docs if d.startswith(doc) or d.rsplit("/", 1)[-1].startswith(doc)]
        if len(matches) == 1:
            return matches[0]
        known = "、".join(sorted(self.index.docs)[:_NAMED])
        if not matches:
            raise InputError(f"索引中没有讲话 '{doc}'。已收录：{known}")
        raise InputError(f"'{doc}' 对应多篇讲话：{'、'.join(sorted(matches)[:_NAMED])}；请写完整文件名。")

    def dated_docs(self, since: str | None, until: str | None) -> set[str] | None:
        """Speeches dated within [since, until] (None when neither is given). A speech without a date is never in
        a date range; an empty range is an InputError that says how many speeches lack a date."""
        if not since and not until:
            return None
        try:
            lo, hi = (parse_date(since) if since else None), (parse_date(until) if until else None)
        except DateError as e:
            raise InputError(f"日期范围：{e}") from None
        if lo and hi and date_bounds(lo)[0] > date_bounds(hi)[1]:
            raise InputError(f"日期范围：起始日期 {display_date(lo)} 晚于截止日期 {display_date(hi)}。")
        found = {d.doc for d in self.index.docs.values() if in_range(d.date, lo, hi)}
        if not found:
            undated = sum(1 for d in self.index.docs.values() if not d.date)
            span = f"{display_date(lo) or '最早'}至{display_date(hi) or '今'}"
            raise InputError(f"索引中没有日期在{span}之间的讲话"
                             + (f"（{undated} 篇讲话没有日期，可在 {self.settings.corpus.absolute() / 'metadata.csv'} 中补上）。"
                                if undated else "。"))
        return found

    def dated_preference(self, query: str, allowed: set[str] | None, speakers: set[str] = frozenset()) -> set[str]:
        """Speeches a question points to by time: a year it names (2023年, 今年, 去年) or 最近/上次 (the newest
        dated speech among those it may use, of the speaker it names if any). Ranked first, not required."""
        docs = [d for d in self.index.docs.values() if d.date and (allowed is None or d.doc in allowed)]
        if not docs:
            return set()
        years = years_in(query)
        if (year := relative_year(query)) is not None:
            years.add(year)
        chosen = {d.doc for d in docs if int(d.date[:4]) in years}
        if LATEST.search(query):
            docs = [d for d in docs if d.doc in speakers] or docs
            newest = max(date_bounds(d.date)[1] for d in docs)
            chosen |= {d.doc for d in docs if date_bounds(d.date)[1] == newest}
        return chosen

    def clearly_about(self, tokens: list[str], allowed: set[str] | None) -> set[str]:
        """The speech whose words, taken as a whole, match the question clearly better than any other's (BM25 over
        whole speeches, `doc_margin` times the runner-up's score): in a large archive its passages compete with
        many similar ones of other documents."""
        margin = self.settings.doc_margin
        if not margin or len(self.index.docs) < 2:
            return set()
        names, bm25 = self.index.table.doc_bm25
        mask = None if allowed is None else np.fromiter((d in allowed for d in names), dtype=bool, count=len(names))
        top = bm25.top(tokens, 2, mask)
        if top and (len(top) == 1 or top[0][1] >= margin * top[1][1]):
            return {names[top[0][0]]}
        return set()

    def named_by_phrase(self, query: str, allowed: set[str] | None) -> set[str]:
        """Speeches a question names by their own words: a phrase of a speech's title or opening that no other
        speech says anywhere ("专题二研讨发言里…" for the one speech that opens “围绕专题二……研讨”; two or more
        consecutive content words of the question read as one string, since jieba splits such names: 专题 / 二),
        or a quotation (“政治工作是一切经济工作的生命线”) that only a few speeches contain."""
        heads = self.index.table.heads
        named: set[str] = set()
        p = self.settings.answer
        for phrase in _phrases(query, p.max_phrase_words, p.min_phrase_chars):
            in_head = [d for d, head in heads.items() if phrase in head and (allowed is None or d in allowed)]
            if len(in_head) == 1 and self._saying(phrase) <= set(in_head):
                named.add(in_head[0])
        for quote in dict.fromkeys(quoted_terms(query)):
            saying = self._saying(quote) if len(quote) >= self.settings.answer.min_quote_chars else set()
            if allowed is not None:
                saying &= allowed
            if len(saying) <= self.settings.answer.max_quote_docs:
                named |= saying
        return named

    def _saying(self, text: str) -> set[str]:
        """The speeches one of whose passages contains `text` verbatim."""
        index = self.index
        return {index.chunks[i].doc for i in index.bm25.containing(tokenize(text)) if text in index.chunks[i].text}

    # -- search -------------------------------------------------------------------------------------
    def retrieve(self, query: str, k: int | None = None, speaker: str | None = None, doc: str | None = None,
                 mode: str | None = None, docs: set[str] | None = None, since: str | None = None,
                 until: str | None = None) -> Retrieval:
        query = query.strip()
        if not query:
            raise InputError("问题是空的。")
        mode = mode or self.settings.retrieval
        if mode not in MODES:
            raise ConfigError(f"未知的检索方式 '{mode}'。可选：{', '.join(MODES)}")
        k = self.settings.k if k is None else check_k(k)
        index = self.index
        allowed = self.allowed(docs, speaker, doc, since, until)
        tokens = tokenize(query)
        preferred = mentioned_speakers(index.docs, query)  # named in the question: ranked first, not required
        when = self.dated_preference(query, allowed, preferred)
        where = mentioned_occasions(index.docs, query)
        # a document named by year and kind or by its congress: the year is the document's, not another preference
        titled = self.documents.named(query, allowed)
        when = set() if titled else when
        # a speech named by its own words (not merely by its speaker's or meeting's name, counted already) ...
        phrase = self.named_by_phrase(query, allowed) - preferred - where - titled if self.settings.phrase_docs else set()
        # ... outweighs the guess from word statistics
        clear = set() if phrase or titled else self.clearly_about(tokens, allowed)
        if allowed is not None and not allowed:
            return Retrieval(query, [], [], tokens, preferred)
        # the speeches a question names (a speaker, a meeting, a phrase of their own) also compete among themselves,
        # so that their best passages are candidates even when a large archive crowds them out of the top n
        named = preferred | where | phrase | titled
        named = named if allowed is None else named & allowed
        scopes = [allowed] + ([named] if named and named != allowed else [])
        rankings: list[tuple[float, list[str]]] = []
        query_vector, dense_sim, dense_ids, lexical_ids = None, {}, [], []
        if mode in ("hybrid", "dense") and index.chunks:
            query_vector = index.embedder.embed_query(query)
            dense_sim, dense_ids = self._dense(query_vector, scopes)
            rankings.append((self.settings.dense_weight, dense_ids))
        if mode in ("hybrid", "lexical") and index.chunks:
            lexical_ids = self._lexical(tokens, scopes)
            rankings.append((1.0, lexical_ids))
        # naming a speaker, a time or a meeting, or matching one speech's words clearly best, counts as one more
        # list that ranks those speeches first
        fused = self._fuse(rankings, (preferred, when, where, clear, phrase, titled))
        self.documents.favour(fused, query, titled, 1.0 / (self.settings.rrf_k + 1))
        chosen = self._best(fused, k)
        hits = [
            Hit(rank=i, doc=c.doc, title=c.title, speaker=c.speaker, text=c.text, start=c.start, end=c.end,
                score=round(fused[c.id], _SCORE_DIGITS), id=c.id, paragraph=c.paragraph, section=c.section, occasion=c.occasion,
                date=c.date, ocr=bool(c.ocr))
            for i, c in enumerate(chosen, 1)
        ]
        return Retrieval(query, hits, chosen, tokens, preferred, dense_sim,
                         {c: i for i, c in enumerate(dense_ids, 1)}, {c: i for i, c in enumerate(lexical_ids, 1)},
                         query_vector)

    def allowed(self, docs: set[str] | None, speaker: str | None, doc: str | None, since: str | None,
                until: str | None) -> set[str] | None:
        """The speeches the filters leave (None: all)."""
        allowed: set[str] | None = set(docs) if docs is not None else None
        if speaker:
            of_speaker = require_speaker_docs(self.index.docs, speaker)
            allowed = of_speaker if allowed is None else allowed & of_speaker
        if doc:
            d = self.resolve_doc(doc)
            allowed = {d} if allowed is None else allowed & {d}
        if (dated := self.dated_docs(since, until)) is not None:
            allowed = dated if allowed is None else allowed & dated
        return allowed

    def _dense(self, query_vector: list[float], scopes: list[set[str] | None]) -> tuple[dict[str, float], list[str]]:
        """(similarity by chunk id, the dense ranking) over each scope, merged."""
        index, n = self.index, self.settings.candidates
        dense_sim: dict[str, float] = {}
        dense_ids: list[str] = []
        for scope in scopes:
            got = index.vectors.query(query_vector, min(n, len(index.chunks)), scope)
            dense_sim.update(got)
            dense_ids = _merge_ranks(dense_ids, [cid for cid, _ in got if index.chunk(cid) is not None])
        return dense_sim, dense_ids

    def _lexical(self, tokens: list[str], scopes: list[set[str] | None]) -> list[str]:
        """The BM25 ranking over each scope, merged (with the speeches' words for everyday ones, see register)."""
        index, n = self.index, self.settings.candidates
        searched = tokens + (said_instead(tokens, index.bm25) if self.settings.synonyms else [])
        lexical_ids: list[str] = []
        for scope in scopes:
            mask = None
            if scope is not None:
                mask = np.fromiter((c.doc in scope for c in index.chunks), dtype=bool, count=len(index.chunks))
            lexical_ids = _merge_ranks(lexical_ids, [index.chunks[i].id for i, _ in index.bm25.top(searched, n, mask)])
        return lexical_ids

    def _fuse(self, rankings: list[tuple[float, list[str]]], favoured: tuple[set[str], ...]) -> dict[str, float]:
        """Reciprocal-rank fusion of the weighted rankings; each set of favoured speeches counts as one more list."""
        rrf_k = self.settings.rrf_k
        fused: dict[str, float] = {}
        for weight, ranking in rankings:
            for rank, cid in enumerate(ranking, 1):
                fused[cid] = fused.get(cid, 0.0) + weight / (rrf_k + rank)
        for docs in favoured:
            if docs:
                for cid in fused:
                    if self.index.chunk(cid).doc in docs:
                        fused[cid] += 1.0 / (rrf_k + 1)
        return fused

    def _best(self, fused: dict[str, float], k: int) -> list[Chunk]:
        """The `k` best passages, a near-duplicate of a better one left out (chunks share their overlap)."""
        chosen: list[Chunk] = []
        for cid in sorted(fused, key=lambda c: (-fused[c], c)):
            c = self.index.chunk(cid)
            if any(_overlap(c, o) for o in chosen):
                continue
            chosen.append(c)
            if len(chosen) == k:
                break
        return chosen

    def search(self, query: str, **kwargs) -> list[Hit]:
        return self.retrieve(query, **kwargs).hits



def _phrases(query: str, max_words: int, min_chars: int) -> list[str]:
    """Runs of two to `max_words` consecutive content words (jieba's precise cut, no stop word in between)."""
    runs: list[list[str]] = [[]]
    for w in words(query):
        if w in STOPWORDS or not re.fullmatch(r"[\w\u4e00-\u9fff]+", w):
            runs.append([])
        else:
            runs[-1].append(w)
    out = []
    for run in runs:
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + max_words) + 1):
                phrase = "".join(run[i:j])
                if len(phrase) >= min_chars:
                    out.append(phrase)
    return out


def _merge_ranks(general: list[str], scoped: list[str]) -> list[str]:
    """One ranking from the general list and a list over fewer speeches: each passage at the better of its two
    ranks (ties: the general list's first)."""
    if not general:
        return scoped
    rank = {cid: r for r, cid in enumerate(general)}
    for r, cid in enumerate(scoped):
        rank[cid] = min(r, rank.get(cid, r))
    return sorted(rank, key=lambda cid: rank[cid])


def check_k(k: int) -> int:
    if not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InputError(f"返回段数 k 应为 1 到 {MAX_K} 之间的整数（收到 {k!r}）。")
    return k


def _overlap(a: Chunk, b: Chunk) -> bool:
    """True when two chunks of one speech share more than half of the shorter one."""
    if a.doc != b.doc:
        return False
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > _SAME_PASSAGE * min(a.end - a.start, b.end - b.start)


class SpeechRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain retriever (for chains and agents)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 5
    speaker: str | None = None
    doc: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs) -> list[LCDocument]:
        """`k`, `speaker` and `doc` given to `invoke` override the retriever's own."""
        hits = self.retriever.search(query, k=kwargs.get("k", self.k), speaker=kwargs.get("speaker", self.speaker),
                                     doc=kwargs.get("doc", self.doc))
        return [LCDocument(page_content=h.text, metadata={k: v for k, v in h.to_dict().items() if k != "text"}) for h in hits]

"""BM25 over jieba tokens, with postings in numpy arrays so a query touches only the chunks that share a term."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

__all__ = ["BM25"]


class BM25:
    def __init__(self, token_lists: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.n = len(token_lists)
        self.k1, self.b = k1, b
        lengths = np.array([len(t) for t in token_lists], dtype=np.float32)
        self.avgdl = float(lengths.mean()) if self.n else 0.0
        # per-chunk length normalisation, precomputed once
        self._norm = k1 * (1 - b + b * lengths / (self.avgdl or 1.0))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for i, tokens in enumerate(token_lists):
            for term, tf in Counter(tokens).items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(i)
                tfs.append(tf)
        self._postings = {t: (np.array(ids, dtype=np.int32), np.array(tfs, dtype=np.float32)) for t, (ids, tfs) in postings.items()}

    def df(self, term: str) -> int:
        p = self._postings.get(term)
        return 0 if p is None else len(p[0])

    def idf(self, term: str) -> float:
        """Okapi idf (always positive); a term absent from the corpus gets the largest possible value."""
        df = self.df(term)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def containing(self, terms: list[str]) -> np.ndarray:
        """Indices of the texts that hold every one of `terms`."""
        found: np.ndarray | None = None
        for term in dict.fromkeys(terms):
            p = self._postings.get(term)
            if p is None:
                return np.zeros(0, dtype=np.int32)
            found = p[0] if found is None else np.intersect1d(found, p[0], assume_unique=True)
        return np.zeros(0, dtype=np.int32) if found is None else found

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for term, qtf in Counter(query_tokens).items():
            p = self._postings.get(term)
            if p is None:
                continue
            ids, tfs = p
            out[ids] += qtf * self.idf(term) * tfs * (self.k1 + 1) / (tfs + self._norm[ids])
        return out

    def top(self, query_tokens: list[str], n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best `n` (chunk index, score) with a positive score, optionally only where `allowed` is True."""
        s = self.scores(query_tokens)
        if allowed is not None:
            s = np.where(allowed, s, 0.0)
        nz = np.flatnonzero(s > 0)
        if len(nz) > n:
            nz = nz[np.argpartition(-s[nz], n - 1)[:n]]
        order = nz[np.argsort(-s[nz], kind="stable")]
        return [(int(i), float(s[i])) for i in order]

"""A persistent cache of passage vectors keyed by (embedder, text): renamed files, re-chunking and generated
benchmark corpora reuse vectors instead of recomputing them."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

__all__ = ["CachedEmbeddings"]


class CachedEmbeddings(Embeddings):
    def __init__(self, inner: Embeddings, path: Path, name: str) -> None:
        self.inner, self.name = inner, name
        self.hits = self.misses = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self._lock = threading.Lock()

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.name}\x00{text}".encode()).hexdigest()

    def _lookup(self, keys: list[str], column: str = "key, vec") -> list[tuple]:
        with self._lock:
            rows = []
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                rows += self._db.execute(
                    f"SELECT {column} FROM vectors WHERE key IN ({','.join('?' * len(part))})", part).fetchall()
            return rows

    def missing(self, texts: list[str]) -> list[str]:
        """The texts that have no stored vector yet."""
        have = {k for (k,) in self._lookup([self._key(t) for t in texts], "key")}
        return [t for t in texts if self._key(t) not in have]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        found = {k: np.frombuffer(v, dtype=np.float32).tolist() for k, v in self._lookup(keys)}
        todo = list({k: i for i, k in enumerate(keys) if k not in found}.values())  # each missing text once
        self.hits += sum(k in found for k in keys)
        self.misses += len(todo)
        if todo:
            vectors = self.inner.embed_documents([texts[i] for i in todo])
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                                     [(keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(todo, vectors, strict=True)])
                self._db.commit()
            for i, v in zip(todo, vectors, strict=True):
                found[keys[i]] = list(v)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def close(self) -> None:
        self._db.close()

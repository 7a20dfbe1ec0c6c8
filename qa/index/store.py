"""The index: the vector store (Chroma, the source of truth) and the chunk table (its mirror for BM25, documents
and pledges), kept in step. A missing or damaged table is rebuilt from the store, pledges included."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from qa.core.errors import IndexStateError, QAError
from qa.core.files import corpus_problem
from qa.core.lexical import BM25
from qa.core.outline import paragraphs_of
from qa.core.records import Chunk, Document, Pledge, Span
from qa.core.settings import Settings, load_settings
from qa.index.embedcache import CachedEmbeddings
from qa.index.rebuild import table_from_store
from qa.index.table import ChunkTable, TableFormatError
from qa.index.vectors import VectorStore, mismatch

__all__ = ["Index"]


class Index:
    """Open with `Index(settings)`; `load()` reads the table (cheap), Chroma and the embedder open lazily."""

    def __init__(self, settings: Settings | None = None, embedder: Embeddings | None = None) -> None:
        self.settings = settings or load_settings()
        self.vectors = VectorStore(self.settings, embedder)
        self.table = ChunkTable(embedder=self.settings.embedding)
        self.warnings: list[str] = []
        self._lock = threading.RLock()
        self._loaded_mtime: float | None = None
        self._sentences: CachedEmbeddings | None = None
        self._lines: dict[str, tuple[tuple, list[tuple[int, Span]]]] = {}  # doc → (hash, rules, passage ids), lines
        self._changed = False  # the store was written since the last save
        self._store_checked = 0.0  # when a shared store's generation was last compared (server mode)

    # The table's contents, read by retrieval, answering and pledges.
    @property
    def docs(self) -> dict[str, Document]:
        return self.table.docs

    @property
    def chunks(self) -> list[Chunk]:
        return self.table.chunks

    @property
    def pledges(self) -> list[Pledge]:
        return self.table.pledges

    @property
    def bm25(self) -> BM25:
        return self.table.bm25

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.table.chunk(chunk_id)

    def lines(self, doc: str) -> list[tuple[int, Span]]:
        """A document's lines as (paragraph number as citations give it, span), rebuilt from its passages: the line
        where a passage starts has that passage's number, each line after it the next (0 is the title line). Kept
        while the document's passages are the same: answers, 落实追踪, 摘编 and 提法 read the same lines again."""
        d = self.table.docs.get(doc)
        ids = (d.hash if d else None, self.table.pipeline, *self.table.doc_chunk_ids(doc))
        held = self._lines.get(doc)
        if held is not None and held[0] == ids:
            return held[1]
        chunks = [c for cid in ids[2:] if (c := self.chunk(cid)) is not None]
        starts = sorted((c.start, c.paragraph) for c in chunks)
        out: list[tuple[int, Span]] = []
        k, number, after = 0, -1, -1
        for line in paragraphs_of([(c.start, c.text) for c in chunks]):
            number += 1
            while k < len(starts) and starts[k][0] < line.end:  # passages starting on this line or just before it
                if starts[k][0] > after:
                    number = starts[k][1]
                k += 1
            out.append((number, line))
            after = line.end
        self._lines[doc] = (ids, out)
        return out

    @property
    def embedder(self) -> Embeddings:
        return self.vectors.embedder

    @property
    def sentence_vectors(self) -> CachedEmbeddings:
        """Vectors of passage sentences, by text: filled at ingest, a missing one is embedded on first use."""
        with self._lock:
            if self._sentences is None:
                name = f"{self.settings.embedding}|{type(self.embedder).__name__}"
                self._sentences = CachedEmbeddings(self.embedder, self.settings.home / "sentence-vectors.sqlite", name)
            return self._sentences

    def sentence_similarity(self, query_vector: list[float] | None, texts: list[str]) -> dict[str, float] | None:
        """Each sentence's cosine similarity to the question (None when sentence vectors are off or unusable)."""
        if query_vector is None or not texts or not self.settings.sentence_vectors:
            return None
        texts = list(dict.fromkeys(texts))
        vectors = np.asarray(self.sentence_vectors.embed_documents(texts), dtype=np.float32)
        q = np.asarray(query_vector, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(q) or 1.0)
        return dict(zip(texts, (vectors @ q / np.where(norms == 0, 1.0, norms)).tolist(), strict=True))

    @property
    def unrelated_similarity(self) -> float | None:
        """Below this question ↔ closest-sentence similarity nothing retrieved is about the question (None: no check):
        the setting, else the embedder's own calibrated value."""
        if self.settings.unrelated_similarity is not None:
            return self.settings.unrelated_similarity
        return getattr(self.embedder, "unrelated_similarity", None)

    @property
    def table_path(self) -> Path:
        return self.settings.index_dir() / "chunks.json"

    # -- load and save ------------------------------------------------------------------------------
    def load(self, required: bool = True) -> Index:
        """Read the chunk table; rebuild it from the store when it is missing or damaged but the store is not."""
        with self._lock:
            path = self.table_path
            try:
                mtime = path.stat().st_mtime
                table = ChunkTable.read(path)
            except FileNotFoundError:
                table, problem = None, "缺失"
            except (TableFormatError, OSError) as e:
                table, problem = None, f"已损坏（{e}）"
            if table is None:
                if self.vectors.count() > 0:
                    self._rebuild_from_store(problem)
                    self.save()
                    return self
                if required:
                    corpus = self.settings.corpus
                    where = corpus_problem(corpus) or f"读取语料文件夹 {corpus.absolute()}"
                    raise IndexStateError(f"索引还不存在：请先运行 `qa ingest` 建立索引（{where}）。")
                self.table = ChunkTable(embedder=self.settings.embedding)
                return self
            if table.embedder != self.settings.embedding:
                raise IndexStateError(mismatch(table.embedder, self.settings.embedding))
            if self._loaded_mtime is not None and mtime != self._loaded_mtime:
                self.vectors.reopen()  # written by another process (or Index): its vectors are new to us too
            self.table, self._loaded_mtime = table, mtime
            return self

    def refresh(self) -> bool:
        """Reload when another process (an ingest) has replaced the table since we read it; with a Chroma server,
        rebuild the table from the server when another machine's ingest changed it (checked every few seconds)."""
        try:
            mtime = self.table_path.stat().st_mtime
        except FileNotFoundError:
            return False
        if mtime != self._loaded_mtime:
            self.load()
            return True
        return self.follow_server()

    def follow_server(self, now: bool = False) -> bool:
        """With a Chroma server: when another machine's ingest changed it, rebuild the table from it. Asked at
        most every few seconds unless `now`. True when the table was rebuilt."""
        recently = time.monotonic() - self._store_checked < self.settings.server_check_s
        if not self.settings.chroma_url or (not now and recently):
            return False
        with self._lock:
            self._store_checked = time.monotonic()
            try:
                generation = self.vectors.generation()
            except QAError:
                if now:
                    raise
                return False  # the server is away: what needs it reports that; the rest works from the table
            if generation is None or generation == self.table.generation:
                return False
            self._rebuild_from_store("落后于向量服务器（另一台机器导入了新内容）")
            self.table.generation = generation
            self.save()
            return True

    def save(self) -> None:
        with self._lock:
            if self._changed:  # other machines sharing the store see this and rebuild their tables
                self.table.generation = self.vectors.mark_changed()
                self._changed = False
            self.table.embedder = self.settings.embedding
            self.table.write(self.table_path)
            self._loaded_mtime = self.table_path.stat().st_mtime

    def _rebuild_from_store(self, problem: str) -> None:
        self.table, complete = table_from_store(self.vectors, self.settings.embedding)
        self.warnings.append(f"词表索引文件{problem}，已从向量库重建。")
        if not complete:
            self.warnings.append("部分讲话的承诺列表需要重新生成：请运行 `qa ingest`（不会重新向量化）。")

    # -- changes --------------------------------------------------------------------------------------
    def put_document(self, document: Document, chunks: list[Chunk], vectors: dict[str, list[float]],
                     pledges: list[Pledge], pipeline: str | None = None) -> None:
        """Make `chunks` the document's chunks: add the new ones (with their vectors), then drop the stale ones."""
        with self._lock:
            old = set(self.table.doc_chunk_ids(document.doc))
            fresh = [c for c in chunks if c.id not in old]
            try:
                self.vectors.upsert(fresh, vectors)
                self.vectors.delete(sorted(old - {c.id for c in chunks}))
                document.chunks = len(chunks)
                self.vectors.put_record(document.doc, {"document": document.to_dict(),
                                                       "pledges": [p.to_dict() for p in pledges], "pipeline": pipeline})
            except QAError:
                self._forget(fresh)
                raise
            self.table.replace(document, chunks, pledges)
            self._changed = True

    def _forget(self, chunks: list[Chunk]) -> None:
        """Drop what a failed write may have left in the store (else the next ingest's reconciliation does)."""
        try:
            self.vectors.delete([c.id for c in chunks])
        except QAError:
            pass

    def remove_document(self, doc: str) -> int:
        with self._lock:
            ids = self.table.doc_chunk_ids(doc)
            self.vectors.delete(ids)
            self.vectors.delete_record(doc)
            self.table.remove(doc)
            self._changed = True
            return len(ids)

    def reset(self) -> None:
        """Drop everything (for `qa ingest --rebuild`), including a store built by another embedder."""
        with self._lock:
            self.vectors.reset()
            self.table_path.unlink(missing_ok=True)
            self.table = ChunkTable(embedder=self.settings.embedding)

"""The index: dense vectors in Chroma, plus a chunk table with jieba tokens for BM25, both under QA_HOME.

Chroma is the source of truth; the chunk table (`index/chunks.json`) is a mirror written atomically after
Chroma, so a damaged or missing table can always be rebuilt from the store.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import asdict, fields
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from langchain_core.embeddings import Embeddings

from .embeddings import get_embedder
from .errors import BackendError, IndexStateError, QAError
from .lexical import BM25
from .records import Chunk, Document, Pledge
from .settings import Settings
from .text import tokenize

__all__ = ["Index", "ChromaEmbeddingFunction", "chroma_errors"]

_TABLE_FORMAT = 2
_CHUNK_FIELDS = [f.name for f in fields(Chunk)]
_META_FIELDS = [f for f in _CHUNK_FIELDS if f not in ("id", "text")]


class ChromaEmbeddingFunction:
    """Hands Chroma the project's embedder, so Chroma never falls back to its own (downloading) default."""

    def __init__(self, embedder: Embeddings, name: str) -> None:
        self._embedder, self._name = embedder, name

    def __call__(self, input):  # noqa: A002 - Chroma's protocol names it `input`
        return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed_documents(list(input))]

    def embed_query(self, input):  # noqa: A002
        return [np.asarray(self._embedder.embed_query(t), dtype=np.float32) for t in input]

    @staticmethod
    def name() -> str:
        return "speech-qa"

    def is_legacy(self) -> bool:
        return False

    def get_config(self) -> dict:
        return {"embedder": self._name}

    @staticmethod
    def build_from_config(config: dict):  # pragma: no cover - Chroma calls it only for persisted configs
        raise NotImplementedError("the project always passes its embedding function explicitly")


@contextmanager
def chroma_errors(settings: Settings, what: str):
    """A Chroma failure (server gone, disk error) as one BackendError that says where and what."""
    try:
        yield
    except (QAError, KeyboardInterrupt):
        raise
    except Exception as e:
        where = settings.chroma_url or str(settings.home / "chroma")
        raise BackendError(f"向量库 {where} {what}失败：{type(e).__name__}: {str(e)[:160]}") from None


def _atomic_write(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Index:
    """Open with `Index(settings)`; `load()` reads the table (cheap), Chroma and the embedder open lazily."""

    def __init__(self, settings: Settings | None = None, embedder: Embeddings | None = None) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._client = None
        self._collection = None
        self._lock = threading.RLock()
        self.docs: dict[str, Document] = {}
        self.chunks: list[Chunk] = []
        self.tokens: list[list[str]] = []
        self.pledges: list[Pledge] = []
        self.pipeline: str | None = None  # version of the ingest rules that produced the table
        self.embedder_name: str | None = None
        self.warnings: list[str] = []
        self._row: dict[str, int] = {}
        self._bm25: BM25 | None = None
        self._loaded_mtime: float | None = None

    # -- paths and backends -------------------------------------------------------------------------
    @property
    def table_path(self) -> Path:
        return self.settings.index_dir() / "chunks.json"

    @property
    def embedder(self) -> Embeddings:
        with self._lock:  # concurrent first requests must not build two models
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedding, self.settings)
            return self._embedder

    def client(self):
        with self._lock:  # Chroma's client must be created once, not by each of several first requests
            return self._make_client()

    def _make_client(self):
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            url = self.settings.chroma_url
            try:
                if url:
                    u = urlparse(url if "://" in url else f"http://{url}")
                    headers = {}
                    if self.settings.chroma_token:
                        headers["Authorization"] = f"Bearer {self.settings.chroma_token.get_secret_value()}"
                    self._client = chromadb.HttpClient(
                        host=u.hostname or "localhost", port=u.port or (443 if u.scheme == "https" else 8000),
                        ssl=u.scheme == "https", headers=headers, settings=chroma_settings,
                    )
                else:
                    path = self.settings.home / "chroma"
                    path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            except Exception as e:
                where = url or str(self.settings.home / "chroma")
                raise BackendError(f"无法连接向量库 {where}：{type(e).__name__}: {str(e)[:200]}") from None
        return self._client

    def collection(self, create: bool = False):
        """The Chroma collection, checked against the configured embedder."""
        with self._lock:
            return self._get_collection(create)

    def _get_collection(self, create: bool):
        if self._collection is None:
            client = self.client()
            name = self.settings.collection
            ef = ChromaEmbeddingFunction(self.embedder, self.settings.embedding) if create else None
            try:
                if create:
                    col = client.get_or_create_collection(
                        name, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}},
                        metadata={"embedder": self.settings.embedding},
                    )
                else:
                    col = client.get_collection(name, embedding_function=ChromaEmbeddingFunction(self.embedder, self.settings.embedding))
            except Exception as e:
                msg = str(e).lower()
                if not create and ("does not exist" in msg or "not found" in msg):
                    raise IndexStateError("索引还不存在：请先运行 `qa ingest` 建立索引。") from None
                raise BackendError(f"向量库出错：{type(e).__name__}: {str(e)[:200]}") from None
            built_with = (col.metadata or {}).get("embedder")
            if built_with and built_with != self.settings.embedding:
                raise IndexStateError(self._mismatch(built_with))
            self._collection = col
        return self._collection

    def _mismatch(self, built_with: str) -> str:
        return (
            f"索引是用向量模型 '{built_with}' 建立的，当前设置是 '{self.settings.embedding}'。"
            f"两者不能混用：请运行 `qa ingest --rebuild` 用 '{self.settings.embedding}' 重建索引，"
            f"或把 QA_EMBEDDING 改回 '{built_with}'。"
        )

    # -- the chunk table --------------------------------------------------------------------------------
    def load(self, required: bool = True) -> Index:
        """Read the chunk table; rebuild it from Chroma when it is missing or damaged but the store is not."""
        with self._lock:
            path = self.table_path
            try:
                mtime = path.stat().st_mtime
                raw = json.loads(path.read_text(encoding="utf-8"))
                if raw.get("format") != _TABLE_FORMAT:
                    raise ValueError("unknown format")
            except FileNotFoundError:
                raw = None
                mtime = None
            except (ValueError, OSError, UnicodeDecodeError) as e:
                self.warnings.append(f"词表索引文件已损坏（{type(e).__name__}），已从向量库重建。")
                raw, mtime = None, None
            if raw is None:
                if self._store_has_data():
                    if not any("重建" in w for w in self.warnings):
                        self.warnings.append("词表索引文件缺失，已从向量库重建。")
                    self._rebuild_table_from_store()
                    self.save()
                    return self
                if required:
                    raise IndexStateError("索引还不存在：请先运行 `qa ingest` 建立索引（默认读取 corpus/ 文件夹）。")
                self._set([], [], [], self.settings.embedding)
                return self
            if raw.get("embedder") != self.settings.embedding:
                raise IndexStateError(self._mismatch(raw.get("embedder")))
            docs = [Document(**d) for d in raw["documents"]]
            chunks = [Chunk(**dict(zip(_CHUNK_FIELDS, row, strict=True))) for row in raw["chunks"]]
            self._set(docs, chunks, raw["tokens"], raw["embedder"])
            self.pledges = [Pledge(**p) for p in raw["pledges"]]
            self.pipeline = raw.get("pipeline")
            self._loaded_mtime = mtime
            return self

    def refresh(self) -> bool:
        """Reload when another process (an ingest) has replaced the table since we read it."""
        try:
            mtime = self.table_path.stat().st_mtime
        except FileNotFoundError:
            return False
        if mtime != self._loaded_mtime:
            self.load()
            return True
        return False

    def _set(self, docs: list[Document], chunks: list[Chunk], tokens: list[list[str]], embedder: str | None) -> None:
        self.docs = {d.doc: d for d in docs}
        self.chunks, self.tokens, self.embedder_name = chunks, tokens, embedder
        self._row = {c.id: i for i, c in enumerate(chunks)}
        self._bm25 = None

    @property
    def bm25(self) -> BM25:
        if self._bm25 is None:
            self._bm25 = BM25(self.tokens)
        return self._bm25

    def chunk(self, chunk_id: str) -> Chunk | None:
        i = self._row.get(chunk_id)
        return None if i is None else self.chunks[i]

    def row(self, chunk_id: str) -> int | None:
        return self._row.get(chunk_id)

    def save(self) -> None:
        with self._lock:
            payload = {
                "format": _TABLE_FORMAT,
                "embedder": self.settings.embedding,
                "documents": [d.to_dict() for d in sorted(self.docs.values(), key=lambda d: d.doc)],
                "chunks": [[getattr(c, f) for f in _CHUNK_FIELDS] for c in self.chunks],
                "tokens": self.tokens,
                "pledges": [p.to_dict() for p in self.pledges],
                "pipeline": self.pipeline,
            }
            _atomic_write(self.table_path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
            self._loaded_mtime = self.table_path.stat().st_mtime

    # -- Chroma -------------------------------------------------------------------------------------
    def _store_has_data(self) -> bool:
        if not self.settings.chroma_url and not (self.settings.home / "chroma").exists():
            return False
        try:
            with chroma_errors(self.settings, "读取"):
                return self.collection().count() > 0
        except IndexStateError as e:
            if "不存在" in str(e):
                return False
            raise

    def _rebuild_table_from_store(self) -> None:
        with chroma_errors(self.settings, "读取"):
            got = self.collection().get(include=["documents", "metadatas"])
        chunks = []
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            values = {f: meta.get(f) for f in _META_FIELDS}
            chunks.append(Chunk(id=cid, text=text, **values))
        chunks.sort(key=lambda c: (c.doc, c.index))
        docs: dict[str, Document] = {}
        for c in chunks:
            d = docs.get(c.doc)
            if d is None:
                # hash "" makes the next `qa ingest` re-read the file (embedding nothing) to restore its pledges
                d = docs[c.doc] = Document(c.doc, c.title, False, c.speaker, c.occasion, "", 0, 0)
            d.chunks += 1
            d.chars = max(d.chars, c.end)
        self._set(list(docs.values()), chunks, [tokenize(c.context()) for c in chunks], self.settings.embedding)
        self.pledges = []
        self.warnings.append("承诺列表需要重新生成：请运行 `qa ingest`（不会重新向量化）。")

    def store_ids(self) -> set[str]:
        with chroma_errors(self.settings, "读取"):
            return set(self.collection(create=True).get(include=[])["ids"])

    def put_document(self, document: Document, chunks: list[Chunk], embeddings: dict[str, list[float]],
                     pledges: list[Pledge] | None = None) -> None:
        """Make `chunks` the document's chunks: add the new ones (with `embeddings`), then drop the stale ones."""
        with self._lock, chroma_errors(self.settings, "写入"):
            col = self.collection(create=True)
            old = {c.id for c in self.chunks if c.doc == document.doc}
            new_ids = [c.id for c in chunks]
            fresh = [c for c in chunks if c.id not in old]
            if fresh:
                col.upsert(
                    ids=[c.id for c in fresh],
                    documents=[c.text for c in fresh],
                    embeddings=[embeddings[c.id] for c in fresh],
                    metadatas=[{k: v for k, v in asdict(c).items() if k in _META_FIELDS and v is not None} for c in fresh],
                )
            stale = sorted(old - set(new_ids))
            if stale:
                col.delete(ids=stale)
            document.chunks = len(chunks)
            self._replace_rows(document.doc, chunks)
            self.docs[document.doc] = document
            self.pledges = [p for p in self.pledges if p.doc != document.doc] + list(pledges or [])

    def remove_document(self, doc: str) -> int:
        with self._lock, chroma_errors(self.settings, "删除"):
            ids = [c.id for c in self.chunks if c.doc == doc]
            if ids:
                self.collection(create=True).delete(ids=ids)
            self._replace_rows(doc, [])
            self.docs.pop(doc, None)
            self.pledges = [p for p in self.pledges if p.doc != doc]
            return len(ids)

    def delete_ids(self, ids: list[str]) -> None:
        if ids:
            with chroma_errors(self.settings, "删除"):
                self.collection(create=True).delete(ids=ids)

    def _replace_rows(self, doc: str, chunks: list[Chunk]) -> None:
        new_tokens = [tokenize(c.context()) for c in chunks]
        if doc not in self.docs:  # a new speech: append (keeps a large ingest linear)
            for c, t in zip(chunks, new_tokens, strict=True):
                self._row[c.id] = len(self.chunks)
                self.chunks.append(c)
                self.tokens.append(t)
            self._bm25 = None
            return
        keep = [(c, t) for c, t in zip(self.chunks, self.tokens, strict=True) if c.doc != doc]
        keep += list(zip(chunks, new_tokens, strict=True))
        self._set(list(self.docs.values()), [c for c, _ in keep], [t for _, t in keep], self.settings.embedding)

    def reset(self) -> None:
        """Drop everything (for `qa ingest --rebuild`), including a collection built by another embedder."""
        with self._lock:
            client = self.client()
            try:
                client.delete_collection(self.settings.collection)
            except Exception:  # absent already: nothing to drop
                pass
            self._collection = None
            self.table_path.unlink(missing_ok=True)
            self._set([], [], [], self.settings.embedding)
            self.pledges = []

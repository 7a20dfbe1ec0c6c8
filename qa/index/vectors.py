"""The vector store: Chroma, embedded (under QA_HOME) or a server (`QA_CHROMA_URL`).

Two collections: the passages with their vectors, and one record per document (its metadata and pledges) so that
everything the chunk table holds can be rebuilt from the store alone.
"""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from langchain_core.embeddings import Embeddings

from qa.core.errors import BackendError, IndexStateError, QAError
from qa.core.records import Chunk
from qa.core.settings import Settings
from qa.index.embeddings import get_embedder

__all__ = ["VectorStore", "ChromaEmbeddingFunction", "chroma_errors", "META_FIELDS"]

# The id of the record holding the store's generation (doc ids are relative paths: never "/…").
_GENERATION = "/generation"
# Chunk fields stored as Chroma metadata (the text is the Chroma document, the id its id).
META_FIELDS = [f for f in Chunk.__dataclass_fields__ if f not in ("id", "text")]


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


class _Shared:
    """What all VectorStores of this process on one store share: a lock around every Chroma call, and the
    generation of Chroma's in-memory copy of an embedded store (bumped by `VectorStore.reopen`)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.generation = 0


_shared: dict[str, _Shared] = {}
_shared_lock = threading.Lock()


class VectorStore:
    def __init__(self, settings: Settings, embedder: Embeddings | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._client = None
        self._passages = None
        self._records = None
        self._batch: int | None = None
        self._generation = -1
        with _shared_lock:
            self._shared = _shared.setdefault(self.where, _Shared())
        self._lock = self._shared.lock  # concurrent calls must not build two clients, nor query one being reopened
        self._embedder_lock = threading.Lock()  # concurrent first requests must not load two models

    @property
    def where(self) -> str:
        return self.settings.chroma_url or str(self.settings.home / "chroma")

    @property
    def embedder(self) -> Embeddings:
        with self._embedder_lock:
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedding, self.settings)
            return self._embedder

    def client(self):
        with self._lock:
            if self._client is None or self._generation != self._shared.generation:
                self._client, self._passages, self._records = self._connect(), None, None
                self._generation = self._shared.generation
            return self._client

    def reopen(self) -> None:
        """Drop this process's in-memory copy of an embedded store, so that the next call reads the files afresh.

        Chroma keeps one `System` per store path in a process and never notices another process's writes: after an
        ingest elsewhere, a filtered query fails with "Error finding id". Every Chroma call of this process holds
        the shared lock, so none is running while the copy is dropped. A Chroma server needs none of this."""
        if self.settings.chroma_url:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        with self._lock:
            system = SharedSystemClient._identifier_to_system.pop(self._persist_dir(), None)
            SharedSystemClient._identifier_to_refcount.pop(self._persist_dir(), None)
            if system is not None:
                system.stop()
            self._shared.generation += 1

    def _persist_dir(self) -> str:
        return str(self.settings.home / "chroma")

    @contextmanager
    def _op(self, what: str):
        """One Chroma call: under the shared lock, failures as a BackendError."""
        with self._lock, chroma_errors(self.settings, what):
            yield

    def _connect(self):
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
                return chromadb.HttpClient(
                    host=u.hostname or "localhost", port=u.port or (443 if u.scheme == "https" else 8000),
                    ssl=u.scheme == "https", headers=headers, settings=chroma_settings,
                )
            Path(self._persist_dir()).mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=self._persist_dir(), settings=chroma_settings)
        except Exception as e:
            raise BackendError(f"无法连接向量库 {self.where}：{type(e).__name__}: {str(e)[:200]}") from None

    # -- collections --------------------------------------------------------------------------------
    @property
    def _records_name(self) -> str:
        return f"{self.settings.collection}-documents"

    def exists(self) -> bool:
        """True when the passage collection exists (asks the store; never reads an error message)."""
        if not self.settings.chroma_url and not (self.settings.home / "chroma").exists():
            return False
        with self._op("读取"):
            names = {getattr(c, "name", c) for c in self.client().list_collections()}
        return self.settings.collection in names

    def passages(self, create: bool = False):
        """The passage collection, checked against the configured embedder."""
        with self._lock:
            self.client()  # a reopened store forgets its collections
            if self._passages is None:
                if not create and not self.exists():
                    raise IndexStateError("索引还不存在：请先运行 `qa ingest` 建立索引。")
                ef = ChromaEmbeddingFunction(self.embedder, self.settings.embedding)
                with chroma_errors(self.settings, "打开"):
                    if create:
                        col = self.client().get_or_create_collection(
                            self.settings.collection, embedding_function=ef,
                            configuration={"hnsw": {"space": "cosine"}}, metadata={"embedder": self.settings.embedding},
                        )
                    else:
                        col = self.client().get_collection(self.settings.collection, embedding_function=ef)
                built_with = (col.metadata or {}).get("embedder")
                if built_with and built_with != self.settings.embedding:
                    raise IndexStateError(mismatch(built_with, self.settings.embedding))
                self._passages = col
            return self._passages

    def _record_collection(self):
        with self._lock:
            self.client()
            if self._records is None:
                with chroma_errors(self.settings, "打开"):
                    # one constant 1-d vector: the records are fetched by id, never searched
                    self._records = self.client().get_or_create_collection(self._records_name, embedding_function=None)
            return self._records

    # -- passages -----------------------------------------------------------------------------------
    def count(self) -> int:
        if not self.exists():
            return 0
        with self._op("读取"):
            return self.passages().count()

    def query(self, vector: list[float], n: int, docs: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the `n` nearest passages, optionally only of the given documents."""
        where = {"doc": {"$in": sorted(docs)}} if docs is not None else None
        try:
            with self._lock:
                got = self.passages().query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        except QAError:
            raise
        except Exception:  # e.g. another process is writing: once more on a freshly read store
            self.reopen()
            with self._op("检索"):
                got = self.passages().query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0], strict=True)]

    def all_passages(self) -> list[Chunk]:
        with self._op("读取"):
            got = self.passages().get(include=["documents", "metadatas"])
        return [Chunk(id=cid, text=text, **{f: meta.get(f) for f in META_FIELDS})
                for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]

    def ids(self) -> set[str]:
        with self._op("读取"):
            return set(self.passages(create=True).get(include=[])["ids"])

    def batch_size(self) -> int:
        """The most records one write may carry: the store says (5,461 for an embedded store; a server may differ)."""
        with self._op("读取"):
            if self._batch is None:
                self._batch = max(1, int(self.client().get_max_batch_size()))
            return self._batch

    def upsert(self, chunks: list[Chunk], vectors: dict[str, list[float]]) -> None:
        """Write in batches the store accepts: one long document must not exceed the store's limit."""
        step = self.batch_size()
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            with self._op("写入"):
                self.passages(create=True).upsert(
                    ids=[c.id for c in part], documents=[c.text for c in part],
                    embeddings=[vectors[c.id] for c in part],
                    metadatas=[{k: v for k, v in asdict(c).items() if k in META_FIELDS and v is not None} for c in part],
                )

    def delete(self, ids: list[str]) -> None:
        step = self.batch_size() if ids else 0
        for i in range(0, len(ids), step or 1):
            with self._op("删除"):
                self.passages(create=True).delete(ids=ids[i : i + step])

    # -- document records -----------------------------------------------------------------------------
    def put_record(self, doc: str, record: dict) -> None:
        with self._op("写入"):
            self._record_collection().upsert(ids=[doc], documents=[json.dumps(record, ensure_ascii=False)],
                                             embeddings=[[1.0]])

    def delete_record(self, doc: str) -> None:
        with self._op("删除"):
            self._record_collection().delete(ids=[doc])

    def records(self) -> dict[str, dict]:
        with self._op("读取"):
            got = self._record_collection().get(include=["documents"])
        return {doc: json.loads(text) for doc, text in zip(got["ids"], got["documents"], strict=True)
                if doc != _GENERATION}

    # -- what other machines see ----------------------------------------------------------------------
    def mark_changed(self) -> str:
        """Record that the store's contents changed (an ingest); returns the new generation."""
        generation = uuid.uuid4().hex
        with self._op("写入"):
            self._record_collection().upsert(ids=[_GENERATION], documents=[generation], embeddings=[[1.0]])
        return generation

    def generation(self) -> str | None:
        """The generation the last ingest wrote (None for a store from before generations, or no store)."""
        with self._op("读取"):
            got = self._record_collection().get(ids=[_GENERATION], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def reset(self) -> None:
        """Drop both collections (for `qa ingest --rebuild`), including ones built by another embedder."""
        with self._lock:
            client = self.client()
            names = {getattr(c, "name", c) for c in client.list_collections()}
            for name in (self.settings.collection, self._records_name):
                if name in names:
                    with self._op("删除"):
                        client.delete_collection(name)
            self._passages = self._records = None


def mismatch(built_with: str | None, configured: str) -> str:
    return (
        f"索引是用向量模型 '{built_with}' 建立的，当前设置是 '{configured}'。"
        f"两者不能混用：请运行 `qa ingest --rebuild` 用 '{configured}' 重建索引，"
        f"或把 QA_EMBEDDING 改回 '{built_with}'。"
    )

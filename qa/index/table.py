"""The chunk table: documents, chunks with their jieba tokens (for BM25) and pledges, kept in memory and mirrored
to one JSON file (`index/chunks.json`) written atomically."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from qa.core.files import atomic_write
from qa.core.lexical import BM25
from qa.core.records import Chunk, Document, Pledge
from qa.core.text import tokenize

__all__ = ["ChunkTable", "TableFormatError"]

_FORMAT = 3
_CHUNK_FIELDS = [f.name for f in fields(Chunk)]


HEAD_CHUNKS = 2  # a document's opening passages (about 400 characters) count as its head


class TableFormatError(ValueError):
    """The file is not a chunk table this version can read."""


class ChunkTable:
    def __init__(self, docs: list[Document] = (), chunks: list[Chunk] = (), tokens: list[list[str]] | None = None,
                 pledges: list[Pledge] = (), embedder: str | None = None, pipeline: str | None = None,
                 generation: str | None = None) -> None:
        self.docs: dict[str, Document] = {d.doc: d for d in docs}
        self.chunks: list[Chunk] = list(chunks)
        self.tokens: list[list[str]] = tokens if tokens is not None else [tokenize(c.context()) for c in self.chunks]
        self.pledges: list[Pledge] = list(pledges)
        self.embedder = embedder
        self.pipeline = pipeline  # version of the ingest rules that produced the table
        self.generation = generation  # the vector store's generation this table mirrors
        self._row = {c.id: i for i, c in enumerate(self.chunks)}
        self._bm25: BM25 | None = None
        self._doc_bm25: tuple[list[str], BM25] | None = None
        self._heads: dict[str, str] | None = None
        self._said: str | None = None
        self._by_doc: dict[str, list[str]] | None = None

    @property
    def bm25(self) -> BM25:
        if self._bm25 is None:
            self._bm25 = BM25(self.tokens)
        return self._bm25

    @property
    def doc_bm25(self) -> tuple[list[str], BM25]:
        """BM25 over whole documents (each the tokens of its chunks): which speech a question is about."""
        if self._doc_bm25 is None:
            by_doc: dict[str, list[str]] = {}
            for c, t in zip(self.chunks, self.tokens, strict=True):
                by_doc.setdefault(c.doc, []).extend(t)
            names = list(by_doc)
            self._doc_bm25 = (names, BM25([by_doc[d] for d in names]))
        return self._doc_bm25

    @property
    def heads(self) -> dict[str, str]:
        """Each document's head: its title and opening passages, where a speech says what it is (专题二…研讨)."""
        if self._heads is None:
            heads = {d: doc.title or "" for d, doc in self.docs.items()}
            for c in self.chunks:
                if c.index < HEAD_CHUNKS and c.doc in heads:
                    heads[c.doc] += "\n" + c.text
            self._heads = heads
        return self._heads

    @property
    def said(self) -> str:
        """Everything the index holds as one string (passages with their title, speaker, section and occasion), for
        telling whether a name occurs anywhere at all."""
        if self._said is None:
            self._said = "\n".join(f"{c.context()}\n{c.occasion or ''}" for c in self.chunks)
        return self._said

    def chunk(self, chunk_id: str) -> Chunk | None:
        i = self._row.get(chunk_id)
        return None if i is None else self.chunks[i]

    def doc_chunk_ids(self, doc: str) -> list[str]:
        if self._by_doc is None:  # one pass for all documents: following or compiling reads them one by one
            by_doc: dict[str, list[str]] = {}
            for c in self.chunks:
                by_doc.setdefault(c.doc, []).append(c.id)
            self._by_doc = by_doc
        return list(self._by_doc.get(doc, ()))

    def replace(self, document: Document, chunks: list[Chunk], pledges: list[Pledge]) -> None:
        """Make these the document's chunks and pledges (a new document is appended: a large ingest stays linear)."""
        new_tokens = [tokenize(c.context()) for c in chunks]
        if document.doc in self.docs:
            keep = [(c, t) for c, t in zip(self.chunks, self.tokens, strict=True) if c.doc != document.doc]
            self.chunks, self.tokens = [c for c, _ in keep], [t for _, t in keep]
            self._row = {c.id: i for i, c in enumerate(self.chunks)}
            self.pledges = [p for p in self.pledges if p.doc != document.doc]
        for c, t in zip(chunks, new_tokens, strict=True):
            self._row[c.id] = len(self.chunks)
            self.chunks.append(c)
            self.tokens.append(t)
        self.pledges += pledges
        self.docs[document.doc] = document
        self._bm25 = self._doc_bm25 = self._heads = self._said = self._by_doc = None

    def remove(self, doc: str) -> None:
        if doc in self.docs:
            self.replace(self.docs[doc], [], [])
            del self.docs[doc]

    # -- the file ---------------------------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> ChunkTable:
        """Raises FileNotFoundError, or TableFormatError for a damaged or foreign file."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") != _FORMAT:
                raise TableFormatError("unknown format")
            return cls(
                docs=[Document(**d) for d in raw["documents"]],
                chunks=[Chunk(*row) for row in raw["chunks"]],  # rows of an older table lack the newest fields
                tokens=raw["tokens"], pledges=[Pledge(**p) for p in raw["pledges"]],
                embedder=raw.get("embedder"), pipeline=raw.get("pipeline"), generation=raw.get("generation"),
            )
        except FileNotFoundError:
            raise
        except (ValueError, OSError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as e:
            raise TableFormatError(type(e).__name__) from None

    def write(self, path: Path) -> None:
        payload = {
            "format": _FORMAT,
            "embedder": self.embedder,
            "documents": [d.to_dict() for d in sorted(self.docs.values(), key=lambda d: d.doc)],
            "chunks": [[getattr(c, f) for f in _CHUNK_FIELDS] for c in self.chunks],
            "tokens": self.tokens,
            "pledges": [p.to_dict() for p in self.pledges],
            "pipeline": self.pipeline,
            "generation": self.generation,
        }
        atomic_write(path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")), make_folder=True)

"""The chunk table rebuilt from the vector store (the source of truth) when the table is missing, damaged, or behind
a Chroma server that another machine's ingest changed: its passages, and the document records stored beside them
(each document's fields and pledges, and the ingest rules that read it)."""

from __future__ import annotations

from collections import Counter

from qa.core.records import Document, Pledge
from qa.index.table import ChunkTable
from qa.index.vectors import VectorStore

__all__ = ["table_from_store"]


def table_from_store(vectors: VectorStore, embedder: str) -> tuple[ChunkTable, bool]:
    """(the table, whether every document had its record): a document without one (a store written before document
    records existed) gets hash "" and no pledges, and the table no ingest rules, so that the next ingest re-reads it."""
    chunks = sorted(vectors.all_passages(), key=lambda c: (c.doc, c.index))
    records = vectors.records()
    per_doc = Counter(c.doc for c in chunks)
    docs: dict[str, Document] = {}
    pledges: list[Pledge] = []
    for c in chunks:
        if c.doc in docs:
            continue
        record = records.get(c.doc)
        if record is not None:
            docs[c.doc] = Document(**record["document"])
            pledges += [Pledge(**p) for p in record["pledges"]]
        else:
            docs[c.doc] = Document(c.doc, c.title, False, c.speaker, c.occasion, "", 0, per_doc[c.doc])
    complete = all(d in records for d in docs)
    versions = {records[d].get("pipeline") for d in docs if d in records}
    pipeline = versions.pop() if complete and len(versions) == 1 else None  # else the next ingest re-reads
    return ChunkTable(list(docs.values()), chunks, pledges=pledges, embedder=embedder, pipeline=pipeline), complete

"""One decision on duplicates, for `qa ingest` and the web upload alike, with the same words:

- the same bytes as an indexed file, or one read earlier in the same run;
- the same text in another format (a speech saved as .odt, .rtf and .txt): its text, whitespace aside and full-width
  forms folded (`text_signature`), is that of another;
- the same page scanned twice (a scan kept as .png and as .pdf): OCR reads two renderings of one page a few
  characters apart, so two documents read by OCR whose character trigrams agree to `Settings.duplicate_scan_similarity`
  (Jaccard) are one (1 turns this off; exact text still counts)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from qa.core.records import Chunk, Document

__all__ = ["Seen", "text_signature"]


def text_signature(text: str) -> str:
    """The hash of what a text says: NFKC-folded (full-width letters and digits as half-width), whitespace removed."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _trigrams(chunks: list[Chunk]) -> set[str]:
    grams: set[str] = set()
    for c in chunks:
        text = re.sub(r"\s+", "", c.text)
        grams.update(text[i : i + 3] for i in range(len(text) - 2))
    return grams


class Seen:
    """What the index holds (but the files being read again, `rereading`) and what this run has read so far."""

    def __init__(self, index, rereading: set[str], scan_similarity: float) -> None:
        docs = [d for d in index.docs.values() if d.doc not in rereading]
        self.index, self.scan_similarity = index, scan_similarity
        self.bytes = {d.hash: d.doc for d in docs}
        self.texts = {d.text_hash: d.doc for d in docs if d.text_hash}
        self._scans: dict[str, set[str] | None] = {d.doc: None for d in docs if d.ocr}  # trigrams, read when needed

    def of_bytes(self, data_hash: str) -> str | None:
        """Why a file of these bytes is not indexed again (None: it is new)."""
        if (same := self.bytes.get(data_hash)) is not None:
            return f"与 {same} 内容完全相同，已跳过（重复文件）"
        return None

    def of_text(self, document: Document, chunks: list[Chunk]) -> str | None:
        """Why a document that reads as this is not indexed (None: it says something new)."""
        if (same := self.texts.get(document.text_hash)) is not None:
            return f"与 {same} 文字完全相同（只是文件格式不同），已跳过（重复文件）"
        if not document.ocr or self.scan_similarity >= 1 or not self._scans:
            return None
        grams = _trigrams(chunks)
        for doc, theirs in self._scans.items():
            if theirs is None:
                theirs = self._scans[doc] = _trigrams([c for c in self.index.chunks if c.doc == doc])
            if grams and theirs and len(grams & theirs) / len(grams | theirs) >= self.scan_similarity:
                return f"与 {doc} 是同一份扫描件（文字识别结果几乎相同），已跳过（重复文件）"
        return None

    def add(self, document: Document, chunks: list[Chunk]) -> None:
        self.bytes[document.hash] = document.doc
        if document.text_hash:
            self.texts[document.text_hash] = document.doc
        if document.ocr:
            self._scans[document.doc] = _trigrams(chunks)

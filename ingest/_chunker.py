"""Paragraph spans → chunks: sentence-aware, a few hundred characters, small overlap, exact offsets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from qa.core.outline import ENUM_HEAD, is_heading_line, paragraph_numbers
from qa.core.records import Chunk, Span
from qa.core.text import split_long, split_sentences

from ._metadata import SpeechMeta

__all__ = ["chunk_document", "chunk_id"]


@dataclass(slots=True)
class _Unit:
    span: Span
    paragraph: int
    section: str | None
    starts_section: bool


def chunk_id(doc: str, start: int, end: int, context: str) -> str:
    """Changes with the text, its place and what is embedded with it (title, speaker, section): a corrected
    speaker is embedded again, an unchanged chunk keeps its id and vector."""
    return hashlib.sha1(f"{doc}\x00{start}\x00{end}\x00{context}".encode()).hexdigest()[:24]


def _units(text: str, paragraphs: list[Span], meta: SpeechMeta, limit: int) -> list[_Unit]:
    units: list[_Unit] = []
    section: str | None = None
    for pos, (para, number) in enumerate(zip(paragraphs, paragraph_numbers(paragraphs, meta.title_span), strict=True)):
        is_title = number == 0
        starts = False
        last = pos == len(paragraphs) - 1
        if not is_title and is_heading_line(para, last):
            section, starts = para.text.rstrip("。"), True
        sentences = split_sentences(text, para.start, para.end)
        if not is_title and ENUM_HEAD.match(para.text) and sentences:
            section, starts = sentences[0].text.rstrip("。"), True
        first = True
        for sentence in sentences:
            for piece in split_long(text, sentence, limit):
                units.append(_Unit(piece, 0 if is_title else number, section, starts and first))
                first = False
    return units


def _absorb_scraps(text: str, groups: list[list[_Unit]], maximum: int, scrap: int = 40) -> list[list[_Unit]]:
    """Fold a scrap (a lone short sentence left before a section break) into the chunk before it."""
    out: list[list[_Unit]] = []
    for group in groups:
        if out and group[-1].span.end - group[0].span.start < scrap and not group[0].starts_section:
            prev = out[-1]
            joined = group[-1].span.end - prev[0].span.start <= maximum
            if joined and not text[prev[-1].span.end : group[0].span.start].strip():
                out[-1] = prev + [u for u in group if u.span.start >= prev[-1].span.end]
                continue
        out.append(group)
    return out


def chunk_document(
    doc: str, text: str, paragraphs: list[Span], meta: SpeechMeta, target: int, maximum: int, overlap: int,
) -> list[Chunk]:
    """Chunks of the kept paragraphs. Each chunk is a contiguous span of `text`; neighbours share at most
    `overlap` characters of whole sentences. A new section always starts a new chunk."""
    units = _units(text, paragraphs, meta, maximum)
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []

    def length(group: list[_Unit]) -> int:
        return group[-1].span.end - group[0].span.start

    for unit in units:
        # Text dropped by cleaning (a marker, a junk line) between two units must never end up inside a chunk.
        gap = bool(current) and bool(text[current[-1].span.end : unit.span.start].strip())
        hard = unit.starts_section or gap
        if current and (hard or length(current) >= target or length([*current, unit]) > maximum):
            groups.append(current)
            tail: list[_Unit] = []
            if not hard:
                for prev in reversed(current[1:]):  # never carry the whole previous chunk over
                    if length([prev, *tail]) > overlap or prev.paragraph != unit.paragraph:
                        break
                    tail.insert(0, prev)
            current = tail if tail and length([*tail, unit]) <= maximum else []
        current.append(unit)
    if current:
        groups.append(current)
    groups = _absorb_scraps(text, groups, maximum)

    chunks = []
    for i, group in enumerate(groups):
        start, end = group[0].span.start, group[-1].span.end
        body = text[start:end]
        first = next((u for u in group if u.paragraph), group[0])
        chunk = Chunk(
            id="", doc=doc, index=i, start=start, end=end, text=body, paragraph=group[0].paragraph,
            section=first.section, title=meta.title, speaker=meta.speaker, occasion=meta.occasion, date=meta.date,
        )
        chunk.id = chunk_id(doc, start, end, chunk.context())
        chunks.append(chunk)
    return chunks

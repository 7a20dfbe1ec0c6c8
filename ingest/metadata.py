"""Title, speaker and occasion of a speech, read from its title line. Unknown stays unknown (None)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.records import Span

__all__ = ["SpeechMeta", "extract_metadata", "is_title_line"]

_KINDS = r"(?:研讨|交流|专题|表态|总结|动员|主旨|典型|书面)?(?:发言|讲话|致辞|报告|汇报|演讲|讲稿)(?:材料|稿|提纲)?"
# "X在Y上的(研讨)发言(材料)", "X同志在Y会议上的讲话", "在Y上的发言" (no speaker), "——X在Y上的讲话" (subtitle)
_TITLE = re.compile(rf"^[—\-－\s]*(?P<speaker>.*?)(?:同志)?在(?P<occasion>.+?)(?:上|中|时)的{_KINDS}$")
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,：:]$")


@dataclass(slots=True)
class SpeechMeta:
    title: str | None
    title_derived: bool
    speaker: str | None
    occasion: str | None
    title_span: Span | None  # the title line inside the decoded text, when the file has one


def is_title_line(span: Span) -> bool:
    """A first line that is short and does not read as a sentence or a salutation."""
    text = span.text
    return 2 <= len(text) <= 60 and not _SENTENCE_PUNCT.search(text) and "，" not in text


def extract_metadata(paragraphs: list[Span]) -> SpeechMeta:
    if not paragraphs:
        return SpeechMeta(None, False, None, None, None)
    first = paragraphs[0]
    if is_title_line(first):
        title = first.text
        speaker = occasion = None
        if m := _TITLE.match(title):
            speaker = m.group("speaker").strip(" ：:—-") or None
            occasion = m.group("occasion").strip() or None
        return SpeechMeta(title, False, speaker, occasion, first)
    # No title line: a label made from the opening words, marked as derived so nobody takes it for the real title.
    opening = re.split(r"[，。！？；：,]", first.text.strip(), maxsplit=1)[0]
    label = opening[:24] + ("…" if len(opening) > 24 else "")
    return SpeechMeta(label or None, True, None, None, None)

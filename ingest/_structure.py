"""The outline of a speech: paragraph numbers as citations give them, and which lines and sentences are headings.

Chunking starts a new chunk at a section heading; pledge extraction names a pledge's topic after the nearest
heading of any level. Both read headings from here, so they cannot disagree about what a heading is.
"""

from __future__ import annotations

import re

from qa.core.records import Span

from ._metadata import SpeechMeta

__all__ = ["paragraph_numbers", "is_heading_line", "ENUM_HEAD", "is_topic_sentence", "topic_name", "review_sections"]

HEADING_LINE_MAX = 40  # a line of its own this short, with text after it, is a section heading
LEAD_SENTENCE_MAX = 30  # a paragraph's first sentence this short names what the paragraph is about
RUN_IN_MAX = 20  # a comma-free sentence this short inside a paragraph is a run-in sub-heading ("广泛开展学习宣传。")

_NUM = "[一二三四五六七八九十]"
# A paragraph that opens with "一、" / "（二）" / "第三，" names a section with its first sentence.
ENUM_HEAD = re.compile(rf"^(?:{_NUM}+、|（{_NUM}+）|第{_NUM}+[，、])")
_TOPIC_PREFIX = re.compile(rf"^(?:{_NUM}+、|（{_NUM}+）|第{_NUM}+[，、]|{_NUM}要)")
_SALUTATION = re.compile(r"[：:]$")


def paragraph_numbers(paragraphs: list[Span], meta: SpeechMeta) -> list[int]:
    """The number each kept paragraph is cited by: the title line is 0, the body counts from 1."""
    out, number = [], 0
    for para in paragraphs:
        if meta.title_span is not None and para.start == meta.title_span.start:
            out.append(0)
        else:
            number += 1
            out.append(number)
    return out


def is_heading_line(paragraph: Span, last: bool) -> bool:
    """A short line of its own, not a salutation ("同志们："), with text after it."""
    return not last and len(paragraph.text) <= HEADING_LINE_MAX and not _SALUTATION.search(paragraph.text)


def is_topic_sentence(sentence: Span, paragraph: Span, first: bool, last: bool) -> bool:
    """A heading of any level: a heading line, a numbered or short lead sentence, a run-in sub-heading."""
    if sentence.start == paragraph.start and sentence.end == paragraph.end and is_heading_line(paragraph, last):
        return True
    if sentence.text.endswith(("；", ";")):
        return False  # the first item of a list ("目标是：…；…；…"), never a heading
    if first and (len(sentence.text) <= LEAD_SENTENCE_MAX or ENUM_HEAD.match(sentence.text)):
        return True
    return len(sentence.text) <= RUN_IN_MAX and "，" not in sentence.text


def topic_name(heading: str) -> str | None:
    """The heading without its number, up to its first pause: "一、坚持学习，…" → "坚持学习"."""
    return re.split(r"[。；，]", _TOPIC_PREFIX.sub("", heading), maxsplit=1)[0] or None


# A section heading that announces an account of the past: "一、2024年工作回顾", "一、过去五年的工作",
# "一、改革开放和现代化建设取得伟大成就的五年", "过去五年的回顾" (a heading line of its own).
_REVIEW = re.compile(r"回顾|过去[^，。；]{0,10}(?:工作|成就|成绩)|(?:取得|伟大)[^，。；]{0,12}(?:成就|成绩)|基本总结|工作总结"
                     r"|历史性(?:成就|转变)")
_TOP = re.compile(rf"^{_NUM}+、")


def review_sections(paragraphs: list[Span]) -> list[tuple[int, int]]:
    """(start, end) offsets of the sections that review past work: from a top-level heading ("一、…" or a heading
    line) that announces a review, up to the next heading of the same kind. What is said there is an account of
    what was done, not a commitment, even where it reads like one ("实施大规模减税降费政策")."""
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    numbered = False
    for i, para in enumerate(paragraphs):
        heading = re.split(r"[。；]", para.text, maxsplit=1)[0]
        is_top = bool(_TOP.match(para.text))
        is_line = not is_top and is_heading_line(para, i == len(paragraphs) - 1) and not re.search(r"[。，；]", para.text)
        if open_at is not None and ((numbered and is_top) or (not numbered and (is_top or is_line))):
            out.append((open_at, para.start))
            open_at = None
        if open_at is None and (is_top or is_line) and len(heading) <= HEADING_LINE_MAX and _REVIEW.search(heading):
            open_at, numbered = para.start, is_top
    if open_at is not None:
        out.append((open_at, paragraphs[-1].end))
    return out

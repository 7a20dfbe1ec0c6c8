"""The outline of a speech that ingest, pledges and answers read: paragraph numbers as citations give them, which
lines and sentences are headings, and which sections review past work (an account of what was done, not a commitment
or a requirement).

Chunking starts a new chunk at a section heading; pledge reading names a pledge's topic after the nearest heading of
any level. Both read headings from here, so they cannot disagree about what a heading is.
"""

from __future__ import annotations

import re

from qa.core.lexicon.measures import STATES_FIGURE
from qa.core.lexicon.tense import REVIEW_HEADING
from qa.core.records import Span

__all__ = ["HEADING_LINE_MAX", "ENUM_HEAD", "is_heading_line", "is_topic_sentence", "paragraph_numbers", "paragraphs_of",
           "review_sections", "topic_name"]

HEADING_LINE_MAX = 40  # a line of its own this short, with text after it, is a section heading
_NUM = "[一二三四五六七八九十]"
_SALUTATION = re.compile(r"[：:]$")


def is_heading_line(paragraph: Span, last: bool) -> bool:
    """A short line of its own, not a salutation ("同志们："), with text after it."""
    return not last and len(paragraph.text) <= HEADING_LINE_MAX and not _SALUTATION.search(paragraph.text)


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
        if open_at is None and (is_top or is_line) and len(heading) <= HEADING_LINE_MAX and REVIEW_HEADING.search(heading):
            open_at, numbered = para.start, is_top
    if open_at is not None:
        out.append((open_at, paragraphs[-1].end))
    return out


def paragraphs_of(pieces: list[tuple[int, str]]) -> list[Span]:
    """A document's lines as spans, from pieces of its text at their offsets (its passages, which overlap and may
    cut a paragraph anywhere): the pieces are joined first, so each line is whole where the pieces cover it."""
    joined: list[tuple[int, list[str]]] = []  # (start, parts): the parts are joined once, at the end
    end = -1
    for start, text in sorted(pieces):
        if joined and start <= end:
            if start + len(text) > end:
                joined[-1][1].append(text[end - start:])
                end = start + len(text)
        else:
            joined.append((start, [text]))
            end = start + len(text)
    lines: list[Span] = []
    for start, parts in joined:
        text = "".join(parts)
        pos = 0
        for line in text.split("\n"):
            if line.strip():
                at = start + pos + (len(line) - len(line.lstrip()))
                lines.append(Span(at, at + len(line.strip()), line.strip()))
            pos += len(line) + 1
    return lines


LEAD_SENTENCE_MAX = 30  # a paragraph's first sentence this short names what the paragraph is about
RUN_IN_MAX = 20  # a comma-free sentence this short inside a paragraph is a run-in sub-heading ("广泛开展学习宣传。")

# A paragraph that opens with "一、" / "（二）" / "第三，" names a section with its first sentence.
ENUM_HEAD = re.compile(rf"^(?:{_NUM}+、|（{_NUM}+）|第{_NUM}+[，、])")
_TOPIC_PREFIX = re.compile(rf"^(?:{_NUM}+、|（{_NUM}+）|第{_NUM}+[，、]|{_NUM}要)")


def paragraph_numbers(paragraphs: list[Span], title_span: Span | None) -> list[int]:
    """The number each kept paragraph is cited by: the title line is 0, the body counts from 1."""
    out, number = [], 0
    for para in paragraphs:
        if title_span is not None and para.start == title_span.start:
            out.append(0)
        else:
            number += 1
            out.append(number)
    return out


def is_topic_sentence(sentence: Span, paragraph: Span, first: bool, last: bool) -> bool:
    """A heading of any level: a heading line, a numbered or short lead sentence, a run-in sub-heading."""
    # a whole sentence with a pause in it (“年底前建成…，实现…。”) is content even on a short line of its own
    # or states a figure (“新建社区养老服务站10个。”: headings name a topic, they do not count)
    sentence_like = sentence.text.endswith(("。", "！")) and ("，" in sentence.text or bool(STATES_FIGURE.search(sentence.text)))
    if (sentence.start == paragraph.start and sentence.end == paragraph.end and is_heading_line(paragraph, last)
            and not sentence_like):
        return True
    if sentence.text.endswith(("；", ";")):
        return False  # the first item of a list ("目标是：…；…；…"), never a heading
    alone = sentence.end >= paragraph.end  # a paragraph of one sentence leads nothing
    if first and (ENUM_HEAD.match(sentence.text) or (len(sentence.text) <= LEAD_SENTENCE_MAX
                                                     and not (alone and sentence_like))):
        return True
    return len(sentence.text) <= RUN_IN_MAX and "，" not in sentence.text and not sentence_like


def topic_name(heading: str) -> str | None:
    """The heading without its number, up to its first pause: "一、坚持学习，…" → "坚持学习"."""
    return re.split(r"[。；，]", _TOPIC_PREFIX.sub("", heading), maxsplit=1)[0] or None

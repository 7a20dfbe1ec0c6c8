"""The outline of a speech: paragraph numbers as citations give them, and which lines and sentences are headings.

Chunking starts a new chunk at a section heading; pledge extraction names a pledge's topic after the nearest
heading of any level. Both read headings from here, so they cannot disagree about what a heading is.
"""

from __future__ import annotations

import re

from qa.core.outline import _NUM, is_heading_line, review_sections
from qa.core.records import Span

from ._metadata import SpeechMeta

__all__ = ["paragraph_numbers", "is_heading_line", "ENUM_HEAD", "is_topic_sentence", "topic_name", "review_sections"]

LEAD_SENTENCE_MAX = 30  # a paragraph's first sentence this short names what the paragraph is about
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个|项|家|所|座|户|套|人|辆|亿|万|公里|吨|亩)")
RUN_IN_MAX = 20  # a comma-free sentence this short inside a paragraph is a run-in sub-heading ("广泛开展学习宣传。")

# A paragraph that opens with "一、" / "（二）" / "第三，" names a section with its first sentence.
ENUM_HEAD = re.compile(rf"^(?:{_NUM}+、|（{_NUM}+）|第{_NUM}+[，、])")
_TOPIC_PREFIX = re.compile(rf"^(?:{_NUM}+、|（{_NUM}+）|第{_NUM}+[，、]|{_NUM}要)")


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


def is_topic_sentence(sentence: Span, paragraph: Span, first: bool, last: bool) -> bool:
    """A heading of any level: a heading line, a numbered or short lead sentence, a run-in sub-heading."""
    # a whole sentence with a pause in it (“年底前建成…，实现…。”) is content even on a short line of its own
    # or states a figure (“新建社区养老服务站10个。”: headings name a topic, they do not count)
    sentence_like = sentence.text.endswith(("。", "！")) and ("，" in sentence.text or bool(_FIGURE.search(sentence.text)))
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

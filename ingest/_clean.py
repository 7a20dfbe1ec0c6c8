"""Find the speech inside a decoded file: paragraphs as spans, with junk lines and markers left out.

Cleaning never rewrites a character: it only decides which spans of the decoded text are kept.
"""

from __future__ import annotations

import re

from qa.core.records import Span
from qa.core.text import iter_lines, strip_span

__all__ = ["JUNK_LINES", "MARKERS", "clean"]

# Whole lines that are not part of a speech (download sites, document passwords, page furniture).
JUNK_LINES = [
    re.compile(p)
    for p in (
        r"^本文档(?:编辑)?密码\s*[:：]",
        r"^(?:文档|资料)?(?:编辑|打开|解压)?密码\s*[:：]",
        r"(?:本文|文档|资料)(?:来源|来自|下载(?:于|自)?)\s*[:：]?\s*(?:https?://|www\.)",
        r"^(?:https?://|www\.)\S+$",
        r"^(?:更多|免费)?(?:精品)?(?:资料|文档|范文)(?:下载|请访问|请关注)",
        r"^第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?$",
        r"^-?\s*\d+\s*-?$",  # bare page numbers from PDFs
        r"^[-=_*·—~]{3,}$",
    )
]
# Markers that may stand inside a line that otherwise belongs to the speech.
MARKERS = re.compile(r"##paid(?:begin|end)##|##end##|\[(?:付费|隐藏)内容\]")


def clean(text: str) -> tuple[list[Span], list[Span]]:
    """(kept paragraphs, dropped pieces). Every kept span satisfies `span.text == text[span.start:span.end]`."""
    kept: list[Span] = []
    dropped: list[Span] = []
    for start, end in iter_lines(text):
        line = strip_span(text, start, end)
        if line is None:
            continue
        if any(p.search(line.text) for p in JUNK_LINES):
            dropped.append(line)
            continue
        pos = line.start
        for m in MARKERS.finditer(text, line.start, line.end):
            if (piece := strip_span(text, pos, m.start())) is not None:
                kept.append(piece)
            dropped.append(Span(m.start(), m.end(), m.group()))
            pos = m.end()
        if (piece := strip_span(text, pos, line.end)) is not None:
            kept.append(piece)
    return kept, dropped

"""Files staff take away: Word copies of answers, written atomically (`qa.core.files.atomic_write`)."""

from __future__ import annotations

from pathlib import Path

from qa.core.dates import display_date
from qa.core.files import atomic_write
from qa.core.records import Answer, Citation

__all__ = ["write_answer_docx", "citation_note", "quoted"]


def citation_note(c: Citation) -> str:
    """A source as an office cites it: 《标题》、讲话人、2023年3月5日、场合、第n段."""
    parts = [f"《{c.title or c.doc}》", c.speaker or "讲话人未知", display_date(c.date), c.occasion,
             f"第{c.paragraph}段" if c.paragraph else "标题"]
    return "、".join(p for p in parts if p)


def quoted(c: Citation) -> str:
    """The sentences an answer quotes from this passage (joined by “……”), or the whole passage."""
    spans = sorted(c.highlights)
    return "……".join(c.text[s - c.start : e - c.start] for s, e in spans) if spans else c.text


def write_answer_docx(ans: Answer, path: Path) -> Path:
    """The question, the answer with its [n] marks, and the sources as numbered notes with the quoted words."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    doc.add_heading("问答摘录", level=1)
    p = doc.add_paragraph()
    p.add_run("问：").bold = True
    p.add_run(ans.question)
    p = doc.add_paragraph()
    p.add_run("答：").bold = True
    p.add_run(ans.answer)
    if ans.citations:
        doc.add_heading("出处", level=2)
        for c in ans.citations:
            doc.add_paragraph(f"[{c.n}] {citation_note(c)}：“{quoted(c)}”")
    for w in ans.warnings:
        doc.add_paragraph(f"注意：{w}")
    return atomic_write(path, doc.save)

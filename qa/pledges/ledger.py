"""督办台账: a speech's pledges as a ledger of tasks staff follow up (Excel, Word or JSON).

One row per pledge, in the order `qa pledges` lists them. The lead unit and the deadline are filled only where the
pledge's own words state them (“由市工信局牵头”, “年底前”, “到2025年”); otherwise they stay empty, never guessed.
落实情况 and 落实出处 give what `qa follow` found of each of the pledge's targets in later documents (the status, its
reason, and the later passage cited), or why it was not followed (no date; nothing after it yet)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from qa.core.chinese import deadline, lead_unit
from qa.core.dates import display_date
from qa.core.files import atomic_write, text_cell
from qa.core.records import Pledge
from qa.pledges.follow import FollowReport, FollowUp

__all__ = ["LedgerRow", "ledger_rows", "write_xlsx", "write_docx", "COLUMNS", "sheet_title"]

# (header, field, width in characters): widths sum to what an A4 landscape page prints at 10 pt
COLUMNS = [("序号", "n", 5), ("讲话人", "speaker", 9), ("讲话/场合", "occasion", 16), ("专题", "topic", 11),
           ("工作内容", "content", 36), ("牵头/责任单位", "lead", 11), ("时限", "deadline", 8), ("出处", "source", 15),
           ("落实情况", "progress", 20), ("落实出处", "progress_source", 16)]

@dataclass(slots=True)
class LedgerRow:
    n: int
    speaker: str
    occasion: str
    topic: str
    content: str
    lead: str
    deadline: str
    source: str
    progress: str
    progress_source: str
    doc: str
    paragraph: int
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


def _progress(followed: list[FollowUp]) -> tuple[str, str]:
    """(落实情况, 落实出处) of one pledge's targets: each target's status and reason, each account's source."""
    if not followed:
        return "", ""
    many = len(followed) > 1
    states, sources, quoted = [], [], {}
    for k, f in enumerate(followed, 1):
        mark = f"{k}. " if many else ""
        states.append(f"{mark}{f.label}：{f.reason}")
        for a in f.accounts[:1]:
            when = f"（{display_date(a.date)}）" if a.date else ""
            quote = f"《{a.title or a.doc}》{when}：“{a.text}”"
            same = next((j for j, q in quoted.items() if q == quote), None)  # one passage, quoted once
            sources.append(f"{mark}同{same}" if same else f"{mark}{quote}")
            quoted.setdefault(k, quote)
    return "\n".join(states), "\n".join(sources)


def ledger_rows(pledges: list[Pledge], occasions: dict[str, str | None] | None = None,
                followed: FollowReport | None = None, unfollowed: dict[str, str] | None = None) -> list[LedgerRow]:
    """`occasions`: doc → 场合 (from the document records), shown after the speech's title; `followed`: what
    `qa follow` found of these pledges' targets; `unfollowed`: doc → why its pledges were not followed."""
    by_pledge = followed.by_pledge() if followed else {}
    rows = []
    for i, p in enumerate(pledges, 1):
        progress, progress_source = _progress(by_pledge.get((p.doc, p.start), []))
        progress = progress or (unfollowed or {}).get(p.doc, "")
        title = f"《{p.title}》" if p.title else p.doc
        about = "，".join(x for x in (display_date(p.date), (occasions or {}).get(p.doc)) if x)
        rows.append(LedgerRow(
            n=i, speaker=p.speaker or "未知", occasion=title + (f"（{about}）" if about else ""),
            topic=p.topic or "", content=p.text, lead=lead_unit(p.text), deadline=deadline(p.text),
            source=f"{title}第{p.paragraph}段" if p.paragraph else f"{title}标题", progress=progress,
            progress_source=progress_source, doc=p.doc, paragraph=p.paragraph,
            start=p.start, end=p.end))
    return rows


def _cell_text(value) -> str | int:
    """A cell's content as text: never a formula (a value starting with = + - @ stays literal text)."""
    return value if isinstance(value, int) else str(value)


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\, not starting or ending with '."""
    return re.sub(r"[\[\]:*?/\\]", "_", title)[:31].strip("'") or "督办台账"


def write_xlsx(rows: list[LedgerRow], path: Path, title: str = "督办台账") -> Path:
    """Excel: frozen header, wrapped text, widths and page setup that print on A4 landscape."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (header, _field, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[cell.column_letter].width = width
    for r, row in enumerate(rows, 2):
        data = row.to_dict()
        for col, (_header, field, _width) in enumerate(COLUMNS, 1):
            cell = ws.cell(row=r, column=col)
            cell.value = _cell_text(data[field])
            text_cell(cell)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return atomic_write(path, wb.save)


# Word: each column's width on A4 landscape (27.1 cm between 1.3 cm margins), 工作内容 the widest, so a page holds
# many rows; Word and LibreOffice keep them only with a fixed layout and the width on the grid and every cell.
DOCX_WIDTHS_CM = {"n": 0.9, "speaker": 1.6, "occasion": 4.2, "topic": 1.9, "content": 6.3, "lead": 1.8,
                  "deadline": 1.5, "source": 1.3, "progress": 4.0, "progress_source": 3.6}
_DOCX_MARGIN_CM = 1.3


def _fixed_table(table, widths_cm: list[float]) -> None:
    """Fixed layout, the table's width and each grid column's width (twentieths of a point, as Word stores them)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    twips = [round(w / 2.54 * 1440) for w in widths_cm]
    tbl_pr = table._tbl.tblPr
    for tag, attrs in (("w:tblW", {"w:w": str(sum(twips)), "w:type": "dxa"}), ("w:tblLayout", {"w:type": "fixed"})):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        tbl_pr.append(el)
    margins = OxmlElement("w:tblCellMar")  # narrow cell padding: more text per line
    for side, w in (("top", 20), ("left", 57), ("bottom", 20), ("right", 57)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(w))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(w))


def write_docx(rows: list[LedgerRow], path: Path, title: str = "督办台账") -> Path:
    """Word: a landscape A4 page with a heading and one table in the ledger's columns (header repeated per page),
    工作内容 the widest column, text at 9 pt so a page holds many rows."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(_DOCX_MARGIN_CM))
    doc.add_heading(title, level=1)
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    widths = [DOCX_WIDTHS_CM[field] for _name, field, _w in COLUMNS]
    _fixed_table(table, widths)
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, (name, _field, _w) in zip(header.cells, COLUMNS, strict=True):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        data = row.to_dict()
        # the speech is named in 讲话/场合 beside it: 出处 need only say where in it
        data["source"] = f"第{row.paragraph}段" if row.paragraph else "标题"
        for cell, (_name, field, _w) in zip(table.add_row().cells, COLUMNS, strict=True):
            cell.text = str(data[field])
    for r in table.rows:
        for cell, w in zip(r.cells, widths, strict=True):
            cell.width = Cm(w)
            for par in cell.paragraphs:
                par.paragraph_format.space_after = Pt(0)
                par.paragraph_format.line_spacing = 1.0
                for run in par.runs:
                    run.font.size = Pt(9)
    return atomic_write(path, doc.save)

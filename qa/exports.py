"""Files staff take away, written atomically (`qa.core.files.atomic_write`): Word copies of answers, the 摘编 as a
Word document, a 提法's chart (PNG) and counts (Excel)."""

from __future__ import annotations

import re
from pathlib import Path

from qa.core.dates import UNDATED, display_date
from qa.core.files import atomic_write, text_cell
from qa.core.records import Answer, Citation

__all__ = ["write_answer_docx", "citation_note", "paragraph_label", "quoted", "write_digest_docx", "write_trend_png", "write_trend_xlsx",
           "trend_series"]


def citation_note(c: Citation) -> str:
    """A source as an office cites it: 《标题》、讲话人、2023年3月5日、场合、第n段."""
    parts = [f"《{c.title or c.doc}》", c.speaker or "讲话人未知", display_date(c.date), c.occasion, paragraph_label(c)]
    return "、".join(p for p in parts if p)


def paragraph_label(c) -> str:
    """Where in the speech a passage stands, as a 文秘 cites it: 第n段; a passage starting at the title line (numbered
    0) is 标题 when it is the title alone, else 标题及正文开头 (it runs on into the body)."""
    if c.paragraph:
        return f"第{c.paragraph}段"
    text, title = re.sub(r"\s+", "", c.text or ""), re.sub(r"\s+", "", getattr(c, "title", None) or "")
    return "标题" if text and title and text in title else "标题及正文开头"


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


# -- 摘编 (a Word document in the form such compilations take) ------------------------------------------------------
_BODY_FONT, _HEAD_FONT, _NOTE_FONT = "仿宋_GB2312", "黑体", "楷体_GB2312"


def _font(run, east_asian: str, size: float, bold: bool = False) -> None:
    """A run in a Chinese font: Word uses it where installed, else its own substitute (仿宋 → FangSong …)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size, run.font.bold = Pt(size), bold
    run.font.name = east_asian
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _page_numbers(section) -> None:
    """A centred “— n —” in the footer, as official documents number their pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    par = section.footer.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(par.add_run("— "), "宋体", 14)
    run = par.add_run()
    _font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _font(par.add_run(" —"), "宋体", 14)


def write_digest_docx(digest, path: Path) -> Path:
    """摘编 as a Word document: a title, a 说明 of the sources and date range, a heading per year or speaker, each
    excerpt (whole sentences, 仿宋 三号, first line indented two characters) with its source in 楷体 after it; A4
    with the margins and page numbers of official documents."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    _page_numbers(section)

    def paragraph(indent: bool = True):
        par = doc.add_paragraph()
        par.paragraph_format.line_spacing = Pt(28)
        par.paragraph_format.first_line_indent = Pt(32) if indent else None
        return par

    title = paragraph(indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"关于“{digest.topic}”的讲话摘编"), _HEAD_FONT, 22)
    note = paragraph()
    _font(note.add_run("说明："), _HEAD_FONT, 16)
    _font(note.add_run(digest.explanation()), _BODY_FONT, 16)
    if not digest.excerpts:
        _font(paragraph().add_run(f"资料中没有谈及“{digest.topic}”的内容。"), _BODY_FONT, 16)
    for heading, items in digest.groups:
        head = paragraph(indent=False)
        head.paragraph_format.space_before = Pt(12)
        _font(head.add_run(heading), _HEAD_FONT, 16)
        for e in items:
            par = paragraph()
            _font(par.add_run(e.text), _BODY_FONT, 16)
            also = f"；又见{'；'.join(e.also_notes)}" if e.also else ""
            _font(par.add_run(f"（{e.note()}{also}）"), _NOTE_FONT, 14)
    return atomic_write(path, doc.save)


# -- 提法 (a chart, and the counts in Excel) ---------------------------------------------------------------------------
def cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")
                 if n in names), None)


def trend_series(trend) -> tuple[list[str], dict[str, list[float]]]:
    """What the chart draws: the keys along the x axis and each term's passages. By year the keys are every year of
    the archive's span; a year with documents and no use of the term is a real 0, a year without documents NaN (the
    line breaks there instead of running through a year nothing was read for). Undated documents are left out."""
    keys = [k for k in trend.columns() if k != UNDATED]
    empty = {y for y, n in trend.span() if not n}
    series = {}
    for t in trend.terms:
        counts = {b.key: b.passages for b in t.buckets}
        series[t.term] = [float("nan") if k in empty else float(counts.get(k, 0)) for k in keys]
    return keys, series


def write_trend_png(trend, path: Path) -> Path:
    """The terms' passages per year (a line each) or per speaker (bars); undated documents left out of the chart and
    said so under it. Needs a Chinese font (fonts-noto-cjk); without one the labels would be empty boxes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    if font is None:
        from qa.core.errors import ConfigError

        raise ConfigError("画图需要中文字体：请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）。")
    plt.rcParams["font.sans-serif"], plt.rcParams["axes.unicode_minus"] = [font], False
    keys, series = trend_series(trend)
    if not any(b.passages for t in trend.terms for b in t.buckets if b.key != UNDATED):
        from qa.core.errors import InputError

        raise InputError("没有可画的数据：所选提法在带日期的文件中都没有出现" if trend.by == "year"
                         else "没有可画的数据：所选提法在资料中都没有出现")
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    for i, (term, values) in enumerate(series.items()):
        if trend.by == "year":  # years on a number line; a year without documents is a break in the line (NaN)
            ax.plot([int(k) for k in keys], values, marker="o", label=term, clip_on=False, zorder=3)
        else:
            width = 0.8 / max(1, len(trend.terms))
            ax.bar([x + i * width for x in range(len(keys))], values, width=width, label=term)
    if trend.by != "year":
        ax.set_xticks([x + 0.4 - 0.4 / max(1, len(trend.terms)) for x in range(len(keys))], keys)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for year, n in trend.span():  # a year nothing was read for is shaded and said so, not drawn as 0
            if not n:
                ax.axvspan(int(year) - 0.4, int(year) + 0.4, color="#eeeeee", zorder=0)
                ax.text(int(year), 0.5, "无文件", transform=ax.get_xaxis_transform(), ha="center", va="center",
                        color="#9e9e9e", fontsize=10)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.set_ylabel("使用该提法的段落数")
    ax.set_xlabel("年份" if trend.by == "year" else "讲话人")
    ax.set_title("提法使用情况：" + "、".join(t.term for t in trend.terms))
    ax.legend()
    ax.grid(alpha=0.3)
    plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
    undated = sum(b.passages for t in trend.terms for b in t.buckets if b.key == UNDATED)
    notes = [trend.gap_note()] if trend.by == "year" and trend.gap_note() else []
    if trend.by == "year" and undated:
        notes.append(f"另有未注明日期的文件中 {undated} 段未计入图中。")
    fig.tight_layout(rect=(0, 0.05 if notes else 0, 1, 1))
    if notes:
        fig.text(0.01, 0.01, "".join(notes), fontsize=9, color="#555555")
    try:
        return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png"))
    finally:
        plt.close(fig)


def write_trend_xlsx(trend, path: Path) -> Path:
    """One row per year (or speaker), per term its documents and passages, with a line chart; the first uses and
    the neighbouring formulations on sheets of their own."""
    from openpyxl import Workbook
    from openpyxl.chart import LineChart, Reference
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "按年份" if trend.by == "year" else "按讲话人"
    ws.append(["年份" if trend.by == "year" else "讲话人", *[f"{t.term}（段）" for t in trend.terms],
               *[f"{t.term}（篇）" for t in trend.terms], *(["当年收录文件（篇）"] if trend.span() else [])])
    read = dict(trend.span())
    for k in trend.columns():
        row = [k]
        for field in ("passages", "documents"):  # a year without documents: empty cells, a gap in the chart
            row += [None if read.get(k, 1) == 0 else next((getattr(b, field) for b in t.buckets if b.key == k), 0)
                    for t in trend.terms]
        if read:
            row.append(read.get(k, trend.undated if k == UNDATED else 0))
        ws.append([str(x) if isinstance(x, str) else x for x in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    if ws.max_row > 1:
        chart = LineChart()
        chart.title, chart.y_axis.title = "使用该提法的段落数", "段"
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(trend.terms), min_row=1, max_row=ws.max_row),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=ws.max_row))
        ws.add_chart(chart, f"{get_column_letter(2 * len(trend.terms) + 3)}2")
    first = wb.create_sheet("最早出处")
    first.append(["提法", "日期", "标题", "讲话人", "段", "原文", "文件", "起", "止"])
    for t in trend.terms:
        f = t.first or {}
        first.append([t.term, f.get("date"), f.get("title"), f.get("speaker"), f.get("paragraph"), f.get("text"),
                      f.get("doc"), f.get("start"), f.get("end")])
    near = wb.create_sheet("相关提法")
    near.append(["提法", "相关提法", "类型", "篇数", "次数", "最早"])
    for t in trend.terms:
        for v in t.variants:
            near.append([t.term, v.phrase, "含原提法" if v.kind == "extends" else "共用关键词", v.documents, v.mentions,
                         v.first])
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text_cell(cell)
    return atomic_write(path, wb.save)

"""The target table as staff read it: printed, in Excel (a row per indicator and year, a chart per indicator) and as
a PNG (per indicator the target as a band or a mark, the result as a line)."""

from __future__ import annotations

from pathlib import Path

from qa.core.files import atomic_write, text_cell
from qa.pledges.table import Stated, Table, TableRow

__all__ = ["VERDICTS", "format_table", "target_cells", "write_table_xlsx", "write_table_png"]

VERDICTS = {"met": "已实现", "not_met": "未实现", None: "无法判定"}
TARGET_COLUMNS = ["指标", "年份", "目标", "实际", "结论", "说明", "目标出处", "实际出处"]


def _where(s: Stated | None) -> str:
    return f"{s.doc} 字符 {s.start}–{s.end}" if s else ""


def target_cells(row: TableRow) -> list:
    """One row as the table shows it (TARGET_COLUMNS)."""
    return [row.term, row.year, row.target.text if row.target else "—", row.result.text if row.result else "—",
            VERDICTS[row.status], row.reason, _where(row.target), _where(row.result)]


def format_table(table: Table) -> str:
    if not table.rows:
        return "所收报告中没有找到这些指标的目标或实际数字：" + "、".join(table.terms)
    out: list[str] = []
    for term in table.terms:
        rows = [r for r in table.rows if r.term == term]
        out.append(f"【{term}】" + ("" if rows else " 没有找到目标或实际数字"))
        for r in rows:
            out.append(f"  {r.year}  目标：{r.target.text if r.target else '—'}  实际：{r.result.text if r.result else '—'}"
                       f"  {VERDICTS[r.status]}" + ("" if r.status else f"（{r.reason}）"))
            for label, s in (("目标", r.target), ("实际", r.result)):
                if s:
                    out.append(f"        {label}出处：{_where(s)}")
    return "\n".join(out)


def _series(table: Table, term: str) -> tuple[list[int], list, list, list]:
    """Years, the target's low and high (a band; one value for a single bound) and the result, None where absent."""
    rows = sorted((r for r in table.rows if r.term == term), key=lambda r: r.year)
    years = [r.year for r in rows]
    low = [r.target.value if r.target else None for r in rows]
    high = [(r.target.high or r.target.value) if r.target else None for r in rows]
    got = [r.result.value if r.result and r.result.value is not None else None for r in rows]
    return years, low, high, got


def write_table_xlsx(table: Table, path: Path) -> Path:
    """The rows on one sheet; per indicator a sheet of its series with a line chart (target low and high, result)."""
    from openpyxl import Workbook
    from openpyxl.chart import LineChart, Reference
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "目标完成情况"
    ws.append(TARGET_COLUMNS)
    for r in table.rows:
        ws.append(target_cells(r))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for term in table.terms:
        years, low, high, got = _series(table, term)
        if not years:
            continue
        sheet = wb.create_sheet(term[:28])
        sheet.append(["年份", "目标（下限或目标值）", "目标（上限）", "实际"])
        for row in zip(years, low, high, got, strict=True):
            sheet.append([str(row[0]), *row[1:]])
        chart = LineChart()
        chart.title, chart.y_axis.title, chart.x_axis.title = f"{term}：目标与实际", "数值", "年份"
        chart.add_data(Reference(sheet, min_col=2, max_col=4, min_row=1, max_row=sheet.max_row), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=sheet.max_row))
        sheet.add_chart(chart, "F2")
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text_cell(cell)
    return atomic_write(path, wb.save)


def write_table_png(table: Table, path: Path) -> Path:
    """One panel per indicator: the target as a band (a range) or a mark, the result as a line, years on a number
    line. Needs a Chinese font, as the 提法 chart does."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qa.core.errors import ConfigError, InputError
    from qa.exports import cjk_font

    font = cjk_font()
    if font is None:
        raise ConfigError("画图需要中文字体：请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）。")
    terms = [t for t in table.terms if any(r.term == t for r in table.rows)]
    if not terms:
        raise InputError("没有可画的数据：所收报告中没有这些指标的目标或实际数字。")
    plt.rcParams["font.sans-serif"], plt.rcParams["axes.unicode_minus"] = [font], False
    fig, axes = plt.subplots(len(terms), 1, figsize=(9, 3.2 * len(terms)), dpi=110, squeeze=False)
    for ax, term in zip(axes[:, 0], terms, strict=True):
        years, low, high, got = _series(table, term)
        marks = [(y, lo, hi) for y, lo, hi in zip(years, low, high, strict=True) if lo is not None]
        for y, lo, hi in marks:  # a range as a band, a single figure as a bar across its year
            if hi > lo:
                ax.fill_between([y - 0.3, y + 0.3], lo, hi, color="#90caf9", alpha=0.7, linewidth=0)
            else:
                ax.hlines(lo, y - 0.3, y + 0.3, color="#1565c0", linewidth=3)
        ax.plot([], [], color="#1565c0", linewidth=3, label="目标（区间为色带）")
        ax.plot(years, [float("nan") if v is None else v for v in got], marker="o", color="#c62828", label="实际")
        for r in table.rows:
            if r.term == term and r.status and r.result and r.result.value is not None:
                ax.annotate(VERDICTS[r.status], (r.year, r.result.value), textcoords="offset points", xytext=(0, 6),
                            ha="center", fontsize=8, color="#2e7d32" if r.status == "met" else "#c62828")
        units = {s.unit for r in table.rows if r.term == term for s in (r.target, r.result) if s and s.unit}
        ax.set_title(f"{term}：目标与实际" + (f"（{'、'.join(sorted(units))}）" if units else ""))
        ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
        ax.set_xticks(range(min(years), max(years) + 1, max(1, (max(years) - min(years)) // 12 + 1)))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    try:
        return atomic_write(path, lambda tmp: fig.savefig(tmp, format="png"))
    finally:
        plt.close(fig)

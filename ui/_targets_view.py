"""主要目标完成情况, in the 承诺 tab: per headline indicator and year the target and the result, each cited, a chart,
and the table in Excel."""

from __future__ import annotations

from qa import (
    QA,
    TARGET_COLUMNS,
    QAError,
    display_date,
    safe_name,
    target_cells,
    write_table_png,
    write_table_xlsx,
)

from ._choices import working
from ._render import drawn, esc
from ._rundir import export_path

__all__ = ["targets_view", "targets_html", "source", "HEADLINE"]

HEADLINE = "经济增长、居民消费价格、城镇新增就业、城镇调查失业率、城镇登记失业率"


def source(qa: QA, stated) -> str:
    """Where a target or result stands, as staff cite it: 《title》, date, 第n段."""
    doc = qa.index.docs.get(stated.doc)
    number = next((n for n, line in qa.index.lines(stated.doc) if line.start <= stated.start < line.end), None)
    parts = [f"《{doc.title}》" if doc and doc.title else stated.doc, display_date(doc.date) if doc else ""]
    return "，".join(p for p in parts + [f"第{number}段" if number else ""] if p)


def targets_html(table, where=lambda stated: "") -> str:
    """The table; `where` names a target's or result's source (`source`)."""
    if not table.rows:
        return f'<div class="qa-warn">所收报告中没有找到这些指标的目标或实际数字：{esc("、".join(table.terms))}</div>'
    head = "".join(f"<th>{esc(c)}</th>" for c in TARGET_COLUMNS[:6])
    body = []
    for row in table.rows:
        cells = target_cells(row)
        css = {"met": "qa-met", "not_met": "qa-not-met"}.get(row.status, "qa-undecided")
        sources = "<br>".join(esc(f"{label}：{where(s)}") for label, s in (("目标", row.target), ("实际", row.result)) if s)
        body.append(f'<tr class="{css}">' + "".join(f"<td>{esc(str(c))}</td>" for c in cells[:5])
                    + f'<td>{esc(cells[5])}<div class="qa-source">{sources}</div></td></tr>')
    return (f'<table class="qa-targets" id="qa-targets-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def targets_view(gr, qa: QA, who):
    """The view's controls, under the pledges of the tab; `who` is the tab's speaker picker."""

    def run(terms: str, speaker: str):
        try:
            table = qa.targets(terms or HEADLINE, speaker=speaker or None)
            name = safe_name(f"{speaker or ''}主要目标完成情况", "主要目标完成情况")
            xlsx = str(write_table_xlsx(table, export_path(f"{name}.xlsx")))
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>', gr.update(value=None, visible=False), None, None
        png, warn = drawn(write_table_png, table, export_path(f"{name}.png"))
        return warn + targets_html(table, lambda stated: source(qa, stated)), gr.update(value=png, visible=bool(png)), png, xlsx

    with gr.Accordion("主要目标完成情况（每年的预期目标与次年报告的实际数字）", open=False, elem_id="qa-targets"):
        with gr.Row():
            terms = gr.Textbox(label="指标（顿号隔开）", value=HEADLINE, scale=4, elem_id="qa-targets-terms",
                               max_length=qa.settings.max_question_chars)
            button = gr.Button("列出目标完成情况", variant="primary", scale=1, elem_id="qa-targets-btn")
        gr.Markdown("目标取自当年报告的计划部分，实际取自次年报告对上一年的回顾；只有同一指标、同一年的数字（或次年报告明说"
                    "实现或没有实现目标）才下结论，五年合计、年均数不作为当年实际。调查失业率与登记失业率是两个指标。")
        chart = gr.Image(label="目标与实际", type="filepath", interactive=False, elem_id="qa-targets-chart", visible=False,
                         buttons=["fullscreen"])
        with gr.Row():
            png = gr.DownloadButton("下载图片", value=None, elem_id="qa-targets-png")
            xlsx = gr.DownloadButton("下载 Excel", value=None, elem_id="qa-targets-xlsx")
        view = gr.HTML(elem_id="qa-targets-result")
        for trigger in (button.click, terms.submit):
            working(trigger, run, [terms, who], [view, chart, png, xlsx], "正在列出目标完成情况……")

"""The 摘编 and 提法 tabs: a topic's excerpts in date order, ready to print; a formulation's use over the years, as a
chart."""

from __future__ import annotations

from qa import QA, QAError, digest_markdown, safe_name, write_digest_docx, write_trend_png, write_trend_xlsx

from ._choices import Choices, working
from ._render import digest_html, drawn, esc, trend_html
from ._rundir import export_file, export_path

__all__ = ["digest_tab", "trend_tab"]

BY = [("按年份", "year"), ("按讲话人", "speaker")]


def digest_tab(gr, qa: QA, choices: Choices):
    """摘编. Returns the speaker picker (refreshed on load)."""

    def run(topic: str, who: list[str] | None, since: str, until: str, by: str):
        try:
            found = qa.digest(topic, list(who or []) or None, since or None, until or None, by or None)
            name = safe_name(f"{found.topic}讲话摘编", "讲话摘编")
            docx = write_digest_docx(found, export_path(f"{name}.docx"))
            md = export_file(f"{name}.md", digest_markdown(found))
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>', None, None
        return digest_html(found), str(docx), md

    with gr.Tab("摘编", id="digest"):
        with gr.Row():
            topic = gr.Textbox(label="主题", placeholder="如：营商环境；几个说法用顿号隔开：人才、招商引资", scale=3,
                               elem_id="qa-digest-topic", max_length=qa.settings.max_question_chars)
            who = gr.Dropdown(choices=choices.speakers()[1:], multiselect=True, label="讲话人（不选则全部）", scale=2,
                              elem_id="qa-digest-who")
            years = choices.years()[:-1]
            since = gr.Dropdown(choices=years, value="", label="从", scale=1)
            until = gr.Dropdown(choices=years, value="", label="到", scale=1)
            by = gr.Radio(choices=[("自动", ""), *BY], value="", label="编排", scale=2)
            button = gr.Button("生成摘编", variant="primary", scale=1, elem_id="qa-digest-btn")
        with gr.Row():
            docx = gr.DownloadButton("下载 Word", value=None, elem_id="qa-digest-docx")
            md = gr.DownloadButton("下载文本（.md）", value=None, elem_id="qa-digest-md")
        result = gr.HTML(elem_id="qa-digest-result")
        for trigger in (button.click, topic.submit):
            working(trigger, run, [topic, who, since, until, by], [result, docx, md], "正在生成摘编……")
    return who


def trend_tab(gr, qa: QA):
    def run(terms: str, by: str):
        try:
            found = qa.trend(terms, by=by or "year")
            name = safe_name("、".join(t.term for t in found.terms) + "提法", "提法")
            xlsx = str(write_trend_xlsx(found, export_path(f"{name}.xlsx")))
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>', gr.update(value=None, visible=False), None, None
        png, warn = drawn(write_trend_png, found, export_path(f"{name}.png"))
        return warn + trend_html(found), gr.update(value=png, visible=bool(png)), png, xlsx

    with gr.Tab("提法", id="trend"):
        with gr.Row():
            terms = gr.Textbox(label="提法（几个提法用顿号隔开，画在一张图上比较）", placeholder="如：高质量发展、新质生产力",
                               scale=4, elem_id="qa-trend-terms", max_length=qa.settings.max_question_chars)
            by = gr.Radio(choices=BY, value="year", label="统计", scale=2)
            button = gr.Button("查看", variant="primary", scale=1, elem_id="qa-trend-btn")
        # shown once there is a chart: an empty image box is read out as “Empty value”
        chart = gr.Image(label="提法使用情况图", type="filepath", interactive=False, elem_id="qa-trend-chart", visible=False,
                         buttons=["fullscreen"])
        with gr.Row():
            png = gr.DownloadButton("下载图片", value=None, elem_id="qa-trend-png")
            xlsx = gr.DownloadButton("下载 Excel", value=None, elem_id="qa-trend-xlsx")
        result = gr.HTML(elem_id="qa-trend-result")
        for trigger in (button.click, terms.submit):
            working(trigger, run, [terms, by], [result, chart, png, xlsx], "正在统计提法……")

"""The 对比 tab: what each speaker said on one topic, side by side."""

from __future__ import annotations

from qa import QA, QAError

from ._choices import Choices, working
from ._render import compare_html, esc

__all__ = ["compare_tab"]

def compare_tab(gr, qa: QA, choices: Choices):
    """对比: what each speaker said on one topic, side by side. Returns the speaker picker (refreshed on load)."""

    def run(topic: str, who: list[str] | None) -> str:
        try:
            return compare_html(qa.compare(topic, list(who or []) or None))
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>'

    with gr.Tab("对比", id="compare"):
        with gr.Row():
            topic = gr.Textbox(label="主题", placeholder="如：营商环境、人才、作风", scale=2, elem_id="qa-compare-topic",
                               max_length=qa.settings.max_question_chars)
            who = gr.Dropdown(choices=choices.speakers()[1:], multiselect=True, label="讲话人（不选则全部）", scale=3,
                              elem_id="qa-compare-who")
            button = gr.Button("对比", variant="primary", scale=1, elem_id="qa-compare-btn")
        result = gr.HTML(elem_id="qa-compare-result")
        for trigger in (button.click, topic.submit):
            working(trigger, run, [topic, who], [result], "正在对比……")
    return who

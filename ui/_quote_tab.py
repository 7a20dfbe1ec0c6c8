"""The 原话核对 tab: paste what a draft says was said; see whether, where and how exactly it was."""

from __future__ import annotations

from qa import QA, QAError

from ._choices import working
from ._render import esc, quote_html

__all__ = ["quote_tab"]

def quote_tab(gr, qa: QA) -> None:
    """原话核对: paste what a draft says was said; see whether, where and how exactly it was."""

    def check(text: str) -> str:
        try:
            return quote_html(qa.check_quote(text))
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>'

    with gr.Tab("原话核对", id="quote"):
        gr.Markdown("把稿子里引用的讲话原话粘贴进来（可含“……”省略），核对是否逐字一致、出自哪篇讲话哪一段、改了哪些字。")
        text = gr.Textbox(label="要核对的引文", lines=4, max_length=qa.settings.max_quote_chars, elem_id="qa-quote-text")
        button = gr.Button("核对", variant="primary", elem_id="qa-quote-btn")
        result = gr.HTML(elem_id="qa-quote-result")
        for trigger in (button.click, text.submit):
            working(trigger, check, [text], [result], "正在核对……")

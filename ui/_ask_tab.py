"""The 问答 tab: the chat with streamed, cited answers, and their Markdown and Word exports."""

from __future__ import annotations

import itertools

from qa import QA, AnswerDelta, AnswerDone, AnswerReset, QAError, Settings, history_turns, write_answer_docx

from ._choices import Choices
from ._render import answer_html, answer_markdown, answer_text, backend_label, esc, plain_text
from ._rundir import export_file, export_path

__all__ = ["ask_tab", "html_text", "EXAMPLES"]

EXAMPLES = [
    "工信局长提出要从哪几个方面加快建设制造业强市？",
    "市委书记把2023年确立为什么年？",
    "市委书记在稳就业方面承诺了什么？",
    "市工信局准备推行哪些主题党日活动？",
]
_answer_ids = itertools.count(1)  # anchors of an answer's [n] links stay unique across the chat


def _backends(settings: Settings) -> list[str]:
    names = ["extractive", settings.llm, *[b.strip() for b in settings.ui_backends.split(",")]]
    return list(dict.fromkeys(n for n in names if n))


def html_text(content: str) -> str:
    """The text a chat bubble shows, long answers cut."""
    return plain_text(content)[:300]


def ask_tab(gr, qa: QA, choices: Choices):
    """The 问答 tab; returns the filters other tabs refresh after an upload."""
    settings = qa.settings

    def asked(question: str, history: list):
        """At once: the question in the chat with a 正在查找 bubble under it, the box emptied (Gradio's own progress
        text is English: hidden)."""
        history, question = list(history or []), (question or "").strip()
        if not question:
            return history, gr.update(), ""
        history += [{"role": "user", "content": esc(question)},  # the chat renders HTML: escape everything
                    {"role": "assistant", "content": '<div class="qa-count">正在查找原文……</div>'}]
        return history, "", question

    def respond(question: str, history: list, speaker: str, doc: str, backend: str):
        """The answer streamed into the bubble `asked` put under the question."""
        history = list(history or [])
        if not question:
            yield history, gr.update(), None, None
            return
        turns = history_turns(history[:-2], html_text)
        shown, ans = "", None
        try:
            for event in qa.ask_stream(question, speaker=speaker or None, doc=doc or None, llm=backend or None,
                                       history=turns):
                if isinstance(event, AnswerDelta):
                    shown += event.text
                    history[-1] = {"role": "assistant", "content": esc(shown)}
                    yield history, gr.update(), None, None
                elif isinstance(event, AnswerReset):
                    shown = f"⚠ {event.warning}\n\n"
                elif isinstance(event, AnswerDone):
                    ans = event.answer
        except QAError as e:
            history[-1] = {"role": "assistant", "content": f'<div class="qa-warn">出错了：{esc(str(e))}</div>'}
            yield history, gr.update(), None, None
            return
        history[-1] = {"role": "assistant", "content": answer_html(ans, str(next(_answer_ids)))}
        md = answer_markdown(ans)
        try:
            docx = str(write_answer_docx(ans, export_path("回答与出处.docx")))
        except QAError:
            docx = None
        yield history, answer_text(ans), export_file("回答与出处.md", md), docx

    with gr.Tab("问答", id="chat"):
        with gr.Row():
            speaker = gr.Dropdown(choices=choices.speakers(), value="", label="讲话人", scale=1)
            doc = gr.Dropdown(choices=choices.docs(), value="", label="讲话", scale=2)
            backends = _backends(settings)
            backend = gr.Dropdown(choices=[(backend_label(b), b) for b in backends],
                                  value=settings.llm if settings.llm in backends else "extractive", label="回答方式",
                                  scale=1)
        chatbot = gr.Chatbot(label="问答", show_label=False, height=560, elem_id="qa-chat", sanitize_html=False,
                             render_markdown=False)
        with gr.Row():
            cap = settings.max_question_chars
            question = gr.Textbox(label="问题", placeholder="请输入问题，例如：市委书记把2023年确立为什么年？", show_label=False,
                                  scale=5, elem_id="qa-question", max_lines=3, max_length=cap)
            ask_btn = gr.Button("提问", variant="primary", scale=1, elem_id="qa-ask")
            clear_btn = gr.Button("清空对话", scale=1)
        count = gr.HTML(f'<div class="qa-count">0 / {cap} 字</div>', elem_id="qa-question-count")
        # counted in the browser: a keystroke never waits in the queue behind answers
        question.change(None, question, count, js=f"(q) => `<div class=\"qa-count\">${{[...(q || '')].length}} / {cap} 字</div>`")
        gr.Examples(EXAMPLES, inputs=question, label="示例问题")
        with gr.Accordion("导出本次回答（复制文字粘贴到简报，或下载 Word 文件）", open=False):
            export_md = gr.Textbox(label="回答与出处（可复制）", lines=8, buttons=["copy"], elem_id="qa-export")
            with gr.Row():
                download = gr.DownloadButton("下载文本（.md）", value=None)
                download_docx = gr.DownloadButton("下载 Word 文件（.docx）", value=None, elem_id="qa-export-docx")
        pending = gr.State("")  # the question asked, once the box is emptied
        for trigger in (ask_btn.click, question.submit):
            trigger(asked, [question, chatbot], [chatbot, question, pending], show_progress="hidden",
                    api_visibility="private", concurrency_limit=None).then(
                respond, [pending, chatbot, speaker, doc, backend], [chatbot, export_md, download, download_docx],
                show_progress="hidden", api_visibility="private")
        clear_btn.click(lambda: ([], "", None, None), outputs=[chatbot, export_md, download, download_docx],
                        api_visibility="private")
    return speaker, doc

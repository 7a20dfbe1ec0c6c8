"""The web interface. Presentation only: every answer and passage comes from `qa`."""

from __future__ import annotations

import html
import os
import re

from qa.api import QA, get_qa
from qa.errors import QAError
from qa.records import Answer
from qa.settings import Settings

__all__ = ["build_app", "serve", "render_answer"]

EXAMPLES = [
    "市委书记把2023年确立为什么年？",
    "工信局长提出要从哪几个方面加快建设制造业强市？",
    "市工信局准备推行哪些主题党日活动？",
]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")


def md_escape(text: str) -> str:
    """Speech text shown verbatim: '**' (a masked name in the source) must not turn into bold."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def render_answer(ans: Answer) -> str:
    """The answer, its warnings, then its numbered sources with the quoted sentences in bold."""
    if not ans.found:
        return f"**未找到** · {md_escape(ans.answer)}"
    out = [md_escape(ans.answer)]
    for w in ans.warnings:
        out.append(f"> ⚠️ {md_escape(w)}")
    out.append("\n**出处**")
    for c in ans.citations:
        head = " · ".join(x for x in (f"《{c.title}》" if c.title else None, c.speaker, c.occasion,
                                       f"第{c.paragraph}段" if c.paragraph else "标题段") if x)
        body, pos = [], c.start
        for s, e in sorted(c.highlights):
            body.append(md_escape(c.text[pos - c.start : s - c.start]))
            body.append(f"**{md_escape(c.text[s - c.start : e - c.start])}**")
            pos = e
        body.append(md_escape(c.text[pos - c.start :]))
        out.append(f"\n[{c.n}] {md_escape(head)}  \n`{c.doc}` 字符 {c.start}–{c.end}\n> {''.join(body)}")
    return "\n".join(out)


def build_app(qa: QA | None = None):
    import gradio as gr

    qa = qa or get_qa()

    def respond(message: str, history: list, speaker: str, doc: str):
        try:
            ans = qa.ask(message, speaker=speaker or None, doc=doc or None)
        except QAError as e:
            yield f"**出错了** · {md_escape(str(e))}"
            return
        text = render_answer(ans)
        # Stream in a few pieces so long answers appear progressively.
        step = max(40, len(text) // 8)
        for end in range(step, len(text) + step, step):
            yield text[:end]

    try:
        docs = qa.documents()
    except QAError:
        docs = []
    speakers = sorted({d.speaker for d in docs if d.speaker})
    with gr.Blocks(title="讲话材料问答", analytics_enabled=False) as app:
        gr.Markdown("## 讲话材料问答\n每个回答都逐字引用原文并注明出处；资料中没有的内容会直接说明找不到。")
        with gr.Row():
            speaker = gr.Dropdown(choices=[("全部讲话人", ""), *[(s, s) for s in speakers]], value="", label="讲话人")
            doc = gr.Dropdown(choices=[("全部讲话", ""), *[(d.title or d.doc, d.doc) for d in docs]], value="", label="讲话")
        gr.ChatInterface(
            fn=respond, additional_inputs=[speaker, doc], examples=[[q, "", ""] for q in EXAMPLES],
            cache_examples=False, api_name="chat",
            chatbot=gr.Chatbot(label="问答", height=520),
            textbox=gr.Textbox(placeholder="请输入问题，例如：市委书记把2023年确立为什么年？", submit_btn="提问"),
        )
    return app


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    app = build_app(get_qa(settings))
    app.queue(default_concurrency_limit=4, max_size=256)
    app.launch(server_name=host, server_port=port, share=False, show_error=False, ssr_mode=False)

"""The web interface staff use. Presentation only: answers, passages and pledges all come from `qa`."""

from __future__ import annotations

import html
import itertools
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from qa.api import QA, get_qa
from qa.errors import ConfigError, QAError
from qa.settings import Settings

from .render import answer_html, answer_markdown, esc, pledges_html, pledges_markdown, speech_html

__all__ = ["build_app", "serve", "parse_auth", "safe_name", "speech_view", "CSS"]

EXAMPLES = [
    "工信局长提出要从哪几个方面加快建设制造业强市？",
    "市委书记把2023年确立为什么年？",
    "市委书记在稳就业方面承诺了什么？",
    "市工信局准备推行哪些主题党日活动？",
]
UPLOAD_TYPES = (".txt", ".md", ".docx", ".pdf")
_turns = itertools.count(1)

CSS = """
.gradio-container { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.qa-answer { font-size: 1.02rem; line-height: 1.8; }
.qa-found { border-left: 4px solid #2e7d32; padding-left: .6rem; }
.qa-notfound { border-left: 4px solid #9e9e9e; padding-left: .6rem; color: #555; }
.qa-badge { background: #eeeeee; color: #424242; border-radius: 4px; padding: 0 .4rem; font-weight: 600; }
.qa-cite { color: #1565c0; text-decoration: none; font-weight: 600; }
.qa-warn { background: #fff8e1; border: 1px solid #ffcc80; border-radius: 6px; padding: .3rem .6rem; margin: .4rem 0; }
.qa-sources-title { font-weight: 700; margin: .6rem 0 .3rem; }
.qa-card { border: 1px solid #e0e0e0; border-radius: 8px; padding: .5rem .7rem; margin: .4rem 0; background: #fafafa; }
.qa-card-head { font-size: .92rem; color: #37474f; margin-bottom: .2rem; }
.qa-quote { line-height: 1.8; }
.qa-quote mark { background: #fff59d; }
.qa-card-doc, .qa-backend, .qa-count { font-size: .8rem; color: #757575; }
.qa-topic { font-weight: 700; margin: .8rem 0 .2rem; color: #1a237e; }
.qa-para { display: flex; gap: .8rem; line-height: 1.8; margin: .3rem 0; }
.qa-pno { flex: 0 0 4.5rem; color: #9e9e9e; text-align: right; }
.qa-speech-title { font-size: 1.15rem; font-weight: 700; margin-bottom: .5rem; }
"""


def safe_name(name: str) -> str:
    """A file name that cannot leave its folder or upset a shell: no separators, no control or shell characters."""
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|$`;&!#'(){}\[\]~^%]", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[:80] or "upload"
    return f"{stem}.{ext.lower()}" if ext else stem


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """'user:pass,user2:pass2', or the path of a file with one 'user:pass' per line."""
    if not value:
        return None
    text = Path(value).read_text(encoding="utf-8") if os.path.isfile(value) else value.replace(",", "\n")
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise ConfigError("QA_UI_AUTH 格式应为 user:password（多个用逗号分隔），或一个每行一对的文件路径。")
        pairs.append((user.strip(), password))
    return pairs or None


def _backends(settings: Settings) -> list[str]:
    names = ["extractive", settings.llm, *[b.strip() for b in settings.ui_backends.split(",")]]
    return list(dict.fromkeys(n for n in names if n))


def build_app(qa: QA | None = None):
    import gradio as gr

    from ingest import ingest

    qa = qa or get_qa()
    settings = qa.settings

    # -- data for the controls ------------------------------------------------------------------------
    def doc_choices():
        try:
            docs = qa.documents()
        except QAError:
            docs = []
        return [("全部讲话", "")] + [((d.title or d.doc) + ("（标题为摘取）" if d.title_derived else ""), d.doc) for d in docs]

    def speaker_choices():
        try:
            docs = qa.documents()
        except QAError:
            return [("全部讲话人", "")]
        names = sorted({d.speaker for d in docs if d.speaker})
        bodies = sorted({a for d in docs for a in d.aliases} - set(names))
        return [("全部讲话人", "")] + [(n, n) for n in names] + [(f"{b}（单位）", b) for b in bodies]

    def docs_rows():
        try:
            docs = qa.documents()
        except QAError:
            return []
        return [[d.doc, d.title or "", "是" if d.title_derived else "", d.speaker or "未知", d.occasion or "未知",
                 d.chunks, d.chars] for d in docs]

    # -- chat -------------------------------------------------------------------------------------------
    def respond(question: str, history: list, speaker: str, doc: str, backend: str):
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            yield history, "", gr.update(), None
            return
        turns = _qa_turns(history)
        history.append({"role": "user", "content": esc(question)})  # the chat renders HTML: escape everything
        history.append({"role": "assistant", "content": "…"})
        shown = ""
        try:
            for kind, value in qa.ask_stream(question, speaker=speaker or None, doc=doc or None,
                                             llm=backend or None, history=turns):
                if kind == "delta":
                    shown += value
                    history[-1] = {"role": "assistant", "content": esc(shown)}
                    yield history, "", gr.update(), None
                elif kind == "reset":
                    shown = f"⚠ {value}\n\n"
                else:
                    ans = value
        except QAError as e:
            history[-1] = {"role": "assistant", "content": f'<div class="qa-warn">出错了：{esc(str(e))}</div>'}
            yield history, "", gr.update(), None
            return
        history[-1] = {"role": "assistant", "content": answer_html(ans, str(next(_turns)))}
        md = answer_markdown(ans)
        path = Path(tempfile.mkdtemp(prefix="qa-export-")) / "回答与出处.md"
        path.write_text(md, encoding="utf-8")
        yield history, "", md, str(path)

    # -- speeches ---------------------------------------------------------------------------------------
    def read_speech(doc: str):
        return speech_view(qa, doc)

    def upload(files, progress=gr.Progress(track_tqdm=True)):  # noqa: B008 - how Gradio injects progress
        messages: list[str] = []
        saved: dict[str, Path] = {}
        target = settings.corpus / "上传"
        for f in files or []:
            src = Path(f if isinstance(f, str) else f.name)
            name = safe_name(src.name)
            if Path(name).suffix.lower() not in UPLOAD_TYPES:
                messages.append(f"✗ {esc(src.name)}：不支持的文件类型（支持 {' '.join(UPLOAD_TYPES)}）")
                continue
            size = src.stat().st_size
            if size > settings.max_upload_mb * 1e6:
                messages.append(f"✗ {esc(src.name)}：文件过大（{size / 1e6:.1f} MB，上限 {settings.max_upload_mb:g} MB）")
                continue
            target.mkdir(parents=True, exist_ok=True)
            dest = target / name
            stem, ext, n = dest.stem, dest.suffix, 1
            while dest.exists() and dest.read_bytes() != src.read_bytes():
                dest, n = target / f"{stem}({n}){ext}", n + 1
            if not dest.resolve().is_relative_to(settings.corpus.resolve()):
                messages.append(f"✗ {esc(src.name)}：文件名不安全")
                continue
            shutil.copyfile(src, dest)
            saved[dest.relative_to(settings.corpus).as_posix()] = dest
        if saved:
            progress(0, desc="正在导入…")
            try:
                report = ingest(list(saved.values()), settings, progress=True)
            except QAError as e:
                messages.append(f"✗ 导入失败：{esc(str(e))}")
                report = None
            if report is not None:
                failed = {e["path"]: e["error"] for e in report.errors}
                for doc, path in saved.items():
                    if doc in failed:
                        path.unlink(missing_ok=True)  # keep the corpus free of files that cannot be read
                        messages.append(f"✗ {esc(path.name)}：{esc(failed[doc])}")
                    else:
                        messages.append(f"✓ {esc(path.name)}：已导入")
                messages.append(f"索引中现有 {report.documents} 篇讲话。")
        html = "<br>".join(messages) or "请选择文件。"
        return (html, docs_rows(), gr.update(choices=doc_choices()[1:]), gr.update(choices=doc_choices()),
                gr.update(choices=speaker_choices()), gr.update(choices=speaker_choices()))

    # -- pledges ----------------------------------------------------------------------------------------
    def show_pledges(who: str, words: str):
        try:
            found = qa.pledges(speaker=who or None, query=(words or "").strip() or None)
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>', None
        path = Path(tempfile.mkdtemp(prefix="qa-pledges-")) / "承诺清单.md"
        path.write_text(pledges_markdown(found, who), encoding="utf-8")
        return pledges_html(found), str(path)

    # -- the API ----------------------------------------------------------------------------------------
    def ask_api(question: str, speaker: str = "", doc: str = "") -> dict:
        """The JSON of `qa ask --json`."""
        try:
            return qa.ask(question, speaker=speaker or None, doc=doc or None).to_dict()
        except QAError as e:
            raise gr.Error(str(e)) from None

    def search_api(question: str, k: int = 5, speaker: str = "", doc: str = "") -> dict:
        """The JSON of `qa search --json`."""
        try:
            return qa.search(question, k=int(k), speaker=speaker or None, doc=doc or None).to_dict()
        except QAError as e:
            raise gr.Error(str(e)) from None

    with gr.Blocks(title="讲话材料问答", analytics_enabled=False) as app:
        gr.Markdown("## 讲话材料问答\n回答逐字引用讲话原文，每句注明出处；资料里没有的内容会直接说明找不到。")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                with gr.Row():
                    speaker = gr.Dropdown(choices=speaker_choices(), value="", label="讲话人", scale=1)
                    doc = gr.Dropdown(choices=doc_choices(), value="", label="讲话", scale=2)
                    backends = _backends(settings)
                    backend = gr.Dropdown(choices=backends, value=settings.llm if settings.llm in backends else "extractive",
                                          label="回答方式", scale=1)
                chatbot = gr.Chatbot(label="问答", height=560, elem_id="qa-chat", sanitize_html=False,
                                     render_markdown=False)
                with gr.Row():
                    question = gr.Textbox(placeholder="请输入问题，例如：市委书记把2023年确立为什么年？", show_label=False,
                                          scale=5, elem_id="qa-question", max_lines=3)
                    ask_btn = gr.Button("提问", variant="primary", scale=1, elem_id="qa-ask")
                    clear_btn = gr.Button("清空对话", scale=1)
                gr.Examples(EXAMPLES, inputs=question, label="示例问题")
                with gr.Accordion("导出本次回答（Markdown，可粘贴到简报）", open=False):
                    export_md = gr.Textbox(label="Markdown", lines=8, buttons=["copy"], elem_id="qa-export")
                    export_file = gr.DownloadButton("下载 .md 文件", value=None)
                outputs = [chatbot, question, export_md, export_file]
                events = dict(fn=respond, inputs=[question, chatbot, speaker, doc, backend], outputs=outputs,
                              api_visibility="private")
                ask_btn.click(**events)
                question.submit(**events)
                clear_btn.click(lambda: ([], "", None), outputs=[chatbot, export_md, export_file], api_visibility="private")

            with gr.Tab("讲话", id="docs"):
                table = gr.Dataframe(value=docs_rows(), headers=["文件", "标题", "标题为摘取", "讲话人", "场合", "段落块", "字数"],
                                     interactive=False, wrap=True, label="已收录的讲话")
                reader_doc = gr.Dropdown(choices=doc_choices()[1:], value=None, label="阅读讲话（带段落编号）",
                                         elem_id="qa-reader-doc")
                reader = gr.HTML()
                reader_doc.change(read_speech, reader_doc, reader, api_visibility="private")
                gr.Markdown(f"### 上传讲话\n支持 {' '.join(UPLOAD_TYPES)}，单个文件不超过 {settings.max_upload_mb:g} MB；"
                            "文本文件可以是 UTF-8、GBK 或 UTF-16 编码。上传后自动导入。")
                files = gr.File(file_count="multiple", file_types=list(UPLOAD_TYPES), label="选择文件",
                                elem_id="qa-upload")
                upload_btn = gr.Button("上传并导入", variant="primary", elem_id="qa-upload-btn")
                upload_status = gr.HTML(elem_id="qa-upload-status")

            with gr.Tab("承诺", id="pledges"):
                with gr.Row():
                    pledge_who = gr.Dropdown(choices=speaker_choices(), value="", label="讲话人或单位", scale=2)
                    pledge_words = gr.Textbox(label="按词语或意思查找（可留空）", placeholder="如：人才、稳就业", scale=3)
                    pledge_btn = gr.Button("查看承诺", variant="primary", scale=1)
                pledge_file = gr.DownloadButton("下载承诺清单 .md", value=None)
                pledge_view = gr.HTML()
                for trigger in (pledge_btn.click, pledge_words.submit, pledge_who.change):
                    trigger(show_pledges, [pledge_who, pledge_words], [pledge_view, pledge_file], api_visibility="private")

        upload_btn.click(upload, files, [upload_status, table, reader_doc, doc, speaker, pledge_who],
                         api_visibility="private")
        gr.api(ask_api, api_name="ask")
        gr.api(search_api, api_name="search")
    return app


def speech_view(qa: QA, doc: str) -> str:
    """A speech with numbered paragraphs. Only speeches in the index are shown, so only files inside the corpus."""
    from ingest import read_paragraphs

    if not doc:
        return ""
    if doc not in {d.doc for d in qa.documents()}:
        return '<div class="qa-warn">没有这篇讲话。</div>'
    root = qa.settings.corpus.resolve()
    path = (qa.settings.corpus / doc).resolve()
    if not path.is_relative_to(root):
        return '<div class="qa-warn">拒绝读取语料文件夹之外的文件。</div>'
    try:
        title, paragraphs = read_paragraphs(path, qa.settings)
    except QAError as e:
        return f'<div class="qa-warn">{esc(str(e))}</div>'
    return speech_html(title, paragraphs)


def _qa_turns(history: list) -> list[tuple[str, str]]:
    """(question, answer text) pairs from the chat so far; the HTML of an answer is reduced to its text."""
    turns, pending = [], None
    for m in history:
        content = m.get("content") if isinstance(m, dict) else None
        if not isinstance(content, str):
            continue
        if m.get("role") == "user":
            pending = html.unescape(content)
        elif pending is not None:
            turns.append((pending, html.unescape(re.sub(r"<[^>]+>", "", content))[:300]))
            pending = None
    return turns


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    settings = settings or Settings()
    auth = parse_auth(settings.ui_auth.get_secret_value() if settings.ui_auth else None)
    app = build_app(get_qa(settings))
    # 20 people asking at once are queued and served, four answers computed at a time
    app.queue(default_concurrency_limit=4, max_size=200)
    app.launch(server_name=host, server_port=port, share=False, show_error=False, ssr_mode=False, auth=auth,
               auth_message="请登录后使用讲话材料问答。" if auth else None, css=CSS, footer_links=[])

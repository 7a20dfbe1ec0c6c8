"""The web interface staff use. Presentation only: answers, passages and pledges all come from `qa`."""

from __future__ import annotations

import itertools
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from starlette.middleware import Middleware

from ingest import ingest, read_paragraphs
from ingest.metafile import MAX_CELL, write_metadata_row
from ingest.reader import SUPPORTED
from qa.api import QA, get_qa, history_turns
from qa.dates import DateError, display_date, parse_date
from qa.errors import ConfigError, QAError
from qa.exports import write_answer_docx
from qa.extractive import prepare as prepare_answers
from qa.ledger import write_docx, write_xlsx
from qa.quotes import prepare as prepare_quotes
from qa.records import AnswerDelta, AnswerDone, AnswerReset
from qa.settings import Settings, load_settings
from qa.speakers import speaker_docs

from .endpoints import ApiGuard, register_api
from .render import (
    answer_html,
    answer_markdown,
    backend_label,
    compare_html,
    esc,
    plain_text,
    pledges_html,
    pledges_markdown,
    quote_html,
    speech_html,
)
from .rundir import RunFolder, export_file, export_path, use_run_folder
from .security import LoginGuard, Throttle
from .uploads import safe_name, upload_files

__all__ = ["build_app", "serve", "parse_auth", "safe_name", "speech_view", "upload_files", "export_file", "export_path",
           "ledger_files",
           "catch_up",
           "CSS"]

EXAMPLES = [
    "工信局长提出要从哪几个方面加快建设制造业强市？",
    "市委书记把2023年确立为什么年？",
    "市委书记在稳就业方面承诺了什么？",
    "市工信局准备推行哪些主题党日活动？",
]
log = logging.getLogger("qa.ui")
_answer_ids = itertools.count(1)  # anchors of an answer's [n] links stay unique across the chat

CSS = """
.gradio-container { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.qa-answer { font-size: 1.02rem; line-height: 1.8; }
.qa-found { border-left: 4px solid #2e7d32; padding-left: .6rem; }
.qa-close { border-left: 4px solid #ef6c00; padding-left: .6rem; }
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
.qa-compare { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: .8rem; }
.qa-speech-title { font-size: 1.15rem; font-weight: 700; margin-bottom: .5rem; }
"""


SPEECHES_PAGE = 50  # rows of the speeches table per page


# Gradio's own icon buttons (copy, share, delete…) carry English labels even for a Chinese browser: relabel them.
RELABEL_JS = """() => {
  const zh = {"Copy message": "复制这条消息", "Copy conversation": "复制整段对话", "Copy": "复制", "Copied": "已复制",
    "Share": "分享", "Delete": "删除", "Retry": "重新回答", "Undo": "撤销", "Edit": "编辑", "Like": "有用",
    "Dislike": "没用", "Download": "下载", "Clear": "清空", "Fullscreen": "全屏", "Exit fullscreen": "退出全屏"};
  const fix = () => document.querySelectorAll("button[aria-label], button[title]").forEach((b) => {
    for (const a of ["aria-label", "title"]) { const v = b.getAttribute(a); if (v && zh[v]) b.setAttribute(a, zh[v]); }
  });
  fix();
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true});
}"""


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


def _html_text(content: str) -> str:
    """The text a chat bubble shows, long answers cut."""
    return plain_text(content)[:300]


class _Choices:
    """What the drop-downs and the speeches table list, read fresh from the index each time."""

    def __init__(self, qa: QA) -> None:
        self.qa = qa

    def _docs(self):
        try:
            return self.qa.documents()
        except QAError:
            return []

    def docs(self) -> list[tuple[str, str]]:
        return [("全部讲话", "")] + [((d.title or d.doc) + ("（标题为摘取）" if d.title_derived else ""), d.doc)
                                   for d in self._docs()]

    def speakers(self) -> list[tuple[str, str]]:
        """One entry per speaker or body: names that find the same speeches (工信局长, 市工信局局长) are one entry,
        shown by the speaker's own name (else the shortest alias); typing any alias elsewhere still works."""
        docs = self._docs()
        by_doc = {d.doc: d for d in docs}
        names = sorted({d.speaker for d in docs if d.speaker})
        groups: dict[frozenset, list[str]] = {}
        for name in names + sorted({a for d in docs for a in d.aliases} - set(names)):
            groups.setdefault(frozenset(speaker_docs(by_doc, name)), []).append(name)
        shown = sorted((min((n for n in group if n in names), default=min(group, key=len)) for group in groups.values()),
                       key=lambda n: (n not in names, n))
        return [("全部讲话人", "")] + [(n, n) for n in shown]

    def types(self) -> list[tuple[str, str]]:
        return [("全部类型", "")] + [(t, t) for t in sorted({d.type for d in self._docs() if d.type})] + [("未知", "?")]

    def years(self) -> list[tuple[str, str]]:
        years = sorted({d.date[:4] for d in self._docs() if d.date}, reverse=True)
        return [("全部年份", "")] + [(f"{y}年", y) for y in years] + [("日期未知", "?")]

    def filtered(self, text: str = "", speaker: str = "", kind: str = "", year: str = "", docs: list | None = None) -> list:
        """Speeches (of `docs`, default all) matching the 讲话 tab's filters: words in file name, title, speaker or
        occasion; a speaker or body (any of its names); a type; a year ("?": unknown type or date)."""
        docs = self._docs() if docs is None else docs
        words = (text or "").split()
        if speaker:
            found = speaker_docs({d.doc: d for d in docs}, speaker)
            docs = [d for d in docs if d.doc in found]
        if kind:
            docs = [d for d in docs if (d.type or "?") == kind]
        if year:
            docs = [d for d in docs if (d.date[:4] if d.date else "?") == year]
        if words:
            docs = [d for d in docs
                    if all(w in " ".join(filter(None, (d.doc, d.title, d.speaker, d.occasion, *d.aliases))) for w in words)]
        return docs

    @staticmethod
    def rows(docs: list) -> list[list]:
        return [[d.doc, d.title or "", "是" if d.title_derived else "", d.speaker or "未知", display_date(d.date) or "未知",
                 d.type or "未知", d.occasion or "未知", d.chunks, d.chars] for d in docs]

    def page(self, text: str = "", speaker: str = "", kind: str = "", year: str = "", page: int = 1):
        """(table rows, "第 n / N 页…", the page's speeches for the reader, the page shown) of the filtered list."""
        every = self._docs()
        docs = self.filtered(text, speaker, kind, year, every)
        pages = max(1, -(-len(docs) // SPEECHES_PAGE))
        page = min(max(1, int(page or 1)), pages)
        shown = docs[(page - 1) * SPEECHES_PAGE : page * SPEECHES_PAGE]
        total = len(every)
        info = (f"共 {len(docs)} 篇" + (f"（全部 {total} 篇中符合条件的）" if len(docs) != total else "")
                + f"，第 {page} / {pages} 页")
        return self.rows(shown), info, [((d.title or d.doc), d.doc) for d in shown], page


def _ask_tab(gr, qa: QA, choices: _Choices):
    """The 问答 tab; returns the filters other tabs refresh after an upload."""
    settings = qa.settings

    def respond(question: str, history: list, speaker: str, doc: str, backend: str):
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            yield history, "", gr.update(), None, None
            return
        turns = history_turns(history, _html_text)
        history.append({"role": "user", "content": esc(question)})  # the chat renders HTML: escape everything
        history.append({"role": "assistant", "content": "…"})
        shown, ans = "", None
        try:
            for event in qa.ask_stream(question, speaker=speaker or None, doc=doc or None, llm=backend or None,
                                       history=turns):
                if isinstance(event, AnswerDelta):
                    shown += event.text
                    history[-1] = {"role": "assistant", "content": esc(shown)}
                    yield history, "", gr.update(), None, None
                elif isinstance(event, AnswerReset):
                    shown = f"⚠ {event.warning}\n\n"
                elif isinstance(event, AnswerDone):
                    ans = event.answer
        except QAError as e:
            history[-1] = {"role": "assistant", "content": f'<div class="qa-warn">出错了：{esc(str(e))}</div>'}
            yield history, "", gr.update(), None, None
            return
        history[-1] = {"role": "assistant", "content": answer_html(ans, str(next(_answer_ids)))}
        md = answer_markdown(ans)
        try:
            docx = str(write_answer_docx(ans, export_path("回答与出处.docx")))
        except QAError:
            docx = None
        yield history, "", md, export_file("回答与出处.md", md), docx

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
            question = gr.Textbox(placeholder="请输入问题，例如：市委书记把2023年确立为什么年？", show_label=False,
                                  scale=5, elem_id="qa-question", max_lines=3, max_length=cap)
            ask_btn = gr.Button("提问", variant="primary", scale=1, elem_id="qa-ask")
            clear_btn = gr.Button("清空对话", scale=1)
        count = gr.HTML(f'<div class="qa-count">0 / {cap} 字</div>', elem_id="qa-question-count")
        # counted in the browser: a keystroke never waits in the queue behind answers
        question.change(None, question, count, js=f"(q) => `<div class=\"qa-count\">${{[...(q || '')].length}} / {cap} 字</div>`")
        gr.Examples(EXAMPLES, inputs=question, label="示例问题")
        with gr.Accordion("导出本次回答（Markdown 可粘贴到简报，或下载 Word 文件）", open=False):
            export_md = gr.Textbox(label="Markdown", lines=8, buttons=["copy"], elem_id="qa-export")
            with gr.Row():
                download = gr.DownloadButton("下载 .md 文件", value=None)
                download_docx = gr.DownloadButton("下载 Word 文件（.docx）", value=None, elem_id="qa-export-docx")
        events = dict(fn=respond, inputs=[question, chatbot, speaker, doc, backend],
                      outputs=[chatbot, question, export_md, download, download_docx], api_visibility="private")
        ask_btn.click(**events)
        question.submit(**events)
        clear_btn.click(lambda: ([], "", None, None), outputs=[chatbot, export_md, download, download_docx],
                        api_visibility="private")
    return speaker, doc


def _speeches_tab(gr, qa: QA, choices: _Choices):
    """The 讲话 tab: a filtered, paged table, a reader with paragraph numbers, the metadata editor and uploads.
    Returns what an upload or a page load refreshes."""
    settings = qa.settings
    with gr.Tab("讲话", id="docs"):
        with gr.Row():
            text = gr.Textbox(label="查找（文件名、标题、讲话人、场合中的词）", scale=3, elem_id="qa-docs-find")
            who = gr.Dropdown(choices=choices.speakers(), value="", label="讲话人或单位", scale=2, elem_id="qa-docs-who")
            kind = gr.Dropdown(choices=choices.types(), value="", label="类型", scale=1, elem_id="qa-docs-type")
            year = gr.Dropdown(choices=choices.years(), value="", label="年份", scale=1, elem_id="qa-docs-year")
        rows, info, shown, _ = choices.page()
        with gr.Row():
            prev_btn = gr.Button("上一页", scale=1, elem_id="qa-docs-prev")
            page_info = gr.Markdown(info, elem_id="qa-docs-info")
            next_btn = gr.Button("下一页", scale=1, elem_id="qa-docs-next")
            page = gr.Number(value=1, precision=0, minimum=1, label="页码", scale=1, elem_id="qa-docs-page")
        table = gr.Dataframe(value=rows, headers=["文件", "标题", "标题为摘取", "讲话人", "日期", "类型", "场合", "段落块", "字数"],
                             interactive=False, wrap=True, label="已收录的讲话", elem_id="qa-docs-table")
        reader_doc = gr.Dropdown(choices=shown, value=None, label="阅读讲话（带段落编号）", info="列表为表格本页的讲话",
                                 elem_id="qa-reader-doc")
        with gr.Accordion("修改这篇讲话的讲话人、日期、场合、类型、标题", open=False, elem_id="qa-meta"):
            gr.Markdown("改动写入语料文件夹的 metadata.csv（也可以用 Excel 直接编辑），重新导入后仍然有效；"
                        "清空一项表示“未知”。日期可写 2023、2023-03、2023-03-05 或 2023年3月5日。")
            with gr.Row():
                m_speaker = gr.Textbox(label="讲话人", elem_id="qa-meta-speaker")
                m_date = gr.Textbox(label="日期", elem_id="qa-meta-date")
                m_type = gr.Textbox(label="类型", elem_id="qa-meta-type")
            m_occasion = gr.Textbox(label="场合", elem_id="qa-meta-occasion")
            m_title = gr.Textbox(label="标题", elem_id="qa-meta-title")
            m_save = gr.Button("保存并重新导入这篇讲话", elem_id="qa-meta-save")
            m_status = gr.HTML(elem_id="qa-meta-status")
        reader = gr.HTML()
        fields = [m_speaker, m_date, m_type, m_occasion, m_title]

        def open_speech(doc: str):
            view = speech_view(qa, doc)  # reads the index afresh
            d = qa.index.docs.get(doc) if doc else None
            values = ([d.speaker, d.date, d.type, d.occasion, None if d.title_derived else d.title] if d
                      else [None] * 5)
            return (view, *[v or "" for v in values])

        reader_doc.change(open_speech, reader_doc, [reader, *fields], api_visibility="private")
        filters = [text, who, kind, year]

        def show(t, w, k, y, p):
            rows, info, shown, p = choices.page(t, w, k, y, p)
            return rows, info, gr.update(choices=shown), p

        outputs = [table, page_info, reader_doc, page]
        for f in filters:
            (f.submit if f is text else f.change)(lambda *a: show(*a, 1), filters, outputs, api_visibility="private")
        page.submit(show, [*filters, page], outputs, api_visibility="private")
        prev_btn.click(lambda *a: show(*a[:-1], (a[-1] or 1) - 1), [*filters, page], outputs, api_visibility="private")
        next_btn.click(lambda *a: show(*a[:-1], (a[-1] or 1) + 1), [*filters, page], outputs, api_visibility="private")
        gr.Markdown(f"### 上传讲话\n支持 {' '.join(SUPPORTED)}，单个文件不超过 {settings.max_file_mb:g} MB，"
                    f"一次最多 {settings.max_upload_files} 个；"
                    "文本文件可以是 UTF-8、GBK 或 UTF-16 编码。上传后自动导入。")
        files = gr.File(file_count="multiple", file_types=list(SUPPORTED), label="选择文件", elem_id="qa-upload")
        upload_btn = gr.Button("上传并导入", variant="primary", elem_id="qa-upload-btn")
        status = gr.HTML(elem_id="qa-upload-status")
    editor = (m_save, m_status, [reader_doc, *fields])
    return files, upload_btn, status, (filters, page, outputs), editor, (who, kind, year)


def save_metadata(qa: QA, doc: str, speaker: str, date: str, kind: str, occasion: str, title: str) -> str:
    """The metadata editor: record what differs from the speech as indexed in metadata.csv, re-import it."""
    d = {x.doc: x for x in qa.documents()}.get(doc or "")
    if d is None:
        return '<div class="qa-warn">请先在上面选择一篇讲话。</div>'
    given = {"speaker": speaker, "date": date, "type": kind, "occasion": occasion, "title": title}
    given = {k: (v or "").strip() or None for k, v in given.items()}
    if too_long := [f"{_FIELD_LABELS[k]}（{len(v)} 字）" for k, v in given.items() if v and len(v) > MAX_CELL]:
        return f'<div class="qa-warn">{esc("、".join(too_long))}超过 {MAX_CELL} 字，没有保存：请缩短后再保存。</div>'
    if given["date"]:
        try:
            given["date"] = parse_date(given["date"])
        except DateError as e:
            return f'<div class="qa-warn">{esc(str(e))}，没有保存。</div>'
    current = {"speaker": d.speaker, "date": d.date, "type": d.type, "occasion": d.occasion,
               "title": None if d.title_derived else d.title}
    changed = {k: v for k, v in given.items() if v != current[k]}
    edits = dict(d.edits)
    edits.update(changed)
    try:
        write_metadata_row(qa.settings.corpus, doc, edits)
        report = ingest([qa.settings.corpus / doc], qa.settings, progress=False, on_wait=lambda who: None)
    except (QAError, OSError) as e:
        return f'<div class="qa-warn">没有保存：{esc(str(e))}</div>'
    problems = [w for w in report.warnings if doc in w or "metadata.csv" in w] + [e["error"] for e in report.errors]
    note = "".join(f"<br>注意：{esc(p)}" for p in problems)
    said = "；".join(f"{_FIELD_LABELS[k]}改为“{v}”" if v else f"清空了{_FIELD_LABELS[k]}" for k, v in changed.items())
    return (f'<div class="qa-count">已保存并重新导入《{esc(given["title"] or d.title or doc)}》：'
            f'{esc(said) if said else "没有改动"}。{note}</div>')


_FIELD_LABELS = {"speaker": "讲话人", "date": "日期", "type": "类型", "occasion": "场合", "title": "标题"}


def ledger_files(qa: QA, who: str, year: str = "") -> tuple[str, str | None, str | None]:
    """The 督办台账 of a speaker (or all) and year as (status HTML, .xlsx path, .docx path); file names and the
    sheet title are made safe, whatever the speaker's name holds (区委/区政府, a very long name)."""
    try:
        rows = qa.ledger(speaker=who or None, since=year or None, until=year or None)
        title = f"{who or '全部讲话人'}{f'{year}年' if year else ''}督办台账"
        xlsx = write_xlsx(rows, export_path(safe_name(f"{title}.xlsx", "督办台账")), title)
        docx = write_docx(rows, export_path(safe_name(f"{title}.docx", "督办台账")), title)
    except QAError as e:
        return f'<div class="qa-warn">{esc(str(e))}</div>', None, None
    return f'<div class="qa-count">已生成“{esc(title)}”：{len(rows)} 项，请点右侧按钮下载。</div>', str(xlsx), str(docx)


def _pledges_tab(gr, qa: QA, choices: _Choices):
    def show(who: str, words: str, year: str):
        try:
            found = qa.pledges(speaker=who or None, query=(words or "").strip() or None, since=year or None,
                               until=year or None)
        except QAError as e:
            return f'<div class="qa-warn">{esc(str(e))}</div>', None
        return pledges_html(found), export_file("承诺清单.md", pledges_markdown(found, who))

    with gr.Tab("承诺", id="pledges"):
        with gr.Row():
            who = gr.Dropdown(choices=choices.speakers(), value="", label="讲话人或单位", scale=2)
            words = gr.Textbox(label="按词语或意思查找（可留空）", placeholder="如：人才、稳就业", scale=3)
            year = gr.Dropdown(choices=choices.years()[:-1], value="", label="年份", scale=1, elem_id="qa-pledge-year")
            button = gr.Button("查看承诺", variant="primary", scale=1)
        with gr.Row():
            download = gr.DownloadButton("下载承诺清单 .md", value=None)
            make_ledger = gr.Button("生成督办台账（Excel 和 Word）", elem_id="qa-ledger-btn")
            ledger_xlsx = gr.DownloadButton("下载台账 .xlsx", value=None, elem_id="qa-ledger-xlsx")
            ledger_docx = gr.DownloadButton("下载台账 .docx", value=None, elem_id="qa-ledger-docx")
        ledger_status = gr.HTML(elem_id="qa-ledger-status")
        gr.Markdown("台账每条承诺一行：序号、讲话人、讲话/场合、专题、工作内容（原文）、牵头/责任单位、时限、出处。"
                    "牵头单位和时限只在原文写明时填写，不作推测。")
        view = gr.HTML()
        for trigger in (button.click, words.submit, who.change, year.change):
            trigger(show, [who, words, year], [view, download], api_visibility="private")
        make_ledger.click(lambda w, y: ledger_files(qa, w, y), [who, year], [ledger_status, ledger_xlsx, ledger_docx],
                          api_visibility="private")
    return who, year


def _compare_tab(gr, qa: QA, choices: _Choices):
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
        button.click(run, [topic, who], result, api_visibility="private")
        topic.submit(run, [topic, who], result, api_visibility="private")
    return who


def _quote_tab(gr, qa: QA) -> None:
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
        button.click(check, text, result, api_visibility="private")
        text.submit(check, text, result, api_visibility="private")


def catch_up(settings: Settings) -> None:
    """At start-up: index whatever the corpus holds that the index lacks (an import interrupted by a crash or a
    `kill`, files copied in while the server was down), after any import already running."""
    try:
        report = ingest([settings.corpus], settings, progress=False, on_wait=lambda who: None)
    except QAError as e:
        log.warning("启动时补做导入失败：%s", e)
        return
    done = report.added + report.removed
    if done or report.warnings:
        log.info("启动时补做导入：新增或更新 %d 篇，移除 %d 篇。%s", report.added, report.removed,
                 " ".join(report.warnings))
    for e in report.errors:
        log.warning("无法导入 %s：%s", e["path"], e["error"])


def build_app(qa: QA | None = None):
    import gradio as gr

    qa = qa or get_qa()
    choices = _Choices(qa)
    # Gradio's copies of uploads and downloads are dropped once a day, when older than a day
    with gr.Blocks(title="讲话材料问答", analytics_enabled=False, delete_cache=(86400, 86400)) as app:
        gr.Markdown("## 讲话材料问答\n回答逐字引用讲话原文，每句注明出处；资料里没有的内容会直接说明找不到。")
        with gr.Tabs():
            speaker, doc = _ask_tab(gr, qa, choices)
            files, upload_btn, status, (filters, page, listing), editor, pickers = _speeches_tab(gr, qa, choices)
            pledge_who, pledge_year = _pledges_tab(gr, qa, choices)
            compare_who = _compare_tab(gr, qa, choices)
            _quote_tab(gr, qa)

        def lists(*shown):
            """The lists as the index has them now (another process may have changed it); the 讲话 tab keeps its
            filters and page."""
            docs, speakers, years = choices.docs(), choices.speakers(), choices.years()
            rows, info, page_docs, p = choices.page(*shown)
            return (rows, info, gr.update(choices=page_docs), p, gr.update(choices=docs), gr.update(choices=speakers),
                    gr.update(choices=speakers), gr.update(choices=speakers[1:]), gr.update(choices=speakers),
                    gr.update(choices=choices.types()), gr.update(choices=years), gr.update(choices=years[:-1]))

        def upload(files, *shown, progress=gr.Progress(track_tqdm=True)):  # noqa: B008 - how Gradio injects progress
            messages = upload_files(qa, files, progress)
            return ("<br>".join(messages) or "请选择文件。", *lists(*shown))

        def save(*values):
            return (save_metadata(qa, *values[:6]), *lists(*values[6:]))

        refreshed = [*listing, doc, speaker, pledge_who, compare_who, *pickers, pledge_year]
        shown = [*filters, page]
        # one import at a time in this server; the queue shows the others their place
        upload_btn.click(upload, [files, *shown], [status, *refreshed], api_visibility="private", concurrency_limit=1,
                         concurrency_id="import")
        m_save, m_status, m_inputs = editor
        m_save.click(save, [*m_inputs, *shown], [m_status, *refreshed], api_visibility="private",
                     concurrency_limit=1, concurrency_id="import")
        app.load(lists, shown, refreshed, api_visibility="private")
        register_api(gr, qa)
    return app


def speech_view(qa: QA, doc: str) -> str:
    """A speech with numbered paragraphs. Only speeches in the index are shown, so only files inside the corpus."""
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


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None) -> None:
    settings = settings or load_settings()
    auth = parse_auth(settings.ui_auth.get_secret_value() if settings.ui_auth else None)
    # Uploads, exports and Gradio's copies live in a folder this server owns (removed at stop, or at the next start
    # after a kill); uvicorn believes X-Forwarded-For only from the proxies the operator names.
    run = RunFolder.claim(settings.home)
    use_run_folder(run)
    os.environ["GRADIO_TEMP_DIR"] = str(run.gradio)
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxies
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a stopped server still removes its folder
    qa = get_qa(settings)

    def start_up() -> None:
        catch_up(settings)
        prepare_answers()  # read before the first question needs it
        try:
            prepare_quotes(qa)  # the quote check's copy of the corpus, built before anyone waits for it
        except QAError as e:
            log.warning("原话核对的索引未能预先建立：%s", e)

    threading.Thread(target=start_up, name="start-up", daemon=True).start()
    app = build_app(qa)
    app.queue(default_concurrency_limit=settings.ui_concurrency, max_size=settings.ui_queue)
    middleware = [Middleware(ApiGuard, blocks=app)]
    if auth:
        throttle = Throttle(settings.login_attempts, settings.login_lockout, settings.login_address_attempts)
        middleware.append(Middleware(LoginGuard, users=auth, throttle=throttle))
    app.launch(server_name=host, server_port=port, share=False, show_error=False, ssr_mode=False, auth=auth,
               auth_message="请登录后使用讲话材料问答。" if auth else None, css=CSS, footer_links=[],
               max_file_size=int(settings.max_file_mb * 1e6), app_kwargs={"middleware": middleware},
               quiet=True, prevent_thread_lock=True, js=RELABEL_JS)
    print(f"讲话材料问答已启动：http://{host}:{port}/（按 Ctrl+C 停止）", flush=True)
    try:
        app.block_thread()
    finally:
        run.close()

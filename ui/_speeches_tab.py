"""The 讲话 tab: a filtered, paged table of the speeches, a reader with paragraph numbers, the metadata editor and
uploads."""

from __future__ import annotations

from ingest import MAX_CELL, SUPPORTED, Limits, ingest, read_paragraphs, scan_pages, write_metadata_row
from qa import QA, DateError, QAError, parse_date

from ._choices import Choices
from ._render import esc, speech_html

__all__ = ["speeches_tab", "save_metadata", "speech_view"]

def speeches_tab(gr, qa: QA, choices: Choices):
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
        table = gr.Dataframe(value=rows, headers=["文件", "标题", "标题为摘取", "讲话人", "日期", "类型", "场合", "字数"],
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
        scan = gr.Gallery(label="原件（文字识别所读的扫描件，可与上面的文字对照）", visible=False, columns=1,
                          height="auto", object_fit="contain", elem_id="qa-reader-scan")  # the whole page, not a crop
        fields = [m_speaker, m_date, m_type, m_occasion, m_title]

        def open_speech(doc: str):
            view = speech_view(qa, doc)  # reads the index afresh
            d = qa.index.docs.get(doc) if doc else None
            values = ([d.speaker, d.date, d.type, d.occasion, None if d.title_derived else d.title] if d
                      else [None] * 5)
            pages = scan_view(qa, doc)
            return (view, gr.update(value=pages or None, visible=bool(pages)), *[v or "" for v in values])

        # the reader draws scans: two openings at a time, on workers of their own, so four people opening a large
        # scan leave the answer workers free for everyone else
        reader_doc.change(open_speech, reader_doc, [reader, scan, *fields], api_visibility="private",
                          concurrency_limit=2, concurrency_id="reader")
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
                    "文本文件可以是 UTF-8、GBK 或 UTF-16 编码。上传后自动导入。\n\n"
                    f"较大的文件（转换格式、文字识别）每人同一时间读取一个，全站同时最多 {settings.import_readers} 个，"
                    "不会耽误同事的上传；"
                    f"PDF 最多 {settings.max_pages} 页（其中需文字识别的最多 {settings.max_scan_pages} 页），"
                    f"图片最多 {settings.max_pixels / 1e6:g} 百万像素，每个文件最多读取 {settings.file_seconds / 60:g} 分钟，"
                    "超出的文件会说明原因。")
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


def _corpus_path(qa: QA, doc: str):
    """The file of an indexed speech, only inside the corpus folder (None otherwise)."""
    if not doc or doc not in {d.doc for d in qa.documents()}:
        return None
    root = qa.settings.corpus.resolve()
    path = (qa.settings.corpus / doc).resolve()
    return path if path.is_relative_to(root) else None


def scan_view(qa: QA, doc: str) -> list:
    """The page images of a speech read by OCR (none for others): staff check the text against the scan."""
    d = qa.index.docs.get(doc) if doc else None
    path = _corpus_path(qa, doc) if d is not None and d.ocr else None
    return scan_pages(path, Limits.of(qa.settings), qa.settings.home / "converted") if path is not None else []


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

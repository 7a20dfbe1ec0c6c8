"""Ingest and the web upload refuse the same duplicates with the same words (issue 39): the same bytes (also against
what the index already holds, when only the new file is ingested), the same text in another format, the same page
scanned twice (OCR reads two renderings of one page a few characters apart)."""

from __future__ import annotations

import shutil

import docx

from ingest import ingest
from qa import QA
from qa.app.bench.files import render_scan
from tests.conftest import TINY_A, make_settings


def _docx(path, text: str) -> None:
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(path)


def test_the_same_bytes_or_text_are_refused_even_when_only_the_new_file_is_ingested(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "讲话.txt").write_text(TINY_A, encoding="utf-8")
    settings = make_settings(tmp_path, corpus)
    ingest(settings=settings, progress=False)
    shutil.copy(corpus / "讲话.txt", corpus / "副本.txt")
    _docx(corpus / "讲话.docx", TINY_A.replace("同志们", "同志们"))  # the same words in Word
    (corpus / "全角.txt").write_text(TINY_A.replace("50", "５０") + "\n\n", encoding="utf-8")  # full-width digits
    report = ingest([corpus / "副本.txt", corpus / "讲话.docx", corpus / "全角.txt"], settings, progress=False)
    reasons = {e["path"]: e["error"] for e in report.errors}
    assert reasons == {"副本.txt": "与 讲话.txt 内容完全相同，已跳过（重复文件）",
                       "讲话.docx": "与 讲话.txt 文字完全相同（只是文件格式不同），已跳过（重复文件）",
                       "全角.txt": "与 讲话.txt 文字完全相同（只是文件格式不同），已跳过（重复文件）"}
    assert [d.doc for d in QA(settings).documents()] == ["讲话.txt"]


def test_the_same_page_scanned_as_png_and_pdf_is_indexed_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = ["同志们：", "今年要新开工亿元以上项目五十个，确保规上工业增加值增长百分之八。",
            "要坚持项目为王，牢牢扭住项目建设这个牛鼻子，以项目大提升支撑发展高质量。"]
    render_scan(corpus / "扫描.png", "在全市工业经济工作会议上的讲话", body)
    render_scan(corpus / "扫描.pdf", "在全市工业经济工作会议上的讲话", body)
    render_scan(corpus / "另一页.png", "在全区农业农村工作会议上的讲话",
                ["同志们：", "今年要建设高标准农田两万亩，力争三年内实现村村通公交。"])
    settings = make_settings(tmp_path, corpus)
    report = ingest(settings=settings, progress=False)
    assert [e["path"] for e in report.errors] == ["扫描.png"]
    assert "与 扫描.pdf 是同一份扫描件" in report.errors[0]["error"]
    assert sorted(d.doc for d in QA(settings).documents()) == ["另一页.png", "扫描.pdf"]
    off = make_settings(tmp_path / "off", corpus, duplicate_scan_similarity=1.0)
    assert ingest(settings=off, progress=False).documents == 3  # the rule switched off: exact text only

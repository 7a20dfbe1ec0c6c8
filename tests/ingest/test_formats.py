"""The files offices keep (issue 29): old Word and other word-processor files read through LibreOffice, scans read by
Tesseract, and nothing left out in silence. The test files are made here: the .doc/.wps/.rtf/.odt by LibreOffice
itself from a .docx the test writes, the scans rendered from a known paragraph with a CJK font (with a red 红头
header and a seal, which must not become text)."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from ingest import ingest, read_document
from qa import QA
from qa.app.bench.files import render_scan
from tests.conftest import make_settings

TITLE = "在全市工业经济工作会议上的讲话"
BODY = ["同志们：", "今年要新开工亿元以上项目五十个，确保规上工业增加值增长百分之八。",
        "要坚持项目为王，牢牢扭住项目建设这个牛鼻子，以项目大提升支撑发展高质量。",
        "各级各部门要强化责任担当，推动各项任务落地见效。"]
HEADER = "某某市人民政府办公室文件"


def _docx(path: Path, lines: list[str]) -> None:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(path)


def _convert(src: Path, fmt: str, outdir: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(outdir / 'profile').as_uri()}",
                    "--convert-to", fmt, "--outdir", str(outdir), str(src)], check=True, capture_output=True,
                   timeout=120)
    return outdir / f"{src.stem}.{fmt}"


def _scan(path: Path) -> None:
    """A page as a scanner makes it: red header and rule, the title, the body, a red seal, and vertical labels in
    black in both margins (内部资料…, 密封线…), which OCR reads as lines of garbage unless it drops them."""
    from PIL import Image, ImageDraw, ImageFont

    from qa.app.bench.files import CJK_FONT

    png = path.with_name(f"{path.stem}-page.png")
    render_scan(png, TITLE, BODY, HEADER, "某某市人民政府")
    with Image.open(png) as page:
        im = page.convert("RGB")
    png.unlink()
    d, font = ImageDraw.Draw(im), ImageFont.truetype(CJK_FONT, 40)
    for x, label in ((40, "内部资料注意保存"), (1580, "密封线内不要答题")):
        for i, ch in enumerate(label):
            d.text((x, 600 + i * 60), ch, font=font, fill="black")
    im.save(path, resolution=200) if path.suffix == ".pdf" else im.save(path)


@pytest.fixture(scope="module")
def office_folder(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("office") / "corpus"
    work = corpus.parent / "work"
    corpus.mkdir()
    work.mkdir()
    lines = [TITLE, *BODY]
    for fmt, body in (("doc", "老格式"), ("rtf", "富文本"), ("odt", "开放文档")):
        src = work / f"{body}.docx"
        _docx(src, [*lines, f"本文件格式：{body}。"])
        shutil.copy(_convert(src, fmt, work), corpus / f"{body}.{fmt}")
    src = work / "金山.docx"
    _docx(src, [*lines, "本文件用 WPS 保存。"])
    shutil.copy(_convert(src, "doc", work), corpus / "金山.wps")  # WPS Office writes Word's binary format
    _scan(corpus / "扫描件.pdf")
    _scan(corpus / "截图.png")
    (corpus / "备忘.xyz").write_text("不是讲话", encoding="utf-8")
    (corpus / "~$老格式.doc").write_bytes(b"\x00lock")
    (corpus / "坏图.png").write_bytes(os.urandom(2000))
    return corpus


@pytest.fixture(scope="module")
def indexed_office(office_folder, tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("office-home"), office_folder)
    report = ingest(settings=settings, progress=False)
    return settings, report


def test_every_file_is_indexed_or_reported_with_a_reason(indexed_office):
    settings, report = indexed_office
    docs = {d.doc for d in QA(settings).documents()}
    assert docs == {"老格式.doc", "富文本.rtf", "开放文档.odt", "金山.wps", "扫描件.pdf", "截图.png"}
    errors = {e["path"]: e["error"] for e in report.errors}
    assert set(errors) == {"备忘.xyz", "~$老格式.doc", "坏图.png"}
    assert "不支持的文件类型 .xyz" in errors["备忘.xyz"] and "临时锁定文件" in errors["~$老格式.doc"]
    assert "无法打开图片" in errors["坏图.png"]
    assert "跳过 备忘.xyz" in report.summary()


def test_converted_files_read_as_their_text_with_exact_offsets(indexed_office):
    settings, _ = indexed_office
    qa = QA(settings)
    for doc, marker in (("老格式.doc", "老格式"), ("富文本.rtf", "富文本"), ("开放文档.odt", "开放文档"),
                        ("金山.wps", "WPS")):
        text = read_document(settings.corpus / doc, doc, settings)
        assert TITLE in text and BODY[2] in text and marker in text
        hit = qa.search("牢牢扭住项目建设这个牛鼻子", doc=doc, k=1).results[0]
        assert text[hit.start : hit.end] == hit.text
    assert {d.title for d in qa.documents() if d.doc.endswith((".doc", ".rtf", ".odt", ".wps"))} == {TITLE}


def test_scans_are_read_by_ocr_without_the_red_header_or_seal(indexed_office):
    settings, _ = indexed_office
    qa = QA(settings)
    for doc in ("扫描件.pdf", "截图.png"):
        text = read_document(settings.corpus / doc, doc, settings)
        body = "".join(BODY)
        got = "".join(line for line in text.splitlines() if line.strip() and TITLE[:4] not in line)
        accuracy = difflib.SequenceMatcher(None, body, got, autojunk=False).ratio()
        assert accuracy >= 0.9, (doc, accuracy, text)  # measured 0.99 on both
        assert "办公室文件" not in text and "某某市人民政府" not in text  # red ink is not the speech
        known = TITLE + "".join(BODY)
        for line in (x for x in text.splitlines() if len(x.strip()) >= 2):  # no lines of margin garbage
            matched = sum(b.size for b in difflib.SequenceMatcher(None, line, known, autojunk=False).get_matching_blocks())
            assert matched >= 0.6 * len(line), (doc, line)
        hits = qa.search("牢牢扭住项目建设这个牛鼻子", doc=doc, k=1).results
        assert hits and "牢牢扭住项目建设" in hits[0].text and hits[0].to_dict()["ocr"] is True  # marked as read by OCR
    assert {d.doc: d.ocr for d in qa.documents()} == {"老格式.doc": False, "富文本.rtf": False, "开放文档.odt": False,
                                                      "金山.wps": False, "扫描件.pdf": True, "截图.png": True}
    ans = qa.ask("要牢牢扭住什么？", doc="截图.png")
    assert ans.citations and all(c.ocr for c in ans.citations)


def test_the_quote_check_says_a_difference_may_be_an_ocr_misread(office_folder, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(office_folder / "截图.png", corpus)
    settings = make_settings(tmp_path / "home", corpus)
    ingest(settings=settings, progress=False)
    check = QA(settings).check_quote("要坚持项目为王，牢牢抓住项目建设这个牛鼻子")  # 扭住 → 抓住
    match = check.parts[0].match
    assert check.verdict == "close" and match.ocr and "识别错误" in match.ocr_note


def test_conversions_and_ocr_are_kept_by_hash(indexed_office, monkeypatch):
    settings, _ = indexed_office
    monkeypatch.setenv("PATH", "/nonexistent")  # no soffice, no tesseract: the kept results are read
    assert BODY[1] in read_document(settings.corpus / "老格式.doc", "老格式.doc", settings)
    assert "牛鼻子" in read_document(settings.corpus / "截图.png", "截图.png", settings)


def test_a_missing_converter_is_one_clear_line_and_the_rest_is_indexed(office_folder, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(office_folder / "老格式.doc", corpus)
    shutil.copy(office_folder / "富文本.rtf", corpus)
    (corpus / "讲话.txt").write_text(f"{TITLE}\n{BODY[1]}\n", encoding="utf-8")
    monkeypatch.setenv("PATH", "/nonexistent")
    settings = make_settings(tmp_path / "home", corpus)
    report = ingest(settings=settings, progress=False)
    assert [d.doc for d in QA(settings).documents()] == ["讲话.txt"]
    assert {e["path"] for e in report.errors} == {"老格式.doc", "富文本.rtf"}
    assert all("libreoffice-writer-nogui" in e["error"] for e in report.errors)
    (line,) = [x for x in report.summary().splitlines() if "libreoffice" in x]  # said once for both files
    assert "2 个文件" in line


def test_a_hung_conversion_is_stopped_and_the_rest_is_indexed(office_folder, tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "soffice").write_text("#!/bin/sh\nsleep 600\n", encoding="utf-8")
    (tools / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(office_folder / "富文本.rtf", corpus)
    (corpus / "讲话.txt").write_text(f"{TITLE}\n{BODY[1]}\n", encoding="utf-8")
    settings = make_settings(tmp_path / "home", corpus, convert_timeout=2)
    report = ingest(settings=settings, progress=False)
    assert [d.doc for d in QA(settings).documents()] == ["讲话.txt"]
    (error,) = report.errors
    assert error["path"] == "富文本.rtf" and "超过 2 秒" in error["error"]


def test_a_page_set_vertically_is_read_with_the_vertical_model(tmp_path):
    """竖排: columns top to bottom, right to left. Read across it gives nothing Tesseract is sure of; the vertical
    model reads it (measured 0.86 of the characters)."""
    from PIL import Image, ImageDraw, ImageFont

    from ingest._convert import ocr_image
    from qa.app.bench.files import CJK_FONT

    text = "今年要新开工亿元以上项目五十个确保规上工业增加值增长百分之八要坚持项目为王牢牢扭住项目建设这个牛鼻子"
    im = Image.new("RGB", (1654, 2339), "white")
    d, font = ImageDraw.Draw(im), ImageFont.truetype(CJK_FONT, 48)
    for col, i in enumerate(range(0, len(text), 20)):
        for j, ch in enumerate(text[i : i + 20]):
            d.text((1500 - col * 90, 200 + j * 70), ch, font=font, fill="black")
    im.save(tmp_path / "竖排.png")
    got = ocr_image((tmp_path / "竖排.png").read_bytes()).replace("\n", "")
    assert difflib.SequenceMatcher(None, text, got, autojunk=False).ratio() >= 0.75, got


def test_footnotes_are_read_after_the_body(tmp_path):
    """A 红头文件's 注释 is part of what it says; Word keeps it apart from the body, the reader puts it after."""
    from ingest._reader import read_text

    def rtf(s: str) -> str:
        return "".join(f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in s)

    (tmp_path / "注释.rtf").write_text(
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 " + rtf(TITLE) + "\\par " + rtf("今年要新开工项目五十个")
        + "{\\super\\chftn}{\\footnote\\pard\\plain{\\super\\chftn} " + rtf("注：含续建项目。") + "}" + rtf("。")
        + "\\par}", encoding="ascii")
    text, how = read_text(tmp_path / "注释.rtf")
    assert how == "libreoffice" and text.splitlines() == [TITLE, "今年要新开工项目五十个。", "注：含续建项目。"]

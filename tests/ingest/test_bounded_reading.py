"""Issue 36: every reading of a file someone gave us is bounded and offline. Each row of the hostile-use probe is a
test here, on small generated files (`qa/app/bench/hostile.py`): converters reach no listener on loopback, a parser that
would take minutes or gigabytes is stopped by its limit and the file remembered, blank pages cost no OCR, the reader
draws huge pages small, a killed conversion leaves nothing in /tmp. Memory is this process's peak (the parsers run
in workers: it must not grow)."""

from __future__ import annotations

import http.server
import os
import resource
import threading
import time
from pathlib import Path

import pytest

import ingest._convert as convert
import ingest._sandbox as sandbox
from ingest._convert import scan_pages
from ingest._reader import read_text
from ingest._sandbox import Limits, Refusal, network_isolation
from qa.app.bench import hostile
from qa.app.bench.files import render_scan
from qa.core.files import safe_name


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Listener:
    """An HTTP server on loopback that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                owner.requests.append(f"{self.command} {self.path}")
                self.send_response(404)
                self.end_headers()

            do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = _record

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = _Listener()
    yield server
    server.close()


def _linking_files(folder: Path, url: str) -> list[Path]:
    """An .odt with a linked image and object, a .docx with an external image renamed .doc, HTML renamed .doc."""
    hostile.odt_with_remote(folder / "链接.odt", url)
    hostile.docx_with_remote(folder / "外链图片.doc", url)
    (folder / "网页.doc").write_text(
        f'<html><head><link rel="stylesheet" href="{url}/html.css"></head><body><p>市长在全市工作会议上的讲话</p>'
        f'<p>今年要新开工项目五十个。</p><img src="{url}/html-image.png"><iframe src="{url}/frame"></iframe>'
        "</body></html>", encoding="utf-8")
    return [folder / "链接.odt", folder / "外链图片.doc", folder / "网页.doc"]


@pytest.mark.parametrize("isolation", ["namespace", "settings"])
def test_converters_reach_no_address(tmp_path, listener, monkeypatch, isolation):
    """In a network namespace (where one can be made) or, failing that, with LibreOffice's own settings, no
    document makes the converter connect anywhere; the text is still read."""
    if isolation == "namespace" and network_isolation() == "settings":
        pytest.skip("no network namespace can be made on this machine; the settings row covers it")
    if isolation == "settings":
        monkeypatch.setattr(sandbox, "_isolation", lambda: ("settings", ()))
    for path in _linking_files(tmp_path, listener.url):
        text, how = read_text(path, cache=tmp_path / "cache")
        assert how == "libreoffice" and "新开工项目五十个" in text, path.name
    assert listener.requests == []


def test_without_either_guard_the_converter_would_fetch(tmp_path, listener, monkeypatch):
    """The control: with no namespace and LibreOffice's default profile, the same .odt makes it fetch the links,
    so the listener above would have seen it."""
    monkeypatch.setattr(sandbox, "_isolation", lambda: ("settings", ()))
    monkeypatch.setattr(convert, "_OFFLINE_PROFILE", '<?xml version="1.0" encoding="UTF-8"?>'
                        '<oor:items xmlns:oor="http://openoffice.org/2001/registry"></oor:items>')
    hostile.odt_with_remote(tmp_path / "链接.odt", listener.url)
    read_text(tmp_path / "链接.odt")
    assert any("odt-image.png" in r for r in listener.requests)


def test_a_zip_bomb_docx_is_refused_unparsed_and_remembered(tmp_path):
    """18 KB that unpack to two million paragraphs: refused from a count made while unpacking, by name and limit;
    the second time from memory."""
    path = tmp_path / "炸弹.docx"
    hostile.zip_bomb_docx(path)
    assert path.stat().st_size < 30_000
    before = _peak_mb()
    with pytest.raises(Refusal, match="段落，超过上限 50,000"):
        read_text(path, cache=tmp_path / "cache")
    with pytest.raises(Refusal, match="此前已检查过这个文件"):
        read_text(path, cache=tmp_path / "cache")
    assert _peak_mb() - before < 100


def test_a_pdf_made_to_be_slow_is_stopped_by_the_cpu_limit_and_remembered(tmp_path):
    """Eight pages drawing one 6 MB text stream (19 KB on disk): the parser worker is stopped at its CPU limit;
    the same file again costs nothing."""
    path = tmp_path / "慢.pdf"
    hostile.shared_stream_pdf(path)
    limits = Limits(cpu_s=3)
    with pytest.raises(Refusal, match="计算时间上限 3 秒（QA_PARSE_CPU_S）"):
        read_text(path, cache=tmp_path / "cache", limits=limits)
    began = time.monotonic()
    with pytest.raises(Refusal, match="此前已检查过这个文件"):
        read_text(path, cache=tmp_path / "cache", limits=limits)
    assert time.monotonic() - began < 1.0  # read from memory, not parsed again (a bound, not a benchmark)


def test_a_parser_over_its_memory_limit_is_refused_by_name(tmp_path):
    """A worker that would need more memory than QA_PARSE_MEMORY_MB is stopped and the limit named (a legitimate
    PDF under a limit too small for the parser itself)."""
    path = tmp_path / "讲话.pdf"
    hostile.shared_stream_pdf(path, pages=1, mb=6)
    with pytest.raises(Refusal, match="内存上限 128 MB（QA_PARSE_MEMORY_MB）"):
        read_text(path, limits=Limits(memory_mb=128))


@pytest.fixture
def counted_ocr(tmp_path, monkeypatch):
    """A `tesseract` first on PATH that records each page it is asked to read (and reads none)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    log = tmp_path / "ocr.log"
    (tools / "tesseract").write_text(f'#!/bin/sh\n[ "$1" = --list-langs ] && exit 0\necho "$1" >> {log}\nexit 1\n')
    (tools / "tesseract").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    return log


def test_blank_pages_are_found_cheaply_and_never_read(tmp_path, counted_ocr):
    """500 blank pages (70 KB): found blank on one small rendering, no page goes to OCR, the file is refused as
    having no text, in seconds rather than the probe's 688 s."""
    path = tmp_path / "空白.pdf"
    hostile.blank_pdf(path)
    with pytest.raises(Refusal, match="PDF 中没有文字"):
        read_text(path)
    assert not counted_ocr.exists()


def test_more_pages_to_read_than_the_limit_is_refused_before_any_is_read(tmp_path, counted_ocr):
    """Pages with ink and no text layer past QA_MAX_SCAN_PAGES: refused by count, no page read; past
    QA_MAX_PAGES: refused before any page is parsed."""
    ink = b"0 0 0 rg 100 100 300 300 re f"
    path = tmp_path / "扫描.pdf"
    path.write_bytes(hostile.raw_pdf([(595, 842, 5)] * 12, {5: ink}))
    with pytest.raises(Refusal, match="有 12 页需要文字识别，超过上限 5 页（QA_MAX_SCAN_PAGES）"):
        read_text(path, limits=Limits(scan_pages=5))
    assert not counted_ocr.exists()
    with pytest.raises(Refusal, match="共 12 页，超过上限 10 页（QA_MAX_PAGES）"):
        read_text(path, limits=Limits(pages=10))


def test_a_huge_image_is_refused_from_its_header(tmp_path, counted_ocr):
    """13000×13000 pixels in 45 KB: refused before it is decoded, by its size and the limit; no OCR."""
    path = tmp_path / "条纹.png"
    hostile.striped_png(path)
    before = _peak_mb()
    with pytest.raises(Refusal, match="13000×13000 像素，超过上限 50 百万像素（QA_MAX_PIXELS）"):
        read_text(path)
    assert not counted_ocr.exists() and _peak_mb() - before < 100


def test_a_killed_conversion_leaves_nothing_in_tmp(tmp_path):
    """A random 10 MB “.doc” held past its time: killed, and no OSL_PIPE socket, lu*.tmp folder or private folder
    of it stays in /tmp."""
    path = tmp_path / "随机.doc"
    hostile.random_doc(path)
    before = set(os.listdir("/tmp"))
    with pytest.raises(Refusal) as refused:
        read_text(path, cache=tmp_path / "cache", limits=Limits(seconds=4))
    if "超过 4 秒" in str(refused.value):  # a wall-clock limit on a busy machine is not held against the file
        assert not list((tmp_path / "cache").glob("*.refused"))
    left = {n for n in set(os.listdir("/tmp")) - before if n.startswith(("OSL_PIPE", "lu", "qa-"))}
    assert left == set()


def test_the_reader_draws_huge_pages_small_and_keeps_them(tmp_path):
    """A scan followed by nine 9000×9000 pt pages (90 KB): every page drawn with no side over 1,400 pixels, this
    process's memory barely moves (the probe: 0.9 → 12 GB), and the second opening reads the kept pages."""
    scan = tmp_path / "scan.png"
    render_scan(scan, "在全市工作会议上的讲话", ["今年要新开工亿元以上项目五十个。"])
    path = tmp_path / "大页面.pdf"
    hostile.huge_pages_pdf(path, scan)
    before = _peak_mb()
    pages = scan_pages(path, Limits(), tmp_path / "cache")
    assert len(pages) == 10 and all(max(p.size) <= 1400 for p in pages)
    assert _peak_mb() - before < 300
    kept = sorted((tmp_path / "cache").glob("*.view-*.png"))
    assert len(kept) == 10
    assert [p.size for p in scan_pages(path, Limits(), tmp_path / "cache")] == [p.size for p in pages]
    text, how = read_text(path)  # the big pages' text layer is read; the scan by OCR
    assert how == "pdf+ocr" and "五十个" in text and "fifty projects" in text


def test_names_cannot_lie_about_themselves():
    """A right-to-left override shows `evil\u202etxt.doc` as “evilcod.txt”; zero-width characters make two names
    look alike: both are taken out of a saved name."""
    assert safe_name("evil\u202etxt.doc") == "eviltxt.doc"
    assert safe_name("讲\u200b话.txt") == "讲话.txt"

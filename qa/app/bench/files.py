"""The office files part of `qa bench`: a speech of the corpus saved as `.doc` by LibreOffice and printed as a scan
(`render_scan`), then read the way ingest reads them: seconds per `.doc` conversion, OCR pages per second, OCR's
character accuracy against the known text, and the share of an ingest of those files spent converting and reading
scans (the same ingest with the conversions kept, side by side)."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qa.core.settings import Settings

__all__ = ["render_scan", "files_speed", "CJK_FONT"]

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"  # Debian's fonts-noto-cjk


def render_scan(path: Path, title: str, body: list[str], header: str = "", seal: str = "") -> str:
    """A page as a scanner makes it from known text: an optional red 红头 header with its rule, the title, the body
    wrapped at 32 characters (as much as fits), an optional red seal. `.pdf` makes an image-only PDF (no text
    layer). Returns the body text the page shows."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = 1654, 2339
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    if header:
        d.text((w // 2, 150), header, font=ImageFont.truetype(CJK_FONT, 72), fill=(200, 0, 0), anchor="mt")
        d.line((120, 280, w - 120, 280), fill=(200, 0, 0), width=6)
    d.text((w // 2, 340), title, font=ImageFont.truetype(CJK_FONT, 56), fill="black", anchor="mt")
    y, font = 460, ImageFont.truetype(CJK_FONT, 44)
    shown = []
    for line in body:
        for i in range(0, len(line), 32):
            if y > h - 200:
                break
            d.text((150, y), line[i : i + 32], font=font, fill="black")
            shown.append(line[i : i + 32])
            y += 70
    if seal and y < h - 500:
        d.ellipse((1050, y + 40, 1450, y + 440), outline=(220, 0, 0), width=10)
        d.text((1250, y + 240), seal, font=ImageFont.truetype(CJK_FONT, 40), fill=(220, 0, 0), anchor="mm")
    if path.suffix == ".pdf":
        im.save(path, resolution=200)
    else:
        im.save(path)
    return "".join(shown)


def files_speed(settings: Settings, title: str, body: list[str], ingest, read_document,
                progress: Callable[[str], None]) -> dict:
    """See the module docstring; `{"missing": [...]}` when LibreOffice, Tesseract or the CJK font is not installed."""
    import docx

    missing = [t for t in ("soffice", "tesseract", "pdftoppm") if shutil.which(t) is None]
    if not Path(CJK_FONT).exists():
        missing.append("fonts-noto-cjk")
    if missing:
        return {"missing": missing}
    progress("速度：旧格式转换与扫描件文字识别")
    work = Path(tempfile.mkdtemp(prefix="qa-bench-files-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        d = docx.Document()
        for line in [title, *body]:
            d.add_paragraph(line)
        d.save(work / "speech.docx")
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                        "--convert-to", "doc", "--outdir", str(corpus), str(work / "speech.docx")], check=True,
                       capture_output=True, timeout=300)
        pages = 2
        shown = render_scan(corpus / "scan.png", title, body, "某某市人民政府办公室文件", "某某市人民政府")
        render_scan(corpus / "scan.pdf", title, body[::-1])
        fresh = settings.model_copy(update={"home": work / "home", "corpus": corpus})
        t = time.perf_counter()
        ingest(None, fresh, progress=False)
        ingest_s = time.perf_counter() - t
        warm = settings.model_copy(update={"home": work / "warm", "corpus": corpus})  # the same, conversions kept
        shutil.copytree(fresh.home / "converted", warm.home / "converted")
        t = time.perf_counter()
        ingest(None, warm, progress=False)
        warm_s = time.perf_counter() - t
        cold = fresh.model_copy(update={"home": work / "cold"})  # nothing kept: every read converts or OCRs
        timed = {}
        for name in ("speech.doc", "scan.png", "scan.pdf"):
            t = time.perf_counter()
            text = read_document(corpus / name, name, cold)
            timed[name] = (time.perf_counter() - t, text)
        scanned_s = timed["scan.png"][0] + timed["scan.pdf"][0]
        got = "".join(timed["scan.png"][1].splitlines()[1:])  # the body, after the title line
        return {
            "doc_convert_s": round(timed["speech.doc"][0], 2),
            "ocr_pages_per_s": round(pages / scanned_s, 3),
            "ocr_accuracy": round(difflib.SequenceMatcher(None, shown, got, autojunk=False).ratio(), 4),
            "convert_and_ocr_share_of_ingest": round(max(0.0, ingest_s - warm_s) / ingest_s, 3),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

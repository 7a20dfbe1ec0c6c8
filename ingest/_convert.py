"""Files no Python library reads well, read through Debian's own tools, each run with a time limit:

- old and other word-processor files (.doc, .wps, .rtf, .odt) are converted to .docx by LibreOffice, headless, in a
  private profile folder of their own (two conversions at once cannot lock each other out, a hung one is killed);
- scans (images, and PDFs without a text layer) are read by Tesseract with its Simplified Chinese model, after red ink
  (a 红头 header, a seal) is washed out of the page: it is not the speech, and it reads as garbage lines; a page set
  vertically (竖排) is read with the vertical model.

What a conversion or OCR gives is kept by the file's hash (`cache`), so the same file is never converted twice."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from qa.core.errors import InputError

__all__ = ["CONVERTED", "SCANNED", "to_docx", "ocr_image", "ocr_pdf_pages", "scan_pages"]

CONVERTED = (".doc", ".wps", ".rtf", ".odt")
SCANNED = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

_INSTALL = {
    "soffice": "LibreOffice（Debian：sudo apt-get install libreoffice-writer-nogui；或在项目文件夹里运行 make tools）",
    "tesseract": "Tesseract 中文识别（Debian：sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim；或 make tools）",
    "pdftoppm": "Poppler（Debian：sudo apt-get install poppler-utils；或 make tools）",
}


def _tool(name: str, what: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise InputError(f"读取{what}需要 {_INSTALL[name]}；本机没有安装，这个文件没有导入，其余文件照常导入")
    return path


def _run(cmd: list[str], timeout: float, what: str) -> subprocess.CompletedProcess:
    """`cmd` in its own process group, killed whole (LibreOffice starts a child) when it outlives `timeout`."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise InputError(f"{what}超过 {timeout:g} 秒仍未完成，已停止（文件可能损坏）；其余文件照常导入") from None
    finally:  # a timeout, Ctrl-C or any error: nothing of it outlives this call (it has its own session)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


_VERSION = 3  # raise when conversion or OCR changes what it makes of a file: kept results of older versions are not used


def _cached(cache: Path | None, data: bytes, kind: str, make) -> bytes:
    if cache is None:
        return make()
    path = cache / f"{hashlib.sha256(data).hexdigest()}.v{_VERSION}.{kind}"
    if path.exists():
        return path.read_bytes()
    out = make()
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(out)
    os.replace(tmp, path)
    return out


def to_docx(data: bytes, suffix: str, timeout: float, cache: Path | None = None) -> bytes:
    """The .docx LibreOffice makes of a .doc/.wps/.rtf/.odt file."""
    def convert() -> bytes:
        soffice = _tool("soffice", " .doc、.wps、.rtf、.odt 文件")
        with tempfile.TemporaryDirectory(prefix="qa-convert-") as tmp:
            src = Path(tmp) / f"in{suffix}"
            src.write_bytes(data)
            profile = Path(tmp) / "profile"
            done = _run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(tmp) / "out"), str(src)],
                        timeout, f"转换 {suffix} 文件")
            out = Path(tmp) / "out" / "in.docx"
            if done.returncode != 0 or not out.exists():
                raise InputError(f"LibreOffice 无法读取这个 {suffix} 文件（文件已损坏或不是文档）")
            return out.read_bytes()

    return _cached(cache, data, "docx", convert)


def _washed(image) -> bytes:
    """The page as a grey PNG with red ink (a 红头 header, a seal) turned white."""
    from PIL import Image

    rgb = image.convert("RGB")
    r, g, b = rgb.split()
    red = Image.eval(r, lambda v: 255 if v > 140 else 0)
    not_dark = Image.eval(g, lambda v: 255 if v < 150 else 0)
    mask = Image.composite(red, Image.new("L", rgb.size, 0), not_dark)  # strong red, weak green: red ink
    grey = rgb.convert("L")
    grey.paste(255, mask=mask)
    buf = io.BytesIO()
    grey.save(buf, format="PNG")
    return buf.getvalue()


# Tesseract's mean confidence (0–100) of a line, below which the line is not text but marks read as characters:
# vertical margin labels, stamps, folds. Lines of a speech read at 85–95; such marks at 0–15.
_LINE_CONFIDENCE = 40.0


def _from_tsv(tsv: str) -> str:
    """Tesseract's words as paragraphs: its lines of one paragraph joined (Chinese wraps mid-sentence), lines it
    reads with little confidence dropped (see `_LINE_CONFIDENCE`), the spaces it puts between Chinese characters
    removed."""
    lines: dict[tuple[int, int, int], list[tuple[float, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[11].strip():
            key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
            lines.setdefault(key, []).append((float(cols[10]), cols[11].strip()))
    paragraphs: dict[tuple[int, int], list[str]] = {}
    for (block, par, _), words in lines.items():
        if sum(c for c, _ in words) / len(words) < _LINE_CONFIDENCE:
            continue
        paragraphs.setdefault((block, par), []).append(" ".join(w for _, w in words))
    out = []
    for parts in paragraphs.values():
        joined = re.sub(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])\s+|\s+(?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])",
                        "", "".join(parts))
        if joined:
            out.append(joined)
    return "\n".join(out)


_VERTICAL_TRY = 10  # a page that reads as fewer Chinese characters than this across is tried as vertical text (竖排)


def _ocr_png(png: bytes, timeout: float) -> str:
    """The page read across (chi_sim); a page that reads as next to nothing that way is tried top to bottom, right
    to left (chi_sim_vert), as older documents are set, when that model is installed."""
    tesseract = _tool("tesseract", "扫描件和图片")
    with tempfile.TemporaryDirectory(prefix="qa-ocr-") as tmp:
        src = Path(tmp) / "page.png"
        src.write_bytes(png)

        def read(*args: str) -> str:
            done = _run([tesseract, str(src), "stdout", *args, "tsv"], timeout, "文字识别")
            if done.returncode != 0:
                raise InputError("文字识别失败（图片无法读取）：" + done.stderr.decode("utf-8", "replace").strip()[:120])
            return _from_tsv(done.stdout.decode("utf-8", "replace"))

        across = read("-l", "chi_sim")
        if _cjk(across) >= _VERTICAL_TRY or "chi_sim_vert" not in _languages(tesseract):
            return across
        down = read("-l", "chi_sim_vert", "--psm", "5")
        return down if _cjk(down) > _cjk(across) else across


def _cjk(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


_LANGUAGES: dict[str, set[str]] = {}


def _languages(tesseract: str) -> set[str]:
    """The models this Tesseract has (asked once)."""
    if tesseract not in _LANGUAGES:
        done = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=30)
        _LANGUAGES[tesseract] = set(done.stdout.decode("utf-8", "replace").split()[1:]) if done.returncode == 0 else set()
    return _LANGUAGES[tesseract]


def ocr_image(data: bytes, timeout: float, cache: Path | None = None) -> str:
    """The text of an image file, read by OCR."""
    from PIL import Image, UnidentifiedImageError

    def read() -> bytes:
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
            raise InputError(f"无法打开图片（文件已损坏、不是图片，或大得不像一页纸）：{type(e).__name__}") from None
        return _ocr_png(_washed(image), timeout).encode("utf-8")

    return _cached(cache, data, "ocr.txt", read).decode("utf-8")


def ocr_pdf_pages(data: bytes, pages: list[int], timeout: float, cache: Path | None = None) -> dict[int, str]:
    """The text of the given PDF pages (0-based), rendered at 300 dpi by pdftoppm and read by OCR."""
    from PIL import Image, UnidentifiedImageError

    out: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="qa-pdf-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        for n in pages:
            def read(n: int = n) -> bytes:
                done = _run([_tool("pdftoppm", "扫描的 PDF "), "-r", "300", "-f", str(n + 1), "-l", str(n + 1), "-png",
                             str(src), str(Path(tmp) / f"p{n}")], timeout, "扫描 PDF 的页面渲染")
                rendered = sorted(Path(tmp).glob(f"p{n}-*.png"))
                if done.returncode != 0 or not rendered:
                    raise InputError("扫描的 PDF 页面无法渲染（文件已损坏）")
                try:
                    with Image.open(rendered[0]) as image:
                        return _ocr_png(_washed(image), timeout).encode("utf-8")
                except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
                    raise InputError(f"扫描的 PDF 页面无法读取：{type(e).__name__}") from None

            out[n] = _cached(cache, data + f"#page{n}".encode(), "ocr.txt", read).decode("utf-8")
    return out


def scan_pages(path: Path, limit: int = 10, timeout: float = 120.0) -> list:
    """The pages of a scan as images, at most `limit` (an image file; a PDF's pages rendered at 100 dpi), for staff
    to read beside the text OCR made of them. [] when they cannot be shown."""
    from PIL import Image, UnidentifiedImageError

    if path.suffix.lower() in SCANNED:
        try:
            with Image.open(path) as image:
                image.thumbnail((1400, 1400 * 2))
                return [image.convert("RGB")]
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            return []
    if path.suffix.lower() != ".pdf" or shutil.which("pdftoppm") is None:
        return []
    with tempfile.TemporaryDirectory(prefix="qa-pages-") as tmp:
        try:
            _run([shutil.which("pdftoppm"), "-r", "100", "-l", str(limit), "-png", str(path), str(Path(tmp) / "p")],
                 timeout, "扫描 PDF 的页面渲染")
        except InputError:
            return []
        pages = []
        for png in sorted(Path(tmp).glob("p*.png"))[:limit]:
            with Image.open(png) as image:
                pages.append(image.convert("RGB"))
        return pages

"""Files no Python library reads well, read through Debian's own tools, each run bounded and without the network
(`ingest._sandbox`: a network namespace, CPU-time, memory and wall-clock limits, a private temporary folder):

- old and other word-processor files (.doc, .wps, .rtf, .odt) are converted to .docx by LibreOffice, headless, in a
  private profile folder of their own (two conversions at once cannot lock each other out, a hung one is killed);
- scans (images, and PDFs without a text layer) are read by Tesseract with its Simplified Chinese model, after red ink
  (a 红头 header, a seal) is washed out of the page: it is not the speech, and it reads as garbage lines; a page set
  vertically (竖排) is read with the vertical model. Blank pages are found on a small rendering and not read; a
  page is rendered no larger than A2 at 300 dpi whatever size it says it is.

What a file reads as is kept by its hash (`cached`, used by `ingest._reader`; a scanned PDF's pages one by one too),
so the same file is never converted twice."""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from qa.core.errors import InputError
from qa.core.files import atomic_write

from ._sandbox import Deadline, Limits, Refusal, parse, private_folder, run

__all__ = ["CONVERTED", "SCANNED", "CONVERT_VERSION", "cached", "to_docx", "docx_text", "ocr_image", "ocr_pdf_pages", "scan_pages"]

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


CONVERT_VERSION = 4  # raise when conversion or OCR changes what it makes of a file: kept results of older versions are not used


def cached(cache: Path | None, data: bytes, kind: str, make) -> bytes:
    """What `make()` gives for this file, kept in `cache` by the file's hash and `kind` (under `CONVERT_VERSION`)."""
    if cache is None:
        return make()
    path = cache / f"{hashlib.sha256(data).hexdigest()}.v{CONVERT_VERSION}.{kind}"
    if path.exists():
        return path.read_bytes()
    out = make()
    cache.mkdir(parents=True, exist_ok=True)
    atomic_write(path, out)
    return out


# LibreOffice's profile where no network namespace can be made (`network_isolation() == "settings"`), and as a
# second guard where one is: every http/https/ftp request goes to a closed local port, linked content is blocked.
_OFFLINE_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
""" + "".join(
    f'<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="{k}" oor:op="fuse"><value>{v}</value></prop></item>\n'
    for k, v in (("ooInetProxyType", "1"), ("ooInetNoProxy", ""),
                 *((f"ooInet{p}ProxyName", "127.0.0.1") for p in ("HTTP", "HTTPS", "FTP")),
                 *((f"ooInet{p}ProxyPort", "9") for p in ("HTTP", "HTTPS", "FTP")))
) + """<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""

# LibreOffice maps far more address space than it uses: its limit is this multiple of the parsers' one.
_SOFFICE_MEMORY_FACTOR = 4


def to_docx(data: bytes, suffix: str, limits: Limits, deadline: Deadline | None = None) -> bytes:
    """The .docx LibreOffice makes of a .doc/.wps/.rtf/.odt file, converted without the network (see `_sandbox`).
    Not kept here: `ingest._reader` keeps what the whole file reads as."""
    soffice = _tool("soffice", " .doc、.wps、.rtf、.odt 文件")
    with private_folder("qa-convert-") as tmp:
        src = tmp / f"in{suffix}"
        src.write_bytes(data)
        profile = tmp / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_OFFLINE_PROFILE, encoding="utf-8")
        try:
            done = run([soffice, "--headless", "--norestore", "--nolockcheck",
                        f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx:MS Word 2007 XML",
                        "--outdir", str(tmp / "out"), str(src)], (deadline or Deadline(limits)).step(),
                       f"转换 {suffix} 文件", tmp, limits, memory_mb=limits.memory_mb * _SOFFICE_MEMORY_FACTOR)
        except BaseException:
            _remove_dead_pipes(patience=3.0)  # killed: its socket outlives it
            raise
        out = tmp / "out" / "in.docx"
        _remove_dead_pipes(patience=0.0 if done.returncode == 0 else 3.0)  # one that gave up may leave it too
        if done.returncode != 0 or not out.exists():
            raise Refusal(f"LibreOffice 无法读取这个 {suffix} 文件（文件已损坏或不是文档）")
        return out.read_bytes()


def _remove_dead_pipes(patience: float = 0.0) -> None:
    """LibreOffice puts its OSL_PIPE socket in /tmp whatever TMPDIR says, and a killed conversion leaves it there:
    remove this user's such sockets that nothing listens on any more (a running conversion's answers, and stays).
    `patience`: seconds to keep looking while some still answer (a killed LibreOffice takes a moment to die)."""
    deadline = time.monotonic() + patience
    while True:
        alive = 0
        for pipe in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_*"):
            with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as s:
                try:
                    s.connect(str(pipe))
                    alive += 1
                except ConnectionRefusedError:
                    pipe.unlink()
        if not alive or time.monotonic() >= deadline:
            return
        time.sleep(0.1)


def docx_text(data: bytes, limits: Limits, deadline: Deadline | None = None) -> str:
    """The text of a .docx, read by the bounded parser worker."""
    with private_folder("qa-docx-") as tmp:
        (tmp / "in.docx").write_bytes(data)
        return parse("docx", {"path": str(tmp / "in.docx"), "max_chars": limits.chars}, limits,
                     (deadline or Deadline(limits)).step(), " .docx 文件", tmp)


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
# Tesseract holds a page several times over while reading it: its memory limit is this multiple of the parsers'.
_TESSERACT_MEMORY_FACTOR = 2


def _ocr_png(png: Path, folder: Path, limits: Limits, deadline: Deadline) -> str:
    """The page read across (chi_sim); a page that reads as next to nothing that way is tried top to bottom, right
    to left (chi_sim_vert), as older documents are set, when that model is installed."""
    tesseract = _tool("tesseract", "扫描件和图片")

    def read(*args: str) -> str:
        done = run([tesseract, str(png), "stdout", *args, "tsv"], deadline.step(), "文字识别", folder, limits,
                   memory_mb=limits.memory_mb * _TESSERACT_MEMORY_FACTOR)
        if done.returncode != 0:  # a missing language model as much as a bad page: not the file's to remember
            raise InputError("文字识别失败：" + done.stderr.decode("utf-8", "replace").strip()[-200:])
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


def _read_page(src: Path, folder: Path, limits: Limits, deadline: Deadline) -> str:
    """OCR of one page image (an image file or a rendered PDF page): red ink washed out and the pixel limit checked
    by the parser worker, a blank page not read at all ("")."""
    grey = folder / f"{src.stem}.grey.png"
    if parse("image", {"path": str(src), "out": str(grey), "max_pixels": limits.pixels}, limits, deadline.step(),
             "图片", folder)["blank"]:
        return ""
    return _ocr_png(grey, folder, limits, deadline)


def ocr_image(data: bytes, limits: Limits | None = None, deadline: Deadline | None = None) -> str:
    """The text of an image file, read by OCR (not kept here: `ingest._reader` keeps what the whole file reads as)."""
    limits = limits or Limits()
    with private_folder("qa-ocr-") as tmp:
        (tmp / "page").write_bytes(data)
        return _read_page(tmp / "page", tmp, limits, deadline or Deadline(limits))


_MAX_SIDE_PX = 7016  # a page is rendered for OCR at 300 dpi, or smaller where its longer side would pass A2's at 300 dpi
_PREVIEW_PX = 400  # the longer side of the rendering that finds blank pages before any is read
_PREVIEW_BATCH = 50  # pages rendered for the blank check by one pdftoppm (each batch has its own time and CPU)


def _pdftoppm(src: Path, first: int, last: int, args: list[str], out: Path, folder: Path, limits: Limits,
              timeout: float) -> dict[int, Path]:
    """Pages first..last (1-based) of `src` rendered to PNG files, by page number (quietly: a crafted page can make
    Poppler write gigabytes of warnings)."""
    done = run([_tool("pdftoppm", "扫描的 PDF "), "-q", *args, "-f", str(first), "-l", str(last), "-png", str(src),
                str(out)], timeout, "扫描 PDF 的页面渲染", folder, limits)
    rendered = {int(p.stem.rsplit("-", 1)[1]): p for p in out.parent.glob(f"{out.name}-*.png")}
    if done.returncode != 0 or not rendered:
        raise Refusal("扫描的 PDF 页面无法渲染（文件已损坏）")
    return rendered


def _blank_pages(src: Path, pages: list[int], folder: Path, limits: Limits, deadline: Deadline) -> set[int]:
    """Which of these pages (0-based) are blank, judged on small renderings made `_PREVIEW_BATCH` pages at a time
    (a page that could not be drawn small is not blank: it is read)."""
    blank: set[int] = set()
    for i in range(0, len(pages), _PREVIEW_BATCH):
        batch = pages[i : i + _PREVIEW_BATCH]
        drawn = _pdftoppm(src, batch[0] + 1, batch[-1] + 1, ["-scale-to", str(_PREVIEW_PX), "-gray"],
                          folder / f"preview{i}", folder, limits, deadline.step())
        shown = [n for n in batch if n + 1 in drawn]
        flags = parse("blank", {"paths": [str(drawn[n + 1]) for n in shown]}, limits, deadline.step(), "PDF", folder)
        blank |= {n for n, b in zip(shown, flags, strict=True) if b}
        for png in drawn.values():
            png.unlink()
    return blank


def ocr_pdf_pages(data: bytes, pages: list[int], sizes: list[float], limits: Limits | None = None,
                  cache: Path | None = None, deadline: Deadline | None = None) -> dict[int, str]:
    """The text of the given PDF pages (0-based, in order; `sizes`: every page's longer side in points): blank
    pages are found on small renderings and not read; more pages to read than `limits.scan_pages` is refused; the
    others are rendered at 300 dpi (less for pages larger than A2, or where `limits.pixels` asks) and read by OCR."""
    limits = limits or Limits()
    deadline = deadline or Deadline(limits)
    side = min(_MAX_SIDE_PX, math.isqrt(limits.pixels))  # a square page at this side still passes the pixel limit
    with private_folder("qa-pdf-") as tmp:
        src = tmp / "in.pdf"
        src.write_bytes(data)
        blank = _blank_pages(src, pages, tmp, limits, deadline)
        inked = [n for n in pages if n not in blank]
        if len(inked) > limits.scan_pages:
            raise Refusal(limits.message("scan_pages", str(len(inked)), " PDF "))
        out = dict.fromkeys(blank, "")
        for n in inked:
            def read(n: int = n) -> bytes:
                dpi = max(1, min(300, int(side * 72 / max(1.0, sizes[n]))))
                page = _pdftoppm(src, n + 1, n + 1, ["-r", str(dpi)], tmp / f"p{n}", tmp, limits, deadline.step())
                return _read_page(page[n + 1], tmp, limits, deadline).encode("utf-8")

            out[n] = cached(cache, data + f"#page{n}".encode(), "ocr.txt", read).decode("utf-8")
    return out


_VIEW_PX = 1400  # the longer side of a page as the reader shows it, whatever size the page says it is
_VIEWS = threading.BoundedSemaphore(2)  # pages drawn for the reader at the same time; the rest wait their turn


def scan_pages(path: Path, limits: Limits | None = None, cache: Path | None = None, limit: int = 10) -> list:
    """The pages of a scan as images, at most `limit`, no side over 1,400 pixels whatever size the file says (an
    image file; a PDF's pages rendered by pdftoppm), for staff to read beside the text OCR made of them; drawn by
    bounded workers, two at a time, and kept in `cache` by the file's hash. [] when they cannot be shown."""
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if suffix not in (*SCANNED, ".pdf") or (suffix == ".pdf" and shutil.which("pdftoppm") is None):
        return []
    try:
        data = path.read_bytes()
    except OSError:
        return []
    key = hashlib.sha256(data).hexdigest()
    if (kept := _kept_views(cache, key)) is not None:
        return [_opened(p) for p in kept]
    try:
        with _VIEWS, private_folder("qa-pages-") as tmp:
            if (kept := _kept_views(cache, key)) is not None:  # drawn for someone else while this one waited
                return [_opened(p) for p in kept]
            src = tmp / f"in{suffix}"
            src.write_bytes(data)
            if suffix == ".pdf":
                drawn = [p for _, p in sorted(_pdftoppm(src, 1, limit, ["-scale-to", str(_VIEW_PX)], tmp / "view",
                                                        tmp, limits, limits.seconds).items())]
            else:
                parse("thumb", {"path": str(src), "out": str(tmp / "view-1.png"), "max_pixels": limits.pixels,
                                "side": _VIEW_PX}, limits, limits.seconds, "图片", tmp)
                drawn = [tmp / "view-1.png"]
            pages = [_opened(p) for p in drawn]
            if cache is not None:  # the pages first, then the list that says they are all there
                cache.mkdir(parents=True, exist_ok=True)
                names = []
                for n, png in enumerate(drawn, 1):
                    names.append(f"{key}.v{CONVERT_VERSION}.view-{n:03d}.png")
                    shutil.copyfile(png, cache / f"{names[-1]}.{threading.get_ident()}.tmp")
                    os.replace(cache / f"{names[-1]}.{threading.get_ident()}.tmp", cache / names[-1])
                atomic_write(cache / f"{key}.v{CONVERT_VERSION}.views", "\n".join(names))
            return pages
    except InputError:
        if cache is not None:  # said once: a file that cannot be drawn does not hold a drawing slot at every opening
            cache.mkdir(parents=True, exist_ok=True)
            atomic_write(cache / f"{key}.v{CONVERT_VERSION}.views", "")
        return []


def _kept_views(cache: Path | None, key: str) -> list[Path] | None:
    """The pages kept for this file, once all of them are (None before)."""
    listed = cache / f"{key}.v{CONVERT_VERSION}.views" if cache is not None else None
    if listed is None or not listed.exists():
        return None
    return [cache / name for name in listed.read_text(encoding="utf-8").splitlines()]


def _opened(png: Path):
    from PIL import Image

    with Image.open(png) as image:
        return image.convert("RGB")

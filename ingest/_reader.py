"""Files → decoded text. The decoded text is what every `start`/`end` offset points into."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from pathlib import Path

from qa.core.errors import InputError
from qa.core.files import atomic_write

from ._convert import (
    CONVERT_VERSION,
    CONVERTED,
    SCANNED,
    cached,
    docx_text,
    ocr_image,
    ocr_pdf_pages,
    to_docx,
)
from ._sandbox import Deadline, Limits, Refusal, parse, private_folder

__all__ = ["SUPPORTED", "SLOW_TO_READ", "decode_bytes", "read_text", "why_not_read"]

SUPPORTED = (".txt", ".md", ".docx", ".pdf", *CONVERTED, *SCANNED)
SLOW_TO_READ = (".pdf", *CONVERTED, *SCANNED)  # may take seconds each: converted, or read by OCR


def why_not_read(name: str) -> str | None:
    """Why a file of this name is not read as a document (None when it is): the same words for `qa ingest`, its
    `--json` and the web upload."""
    if Path(name).name.startswith("~$"):
        return "是 Word/WPS 打开文档时留下的临时锁定文件，不是讲话"
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        return f"不支持的文件类型 {suffix or '（无扩展名）'}；支持 {' '.join(SUPPORTED)}"
    return None


def _plausible_share(text: str) -> float:
    """Share of characters that ordinary Chinese or English text is made of."""
    ok = sum(
        1 for ch in text
        if ch in "\r\n\t" or " " <= ch <= "~" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027"
    )
    return ok / max(1, len(text))


def _looks_utf16(data: bytes) -> str | None:
    """utf-16-le/-be for text without a BOM: NUL bytes present and one byte order reads as real text."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    best, best_share = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            share = _plausible_share(data.decode(enc))
        except UnicodeDecodeError:
            continue
        if share > best_share:
            best, best_share = enc, share
    return best if best_share >= 0.9 else None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding). Detects BOMs, UTF-8, UTF-16, GB18030/GBK; refuses binary data instead of guessing."""
    if not data.strip():
        raise InputError("文件为空（没有任何文字）")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError(f"文件声明为 {enc} 编码，但内容无法按此解码：{e.reason}") from None
    if enc := _looks_utf16(data):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError("这是二进制文件，不是文本（含有 NUL 字节）")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312; strict decoding fails on anything else.
        text = data.decode("gb18030")
        if _mostly_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and _mostly_text(str(best)):
        return str(best), best.encoding
    raise InputError("无法识别文件编码（不是 UTF-8、UTF-16 或 GBK/GB18030 文本）")


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad <= len(text) * 0.01


_SCANNED_PAGE_CHARS = 3  # a page whose text layer has fewer characters than this (digits aside: a page number) is a scan


def _read_pdf(data: bytes, limits: Limits, cache: Path | None, deadline: Deadline) -> tuple[str, str]:
    """(text, how): the text layer of each page, read by the bounded parser worker; a page without one (a scan) is
    read by OCR."""
    with private_folder("qa-pdf-") as tmp:
        (tmp / "in.pdf").write_bytes(data)
        layers = parse("pdf", {"path": str(tmp / "in.pdf"), "max_pages": limits.pages, "max_chars": limits.chars},
                       limits, deadline.step(), " PDF ", tmp)
    pages, sizes = layers["pages"], layers["sizes"]
    scanned = [n for n, t in enumerate(pages) if len(re.sub(r"[\s\d]", "", t)) < _SCANNED_PAGE_CHARS]
    read = {}
    if scanned:
        try:
            read = ocr_pdf_pages(data, scanned, sizes, limits, cache, deadline)
        except Refusal:
            raise
        except InputError as e:
            # the same file must always read as the same text (citations point into it): a page that may be a scan
            # is not left out now and read later
            unread = "、".join(str(n + 1) for n in scanned)
            raise InputError(f"PDF 的第 {unread} 页没有文字层（可能是扫描页）：{e}") from None
        for n, text in read.items():
            if text.strip():  # OCR read something: a scanned page (a blank one keeps its own text layer)
                pages[n] = text
    text = "\n".join(pages)
    if not text.strip():
        raise Refusal("PDF 中没有文字：既没有文字层，文字识别也没有读出文字")
    if not any(t.strip() for t in read.values()):
        return text, "pdf"  # blank pages (or a page number alone): OCR found nothing, the text is the text layer's
    return text, "ocr" if len(read) == len(pages) else "pdf+ocr"


def _refused_path(cache: Path | None, data: bytes, suffix: str, limits: Limits) -> Path | None:
    """Where the reason a file was refused is kept (by its hash, the type its name gives, the reading rules and the
    limits in force: raising a limit, renaming a .doc that was called .docx or a new version reads it again), if
    there is a cache."""
    if cache is None:
        return None
    return cache / f"{hashlib.sha256(data).hexdigest()}{suffix}.v{CONVERT_VERSION}.{limits.key()}.refused"


def _read_bounded(data: bytes, suffix: str, limits: Limits, cache: Path | None) -> tuple[str, str]:
    """A .docx, a converted format, a scan or a PDF read by bounded workers; a file refused once is refused again
    from memory (`Refusal`), without being read."""
    remembered = _refused_path(cache, data, suffix, limits)
    if remembered is not None and remembered.exists():
        raise Refusal(remembered.read_text(encoding="utf-8") + "（此前已检查过这个文件）")
    deadline = Deadline(limits)

    def read() -> bytes:
        if suffix == ".docx":
            text, how = docx_text(data, limits, deadline), "docx"
        elif suffix in CONVERTED:
            text, how = docx_text(to_docx(data, suffix, limits, deadline), limits, deadline), "libreoffice"
        elif suffix in SCANNED:
            text, how = ocr_image(data, limits, deadline), "ocr"
        else:
            text, how = _read_pdf(data, limits, cache, deadline)
        return json.dumps([text, how], ensure_ascii=False).encode("utf-8")

    try:  # the reader opens a speech again and again: what a file reads as is kept (under any later limits too)
        text, how = json.loads(cached(cache, data, f"{suffix.lstrip('.')}.read.json", read))
        return text, how
    except Refusal as e:
        if remembered is not None and e.remember:
            remembered.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(remembered, str(e))
        raise


def read_text(path: Path, max_bytes: int | None = None, timeout: float = 120.0,
              cache: Path | None = None, limits: Limits | None = None) -> tuple[str, str]:
    """(decoded text, how it was read: an encoding, "docx", "pdf", "libreoffice", "ocr" or "pdf+ocr") of a supported
    file; raises InputError with a reason otherwise. `timeout`: seconds a conversion or one page's OCR may take
    (when no `limits` are given; see `ingest._sandbox.Limits` for the others); `cache`: where conversions, OCR and
    refusals are kept by the file's hash."""
    limits = limits or Limits(seconds=timeout)
    suffix = path.suffix.lower()
    if reason := why_not_read(path.name):
        raise InputError(reason)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"文件过大（{size / 1e6:.1f} MB，上限 {max_bytes / 1e6:.0f} MB）")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("文件在读取前已被移走或改名") from None
    except OSError as e:
        raise InputError(f"无法读取文件：{e.strerror}") from None
    if suffix in SLOW_TO_READ or suffix == ".docx":
        text, how = _read_bounded(data, suffix, limits, cache)
    else:
        text, how = decode_bytes(data)
    if not text.strip():
        raise InputError("文件没有文字内容")
    return text, how

"""Files → decoded text. The decoded text is what every `start`/`end` offset points into."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

from qa.core.errors import InputError

from ._convert import CONVERTED, SCANNED, ocr_image, ocr_pdf_pages, to_docx

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


def _read_docx(data: bytes) -> str:
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as e:  # pragma: no cover - a core dependency
        raise InputError("读取 .docx 需要 python-docx：pip install python-docx") from e
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as e:
        raise InputError(f"无法打开 .docx 文件（文件已损坏或不是 Word 文档）：{type(e).__name__}") from None
    except Exception as e:  # zipfile.BadZipFile, lxml errors: a damaged file in any form
        raise InputError(f"无法打开 .docx 文件（文件已损坏或不是 Word 文档）：{type(e).__name__}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines + _notes(document))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _notes(document) -> list[str]:
    """The document's footnotes and endnotes, each a line after the body (a 红头文件's 注释 are part of what it says;
    the separators Word keeps among them are not)."""
    out = []
    for rel in document.part.rels.values():
        if not rel.reltype.endswith(("/footnotes", "/endnotes")):
            continue
        try:
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
        except Exception:  # a damaged notes part: the body still reads
            continue
        for note in root:
            if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = "".join(t.text or "" for t in note.iter(f"{_W}t")).strip()
            if text:
                out.append(text)
    return out


_SCANNED_PAGE_CHARS = 3  # a page whose text layer has fewer characters than this (digits aside: a page number) is a scan


def _read_pdf(data: bytes, timeout: float, cache: Path | None) -> tuple[str, str]:
    """(text, how): the text layer of each page; a page without one (a scan) is read by OCR."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as e:  # pypdf raises many types for damaged files
        raise InputError(f"无法读取 PDF（文件已损坏或加密）：{type(e).__name__}") from None
    scanned = [n for n, t in enumerate(pages) if len(re.sub(r"[\s\d]", "", t)) < _SCANNED_PAGE_CHARS]
    read = {}
    if scanned:
        try:
            read = ocr_pdf_pages(data, scanned, timeout, cache)
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
        raise InputError("PDF 中没有文字：既没有文字层，文字识别也没有读出文字")
    if not any(t.strip() for t in read.values()):
        return text, "pdf"  # blank pages (or a page number alone): OCR found nothing, the text is the text layer's
    return text, "ocr" if len(read) == len(pages) else "pdf+ocr"


def read_text(path: Path, max_bytes: int | None = None, timeout: float = 120.0,
              cache: Path | None = None) -> tuple[str, str]:
    """(decoded text, how it was read: an encoding, "docx", "pdf", "libreoffice", "ocr" or "pdf+ocr") of a supported
    file; raises InputError with a reason otherwise. `timeout`: seconds a conversion or one page's OCR may take;
    `cache`: where conversions and OCR are kept by the file's hash."""
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
    if suffix == ".docx":
        text, how = _read_docx(data), "docx"
    elif suffix in CONVERTED:
        text, how = _read_docx(to_docx(data, suffix, timeout, cache)), "libreoffice"
    elif suffix in SCANNED:
        text, how = ocr_image(data, timeout, cache), "ocr"
    elif suffix == ".pdf":
        text, how = _read_pdf(data, timeout, cache)
    else:
        text, how = decode_bytes(data)
    if not text.strip():
        raise InputError("文件没有文字内容")
    return text, how

"""What reads the inside of a file someone gave us: a .docx, a PDF's text layer, an image. It runs in a worker
process of its own (`ingest._sandbox.parse` starts it as `python -I _parsers.py OP`, under CPU-time and memory
limits and without the network), never in the server: a file made to be slow or to fill memory costs a worker, not
the colleagues' answers.

This module imports nothing of the project (the worker starts in a fraction of a second): only the standard library,
python-docx, pypdf and Pillow. A refusal is a `Refused` with a code the parent turns into a Chinese message naming
the limit (`ingest._sandbox`), so the words live in one place."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile

__all__ = ["Refused", "docx_text", "pdf_layers", "image_page", "blank", "thumbnail"]

# A .docx whose parts unpack to more than this is not a speech (a year's report is under 5 MB unpacked).
MAX_UNPACKED = 200_000_000
# A speech has a few hundred paragraphs, a long report a few thousand: a file with more is made to exhaust readers
# (millions of empty paragraphs pack into kilobytes).
MAX_PARAGRAPHS = 50_000
# A page drawn small (400 pixels long) with fewer marked pixels than this has nothing to read: a blank page, or a
# page number alone. One character of a closing “谢谢大家！” marks more.
PREVIEW_MARKS = 20
# A page at full size with fewer print pixels (under 128 of 255) than this carries no text: a blank scan's specks.
# One character at 300 dpi has several hundred.
PAGE_MARKS = 300


class Refused(Exception):
    """The file is refused: `code` names why (the words are `ingest._sandbox.Limits.message`), `detail` what was
    found."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def _unpacked_checked(data: bytes) -> None:
    """Refuse a .docx that unpacks to more than MAX_UNPACKED or holds more than MAX_PARAGRAPHS paragraphs, counted
    while reading its body in pieces (a zip bomb is refused before any of it is parsed)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise Refused("corrupt", type(e).__name__) from None
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise Refused("unpacked", f"{sum(i.file_size for i in infos) // 1_000_000}")
    body = next((i for i in infos if i.filename == "word/document.xml"), None)
    if body is None:
        return
    paragraphs, read, tail = 0, 0, b""
    try:
        with archive.open(body) as f:
            while chunk := f.read(1 << 20):
                read += len(chunk)
                if read > MAX_UNPACKED:  # the size it claims can lie
                    raise Refused("unpacked", f"{read // 1_000_000}")
                piece = tail + chunk
                paragraphs += len(re.findall(rb"<w:p[ >/]", piece))
                tail = piece[-4:]  # a match is 5 bytes: one across the cut is counted once, none twice
                if paragraphs > MAX_PARAGRAPHS:
                    raise Refused("paragraphs", str(paragraphs))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise Refused("corrupt", type(e).__name__) from None


def _bounded_text(text: str, max_chars: int) -> str:
    if len(text) > max_chars:
        raise Refused("chars", f"{max_chars:,}")
    return text


def docx_text(data: bytes, max_chars: int) -> str:
    """The paragraphs, the tables (a row a line, cells by tabs), then the footnotes and endnotes of a .docx; more
    than `max_chars` characters is refused."""
    import docx  # python-docx

    _unpacked_checked(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001 - zipfile, lxml, python-docx: a damaged file in any form
        raise Refused("corrupt", type(e).__name__) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return _bounded_text("\n".join(lines + _notes(document)), max_chars)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _notes(document) -> list[str]:
    """The document's footnotes and endnotes, each a line after the body (a 红头文件's 注释 are part of what it says;
    the separators Word keeps among them are not)."""
    from lxml import etree

    out = []
    for rel in document.part.rels.values():
        if not rel.reltype.endswith(("/footnotes", "/endnotes")):
            continue
        try:
            root = etree.fromstring(rel.target_part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
        except Exception:  # noqa: BLE001 - a damaged notes part: the body still reads
            continue
        for note in root:
            if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = "".join(t.text or "" for t in note.iter(f"{_W}t")).strip()
            if text:
                out.append(text)
    return out


def pdf_layers(data: bytes, max_pages: int, max_chars: int) -> dict:
    """{"pages": the text layer of each page, "sizes": each page's longer side in points}; more than `max_pages`
    pages is refused before any page is read, more than `max_chars` characters once they are."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        count = len(reader.pages)
    except Exception as e:  # noqa: BLE001 - pypdf raises many types for damaged files
        raise Refused("corrupt", type(e).__name__) from None
    if count > max_pages:
        raise Refused("pages", str(count))
    pages, sizes, chars = [], [], 0
    try:
        for page in reader.pages:
            box = page.mediabox
            sizes.append(float(max(abs(box.width), abs(box.height))))
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > max_chars:
                raise Refused("chars", f"{max_chars:,}")
    except (MemoryError, Refused):
        raise
    except Exception as e:  # noqa: BLE001
        raise Refused("corrupt", type(e).__name__) from None
    return {"pages": pages, "sizes": sizes}


def blank(paths: list[str]) -> list[bool]:
    """Which of these small renderings of pages (the server draws them 400 pixels long) hold next to no mark: fewer
    than `PREVIEW_MARKS` pixels with any grey under 200 (thin print drawn small is light grey; a page number alone
    is a few pixels, and such a page keeps its text layer)."""
    from PIL import Image

    out = []
    for path in paths:
        with Image.open(path) as image:
            grey = image.convert("L")
            out.append(sum(grey.histogram()[:200]) < PREVIEW_MARKS)
    return out


def thumbnail(src: str, out: str, max_pixels: int, side: int) -> dict:
    """An image file drawn with no side over `side` pixels, as a PNG at `out` (the reader shows it)."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # the size is checked here, from the header, against `max_pixels`
    try:
        with Image.open(src) as image:
            if image.size[0] * image.size[1] > max_pixels:
                raise Refused("pixels", f"{image.size[0]}×{image.size[1]}")
            image.draft("RGB", (side, side))  # JPEG: decoded at a fraction of its size
            image.thumbnail((side, side))
            image.convert("RGB").save(out, format="PNG")
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as e:
        raise Refused("image", type(e).__name__) from None
    return {}


def image_page(src: str, out: str, max_pixels: int) -> dict:
    """The page at `src` (an image file or a rendered PDF page) as a grey PNG at `out`, red ink (a 红头 header, a
    seal) turned white: {"blank": True} when next to nothing is printed on it (OCR is then not run). An image over
    `max_pixels` is refused from its header, before it is decoded."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # the size is checked here, from the header, against `max_pixels`
    try:
        with Image.open(src) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise Refused("pixels", f"{width}×{height}")
            image.load()
            rgb = image.convert("RGB")
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as e:
        raise Refused("image", type(e).__name__) from None
    r, g, _b = rgb.split()
    red = Image.eval(r, lambda v: 255 if v > 140 else 0)
    not_dark = Image.eval(g, lambda v: 255 if v < 150 else 0)
    mask = Image.composite(red, Image.new("L", rgb.size, 0), not_dark)  # strong red, weak green: red ink
    grey = rgb.convert("L")
    grey.paste(255, mask=mask)
    if sum(grey.histogram()[:128]) < PAGE_MARKS:
        return {"blank": True}
    grey.save(out, format="PNG")
    return {"blank": False}


def _main(argv: list[str]) -> int:
    """`_parsers.py OP` reads the request as JSON on stdin ({"path": …, …}) and writes {"ok": result} or
    {"refused": code, "detail": …} as JSON on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    try:
        if argv[0] == "docx":
            with open(request["path"], "rb") as f:
                result = docx_text(f.read(), request["max_chars"])
        elif argv[0] == "pdf":
            with open(request["path"], "rb") as f:
                result = pdf_layers(f.read(), request["max_pages"], request["max_chars"])
        elif argv[0] == "image":
            result = image_page(request["path"], request["out"], request["max_pixels"])
        elif argv[0] == "blank":
            result = blank(request["paths"])
        elif argv[0] == "thumb":
            result = thumbnail(request["path"], request["out"], request["max_pixels"], request["side"])
        else:
            raise SystemExit(f"unknown operation {argv[0]!r}")
        reply = {"ok": result}
    except Refused as e:
        reply = {"refused": e.code, "detail": e.detail}
    except MemoryError:
        reply = {"refused": "memory", "detail": ""}
    sys.stdout.write(json.dumps(reply, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

"""Small files made to exhaust a reader: the hostile-use probe's rows as generators, for the tests
(`tests/ingest/test_bounded_reading.py`, `tests/ui/test_hostile_files.py`) and the probe of a running server
(`python -m qa.app.bench.probe`). Each is a few kilobytes on disk and asks for minutes, gigabytes or the network
when read naively."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from pathlib import Path

__all__ = ["huge_pages_pdf", "zip_bomb_docx", "shared_stream_pdf", "blank_pdf", "striped_png", "random_doc",
           "odt_with_remote", "docx_with_remote", "planted_text", "raw_pdf"]


def raw_pdf(pages: list[tuple[float, float, int | None]], streams: dict[int, bytes]) -> bytes:
    """A PDF written by hand: `pages` as (width, height, content stream number or None), `streams` by number
    (deflated). Object 1 is the catalog, 2 the page tree, 3 a Helvetica font, pages from 10, streams as numbered."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for i, (w, h, content) in enumerate(pages):
        n = 10 + i
        kids.append(f"{n} 0 R")
        contents = f" /Contents {content} 0 R" if content is not None else ""
        objects[n] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:g} {h:g}] /Resources << /Font << /F1 3 0 R >> >>"
                      f"{contents} >>").encode()
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    for n, data in streams.items():
        packed = zlib.compress(data, 9)
        objects[n] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = out.tell()
        out.write(b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n")
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def huge_pages_pdf(path: Path, scan_png: Path, pages: int = 9, side: float = 9000) -> None:
    """Page 1 a real scan (the PNG given, as an image-only page), pages 2.. `side`×`side` points with a text layer:
    drawn at its stated size, each page is gigabytes."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    first = io.BytesIO()
    with Image.open(scan_png) as im:
        im.convert("RGB").save(first, format="PDF", resolution=200)
    text = b"BT /F1 48 Tf 100 8000 Td (Work report: the city will build fifty projects this year.) Tj ET"
    big = PdfReader(io.BytesIO(raw_pdf([(side, side, 5)] * pages, {5: text})))
    writer = PdfWriter()
    writer.append(PdfReader(first))
    for page in big.pages:
        writer.add_page(page)
    with open(path, "wb") as f:
        writer.write(f)


def zip_bomb_docx(path: Path, paragraphs: int = 2_000_000) -> None:
    """A .docx of a few kilobytes whose body holds millions of empty paragraphs."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{ns}"><w:body>'
            + "<w:p/>" * paragraphs + "</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                   '</Relationships>')
        z.writestr("word/document.xml", body)


def shared_stream_pdf(path: Path, pages: int = 8, mb: int = 6) -> None:
    """`pages` pages that all draw one content stream of `mb` megabytes of text operators (a few kilobytes packed)."""
    op = b"BT /F1 12 Tf 72 700 Td (speech) Tj ET\n"
    path.write_bytes(raw_pdf([(595, 842, 5)] * pages, {5: op * (mb * 1_000_000 // len(op))}))


def blank_pdf(path: Path, pages: int = 500) -> None:
    """`pages` A4 pages with nothing on them: each looks like a scan (no text layer)."""
    path.write_bytes(raw_pdf([(595, 842, None)] * pages, {}))


def striped_png(path: Path, side: int = 13000) -> None:
    """A `side`×`side` black-and-white PNG of stripes: a few hundred kilobytes, hundreds of megapixels."""
    from PIL import Image, ImageDraw

    im = Image.new("1", (side, side), 1)
    d = ImageDraw.Draw(im)
    for y in range(0, side, 40):
        d.rectangle((0, y, side, y + 3), fill=0)
    im.save(path, optimize=False)


def random_doc(path: Path, mb: float = 10) -> None:
    path.write_bytes(os.urandom(int(mb * 1_000_000)))


def odt_with_remote(path: Path, url: str) -> None:
    """An .odt whose image and embedded object are links to `url`: read naively, the converter fetches them."""
    content = f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2"><office:body><office:text>
<text:p>市长在全市工作会议上的讲话</text:p>
<text:p>今年要新开工项目五十个。<draw:frame draw:name="a" svg:width="2cm" svg:height="2cm"><draw:image
 xlink:href="{url}/odt-image.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
<text:p><draw:frame draw:name="b" svg:width="2cm" svg:height="2cm"><draw:object xlink:href="{url}/odt-object"
 xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
</office:text></office:body></office:document-content>'''
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                   'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:'
                   'file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def docx_with_remote(path: Path, url: str) -> None:
    """A Word document (to be renamed .doc) showing an image linked at `url` (TargetMode External)."""
    import docx

    d = docx.Document()
    d.add_paragraph("市长在全市工作会议上的讲话")
    d.add_paragraph("今年要新开工项目五十个。")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    pic = ('<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessing'
           'Drawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="p"/><a:graphic xmlns:a="http://schemas.'
           'openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
           'picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr'
           ' id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.'
           'org/officeDocument/2006/relationships" r:link="rIdRemote"/></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" '
           'y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData>'
           '</a:graphic></wp:inline></w:drawing></w:r></w:p>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", f"<w:body>{pic}".encode(), 1)
                assert w.encode() in data
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    '<Relationship Id="rIdRemote" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/image" Target="{url}/docx-image.png" TargetMode="External"/></Relationships>'
                ).encode())
            z.writestr(item, data)


def planted_text(repeats: int = 25_000) -> str:
    """One sentence of 150,000 characters: a formulation listed over and over (450 KB as UTF-8)."""
    return "在全市高质量发展大会上的讲话\n" + "高质量发展、" * repeats + "高质量发展。\n"

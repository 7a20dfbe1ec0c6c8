import codecs
import io

import pytest

from ingest._reader import decode_bytes, read_text
from qa.core.errors import InputError

SPEECH = "市委书记在全市经济工作会议上的讲话\n同志们：\n我们要把2023年确立为“项目攻坚突破年”。𠀀\n"


@pytest.mark.parametrize(
    "encoding,expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),  # with BOM
        ("utf-16-le", "utf-16-le"),  # no BOM
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_text_encodings_are_detected(tmp_path, encoding, expected):
    path = tmp_path / "s.txt"
    path.write_bytes(SPEECH.encode(encoding))
    text, how = read_text(path)
    assert text == SPEECH  # a BOM is not part of the decoded text
    assert how == expected


def test_gbk_file_is_decoded_not_guessed_as_latin1(tmp_path):
    speech = SPEECH.replace("𠀀", "")  # GBK has no 4-byte characters
    path = tmp_path / "gbk.txt"
    path.write_bytes(speech.encode("gbk"))
    assert read_text(path) == (speech, "gb18030")


def test_markdown_is_read_as_text(tmp_path):
    path = tmp_path / "s.md"
    path.write_text("# 标题\n正文。", encoding="utf-8")
    assert read_text(path)[0] == "# 标题\n正文。"


def test_docx_paragraphs_become_lines(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("市长在全市招商引资工作会议上的讲话")
    d.add_paragraph("我们要新引进亿元以上项目50个。")
    path = tmp_path / "s.docx"
    d.save(path)
    text, how = read_text(path)
    assert how == "docx"
    assert text.splitlines() == ["市长在全市招商引资工作会议上的讲话", "我们要新引进亿元以上项目50个。"]


def test_pdf_text_is_extracted(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "s.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "市长在全市招商引资工作会议上的讲话")
    c.drawString(50, 780, "我们要新引进亿元以上项目50个。")
    c.showPage()
    c.drawString(300, 50, "2")  # a last page with its number alone, as many PDFs have
    c.save()
    text, how = read_text(path)
    assert how == "pdf"  # the page without text was looked at by OCR, and gave nothing: not marked as OCR text
    assert "市长在全市招商引资工作会议上的讲话" in text and "新引进亿元以上项目50个" in text


def test_a_pdf_page_that_may_be_a_scan_is_not_left_out_in_silence(tmp_path, monkeypatch):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "s.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "市长在全市招商引资工作会议上的讲话")
    c.showPage()
    c.drawString(300, 50, "2")
    c.save()
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(InputError, match="第 2 页没有文字层.*poppler-utils"):
        read_text(path)  # read now without it, it would read otherwise once the tools are installed


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("empty.txt", b"", "为空"),
        ("blank.txt", b"  \n\n ", "为空"),
        ("binary.txt", bytes(range(256)) * 4, "二进制"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", ".docx"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "PDF"),
        ("picture.png", b"\x89PNG\r\n", "无法打开图片"),  # a broken image: read by OCR, reported
        ("picture.heic", b"\x00\x00\x00 ftypheic", "不支持"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=reason):
        read_text(path)


def test_truncated_docx_is_refused(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("正文" * 200)
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "cut.docx"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(InputError, match="docx"):
        read_text(path)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("字".encode() * 1000)
    with pytest.raises(InputError, match="过大"):
        read_text(path, max_bytes=100)


def test_decode_bytes_refuses_undecodable_noise():
    with pytest.raises(InputError):
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfd")

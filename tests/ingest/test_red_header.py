"""Official documents (公文格式, issue 39 item 3): a scanned 红头文件 and a text file of the same form are read as what
they are: the title "关于…的通知" (over two lines), the 文号 as its own field, the issuer and date of the 落款 as the
speaker and date. The scans are rendered with a red 红头 and rule, a black 文号 and a red seal over the 落款, and read
end to end by the real Tesseract, which never sees the red ink."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
from pathlib import Path

import pytest

from ingest import ingest
from ingest._clean import clean
from ingest._metadata import extract_metadata
from qa import QA
from qa.app.cli import main
from tests.conftest import make_settings

TODAY = dt.date(2026, 12, 1)
HEADER = "某某市档案局文件"
NUMBER = "青档〔2023〕12号"
TITLE_LINES = ["关于做好2023年度档案安全检查", "工作的通知"]
TITLE = "".join(TITLE_LINES)
BODY = ["各区县档案局：",
        "为切实做好全市档案安全工作，确保档案实体安全和信息安全，市档案局决定在全市开展档案安全检查。现将有关事项通知如下。",
        "各单位要高度重视，于2023年7月31日前完成自查，并将自查报告报送市档案局。"]
ISSUER = "某某市档案局"
TAIL = ["抄送：市委办公室，市政府办公室。", "某某市档案局办公室　　2023年6月14日印发"]


def meta_of(text: str):
    return extract_metadata(clean(text)[0], today=TODAY)


def _official_text(number: str = NUMBER, date: str = "2023年6月12日", header: str = HEADER) -> str:
    return "\n".join([header, number, *TITLE_LINES, *BODY, "特此通知。", ISSUER, date, "（此件公开发布）", *TAIL]) + "\n"


def test_a_red_header_document_in_a_text_file_reads_title_number_issuer_and_date():
    m = meta_of(_official_text())
    assert (m.title, m.number, m.speaker, m.date, m.type) == (TITLE, NUMBER, ISSUER, "2023-06-12", "通知")
    assert m.title_span is not None and m.title_span.text == TITLE_LINES[0] and not m.title_derived
    assert m.occasion is None and not m.notes


@pytest.mark.parametrize("written", ["青档〔2023〕12号", "青档[2023]12号", "青档【2023】12号", "青档(2023)12号",
                                     "青档（2023）12号", "青档〔2023] 12 号", "青档 [ 2023 ] 12号"])
def test_the_number_is_read_whatever_brackets_ocr_gives(written):
    assert meta_of(_official_text(number=written, header="")).number == NUMBER


@pytest.mark.parametrize(("written", "iso"), [
    ("2023年6月12日", "2023-06-12"), ("二〇二三年六月十二日", "2023-06-12"), ("二○二三年六月十二日", "2023-06-12"),
    ("2023 年 6 月 1 2 日", "2023-06-12"), ("2023年6月12已", "2023-06-12"),  # OCR: spaces, 日 under the seal
    ("某某市档案局　2023年6月12日", "2023-06-12"),  # the issuer and the date read as one line
])
def test_the_date_of_the_signature_in_the_forms_it_takes(written, iso):
    text = _official_text(date=written)
    if written.startswith(ISSUER):
        text = text.replace(f"{ISSUER}\n{written}", written)
    m = meta_of(text)
    assert (m.date, m.speaker) == (iso, ISSUER)


def test_without_a_signature_the_red_header_names_the_issuer_and_the_printing_line_dates_it():
    text = "\n".join([HEADER, NUMBER, *TITLE_LINES, *BODY, *TAIL])
    assert (meta_of(text).speaker, meta_of(text).date) == (ISSUER, "2023-06-14")


def test_joint_issuers_and_cover_marks():
    m = meta_of("\n".join(["000123", "机密★1年", "特急", "青档〔2023〕12号　签发人：张明", "关于请求拨付档案安全经费的请示",
                           "市财政局：", "为做好档案安全工作，特请求拨付经费。", "某某市档案局　某某市财政局", "二〇二三年六月十二日"]))
    assert (m.title, m.number, m.type) == ("关于请求拨付档案安全经费的请示", NUMBER, "请示")
    assert (m.speaker, m.date) == ("某某市档案局、某某市财政局", "2023-06-12")


def test_ocr_text_as_tesseract_gives_it():
    """The red 红头 washed out, 〔] mixed, 主送 run into the body, the title's last line read after the body, the
    issuer and date of the 落款 run together, 抄送 and 印发 run together."""
    m = meta_of("青档〔2023] 12号\n关于做好2023年度档案安全检查\n各区县档案局:为切实做好全市档案安全工作，现将有关事项通知如下。"
                "各单位要高度重视，于2023年7月31日前完成自查。\n工作的通知\n某某市档案局2023年6月12已\n"
                "抄送:市委办公室，市政府办公某某市档案局办公室2023年6月14日印发\n")
    assert (m.title, m.number, m.speaker, m.date, m.type) == (TITLE, NUMBER, ISSUER, "2023-06-12", "通知")


def test_a_notice_without_a_red_header_still_reads_its_signature():
    m = meta_of("\n".join([*TITLE_LINES, *BODY, ISSUER, "2023年6月12日"]))
    assert (m.title, m.number, m.speaker, m.date, m.type) == (TITLE, None, ISSUER, "2023-06-12", "通知")


def test_speeches_are_read_as_before():
    """A report titled 关于…的报告 keeps the speaker its header names; a speech that ends with a date is not an
    official document; a title ending in 文件 is no 红头."""
    m = meta_of("关于2022年国民经济和社会发展计划执行情况的报告\n\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n\n"
                "国家发展和改革委员会主任　何立峰\n\n各位代表：\n\n现在，我受国务院委托，向大会报告。\n\n"
                "国家发展和改革委员会\n2023年3月9日\n")
    assert (m.speaker, m.date, m.number) == ("何立峰", "2023-03-05", None)
    assert m.occasion == "第十四届全国人民代表大会第一次会议"
    m = meta_of("在全市档案工作会议上的讲话\n\n同志们：\n\n今天我们召开会议。\n\n某某市档案局\n2023年6月12日\n")
    assert (m.speaker, m.date, m.number, m.type) == (None, None, None, "讲话")
    m = meta_of("学习贯彻全会精神文件\n\n在全市档案工作会议上的讲话\n\n同志们：\n\n今天我们召开会议。\n")
    assert (m.title, m.number, m.speaker) == ("学习贯彻全会精神文件", None, None)


def _render(path: Path, date: str, title_lines: list[str]) -> None:
    """A 红头文件 page as a scanner makes it: red 红头 and rule, the black 文号, the title over its lines, 主送 and
    body, the 落款 (issuer over date, flush right) under a red seal, 抄送 and 印发 lines."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    from qa.app.bench.files import CJK_FONT

    w, h = 1654, 2339
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)

    def font(size: int):
        return ImageFont.truetype(CJK_FONT, size)

    d.text((w // 2, 150), HEADER, font=font(80), fill=(200, 0, 0), anchor="mt")
    d.text((w // 2, 300), NUMBER, font=font(44), fill="black", anchor="mt")
    d.line((120, 380, w - 120, 380), fill=(200, 0, 0), width=6)
    y = 440
    for line in title_lines:
        d.text((w // 2, y), line, font=font(56), fill="black", anchor="mt")
        y += 90
    y += 40
    for para in BODY:
        indent = 150 if para.endswith("：") else 238
        while para:
            width = (w - 150 - 150 - (indent - 150)) // 44
            d.text((indent, y), para[:width], font=font(44), fill="black")
            para, indent, y = para[width:], 150, y + 70
    y += 80
    d.text((1400, y), ISSUER, font=font(44), fill="black", anchor="rt")
    d.text((1400, y + 70), date, font=font(44), fill="black", anchor="rt")
    seal = Image.new("RGB", (w, h), "white")  # stamped ink: the black print shows through the red
    s = ImageDraw.Draw(seal)
    s.ellipse((1080, y - 160, 1420, y + 180), outline=(220, 0, 0), width=10)
    s.text((1250, y + 10), ISSUER, font=font(38), fill=(220, 0, 0), anchor="mm")
    s.text((1250, y - 80), "★", font=font(60), fill=(220, 0, 0), anchor="mm")
    im = ImageChops.multiply(im, seal)
    y += 240
    d = ImageDraw.Draw(im)
    for line in TAIL:
        d.text((150, y), line, font=font(36), fill="black")
        y += 60
    im.save(path, resolution=200) if path.suffix == ".pdf" else im.save(path)


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        pytest.skip("Tesseract and poppler-utils are needed to read scans")
    root = tmp_path_factory.mktemp("official")
    corpus = root / "corpus"
    corpus.mkdir()
    _render(corpus / "红头扫描.png", "2023年6月12日", TITLE_LINES)
    _render(corpus / "红头扫描.pdf", "2023年6月12日", ["关于做好2023年度", "档案安全检查", "工作的通知"])
    (corpus / "红头文本.txt").write_text(_official_text(), encoding="utf-8")
    settings = make_settings(root, corpus)
    report = ingest(settings=settings, progress=False)
    assert not report.errors, report.errors
    return settings


def test_scanned_and_text_red_header_documents_read_the_same_fields(official):
    docs = {d.doc: d for d in QA(official).documents()}
    assert set(docs) == {"红头扫描.png", "红头扫描.pdf", "红头文本.txt"}
    for name, d in docs.items():
        got = (d.number, d.speaker, d.date, d.type)
        assert got == (NUMBER, ISSUER, "2023-06-12", "通知"), (name, got)
        # the whole title, over its lines (OCR may misread a character of it, or read its last line out of order)
        assert d.title.startswith("关于做好2023") and d.title.endswith("工作的通知"), (name, d.title)
        assert difflib.SequenceMatcher(None, d.title, TITLE).ratio() >= 0.9, (name, d.title)
        assert d.ocr == (name != "红头文本.txt") and not d.title_derived


def test_the_number_is_in_qa_docs_json(official, capsys, monkeypatch):
    monkeypatch.setenv("QA_HOME", str(official.home))
    monkeypatch.setenv("QA_CORPUS", str(official.corpus))
    assert main(["docs", "--json"]) == 0
    docs = {d["doc"]: d for d in json.loads(capsys.readouterr().out)["documents"]}
    assert {d["number"] for d in docs.values()} == {NUMBER}
    assert {d["speaker"] for d in docs.values()} == {ISSUER}

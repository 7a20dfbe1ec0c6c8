"""Metadata of real documents: header blocks, dates in every common form, folders, and metadata.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest._clean import clean
from ingest._metadata import extract_metadata, from_folders
from ingest._metafile import read_metadata_file, write_metadata_row
from ingest._reader import read_text
from qa.core.dates import DateError, find_date, in_range, parse_date

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = dt.date(2026, 12, 1)


def meta_of(text: str):
    paragraphs, _ = clean(text)
    return extract_metadata(paragraphs, today=TODAY)


def test_a_work_report_header_gives_speaker_role_date_occasion_and_type():
    text, _ = read_text(DATA / "archive" / "gwr-national-2023.txt")
    m = meta_of(text)
    assert m.title == "2023年中华人民共和国国务院政府工作报告"
    assert (m.speaker, m.date, m.type) == ("李克强", "2023-03-05", "报告")
    assert m.occasion == "第十四届全国人民代表大会第一次会议"
    assert "国务院总理" in m.names and not m.notes


def test_a_party_congress_header_with_a_spaced_name_and_a_date_in_brackets():
    m = meta_of("高举中国特色社会主义伟大旗帜 (二十大)\n\n高举中国特色社会主义伟大旗帜\n\n——在中国共产党第二十次全国代表大会上的报告"
                "\n\n（2022年10月16日）\n\n习　近　平\n\n同志们：\n\n现在，我代表第十九届中央委员会向大会作报告。\n")
    assert (m.speaker, m.date, m.occasion, m.type) == ("习近平", "2022-10-16", "中国共产党第二十次全国代表大会", "报告")


def test_a_news_item_that_opens_with_its_date_line_is_not_titled_by_it():
    m = meta_of("2023-08-13 10:27\n\n市委常委会召开会议研究部署下半年经济工作\n\n来源：某市日报 | 2023年08月13日 10:27\n\n"
                "8月12日，市委常委会召开会议，研究部署下半年经济工作。\n")
    assert m.title == "市委常委会召开会议研究部署下半年经济工作"
    assert (m.date, m.type, m.speaker) == ("2023-08-13", "新闻", None)


def test_a_header_that_lies_is_reported_and_not_used():
    m = meta_of("关于某项工作的讲话\n\n——2031年3月5日在全市工作会议上\n\n市长\n\n今天我们在这里开会，主要是研究明年的工作安排\n\n同志们：\n\n正文。\n")
    assert m.date is None and any("将来" in n for n in m.notes)
    assert m.speaker is None  # the line after the role line is a sentence, not a name
    m = meta_of("这是一个很长的讲话人字段因为它其实是一句话，在全市工作会议上的讲话\n\n同志们：\n\n正文内容。\n")
    assert m.speaker is None


def test_unknown_stays_unknown_for_a_sample_speech_without_a_header():
    m = meta_of("在市工信局党组理论学习中心组专题研讨会上的发言\n\n同志们：\n\n通过学习，我们认识到……\n")
    assert (m.speaker, m.date) == (None, None) and m.type == "发言"


@pytest.mark.parametrize(("written", "iso"), [
    ("2023年3月5日", "2023-03-05"), ("二〇二三年三月五日", "2023-03-05"), ("2023.3.5", "2023-03-05"),
    ("2023-03-05", "2023-03-05"), ("2023/3/5", "2023-03-05"), ("2023年3月", "2023-03"), ("２０２３年３月５日", "2023-03-05"),
    ("一九五五年七月", "1955-07"), ("2023", "2023"), ("2023年二月二十八日", "2023-02-28"),
])
def test_dates_in_common_chinese_forms(written, iso):
    assert parse_date(written, TODAY) == iso


@pytest.mark.parametrize("written", ["2023-02-30", "2023年13月", "2030年1月1日", "去年春天", ""])
def test_what_is_not_a_date(written):
    with pytest.raises(DateError):
        parse_date(written, TODAY)
    assert find_date("说的是2099年的事", TODAY) is None


def test_date_ranges_at_any_precision():
    assert in_range("2023-03-05", "2023", "2023") and in_range("2023", "2023-06", None)
    assert not in_range("2022-12-31", "2023", None) and not in_range(None, "2000", None)
    assert in_range(None, None, None)


def test_folders_fill_what_the_text_left_unknown():
    m = meta_of("在市委理论学习中心组上的发言\n\n同志们：\n\n正文。\n")
    from_folders("市委书记/2023/讲话/x.txt", m, TODAY)
    assert (m.speaker, m.date, m.type) == ("市委书记", "2023", "发言")  # the title already said 发言
    m2 = meta_of("无标题的正文，开门见山地谈工作。\n")
    from_folders("李强/2099/x.txt", m2, TODAY)
    assert (m2.speaker, m2.date) == ("李强", None)


@pytest.mark.parametrize("name, date, speaker, occasion, kind", [
    ("2020-01-08 在主题教育总结大会上的讲话.docx", "2020-01-08", None, "主题教育总结大会", "讲话"),
    ("20230305政府工作报告.doc", "2023-03-05", None, None, "报告"),
    ("讲话/2019年1月2日 市委书记在全市经济工作会议上的讲话.txt", "2019-01-02", "市委书记", "全市经济工作会议", "讲话"),
    ("某某市人民政府工作报告（2024）.txt", "2024", "某某市人民政府", None, "报告"),
    ("电话20231399.txt", None, None, None, None),  # no such day: no date
    ("2099-01-01 讲话.txt", None, None, None, "讲话"),  # not yet: no date
])
def test_the_file_name_fills_what_the_text_left_unknown(name, date, speaker, occasion, kind):
    m = meta_of("开门见山地谈工作，没有标题，也没有日期。\n")
    from_folders(name, m, TODAY)
    assert (m.date, m.speaker, m.occasion, m.type) == (date, speaker, occasion, kind)
    told = meta_of("市长在全市招商大会上的讲话\n（2021年5月6日）\n同志们：\n正文。\n")
    from_folders(name, told, TODAY)
    assert (told.date, told.speaker) == ("2021-05-06", "市长")  # what the text says wins


def test_a_document_saved_as_one_line_still_has_a_header():
    m = meta_of("在全国组织工作会议上的讲话（2020年1月8日）习近平同志们：今天我们召开全国组织工作会议，"
                + "要坚持党的领导。" * 40)
    assert (m.title, m.title_derived, m.date, m.speaker, m.occasion, m.type) == (
        "在全国组织工作会议上的讲话", False, "2020-01-08", "习近平", "全国组织工作会议", "讲话")


def test_a_report_title_names_the_body_that_reports():
    m = meta_of("1981年中华人民共和国国务院政府工作报告\n各位代表：\n过去一年……\n")
    assert (m.speaker, m.date, m.type) == ("国务院", "1981", "报告")
    assert meta_of("2019年北京市人民政府工作报告\n各位代表：\n过去一年……\n").speaker == "北京市人民政府"


def test_metadata_file_problems_are_reported_by_line_and_the_rest_is_used(tmp_path):
    (tmp_path / "a.txt").write_text("正文。", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("正文。", encoding="utf-8")
    csv_text = ("文件,讲话人,日期,颜色\n"
                "a.txt,张三,2023年3月5日,红\n"
                "b.txt,李四,2023-02-30,\n"
                "gone.txt,王五,,\n"
                "a.txt,未知,2022,\n")
    (tmp_path / "metadata.csv").write_bytes(csv_text.encode("gbk"))  # as Excel saves it on a Chinese system
    got = read_metadata_file(tmp_path)
    assert got.rows == {"a.txt": {"speaker": None, "date": "2022"}, "sub/b.txt": {"speaker": "李四"}}
    problems = "\n".join(got.problems)
    assert "第1行" in problems and "颜色" in problems
    assert "第3行" in problems and "2023-02-30" in problems
    assert "第4行" in problems and "gone.txt" in problems
    assert "第5行" in problems and "第2行" in problems


def test_the_editor_writes_one_row_and_keeps_the_others(tmp_path):
    (tmp_path / "metadata.csv").write_text("file,speaker,note\nx.txt,甲,留着\n", encoding="utf-8")
    write_metadata_row(tmp_path, "y.txt", {"speaker": "乙", "date": "2023-03", "title": None})
    write_metadata_row(tmp_path, "y.txt", {"speaker": "丙", "date": "2023-03", "title": None})
    text = (tmp_path / "metadata.csv").read_text(encoding="utf-8-sig")
    assert "x.txt,甲,留着" in text and "丙" in text and "乙" not in text and "未知" in text


def test_cells_a_spreadsheet_would_run_are_written_as_text_and_read_back_as_typed(tmp_path):
    import csv
    import io

    (tmp_path / "x.txt").write_text("讲话", encoding="utf-8")
    typed = {"speaker": "@SUM(1+1)", "occasion": '=HYPERLINK("http://example.invalid","会议")', "type": "-讲话",
             "title": "第一行\n第二行, 含“引号”和'撇号"}
    write_metadata_row(tmp_path, "x.txt", typed)
    raw = (tmp_path / "metadata.csv").read_text(encoding="utf-8-sig")
    cells = dict(zip(*csv.reader(io.StringIO(raw)), strict=True))
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in cells.values())  # nothing Excel runs
    assert cells["speaker"] == "'@SUM(1+1)" and cells["type"] == "'-讲话"
    assert read_metadata_file(tmp_path).rows["x.txt"] == typed  # and nothing is lost
    write_metadata_row(tmp_path, "x.txt", {**typed, "date": "2023-03-05"})  # a second edit keeps every value
    assert read_metadata_file(tmp_path).rows["x.txt"] == {**typed, "date": "2023-03-05"}


@pytest.mark.parametrize("value", ["'=1+1", "''", "'", "+86 10 1234", "\t缩进", "'普通"])
def test_spreadsheet_escaping_is_exact_for_every_value(value):
    from qa.core.files import from_cell, to_cell

    assert from_cell(to_cell(value)) == value
    assert not to_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_report_without_a_name_line_speaks_for_the_body_its_opening_names():
    m = meta_of("1999年中华人民共和国国务院政府工作报告\n\n各位代表：\n\n现在，我代表国务院，向大会作政府工作报告，请予审议。\n\n"
                "一、1998年工作回顾\n\n过去一年……\n")
    assert (m.speaker, m.date, m.type) == ("国务院", "1999", "报告")
    m = meta_of("沿着有中国特色的社会主义道路前进 (十三大)\n\n同志们：\n\n我受十二届中央委员会委托，向大会作报告。\n")
    assert m.speaker == "十二届中央委员会" and m.date is None  # no date in the text: none is guessed
    m = meta_of("某某讲话\n\n同志们：\n\n一、形势\n\n我代表市政府向大会作报告。\n")
    assert m.speaker is None  # only the opening, before the first heading, says who speaks

"""Dates and metadata through the whole product: ingest, `qa docs`, filters, citations, pledges, metadata.csv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import ingest
from ingest._metafile import write_metadata_row
from qa import QA
from qa.app.cli import main
from qa.core.errors import InputError
from tests.conftest import make_settings

DATA = Path(__file__).resolve().parent.parent / "data"

REPORT_2021 = """2021年某市人民政府工作报告

——2021年1月20日在某市第十六届人民代表大会第五次会议上

市长　张明

各位代表：

一、2020年工作回顾

过去一年，我们坚持稳中求进，全市地区生产总值增长6%。实施城市更新行动，改造老旧小区80个。

二、2021年工作安排

我们将实施城市更新行动，今年改造老旧小区150个，年底前全部完工。要加快轨道交通建设，确保地铁三号线通车。
"""
REPORT_2023 = """2023年某市人民政府工作报告

——2023年1月18日在某市第十七届人民代表大会第二次会议上

市长　李华

各位代表：

一、2022年工作回顾

过去一年，全市新增就业岗位十二万个，建成保障性住房五千套。

二、2023年工作安排

我们要稳定就业，今年新增城镇就业十万人。要推进保障性租赁住房建设，全年筹集八千套。
"""
NEWS = """2023-08-13 10:27

某市市委常委会召开会议研究部署下半年经济工作

来源：某市日报 | 2023年08月13日 10:27

8月12日，某市市委常委会召开会议，研究部署下半年经济工作。

会议指出，今年以来全市经济运行稳中向好。

会议强调，要坚定不移抓好项目建设，确保全年固定资产投资增长10%以上。
"""


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    root = tmp_path_factory.mktemp("dated")
    corpus = root / "corpus"
    (corpus / "新闻").mkdir(parents=True)
    (corpus / "r2021.txt").write_text(REPORT_2021, encoding="utf-8")
    (corpus / "r2023.txt").write_text(REPORT_2023, encoding="utf-8")
    (corpus / "新闻" / "n.txt").write_text(NEWS, encoding="utf-8")
    (corpus / "undated.txt").write_text("在全市工作会议上的讲话\n\n同志们：\n\n我们要抓好安全生产，守住底线。\n", encoding="utf-8")
    settings = make_settings(root, corpus)
    report = ingest(settings=settings, progress=False)
    assert not report.errors
    return settings


def test_documents_carry_speaker_date_type_from_their_headers(dated, capsys, monkeypatch):
    monkeypatch.setenv("QA_HOME", str(dated.home))
    monkeypatch.setenv("QA_CORPUS", str(dated.corpus))
    assert main(["docs", "--json"]) == 0
    docs = {d["doc"]: d for d in json.loads(capsys.readouterr().out)["documents"]}
    assert (docs["r2021.txt"]["speaker"], docs["r2021.txt"]["date"], docs["r2021.txt"]["type"]) == ("张明", "2021-01-20", "报告")
    assert "市长" in docs["r2021.txt"]["aliases"]
    assert (docs["新闻/n.txt"]["date"], docs["新闻/n.txt"]["type"]) == ("2023-08-13", "新闻")
    assert docs["undated.txt"]["date"] is None
    assert main(["docs", "--since", "2023", "--json"]) == 0
    assert {d["doc"] for d in json.loads(capsys.readouterr().out)["documents"]} == {"r2023.txt", "新闻/n.txt"}
    assert main(["docs", "--until", "2021-12"]) == 0
    out = capsys.readouterr().out
    assert "r2021.txt" in out and "2021年1月20日" in out and "r2023.txt" not in out


def test_search_and_ask_filter_by_date_and_cite_the_date(dated):
    qa = QA(dated)
    hits = qa.search("老旧小区改造", since="2021", until="2021").results
    assert hits and {h.doc for h in hits} == {"r2021.txt"} and hits[0].date == "2021-01-20"
    ans = qa.ask("今年改造多少个老旧小区？", since="2021-01", until="2021-12")
    assert ans.found and "150" in ans.answer and ans.citations[0].date == "2021-01-20"
    with pytest.raises(InputError, match="没有日期在") as e:
        qa.search("就业", since="1990", until="1991")
    assert "1 篇讲话没有日期" in str(e.value)
    with pytest.raises(InputError, match="晚于"):
        qa.search("就业", since="2023", until="2021")
    with pytest.raises(InputError, match="不是可识别的日期"):
        qa.search("就业", since="去年春天")


def test_a_year_in_the_question_ranks_that_years_speeches_first(dated):
    qa = QA(dated)
    assert qa.search("2023年市长报告的工作安排", k=1).results[0].doc == "r2023.txt"
    assert qa.search("2021年市长报告的工作安排", k=1).results[0].doc == "r2021.txt"
    assert qa.search("市长最近一次报告的工作安排", k=1).results[0].doc == "r2023.txt"
    # a meeting named in the question ranks the speech given there first
    assert qa.search("某市第十六届人民代表大会第五次会议上的工作安排", k=1).results[0].doc == "r2021.txt"


def test_pledges_leave_out_the_review_and_news_name_the_body_that_met(dated):
    qa = QA(dated)
    texts = [p.text for p in qa.pledges(speaker="张明")]
    assert any("150个" in t for t in texts)
    assert not any("80个" in t for t in texts)  # 2020年工作回顾: an account of the past
    assert all(p.date == "2021-01-20" for p in qa.pledges(speaker="张明"))
    news = qa.pledges(speaker="某市市委常委会")
    assert [p.speaker for p in news] == ["某市市委常委会"] and "固定资产投资" in news[0].text
    assert not any("稳中向好" in p.text for p in qa.pledges())  # 会议指出 a fact: not a commitment
    assert {p.doc for p in qa.pledges(since="2023")} == {"r2023.txt", "新闻/n.txt"}


def test_metadata_file_overrides_survive_reingest_and_reembed_only_that_speech(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "r2021.txt").write_text(REPORT_2021, encoding="utf-8")
    (corpus / "u.txt").write_text("在全市工作会议上的讲话\n\n同志们：\n\n我们要抓好安全生产，守住底线。\n", encoding="utf-8")
    settings = make_settings(tmp_path, corpus)
    ingest(settings=settings, progress=False)
    write_metadata_row(corpus, "u.txt", {"speaker": "副市长王强", "date": "2022-05-06", "type": "讲话"})
    report = ingest(settings=settings, progress=False)
    assert (report.added, report.unchanged) == (1, 1) and report.embedded > 0
    qa = QA(settings)
    d = {x.doc: x for x in qa.documents()}["u.txt"]
    assert (d.speaker, d.date, d.type) == ("副市长王强", "2022-05-06", "讲话")
    assert qa.search("安全生产", speaker="副市长王强").results[0].doc == "u.txt"
    again = ingest(settings=settings, progress=False)
    assert (again.added, again.embedded) == (0, 0)
    assert {x.doc: x for x in QA(settings).documents()}["u.txt"].speaker == "副市长王强"
    write_metadata_row(corpus, "r2021.txt", {"speaker": None})  # 未知: the header's 张明 is not used
    ingest(settings=settings, progress=False)
    assert {x.doc: x for x in QA(settings).documents()}["r2021.txt"].speaker is None


def test_a_broken_metadata_file_never_stops_an_ingest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "r2021.txt").write_text(REPORT_2021, encoding="utf-8")
    (corpus / "metadata.csv").write_bytes(b"\x00\x01\x02binary")
    report = ingest(settings=make_settings(tmp_path, corpus), progress=False)
    assert report.documents == 1 and not report.errors
    assert any("metadata.csv" in w for w in report.warnings)


def test_a_speech_whose_words_clearly_match_the_question_ranks_first(dated):
    from qa.core.text import tokenize

    qa = QA(dated)
    qa.documents()
    about = qa.retriever.clearly_about
    assert about(tokenize("地铁三号线什么时候通车？"), None) == {"r2021.txt"}
    assert about(tokenize("地铁三号线什么时候通车？"), {"r2023.txt", "undated.txt"}) == set()  # filtered out
    assert about(tokenize("工作"), None) == set()  # no speech stands out
    off = QA(dated.model_copy(update={"doc_margin": 0}))
    off.documents()
    assert off.retriever.clearly_about(tokenize("地铁三号线"), None) == set()

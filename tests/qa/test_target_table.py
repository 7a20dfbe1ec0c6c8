"""主要预期目标完成情况 (`qa.pledges.table`): each year's target beside the next report's result, read from the real
national work reports of the archive, checked against rows labelled by hand (tests/data/targets_gold.jsonl)."""

from __future__ import annotations

import json
import re

import pytest

from qa.core.outline import paragraphs_of
from qa.pledges.table import Report, indicators_for, read_table
from qa.pledges.table_files import format_table, write_table_png, write_table_xlsx
from tests.conftest import ROOT

ARCHIVE = ROOT.parent / "shared" / "eval" / "archive"
GOLD = ROOT / "tests" / "data" / "targets_gold.jsonl"
HEADLINE = ["经济增长", "居民消费价格", "城镇新增就业", "城镇登记失业率", "城镇调查失业率"]

pytestmark = pytest.mark.skipif(not ARCHIVE.is_dir(), reason="the shared archive is not beside the project")


def _reports(years=None) -> list[Report]:
    out = []
    for f in sorted(ARCHIVE.glob("gwr-national-*.txt")):
        year = int(re.search(r"\d{4}", f.name).group())
        if years is None or year in years:
            out.append(Report(f.name, year, "国务院", paragraphs_of([(0, f.read_text(encoding="utf-8"))])))
    return out


@pytest.fixture(scope="module")
def table():
    return read_table(_reports(), HEADLINE, since=1999)


def _gold() -> dict:
    return {(g["term"], g["year"]): g for g in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines())}


def test_every_cited_figure_is_the_text_at_its_offsets(table):
    texts = {f.name: f.read_text(encoding="utf-8") for f in ARCHIVE.glob("gwr-national-*.txt")}
    for row in table.rows:
        for s in (row.target, row.result):
            if s:
                assert texts[s.doc][s.start:s.end] == s.text


def test_2000_to_2005_as_checked_by_hand_against_the_reports(table):
    """The five plan → next-report pairs: every target, result and verdict as labelled (the 1999 growth verdict
    comes from the next report's own words, “国内生产总值增长率达到预期目标”, which the labeller left open)."""
    got = {(r.term, r.year): r for r in table.rows if 1999 <= r.year <= 2004}
    gold = {k: g for k, g in _gold().items() if 1999 <= k[1] <= 2004}
    assert set(got) == set(gold)
    for key, g in gold.items():
        row = got[key]
        assert (row.target and row.target.value) == (g["target"] and g["target"]["value"]), key
        assert (row.result and row.result.value) == (g["result"] and g["result"]["value"]), key
        assert row.status == (g["status"] or ("met" if key == ("经济增长", 1999) else None)), key
    assert got[("经济增长", 2003)].reason == "同一指标当年的数字与目标对照"
    assert got[("经济增长", 1999)].result.text == "国内生产总值增长率达到预期目标"


def test_the_whole_labelled_table(table):
    """Target value, result value and verdict right on at least 95% of the 86 rows of 1999–2025."""
    got = {(r.term, r.year): r for r in table.rows}
    gold = _gold()
    right = 0
    for key, g in gold.items():
        row = got.get(key)
        right += bool(row) and ((row.target and row.target.value) == (g["target"] and g["target"]["value"])
                                and (row.result and row.result.value) == (g["result"] and g["result"]["value"]))
    assert right / len(gold) >= 0.95
    assert set(got) <= set(gold) | {k for k in got if got[k].target is None and got[k].result is None}


def test_bounds_ranges_and_full_width_digits(table):
    rows = {(r.term, r.year): r for r in table.rows}
    growth_2019 = rows[("经济增长", 2019)].target
    assert (growth_2019.text, growth_2019.bound, growth_2019.value, growth_2019.high) == (
        "国内生产总值增长6%－6.5%", "range", 6.0, 6.5)
    assert rows[("经济增长", 2021)].target.bound == "at_least"
    assert rows[("城镇登记失业率", 2009)].target.bound == "at_most"
    assert rows[("城镇新增就业", 2023)].target.bound == "about"
    assert rows[("经济增长", 2001)].result.text == "国内生产总值达到９５９３３亿元，比上年增长７．３％"
    assert rows[("经济增长", 2001)].result.value == 7.3


def test_surveyed_and_registered_unemployment_are_two_indicators_never_compared(table):
    assert [i.term for i in indicators_for(["失业率"])] == ["城镇登记失业率", "城镇调查失业率"]
    rows = {(r.term, r.year): r for r in table.rows}
    assert "登记" in rows[("城镇登记失业率", 2019)].target.text and rows[("城镇登记失业率", 2019)].target.value == 4.5
    assert "调查" in rows[("城镇调查失业率", 2019)].target.text and rows[("城镇调查失业率", 2019)].target.value == 5.5


def test_five_year_figures_are_never_a_years_result_nor_a_five_year_plan_a_target(table):
    rows = {(r.term, r.year): r for r in table.rows}
    assert rows[("城镇新增就业", 2010)].result.value == 1168  # not the 十一五 total 5771
    assert rows[("经济增长", 2022)].result.value == 3  # not the five-year average 5.2
    assert rows[("城镇调查失业率", 2021)].target.text == "城镇调查失业率5.5%左右"  # not the 十四五 “控制在5.5%以内”
    assert ("经济增长", 2000) not in rows  # “平均每年增长8.3％” over 1996–2000 is no figure of 2000


def test_each_rule_is_switchable_and_counted(table):
    assert table.fired["figure"] >= 3 and table.fired["multi_year"] >= 1 and table.fired["plan_sections"] >= 1
    no_words = read_table(_reports({1999, 2000}), ["经济增长"], off=frozenset({"report_words"}))
    assert no_words.rows[0].status is None and no_words.fired["report_words"] == 0
    on = read_table(_reports({2000, 2001}), ["经济增长"], since=2000, until=2000)
    assert on.rows == () or on.rows[0].result is None  # the 2001 report gives 2000 only as a five-year average
    no_multi = read_table(_reports({2000, 2001}), ["经济增长"], since=2000, until=2000, off=frozenset({"multi_year"}))
    assert no_multi.rows[0].result.text == "国内生产总值2000年达89404亿元，平均每年增长8.3％"
    no_plan = read_table(_reports({2021}), ["城镇调查失业率"], since=2021, off=frozenset({"plan_sections", "multi_year"}))
    assert no_plan.rows[0].target.text == "城镇调查失业率控制在5.5%以内"  # the 十四五 section's five-year target
    with pytest.raises(Exception, match="没有这些规则"):
        read_table(_reports({2021}), ["经济增长"], off=frozenset({"guess"}))


def test_printed_excel_with_a_chart_per_indicator_and_png(table, tmp_path):
    from openpyxl import load_workbook
    from PIL import Image

    text = format_table(table)
    assert "【经济增长】" in text and "2003  目标：经济增长预期目标为7%左右  实际：国内生产总值比上年增长9.1%  已实现" in text
    book = load_workbook(write_table_xlsx(table, tmp_path / "t.xlsx"))
    assert book.sheetnames[0] == "目标完成情况" and "经济增长" in book.sheetnames
    assert book["目标完成情况"].max_row == len(table.rows) + 1 and book["经济增长"]._charts
    with Image.open(write_table_png(table, tmp_path / "t.png")) as png:
        assert png.width > 500 and png.height > 1000  # one panel per indicator

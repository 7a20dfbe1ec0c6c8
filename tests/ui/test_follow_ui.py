"""落实追踪 in the web app: the 承诺 tab marks each pledge with what became of it and quotes the later report, the
落实情况 filter narrows to “未见下文”, and `/follow` answers scripts with the JSON of `qa follow --json`."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT, make_settings
from tests.ui.conftest import ARTIFACTS, running_server
from tests.ui.test_browser import browser  # noqa: F401 - the Chromium fixture

FIXTURE = ROOT / "tests" / "data" / "follow"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from ingest import ingest

    root = tmp_path_factory.mktemp("follow-ui")
    shutil.copytree(FIXTURE, root / "corpus")
    settings = make_settings(root)
    ingest(settings=settings, progress=False)
    return settings


def test_the_pledges_tab_shows_what_became_of_each_pledge_and_filters_by_it(browser, reports, tmp_path):  # noqa: F811
    with running_server(reports, tmp_path) as (url, _port, _corpus):
        page = browser.new_page(locale="zh-CN")
        page.goto(url)
        page.get_by_role("tab", name="承诺").click()
        page.get_by_role("combobox", name="讲话人或单位").click()
        page.get_by_role("option", name="林海", exact=True).click()
        missed = page.locator(".qa-follow-not_met", has_text="城镇新增就业1.2万人以上")
        missed.wait_for(timeout=60000)
        assert "未落实" in missed.inner_text() and "实际“城镇新增就业1.05万人”" in missed.inner_text()
        assert "2024年2月8日" in missed.inner_text()  # the later report's date and place are given
        built = page.locator(".qa-follow-met", has_text="区综合政务服务中心建成投用").inner_text()
        assert "已落实" in built
        page.screenshot(path=str(ARTIFACTS / "pledges-follow.png"), full_page=True)

        page.get_by_role("combobox", name="落实情况").click()
        page.get_by_role("option", name="未见下文").click()
        page.locator(".qa-count", has_text="共 1 条承诺").wait_for(timeout=60000)
        cards = page.locator(".qa-card").all_inner_texts()
        assert len(cards) == 1 and "书香社区" in cards[0] and "未见下文" in cards[0]
        page.close()

        from gradio_client import Client

        data = Client(url, verbose=False).predict("林海", "", "", "", "not_met", api_name="/follow")
        assert {t["target"]["text"] for t in data["targets"]} == {"城镇新增就业1.2万人以上", "一般公共预算收入增长5%左右"}
        assert data["latest"] == ["2024-02-08 青禾区政府工作报告.txt"]


def test_the_target_table_draws_its_chart_in_the_browser_and_answers_scripts(browser, reports, tmp_path):  # noqa: F811
    """主要目标完成情况 under the pledges: per indicator and year the target and the next report's figure, a verdict
    only where both are there, a chart, the Excel file; `/targets` gives the JSON of `qa targets --json`."""
    with running_server(reports, tmp_path) as (url, _port, _corpus):
        page = browser.new_page(locale="zh-CN")
        page.goto(url)
        page.get_by_role("tab", name="承诺").click()
        page.locator("#qa-targets").get_by_text("主要目标完成情况").click()
        page.locator("#qa-targets-btn").click()
        chart = page.locator("#qa-targets-chart img")
        chart.wait_for(timeout=60000)
        page.wait_for_function("() => { const i = document.querySelector('#qa-targets-chart img');"
                               " return i && i.complete && i.naturalWidth > 500; }", timeout=60000)
        rows = page.locator("#qa-targets-table tbody tr").all_inner_texts()
        jobs = next(r for r in rows if "城镇新增就业1.2万人以上" in r)
        assert "2023" in jobs and "城镇新增就业1.05万人" in jobs and "未实现" in jobs
        growth = next(r for r in rows if "地区生产总值增长6%左右" in r)
        assert "地区生产总值增长6.8%" in growth and "已实现" in growth
        assert "实际：《青禾区政府工作报告》，2024年2月8日，第6段" in growth  # cited as staff cite: title, date, paragraph
        earlier = next(r for r in rows if "地区生产总值增长4.2%" in r)  # 2022: no plan of that year indexed
        assert "无法判定" in earlier and "当年报告未收录" in earlier
        with page.expect_download(timeout=60000) as got:
            page.locator("#qa-targets-xlsx").click()
        assert got.value.suggested_filename == "主要目标完成情况.xlsx"
        page.screenshot(path=str(ARTIFACTS / "pledges-targets.png"), full_page=True)
        page.close()

        from gradio_client import Client

        data = Client(url, verbose=False).predict("城镇新增就业、失业率", "", "", "", api_name="/targets")
        rows = {(r["term"], r["year"]): r for r in data["rows"]}
        assert rows[("城镇新增就业", 2023)]["status"] == "not_met"
        assert rows[("城镇新增就业", 2023)]["target"]["bound"] == "at_least"
        assert rows[("城镇调查失业率", 2023)]["result"]["text"] == "城镇调查失业率5.1%"
        assert all(term != "城镇登记失业率" for term, _ in rows)  # 调查 and 登记 never mixed: no 登记 figure here

"""摘编 and 提法 in the web app: the 提法 tab draws its chart in the browser, the 摘编 tab lists excerpts by year and
offers the Word file, and `/digest` and `/trend` answer scripts with the JSON of the commands."""

from __future__ import annotations

import pytest

from tests.conftest import indexed
from tests.qa.test_digest_trend import SPEECHES
from tests.ui.conftest import ARTIFACTS, running_server
from tests.ui.test_browser import browser  # noqa: F401 - the Chromium fixture


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("city-ui"), SPEECHES)


def test_the_trend_chart_and_the_digest_in_the_browser_and_the_api(browser, city, tmp_path):  # noqa: F811
    with running_server(city, tmp_path) as (url, _port, _corpus):
        page = browser.new_page(locale="zh-CN")
        page.goto(url)
        page.get_by_role("tab", name="提法").click()
        page.locator("#qa-trend-terms textarea").fill("高质量发展、营商环境")
        page.locator("#qa-trend-btn").click()
        chart = page.locator("#qa-trend-chart img")
        chart.wait_for(timeout=60000)
        page.wait_for_function("() => { const i = document.querySelector('#qa-trend-chart img');"
                               " return i && i.complete && i.naturalWidth > 600; }", timeout=60000)
        table = page.locator("#qa-trend-result").inner_text()
        assert "2021年" in table and "未注明日期" in table and "最早见于" in table
        page.screenshot(path=str(ARTIFACTS / "trend.png"), full_page=True)

        page.get_by_role("tab", name="摘编").click()
        page.locator("#qa-digest-topic textarea").fill("营商环境")
        page.locator("#qa-digest-btn").click()
        page.locator("#qa-digest-result .qa-topic", has_text="2021年").wait_for(timeout=60000)
        text = page.locator("#qa-digest-result").inner_text()
        assert "要优化营商环境，让企业办事更便利。" in text and "2021年3月2日" in text and "未注明日期" in text
        with page.expect_download(timeout=60000) as got:
            page.locator("#qa-digest-docx").click()
        assert got.value.suggested_filename == "营商环境讲话摘编.docx"
        page.screenshot(path=str(ARTIFACTS / "digest.png"), full_page=True)
        page.close()

        from gradio_client import Client

        client = Client(url, verbose=False)
        data = client.predict("营商环境", "王明", "", "", "", api_name="/digest")
        assert {e["speaker"] for g in data["groups"] for e in g["excerpts"]} == {"王明"}
        trend = client.predict("高质量发展", "year", api_name="/trend")
        assert trend["terms"][0]["first"]["date"] == "2021-03-02"

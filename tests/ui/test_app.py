"""The served app through gradio_client, as scripts use it: the named /ask and /search endpoints."""

import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qa import Answer, Citation, Pledge, safe_name
from tests.conftest import ROOT
from ui._app import parse_auth
from ui._render import answer_html, answer_markdown, pledges_markdown
from ui._speeches_tab import speech_view


def test_ask_endpoint_returns_the_ask_json(server):
    from gradio_client import Client

    ans = Client(server[0], verbose=False).predict("市委书记把2023年确立为什么年？", "", "", api_name="/ask")
    assert set(ans) >= {"question", "answer", "found", "citations", "backend", "warnings"}
    assert ans["found"] and ans["citations"][0]["doc"].startswith("004")
    assert "项目攻坚突破年" in ans["answer"]


def test_search_endpoint_with_filters(server):
    from gradio_client import Client

    client = Client(server[0], verbose=False)
    res = client.predict("主题教育", 3, "", "002", api_name="/search")
    assert len(res["results"]) == 3 and {r["doc"][:3] for r in res["results"]} == {"002"}
    with pytest.raises(Exception, match="已知讲话人"):
        client.predict("主题教育", 3, "省长", "", api_name="/search")
    with pytest.raises(Exception, match="5 篇讲话没有日期"):  # the sample speeches carry no date
        client.predict("主题教育", 3, "", "", "2023", "", api_name="/search")


def test_twenty_people_asking_at_once_all_get_answers(server):
    from gradio_client import Client

    questions = ["市委书记把2023年确立为什么年？", "市委书记要擦亮的两张城市名片是什么？", "市工信局准备推行哪些主题党日活动？",
                 "工信局长提出要从哪几个方面加快建设制造业强市？"] * 5

    def ask(q):
        return Client(server[0], verbose=False).predict(q, "", "", api_name="/ask")

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(ask, questions))
    assert len(answers) == 20 and all(a["found"] and a["citations"] for a in answers)
    assert [a["question"] for a in answers] == questions


def test_listens_on_loopback_only(server):
    """`qa serve` without --host binds 127.0.0.1 alone: 127.0.0.2 is this machine too, but a socket bound to
    127.0.0.1 does not answer there, while one bound to 0.0.0.0 (every address) would."""
    _, port, _ = server
    socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", port), timeout=1).close()


def _answer():
    text = "全市GDP突破****亿元。我们要办好<b>十件</b>实事。"
    c = Citation(n=1, doc="x.txt", title="标题", speaker="市长", text=text, start=10, end=10 + len(text),
                 paragraph=3, occasion="全市大会", highlights=((10 + text.index("我们"), 10 + len(text)),))
    return Answer("问？", "我们要办好<b>十件</b>实事。[1]", True, (c,), "extractive", ("一条警告",))


def test_answer_html_escapes_text_links_citations_and_shows_warnings():
    html = answer_html(_answer(), "7")
    assert "<b>十件</b>" not in html and "&lt;b&gt;" in html
    assert 'href="#src-7-1"' in html and 'id="src-7-1"' in html
    assert "<mark>我们要办好" in html and "qa-warn" in html and "第3段" in html
    assert "回答方式：摘录原文（不用模型）" in html and ">extractive<" not in html
    not_found = answer_html(Answer("问？", "资料中没有找到……", False, (), "extractive"), "8")
    assert "qa-notfound" in not_found and "未找到" in not_found and "qa-card" not in not_found
    base = _answer()
    related = answer_html(Answer("问？", "资料中没有直接回答这个问题，最相关的原文如下：\n我们要办好实事。[1]", False,
                                 base.citations, "extractive", ("找到的段落没有提到“停车难”。",), outcome="related"), "9")
    assert "qa-related" in related and "相关原文，未直接回答" in related  # shown apart from both other outcomes
    assert "qa-found" not in related and "qa-notfound" not in related
    assert 'href="#src-9-1"' in related and 'id="src-9-1"' in related and "停车难" in related


def test_markdown_export_cites_like_an_office_and_never_carries_live_html_or_links():
    md = answer_markdown(_answer())
    assert "[1] 《标题》、市长、全市大会、第3段：“我们要办好&lt;b>十件&lt;/b>实事。”" in md
    assert md.startswith("**问：** 问？")
    hostile = Answer('<img src=x onerror="alert(1)">[点我](javascript:alert(1))', "答<script>x</script>", False, (),
                     "extractive")
    md = answer_markdown(hostile)
    assert "<img" not in md and "<script" not in md and "](javascript" not in md
    assert "&lt;img" in md and "[点我]\\(javascript" in md and "2<3" in answer_markdown(Answer("2<3？", "", False, (), "x"))
    pledge = Pledge(doc="a.txt", text="要<iframe src=//evil>落实", start=0, end=9, paragraph=1, topic="<b>专题</b>",
                    speaker="市长", title="标题", concrete=False)
    md = pledges_markdown([pledge], "<i>市长</i>")
    assert "<iframe" not in md and "<b>" not in md and "<i>" not in md and "&lt;iframe" in md


def test_upload_names_are_sanitised():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("讲话 $(rm -rf ~);`x`.TXT") == "讲话 __rm -rf ____x_.txt"
    assert safe_name("..\\..\\evil.docx") == "evil.docx"
    assert safe_name(".hidden.md") == "hidden.md"


def test_auth_setting(tmp_path):
    assert parse_auth("a:1,b:2") == [("a", "1"), ("b", "2")]
    f = tmp_path / "users"
    f.write_text("# staff\nwang:pw:with:colons\n", encoding="utf-8")
    assert parse_auth(str(f)) == [("wang", "pw:with:colons")]
    from qa import ConfigError

    with pytest.raises(ConfigError):
        parse_auth("nopassword")


def test_speech_reader_numbers_paragraphs_and_reads_only_indexed_speeches(sample_qa):
    html = speech_view(sample_qa, "004_333b86c7d610c3e1.txt")
    assert "第1段" in html and "标题" in html and "市委书记在市委理论学习中心组" in html
    assert "没有这篇讲话" in speech_view(sample_qa, "../../../etc/passwd")
    assert "没有这篇讲话" in speech_view(sample_qa, "/etc/passwd")


def test_chat_history_becomes_plain_turns_for_follow_ups():
    from qa import history_turns
    from ui._ask_tab import html_text

    history = [{"role": "user", "content": "市委书记&lt;b&gt;承诺了什么？"},
               {"role": "assistant", "content": '<div class="qa-answer">落细落实就业优先政策。<a href="#x">[1]</a></div>'}]
    assert history_turns(history, html_text) == [("市委书记<b>承诺了什么？", "落细落实就业优先政策。[1]")]


def test_export_files_are_pruned_and_removed_when_the_process_ends():
    script = ("import os; from ui._rundir import export_file; paths = [export_file('回答.md', str(i)) for i in range(205)];"
              "print(os.path.dirname(os.path.dirname(paths[-1]))); print(sum(map(os.path.exists, paths)));"
              "print(open(paths[-1], encoding='utf-8').read())")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    folder, kept, last = out.stdout.split()
    assert (int(kept), last) == (200, "204")
    assert not Path(folder).exists()


def test_speaker_list_has_one_entry_per_speaker_or_body_and_aliases_still_resolve(sample_qa):
    from ui._choices import Choices

    entries = Choices(sample_qa).speakers()
    labels = [label for label, _ in entries[1:]]
    assert labels == ["工信局长", "市委书记", "市工信局"] and not any("（单位）" in x for x in labels)
    alias = [p.text for p in sample_qa.pledges(speaker="市工信局局长")]
    assert alias and alias == [p.text for p in sample_qa.pledges(speaker="工信局长")]


def test_speeches_table_filters_and_pages_a_thousand_documents():
    from qa.core.records import Document
    from ui._choices import SPEECHES_PAGE, Choices

    docs = [Document(f"{i:04d}.txt", f"第{i}号文件", False, "市长" if i % 3 == 0 else None, None, "", 100, 1,
                     date=f"{2000 + i % 24}-03-05" if i % 5 else None, type="报告" if i % 2 else "讲话")
            for i in range(1200)]

    class FakeQA:
        def documents(self):
            return docs

    choices = Choices(FakeQA())
    rows, info, shown, page = choices.page()
    assert len(rows) == SPEECHES_PAGE and len(shown) == SPEECHES_PAGE and page == 1 and "共 1200 篇" in info
    rows, info, shown, page = choices.page(page=999)  # past the end: the last page
    assert page == 24 and "第 24 / 24 页" in info and rows[-1][0] == "1199.txt"
    rows, *_ = choices.page(speaker="市长", kind="报告", year="2003")
    assert rows and all(r[3] == "市长" and r[5] == "报告" and r[4].startswith("2003年") for r in rows)
    assert len(choices.filtered(year="?")) == 240  # 日期未知
    assert [r[0] for r in choices.page(text="第7")[0]][:2] == ["0007.txt", "0070.txt"]
    assert ("2023年", "2023") in choices.years() and ("讲话", "讲话") in choices.types()


def test_metadata_editor_saves_to_the_metadata_file_and_reindexes(tmp_path):
    from qa import QA
    from tests.conftest import indexed
    from ui._speeches_tab import save_metadata

    settings = indexed(tmp_path, {"a.txt": "在全市工作会议上的讲话\n\n同志们：\n\n我们要抓好安全生产。\n"})
    qa = QA(settings)
    qa.documents()
    assert "请先" in save_metadata(qa, "", "", "", "", "", "")
    assert "不是可识别的日期" in save_metadata(qa, "a.txt", "", "2023-02-30", "", "", "")
    assert not (settings.corpus / "metadata.csv").exists()
    msg = save_metadata(qa, "a.txt", "副市长", "2023年3月5日", "讲话", "全市工作会议", "在全市工作会议上的讲话")
    assert "已保存并重新导入" in msg and "讲话人改为“副市长”；日期改为“2023-03-05”" in msg  # says what changed
    d = {x.doc: x for x in qa.documents()}["a.txt"]
    assert (d.speaker, d.date, d.type) == ("副市长", "2023-03-05", "讲话")
    row = (settings.corpus / "metadata.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert row == "a.txt,副市长,2023-03-05,,,"  # only what differs from what the text gives is written


def test_metadata_longer_than_the_file_keeps_is_refused_not_cut(tmp_path):
    from qa import QA
    from tests.conftest import indexed
    from ui._speeches_tab import save_metadata

    settings = indexed(tmp_path, {"a.txt": "在全市工作会议上的讲话\n\n同志们：\n\n我们要抓好安全生产。\n"})
    qa = QA(settings)
    msg = save_metadata(qa, "a.txt", "", "", "", "会" * 5000, "")
    assert "场合（5000 字）超过 200 字，没有保存" in msg
    assert not (settings.corpus / "metadata.csv").exists()


def test_a_ledger_for_a_speaker_whose_name_holds_a_slash_or_is_very_long(sample_settings, tmp_path):
    import shutil

    from openpyxl import load_workbook

    from ingest import ingest
    from ingest._metafile import write_metadata_row
    from qa import QA, Settings
    from ui._pledges_tab import ledger_files

    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "corpus")
    shutil.copytree(sample_settings.home, settings.home)
    shutil.copytree(sample_settings.corpus, settings.corpus)
    names = {"004_333b86c7d610c3e1.txt": "市委/市政府", "000_03004420b872a5dd.txt": "联合督查组" * 40}
    for doc, who in names.items():
        write_metadata_row(settings.corpus, doc, {"speaker": who})
    ingest(settings=settings, progress=False)
    qa = QA(settings)
    for who in names.values():
        status, xlsx, docx = ledger_files(qa, who)
        assert "已生成" in status and xlsx and docx, status
        assert "/" not in Path(xlsx).name and len(Path(xlsx).name.encode()) < 255
        sheet = load_workbook(xlsx).active
        assert sheet.title[:3] in ("市委_", "联合督") and sheet.cell(row=2, column=2).value == who


def test_a_scan_is_shown_beside_its_ocr_text_and_nothing_else_is(tmp_path):
    from ingest import ingest
    from qa import QA
    from qa.app.bench.files import render_scan
    from tests.conftest import make_settings
    from ui._speeches_tab import scan_view

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    render_scan(corpus / "扫描.png", "在全市大会上的讲话", ["同志们：", "今年要新开工亿元以上项目五十个。"])
    (corpus / "讲话.txt").write_text("在全市大会上的讲话\n同志们：\n今年要新开工项目。\n", encoding="utf-8")
    settings = make_settings(tmp_path, corpus)
    ingest(settings=settings, progress=False)
    qa = QA(settings)
    qa._ready()
    (page,) = scan_view(qa, "扫描.png")
    assert page.width <= 1400 and page.height > page.width  # the page, scaled for the screen
    assert "五十个" in speech_view(qa, "扫描.png")
    assert scan_view(qa, "讲话.txt") == [] and scan_view(qa, "../corpus/扫描.png") == [] and scan_view(qa, "") == []

"""督办台账: every pledge of a speaker, in order, in Excel and Word files that open and print; lead unit and
deadline only where the text states them; no formula and no half-written file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from qa import InputError
from qa.core.chinese import deadline, lead_unit
from qa.core.records import Pledge
from qa.pledges.ledger import COLUMNS, ledger_rows, write_docx, write_xlsx
from tests.conftest import ROOT

QA_BIN = os.path.join(os.path.dirname(sys.executable), "qa")


def _env(settings) -> dict:
    return {**os.environ, "QA_HOME": str(settings.home), "QA_CORPUS": str(settings.corpus)}


def _pledge(text: str, n: int = 1) -> Pledge:
    return Pledge(speaker="市长", doc="a.txt", title="在全市大会上的讲话", text=text, start=n * 10, end=n * 10 + 5,
                  paragraph=n, topic="营商环境", concrete=False)


def test_the_ledger_of_a_speaker_holds_every_pledge_in_order_in_excel_and_word(sample_settings, tmp_path):
    env = _env(sample_settings)
    listed = json.loads(subprocess.run([QA_BIN, "pledges", "--speaker", "市委书记", "--json"], env=env, cwd=ROOT,
                                       capture_output=True, check=True, timeout=300).stdout)["pledges"]
    assert len(listed) > 20
    xlsx, docx = tmp_path / "台账.xlsx", tmp_path / "台账.docx"
    for flag, path in (("--xlsx", xlsx), ("--docx", docx)):
        out = subprocess.run([QA_BIN, "ledger", "--speaker", "市委书记", flag, str(path)], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0 and f"（{len(listed)} 项）" in out.stdout

    ws = load_workbook(xlsx).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [h for h, *_ in COLUMNS]
    assert [r[4] for r in rows[1:]] == [p["text"] for p in listed]
    assert [r[0] for r in rows[1:]] == list(range(1, len(listed) + 1))
    assert {r[1] for r in rows[1:]} == {"市委书记"} and all(r[7].endswith("段") for r in rows[1:])
    assert ws.freeze_panes == "A2" and ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws["E2"].alignment.wrap_text and ws.column_dimensions["E"].width == dict((f, w) for _h, f, w in COLUMNS)["content"]

    table = WordDocument(str(docx)).tables[0]
    assert [c.text for c in table.rows[0].cells] == [h for h, *_ in COLUMNS]
    assert [r.cells[4].text for r in table.rows[1:]] == [p["text"] for p in listed]
    assert WordDocument(str(docx)).sections[0].page_width > WordDocument(str(docx)).sections[0].page_height


def test_lead_unit_and_deadline_come_only_from_the_text():
    assert lead_unit("由市发改委、市财政局牵头，年底前完成项目清单") == "市发改委、市财政局"
    assert lead_unit("围绕市工信局牵头的“11+7”产业专班") == "市工信局"
    assert lead_unit("责任单位：市住建局、市城管局") == "市住建局、市城管局"
    assert lead_unit("要真正向各级人民代表大会负责") == "" and lead_unit("我们要加强领导") == ""
    assert deadline("各区要在2024年6月底前完成") == "2024年6月底前"
    assert deadline("三年内实现全覆盖") == "三年内" and deadline("到2025年基本建成") == "到2025年"
    assert deadline("今年要办好十件实事") == "" and deadline("一季度经济开局良好") == ""
    row = ledger_rows([_pledge("由市商务局牵头，年底前出台支持政策")])[0]
    assert (row.lead, row.deadline, row.topic, row.source) == ("市商务局", "年底前", "营商环境", "《在全市大会上的讲话》第1段")


def test_cells_are_text_never_formulas(tmp_path):
    rows = ledger_rows([_pledge("=HYPERLINK(\"http://evil\",\"点我\")"), _pledge("+1+1", 2), _pledge("@SUM(A1)", 3)])
    path = write_xlsx(rows, tmp_path / "l.xlsx")
    ws = load_workbook(path).active
    assert [ws.cell(row=r, column=5).data_type for r in (2, 3, 4)] == ["s", "s", "s"]
    assert ws["E2"].value == "=HYPERLINK(\"http://evil\",\"点我\")"


def test_an_export_that_cannot_be_written_leaves_nothing_behind(tmp_path):
    rows = ledger_rows([_pledge("要做好工作")])
    with pytest.raises(InputError, match="文件夹 .* 不存在"):
        write_xlsx(rows, tmp_path / "没有这个文件夹" / "l.xlsx")
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root writes anyway: a target that is a folder fails the same way
            target = locked / "l.docx"
            target.mkdir()
        else:
            target = locked / "l.docx"
        with pytest.raises(InputError, match="无法写入"):
            write_docx(rows, target)
        assert [p.name for p in locked.iterdir()] in ([], ["l.docx"])
        assert not any(p.name.startswith(".~") for p in locked.iterdir())
    finally:
        locked.chmod(0o700)


def test_ledger_json(sample_settings):
    out = subprocess.run([QA_BIN, "ledger", "--speaker", "工信局长", "--json"], env=_env(sample_settings), cwd=ROOT,
                         capture_output=True, check=True, timeout=300)
    rows = json.loads(out.stdout)["rows"]
    assert rows and set(rows[0]) == {"n", "speaker", "occasion", "topic", "content", "lead", "deadline", "source",
                                     "progress", "progress_source", "doc", "paragraph", "start", "end"}
    assert all(r["speaker"] == "工信局长" for r in rows)
    assert all(r["progress"] == "讲话没有日期，未追踪" for r in rows)  # the sample speeches have no dates


def test_an_answer_exports_to_word_with_numbered_notes_in_official_style(tmp_path):
    from qa.core.records import Answer, Citation
    from qa.exports import write_answer_docx

    text = "全市GDP突破****亿元。我们要办好十件实事。"
    c = Citation(n=1, doc="x.txt", title="政府工作报告", speaker="市长", text=text, start=10, end=10 + len(text),
                 paragraph=3, occasion="市人大会议", highlights=((10 + text.index("我们"), 10 + len(text)),))
    ans = Answer("今年要办几件实事？", "我们要办好十件实事。[1]", True, (c,), "extractive")
    paragraphs = [p.text for p in WordDocument(str(write_answer_docx(ans, tmp_path / "答.docx"))).paragraphs]
    assert "问：今年要办几件实事？" in paragraphs and "答：我们要办好十件实事。[1]" in paragraphs
    assert "[1] 《政府工作报告》、市长、市人大会议、第3段：“我们要办好十件实事。”" in paragraphs
    assert [p.name for p in tmp_path.iterdir()] == ["答.docx"]


def test_the_word_ledger_prints_with_the_work_content_widest_and_many_rows_a_page(sample_settings, tmp_path):
    """The widths are the grid's and every cell's under a fixed layout (else Word and LibreOffice share the page
    equally and 工作内容 gets a tenth of it): rendered by LibreOffice, a landscape page holds many rows."""
    from docx.oxml.ns import qn

    from qa import QA
    from qa.pledges.ledger import DOCX_WIDTHS_CM

    rows = QA(sample_settings).ledger(speaker="市委书记")
    path = write_docx(rows, tmp_path / "台账.docx", "市委书记督办台账")
    table = WordDocument(str(path)).tables[0]
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    fields = [f for _h, f, _w in COLUMNS]
    assert grid[fields.index("content")] == max(grid) > 1.5 * sorted(grid)[-2]
    assert int(tbl_pr.find(qn("w:tblW")).get(qn("w:w"))) == sum(grid) <= round(27.1 / 2.54 * 1440) + 5
    for r in table.rows:  # python-docx leaves a cell without its width unless told: every one is told
        assert all(abs(c.width - DOCX_WIDTHS_CM[f] * 360000) < 1000 for c, f in zip(r.cells, fields, strict=True))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "台账.pdf"
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                                     check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    assert len(rows) / pages >= 6, (len(rows), pages)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True,
                   timeout=60)
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    next(tmp_path.glob("page*.png")).replace(ROOT / "tests" / "artifacts" / "ledger-docx.png")

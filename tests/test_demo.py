"""`qa demo`: the dated archive shipped in demo/archive indexes into a home of its own (never QA_HOME), and
落实追踪, 摘编 by year and 提法 give dated results on it; a corpus folder that is missing or empty is named, with
its real path, in every message about it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.app.cli import main
from qa.app.demo import DEMO_ARCHIVE
from tests.conftest import ROOT, TINY_A, TINY_B, indexed

QA_BIN = os.path.join(os.path.dirname(sys.executable), "qa")


def _qa(*args: str, env: dict, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([QA_BIN, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demo(demo_run):
    """`qa demo --no-serve` run once into a tmp home, with QA_HOME pointing elsewhere: (home, env, output)."""
    return demo_run


def _json(demo, *args: str):
    home, env, _ = demo
    out = _qa(*args, "--json", env=env, cwd=home)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_shipped_archive_is_small_dated_and_apart_from_the_tests_copy():
    files = sorted(DEMO_ARCHIVE.iterdir())
    assert [f.name for f in files] == [f"gwr-national-{y}.txt" for y in (2002, 2003, 2004, 2005, 2023)]
    assert sum(f.stat().st_size for f in files) < 2_000_000
    for f in files:  # copies of the public reports the tests read, with their sources listed beside them
        assert f.read_bytes() == (ROOT / "tests" / "data" / "archive" / f.name).read_bytes()
        assert f.name in (ROOT / "demo" / "MANIFEST.tsv").read_text(encoding="utf-8")


def test_demo_indexes_every_report_with_its_date_and_says_what_to_try(demo):
    home, _, printed = demo
    docs = _json(demo, "docs")["documents"]
    assert {d["doc"]: d["date"] for d in docs} == {"gwr-national-2002.txt": "2002", "gwr-national-2003.txt": "2003",
                                                  "gwr-national-2004.txt": "2004", "gwr-national-2005.txt": "2005",
                                                  "gwr-national-2023.txt": "2023-03-05"}
    for words in ("落实追踪", "摘编", "提法", f"export QA_HOME={home}", "follow --doc gwr-national-2002.txt"):
        assert words in printed
    assert sorted(p.name for p in (home / "corpus").iterdir()) == sorted(p.name for p in DEMO_ARCHIVE.iterdir())


def test_follow_on_the_demo_links_targets_to_later_reports(demo):
    report = _json(demo, "follow")
    assert report["targets"] and not report["undated"]
    assert report["counts"]["met"] > 0 and report["counts"]["progress"] > 0
    for t in report["targets"]:
        assert t["pledge"]["date"] in ("2002", "2003", "2004")  # 2005 and 2023 have no later report to read
        assert all(a["date"] > t["pledge"]["date"] for a in t["accounts"])
    assert any(t["accounts"] for t in report["targets"] if t["status"] == "met")


def test_digest_by_year_on_the_demo(demo):
    found = _json(demo, "digest", "科技创新", "--by", "year")
    assert found["by"] == "year" and not found["undated"]
    headings = [g["heading"] for g in found["groups"]]
    assert headings == sorted(headings) and headings[0] == "2002年" and len(headings) >= 3
    assert all(e["date"] and e["text"] for g in found["groups"] for e in g["excerpts"])


def test_trend_on_the_demo(demo):
    found = _json(demo, "trend", "小康社会")
    term = found["terms"][0]
    assert [b["key"] for b in term["buckets"]] == ["2003", "2004", "2005", "2023"]
    assert term["first"]["date"] == "2003" and "小康社会" in term["first"]["text"]


def test_a_second_demo_run_only_checks(demo):
    home, env, _ = demo
    out = _qa("demo", "--no-serve", "--quiet", "--home", str(home), env=env, cwd=home)
    assert out.returncode == 0, out.stderr
    assert "未变 5 篇" in out.stdout and "没有需要向量化的内容" in out.stdout


# -- the corpus folder named in messages ------------------------------------------------------------------------
def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    got = capsys.readouterr()
    return code, got.out + got.err


def test_a_missing_corpus_folder_is_named(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "不存在的文件夹"
    monkeypatch.setenv("QA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("QA_CORPUS", str(missing))
    for argv in (("ingest", "--quiet"), ("docs",), ("ask", "今年的目标是什么？"), ("follow",)):
        code, said = _run(capsys, *argv)
        assert code == 1, said
        assert f"语料文件夹 {missing} 不存在" in said and "默认读取" not in said, said


def test_an_empty_corpus_folder_is_named(tmp_path, monkeypatch, capsys):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    monkeypatch.setenv("QA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("QA_CORPUS", str(empty))
    code, said = _run(capsys, "docs")
    assert code == 1 and f"语料文件夹 {empty} 是空的" in said, said
    code, said = _run(capsys, "ingest", "--quiet")
    assert code == 0 and f"语料文件夹 {empty} 是空的" in said, said
    code, said = _run(capsys, "ingest", "--quiet", "--json")
    assert any(str(empty) in w for w in json.loads(said)["warnings"])


def test_follow_on_undated_speeches_names_the_metadata_file_really_read(tmp_path, monkeypatch, capsys):
    settings = indexed(tmp_path, {"a.txt": TINY_A, "b.txt": TINY_B})
    monkeypatch.setenv("QA_HOME", str(settings.home))
    monkeypatch.setenv("QA_CORPUS", str(settings.corpus))
    code, said = _run(capsys, "follow")
    assert code == 1 and str(settings.corpus / "metadata.csv") in said and "或 corpus/metadata.csv" not in said, said

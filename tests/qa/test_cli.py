"""The command line's public contract: JSON shapes, stdin batches, one-line errors."""

import json
import os
import subprocess
import sys

import pytest

from qa.app.cli import main
from tests.conftest import DEV_SET, ROOT


@pytest.fixture
def env(monkeypatch, sample_settings):
    monkeypatch.setenv("QA_HOME", str(sample_settings.home))
    monkeypatch.setenv("QA_CORPUS", str(sample_settings.corpus))
    return sample_settings


def _json(capsys):
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_ingest_json_summary(env, capsys):
    assert main(["ingest", "--json", "--quiet"]) == 0
    (summary,) = _json(capsys)
    assert {"documents", "chunks", "added", "unchanged", "removed", "errors"} <= set(summary)
    assert (summary["documents"], summary["unchanged"], summary["added"], summary["embedded"]) == (5, 5, 0, 0)


def test_search_json(env, capsys):
    assert main(["search", "擦亮城市名片", "--k", "3", "--json"]) == 0
    (result,) = _json(capsys)
    assert result["query"] == "擦亮城市名片" and len(result["results"]) == 3
    assert {"rank", "doc", "title", "speaker", "text", "start", "end", "score"} <= set(result["results"][0])


def test_ask_json(env, capsys):
    assert main(["ask", "市委书记把2023年确立为什么年？", "--json"]) == 0
    (ans,) = _json(capsys)
    assert {"question", "answer", "found", "citations", "backend", "warnings"} <= set(ans)
    assert ans["found"] is True and ans["backend"] == "extractive"
    assert {"n", "doc", "title", "speaker", "text", "start", "end"} <= set(ans["citations"][0])
    assert ans["citations"][0]["doc"].startswith("004")


def test_stdin_batch_gives_json_lines_in_order(env, capsys, monkeypatch):
    import io

    questions = ["市委书记把2023年确立为什么年？", "", "市委书记讲话中提到全市常住人口有多少万？"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(questions) + "\n"))
    assert main(["ask", "-", "--json"]) == 0
    answers = _json(capsys)
    assert [a["question"] for a in answers] == [questions[0], questions[2]]
    assert [a["found"] for a in answers] == [True, False]
    monkeypatch.setattr("sys.stdin", io.StringIO("擦亮城市名片\n主题教育\n"))
    assert main(["search", "-", "--json"]) == 0
    assert [r["query"] for r in _json(capsys)] == ["擦亮城市名片", "主题教育"]


def test_docs_json(env, capsys):
    assert main(["docs", "--json"]) == 0
    (docs,) = _json(capsys)
    by_id = {d["doc"][:3]: d for d in docs["documents"]}
    assert by_id["004"]["speaker"] == "市委书记" and by_id["003"]["title_derived"] is True
    assert all(d["chunks"] > 0 for d in docs["documents"])


def test_eval_json(env, capsys):
    assert main(["eval", str(DEV_SET), "--json"]) == 0
    (report,) = _json(capsys)
    for key in ("recall@5", "mrr@10", "keyword_hit", "cites_evidence", "citation_exact", "negative_rejection",
                "false_rejection", "seconds_per_question", "chars@5"):
        assert report[key] is not None
    assert report["citation_exact"] == 1.0


def test_human_output_shows_sources(env, capsys):
    assert main(["ask", "市委书记把2023年确立为什么年？"]) == 0
    out = capsys.readouterr().out
    assert "答：" in out and "出处：" in out and "[1] 《市委书记" in out


def test_errors_are_one_line_without_traceback(env, capsys):
    assert main(["search", "主题教育", "--speaker", "省长"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1 and "Traceback" not in err
    assert main(["ask", "主题教育", "--llm", "gpt-nonsense"]) == 1
    assert "extractive" in capsys.readouterr().err


def test_installed_command_runs_end_to_end(env, tmp_path):
    """The real `qa` console script in a fresh process, with no index: a clear message and exit 1."""
    qa_bin = os.path.join(os.path.dirname(sys.executable), "qa")
    run_env = {**os.environ, "QA_HOME": str(tmp_path / "nothing-here")}
    proc = subprocess.run([qa_bin, "ask", "市委书记把2023年确立为什么年？"], capture_output=True, text=True,
                          env=run_env, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "qa ingest" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([qa_bin, "ask", "市委书记把2023年确立为什么年？", "--json"], capture_output=True, text=True,
                          env={**os.environ, "QA_HOME": str(env.home), "QA_CORPUS": str(env.corpus)}, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["citations"][0]["doc"].startswith("004")


@pytest.mark.parametrize("argv", [["--help"], ["ask", "--help"], ["ledger", "--help"], ["quote"], ["frob"]])
def test_help_and_usage_errors_speak_chinese(argv, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert "用法：qa" in text
    for english in ("usage:", "positional arguments", "options:", "show this help", "error:", "required",
                    "invalid choice", "QUESTION", "SPEAKER"):
        assert english not in text, english


def test_eval_human_report_is_aligned_and_progress_is_a_bar(env, capsys):
    assert main(["eval", str(DEV_SET)]) == 0
    shown = capsys.readouterr()
    assert "评测" in shown.err and "评测进度" not in shown.err
    rows = [line for line in shown.out.splitlines() if line.startswith("  ")][:9]
    from qa.evaluate import _cells

    starts = {_cells(line[: line.rstrip().rfind(" ") + 1]) for line in rows}
    assert len(rows) == 9 and len(starts) == 1  # every value starts in the same column


def test_follow_status_takes_the_chinese_labels_staff_read(capsys):
    from qa.app.parser import build_parser
    from qa.pledges.follow import STATUS_LABELS

    parser = build_parser()
    for key, label in STATUS_LABELS.items():
        assert parser.parse_args(["follow", "--status", label]).status == key
        assert parser.parse_args(["follow", "--status", key]).status == key  # scripts keep the keys
    with pytest.raises(SystemExit):
        main(["follow", "--status", "没下文"])
    err = capsys.readouterr().err
    assert "已落实、未落实、在推进、再次部署、未见下文、待核实" in err and "no_account" not in err

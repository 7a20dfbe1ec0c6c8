"""Every `qa` command the README and docs/*.md show runs on the sample corpus (the dated examples on the demo
archive), exits 0 and prints something: the documents cannot rot. (`serve`, `bench` and `demo` run for minutes and
have tests of their own; `chat` is interactive.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

QA_BIN = os.path.join(os.path.dirname(sys.executable), "qa")
SHARED = ROOT.parent / "shared"
SKIP = ("qa serve", "qa bench", "qa chat", "qa demo")  # demo: tests/test_demo.py


def readme_commands() -> list[str]:
    """The commands of the README and the technical documents it links (docs/*.md); those of a block that first
    points QA_HOME at the archive are marked "archive: …"."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    out = []
    for block in re.findall(r"```(?:bash)?\n(.*?)```", text, flags=re.S):
        archive = "export QA_HOME=.qa-demo" in block
        for line in (x.split("  #")[0].strip() for x in block.splitlines()):
            if line.startswith(".venv/bin/qa ") and not any(s in line for s in SKIP):
                out.append(f"archive: {line}" if archive else line)
    return out


@pytest.fixture(scope="module")
def archive_like(demo_run):
    """The demo's dated reports (demo/archive, indexed by `qa demo`), as the README's dated examples use them."""
    from qa import Settings

    home = demo_run[0]
    return Settings(home=home, corpus=home / "corpus")


def test_the_readme_shows_the_staff_commands():
    shown = " ".join(readme_commands())
    for sub in ("ask", "search", "ingest", "docs", "pledges", "follow", "ledger", "digest", "trend", "compare", "quote",
                "eval"):
        assert f"qa {sub}" in shown, sub


@pytest.mark.parametrize("command", readme_commands())
def test_each_readme_command_runs(command, sample_settings, tmp_path, request):
    if "../shared/" in command and not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    source = sample_settings
    if command.startswith("archive: "):
        command, source = command.removeprefix("archive: "), request.getfixturevalue("archive_like")
    home, corpus = tmp_path / "home", tmp_path / "corpus"
    shutil.copytree(source.home, home)
    shutil.copytree(source.corpus, corpus)
    (tmp_path / "questions.txt").write_text("市委书记把2023年确立为什么年？\n工信局长提出要从哪几个方面加快建设制造业强市？\n",
                                            encoding="utf-8")
    line = command.replace(".venv/bin/qa", QA_BIN).replace("../shared/", f"{SHARED}/").replace(
        " tests/data/", f" {ROOT}/tests/data/")
    env = {**os.environ, "QA_HOME": str(home), "QA_CORPUS": str(corpus), "HOME": str(tmp_path)}  # ~ is the test's
    out = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip(), out.stderr
    assert "没有找到符合条件" not in out.stdout and "没有找到出处" not in out.stdout  # examples show what they imply

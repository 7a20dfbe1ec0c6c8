"""Every `qa` command the README shows runs on the sample corpus, exits 0 and prints something: the README cannot
rot. (`serve` and `bench` run for minutes and have tests of their own; `chat` is interactive.)"""

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
SKIP = ("qa serve", "qa bench", "qa chat")


def readme_commands() -> list[str]:
    """The commands; those of a block that first points QA_HOME at the archive are marked "archive: …"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```(?:bash)?\n(.*?)```", text, flags=re.S):
        archive = "export QA_HOME=/tmp/archive-index" in block
        for line in (x.split("  #")[0].strip() for x in block.splitlines()):
            if line.startswith(".venv/bin/qa ") and not any(s in line for s in SKIP):
                out.append(f"archive: {line}" if archive else line)
    return out


@pytest.fixture(scope="module")
def archive_like(sample_settings, tmp_path_factory):
    """The sample index plus dated reports of the archive (tests/data/archive), as the README's archive shows."""
    from ingest import ingest
    from qa import Settings

    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(sample_settings.home, root / "home")
    shutil.copytree(sample_settings.corpus, root / "corpus")
    for year in (2002, 2003, 2023):  # 2002 and the next year's report, for `qa follow`
        report = ROOT / "tests" / "data" / "archive" / f"gwr-national-{year}.txt"
        shutil.copy(report, root / "corpus" / report.name)
    settings = Settings(home=root / "home", corpus=root / "corpus")
    ingest(settings=settings, progress=False)
    return settings


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
    line = command.replace(".venv/bin/qa", QA_BIN).replace("../shared/", f"{SHARED}/")
    env = {**os.environ, "QA_HOME": str(home), "QA_CORPUS": str(corpus)}
    out = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip(), out.stderr
    assert "没有找到符合条件" not in out.stdout and "没有找到出处" not in out.stdout  # examples show what they imply

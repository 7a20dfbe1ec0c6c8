"""The suite runs on its own copy of the sample speeches and its own QA_HOME, whatever the user keeps in `corpus/`
and `.qa/` (the README tells them to put their speeches there) and whatever `QA_*` their shell sets.

A user-like checkout is built in tmp_path (this `tests/` folder, pyproject.toml, a `corpus/` holding the samples and
the user's own files, a `.qa/` with an index of theirs), and a few tests that use the session fixtures run there in
a fresh pytest process with QA_HOME/QA_CORPUS (and more) pointing at the user's folders: they pass, and not one byte
of the user's folders changes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLE_CORPUS

# Fast tests that stand on the session fixtures (sample_settings: the five samples ingested, asserting exactly five
# documents and no errors; sample_qa), on SAMPLE_CORPUS directly and on the tiny fixtures.
SELECTION = [
    "tests/qa/test_cli.py::test_ingest_json_summary",
    "tests/qa/test_cli.py::test_search_json",
    "tests/qa/test_public_api.py::test_k_out_of_range_is_an_error_not_the_default",
    "tests/ingest/test_pledges.py",
    "tests/qa/test_sentence_meaning.py::test_a_passage_read_for_an_answer_gets_its_sentence_vectors_then_and_keeps_them",
]

# Written into the copied tests folder only: what the fixtures see in that process.
PROBE = '''
import os
from pathlib import Path

from tests.conftest import SAMPLE_CORPUS


def test_the_fixtures_never_see_the_users_folders(sample_settings, tiny_settings):
    checkout = Path(os.environ["PROBE_CHECKOUT"])
    user_corpus, user_home = checkout / "corpus", checkout / ".qa"
    assert SAMPLE_CORPUS == checkout / "tests" / "data" / "sample_corpus"
    for settings in (sample_settings, tiny_settings):
        for folder in (settings.corpus.resolve(), settings.home.resolve()):
            assert not folder.is_relative_to(user_corpus) and not folder.is_relative_to(user_home), folder
    assert sorted(p.name for p in sample_settings.corpus.rglob("*") if p.is_file()) == sorted(
        p.name for p in SAMPLE_CORPUS.glob("*.txt"))
    # the user's QA_* are gone; what stands in for a forgotten QA_HOME/QA_CORPUS is the session's own tmp folder
    assert not any(v.startswith("QA_") and v not in ("QA_HOME", "QA_CORPUS") for v in os.environ)
    for var in ("QA_HOME", "QA_CORPUS"):
        assert not Path(os.environ[var]).resolve().is_relative_to(checkout), var
    Path(os.environ["PROBE_OK"]).write_text("ok", encoding="utf-8")
'''

# A speech in GBK, as old Windows editors save it.
GBK_SPEECH = """县长在全县安全生产工作会议上的讲话
同志们：
今年全县要完成重点企业隐患排查整治三百家，确保不发生较大以上安全事故。
各乡镇要压实属地责任，建立隐患清单、整改清单、责任清单。
"""
SUB_SPEECH = """副市长在全市文旅产业发展大会上的讲话
同志们：
我们要打造三条精品旅游线路，力争全年接待游客突破一千万人次。
"""


def _hashes(*folders: Path) -> dict[str, str]:
    """Every file (and folder) below these folders, by path: its SHA-256 (or "dir")."""
    out = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            out[str(p)] = "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _user_checkout(base: Path) -> Path:
    checkout = base / "checkout"
    shutil.copytree(ROOT / "tests", checkout / "tests",
                    ignore=lambda d, names: [n for n in names if n == "__pycache__"
                                             or (Path(d) == ROOT / "tests" and n == "artifacts")])
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    (checkout / "tests" / "test_zz_isolation_probe.py").write_text(PROBE, encoding="utf-8")

    corpus = checkout / "corpus"  # the samples (as a fresh checkout has them) and the user's own files
    corpus.mkdir()
    samples = sorted(SAMPLE_CORPUS.glob("*.txt"))
    for p in samples:
        shutil.copy(p, corpus / p.name)
    (corpus / "县长讲话_gbk.txt").write_bytes(GBK_SPEECH.encode("gbk"))
    (corpus / "空白.txt").write_bytes(b"")
    (corpus / "照片.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "副市长" / "2024").mkdir(parents=True)
    (corpus / "副市长" / "2024" / "文旅大会.txt").write_text(SUB_SPEECH, encoding="utf-8")
    shutil.copy(samples[0], corpus / f"副本-{samples[0].name}")

    home = checkout / ".qa"  # the user's own index (here: junk a test must neither read nor rewrite)
    (home / "index").mkdir(parents=True)
    (home / "index" / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    (home / "lexical.sqlite").write_bytes(b"\x00\x01junk")
    (home / "notes.txt").write_text("用户自己的索引\n", encoding="utf-8")
    return checkout


def test_the_suite_runs_on_its_own_copy_whatever_the_users_corpus_and_index_hold(tmp_path):
    checkout = _user_checkout(tmp_path)
    corpus, home = checkout / "corpus", checkout / ".qa"
    before = _hashes(corpus, home)
    assert len([k for k, v in before.items() if k.startswith(str(corpus)) and v != "dir"]) == 10

    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update({
        "QA_HOME": str(home), "QA_CORPUS": str(corpus),  # the user's folders, set in their shell
        # settings that would break the fixtures if they leaked: an embedder nobody serves, a tiny chunk size
        "QA_EMBEDDING": "openai:users-embedder", "QA_EMBEDDING_BASE_URL": "http://127.0.0.1:9/v1",
        "QA_LLM": "openai:users-model", "QA_CHUNK_TARGET": "20", "QA_CHUNK_MAX": "40",
        "PROBE_CHECKOUT": str(checkout), "PROBE_OK": str(tmp_path / "probe-ok"),
    })
    env.pop("PYTHONPATH", None)
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "inner"),
         *SELECTION, "tests/test_zz_isolation_probe.py"],
        cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
    report = out.stdout[-4000:] + out.stderr[-2000:]
    assert out.returncode == 0, report
    assert " passed" in out.stdout, report
    assert (tmp_path / "probe-ok").read_text(encoding="utf-8") == "ok"  # the probe ran to its end
    assert _hashes(corpus, home) == before  # not one byte of the user's corpus or index changed
    beside = set(os.listdir(checkout)) - {".benchmarks"}  # pytest-benchmark's (empty) folder
    assert beside == {".qa", "corpus", "pyproject.toml", "tests"}  # no index of the suite's beside the user's


def test_the_sample_copy_is_the_five_sample_speeches():
    """tests/data/sample_corpus holds byte-identical copies of the speeches a fresh checkout has in corpus/."""
    names = sorted(p.name for p in SAMPLE_CORPUS.iterdir())
    assert len(names) == 5 and all(n.endswith(".txt") for n in names)
    shipped = ROOT / "corpus"
    for name in names:
        if (shipped / name).exists():  # a user may have moved or deleted them: the copy is what counts
            assert (shipped / name).read_bytes() == (SAMPLE_CORPUS / name).read_bytes(), name

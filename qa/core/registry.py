"""A name → factory registry, shared by the embedders and the answer backends.

A backend spec is `name` or `name:argument` (`e5-small`, `st:/models/bge`, `openai:gpt-4o-mini`). Built-in backends
register through the same `register(...)` door a third-party one would use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from qa.core.errors import ConfigError
from qa.core.settings import Settings

__all__ = ["Backend", "Registry"]

T = TypeVar("T")


@dataclass(frozen=True)
class Backend(Generic[T]):
    name: str
    help: str
    takes_arg: bool  # True: the spec must be `name:argument`; False: the bare name
    factory: Callable[[str | None, Settings], T] | None  # (argument, settings) → the object; None: needs no object
    aliases: tuple[str, ...] = ()

    def usage(self) -> str:
        return f"{self.name}:<{self.help}>" if self.takes_arg else self.name


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind  # how the error names it: "向量模型", "回答后端"
        self._backends: dict[str, Backend[T]] = {}

    def register(self, name: str, factory: Callable[[str | None, Settings], T] | None, *, help: str,
                 takes_arg: bool = False, aliases: tuple[str, ...] = ()) -> None:
        backend = Backend(name, help, takes_arg, factory, aliases)
        for key in (name, *aliases):
            self._backends[key] = backend

    def known(self) -> list[str]:
        return [b.usage() for b in dict.fromkeys(self._backends.values())]

    def parse(self, spec: str) -> tuple[Backend[T], str | None]:
        """The backend a spec names and its argument; ConfigError listing the known names otherwise."""
        name, _, arg = (spec or "").strip().partition(":")
        backend = self._backends.get(name)
        if backend is None or backend.takes_arg != bool(arg):
            raise ConfigError(f"未知的{self.kind} '{spec}'。可选：{', '.join(self.known())}")
        return backend, arg or None

    def create(self, spec: str, settings: Settings) -> T | None:
        backend, arg = self.parse(spec)
        return None if backend.factory is None else backend.factory(arg, settings)

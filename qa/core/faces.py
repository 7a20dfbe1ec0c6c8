"""A package's face whose public names are loaded from their modules on first use (PEP 562): importing the package
costs nothing until a name is used, so `qa --help` loads no LangChain, Chroma or Gradio."""

from __future__ import annotations

import importlib
from collections.abc import Callable

__all__ = ["lazy_face"]


def lazy_face(namespace: dict, names: dict[str, tuple[str, ...]]) -> tuple[list[str], Callable, Callable]:
    """(`__all__`, `__getattr__`, `__dir__`) for a package whose `namespace` (its `globals()`) shows `names`: module →
    the public names it gives the package."""
    home = {name: module for module, given in names.items() for name in given}

    def __getattr__(name: str):
        if name not in home:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home[name]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(home))

    return list(home), __getattr__, __dir__

"""The Gradio web app. It stands on the public `qa` and `ingest` packages; `qa serve` (qa/app/serve.py) launches it.

Each public name is loaded from its module on first use (PEP 562): Gradio only with the app."""

import importlib

_NAMES = {  # module → the public names it gives the package
    "ui._app": ("build_app", "launch"),
    "ui._choices": ("Choices",),
    "ui._render": ("pledges_html",),
}
_HOME = {name: module for module, names in _NAMES.items() for name in names}

__all__ = list(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

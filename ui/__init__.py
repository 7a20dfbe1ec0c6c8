"""The Gradio web app. It stands on the public `qa` and `ingest` packages; `qa serve` (qa/app/serve.py) launches it.

Each public name is loaded from its module on first use (PEP 562): Gradio only with the app."""

from qa import lazy_face as _lazy_face

_NAMES = {  # module → the public names it gives the package
    "ui._app": ("build_app", "launch"),
    "ui._choices": ("Choices",),
    "ui._render": ("pledges_html",),
}
__all__, __getattr__, __dir__ = _lazy_face(globals(), _NAMES)

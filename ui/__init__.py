"""The Gradio web app. It stands on the public `qa` and `ingest` packages; `qa serve` (qa/app/serve.py) launches it."""

from ._app import build_app, launch
from ._choices import Choices
from ._render import pledges_html

__all__ = ["build_app", "launch", "Choices", "pledges_html"]

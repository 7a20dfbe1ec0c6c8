"""The answer pipeline of typed stages (see `stages.py`), run in the order of `Answerer.STAGES`: understand → scope →
judge → tell a named document's giver → read → judge → select → judge → compose → write (a chat model)."""

from qa.answer.pipeline.judge import CHECKS, Judge
from qa.answer.pipeline.run import Answerer, history_turns
from qa.answer.pipeline.select import prepare
from qa.answer.pipeline.stages import Ask

__all__ = ["Answerer", "Ask", "history_turns", "prepare", "Judge", "CHECKS"]

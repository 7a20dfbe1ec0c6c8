"""The answer pipeline of typed stages (see `stages.py`): analyse → scope → retrieve → select → judge → compose."""

from qa.answer.pipeline.judge import CHECKS, Judge
from qa.answer.pipeline.run import Answerer, history_turns
from qa.answer.pipeline.select import prepare

__all__ = ["Answerer", "history_turns", "prepare", "Judge", "CHECKS"]

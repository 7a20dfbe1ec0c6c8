"""`qa serve`: index what the corpus holds that the index lacks, warm the answerer and the quote check, and
launch the web app."""

from __future__ import annotations

import logging

from ingest import ingest
from qa.answer.pipeline import prepare as prepare_answers
from qa.api import QA, get_qa
from qa.core.errors import QAError
from qa.core.settings import Settings, load_settings
from qa.quotes import prepare as prepare_quotes
from ui import launch

__all__ = ["serve", "catch_up"]

log = logging.getLogger("qa.ui")


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None) -> None:
    settings = settings or load_settings()
    qa = get_qa(settings)
    launch(qa, host, port, start_up=lambda: _start_up(qa))


def _start_up(qa: QA) -> None:
    catch_up(qa.settings)
    prepare_answers()  # read before the first question needs it
    try:
        qa.search("工作", k=1)  # the embedder, the store and the word index loaded before the first question
    except QAError as e:
        log.warning("启动时未能预先载入检索：%s", e)
    try:
        prepare_quotes(qa)  # the quote check's copy of the corpus, built before anyone waits for it
    except QAError as e:
        log.warning("原话核对的索引未能预先建立：%s", e)


def catch_up(settings: Settings) -> None:
    """At start-up: index whatever the corpus holds that the index lacks (an import interrupted by a crash or a
    `kill`, files copied in while the server was down), after any import already running."""
    try:
        report = ingest([settings.corpus], settings, progress=False, on_wait=lambda who: None)
    except QAError as e:
        log.warning("启动时补做导入失败：%s", e)
        return
    done = report.added + report.removed
    if done or report.warnings:
        log.info("启动时补做导入：新增或更新 %d 篇，移除 %d 篇。%s", report.added, report.removed,
                 " ".join(report.warnings))
    for e in report.errors:
        log.warning("无法导入 %s：%s", e["path"], e["error"])

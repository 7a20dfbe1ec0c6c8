"""Answering with a chat model: stream with a deadline, check citations, fall back to the extractive answer."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterator
from dataclasses import replace

from qa.answer.citations import is_refusal, parse_answer
from qa.answer.llms import api_key
from qa.answer.prompt import REWRITE, build_messages
from qa.core.errors import BackendError
from qa.core.records import Answer, AnswerDelta, AnswerDone, AnswerEvent, AnswerReset, Chunk
from qa.core.settings import Settings

__all__ = ["stream_with_deadline", "llm_answer_stream", "rewrite_question", "scrub"]

_DONE = object()


def scrub(text: str, settings: Settings) -> str:
    """Remove any API key from a message before it reaches a user, a log or a warning."""
    for secret in {api_key(settings), settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None,
                   settings.chroma_token.get_secret_value() if settings.chroma_token else None}:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def _describe(e: BaseException, settings: Settings) -> str:
    name = type(e).__name__
    if "Timeout" in name:
        return f"超过 {settings.llm_timeout:g} 秒没有响应"
    if "Connection" in name or "ConnectError" in name:
        return "无法连接"
    status = getattr(e, "status_code", None)
    detail = scrub(str(e), settings).splitlines()[0][:160] if str(e) else ""
    return f"出错（{name}{f' {status}' if status else ''}）{('：' + detail) if detail else ''}"


def _text(message) -> str:
    content = message.content
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content if isinstance(p, dict))


def stream_with_deadline(model, messages, settings: Settings, label: str, stream: bool = True) -> Iterator[str]:
    """Text pieces from the model (`stream` or one `invoke`); BackendError when it fails or falls silent for
    `llm_timeout` seconds. The call runs in a worker thread so a hung server cannot hold the caller."""
    q: queue.Queue = queue.Queue()

    def run() -> None:
        try:
            if stream:
                for chunk in model.stream(messages):
                    if text := _text(chunk):
                        q.put(text)
            elif text := _text(model.invoke(messages)):
                q.put(text)
        except BaseException as e:  # noqa: BLE001 - handed over to the caller's thread
            q.put(e)
        q.put(_DONE)

    threading.Thread(target=run, daemon=True, name=f"llm-{label}").start()
    while True:
        try:
            item = q.get(timeout=settings.llm_timeout)
        except queue.Empty:
            raise BackendError(f"回答模型 {label} 超过 {settings.llm_timeout:g} 秒没有响应") from None
        if item is _DONE:
            return
        if isinstance(item, BaseException):
            raise BackendError(f"回答模型 {label} {_describe(item, settings)}") from None
        yield item


def llm_answer_stream(model, label: str, question: str, chunks: list[Chunk], fallback: Answer,
                      settings: Settings, stream: bool = True) -> Iterator[AnswerEvent]:
    """Deltas as the model writes, then the checked answer. Any failure gives `fallback`."""
    pieces: list[str] = []
    try:
        for piece in stream_with_deadline(model, build_messages(question, chunks), settings, label, stream):
            pieces.append(piece)
            yield AnswerDelta(piece)
    except BackendError as e:
        yield from _fallback(fallback, f"{e}，以下是摘录式回答。")
        return
    text = "".join(pieces).strip()
    parsed = parse_answer(text, chunks, settings.support_threshold)
    if is_refusal(text):  # a refusal cites nothing, whatever markers the model added
        yield AnswerDone(Answer(question, re.sub(r"\[\d+\]", "", parsed.text).strip(), False, (), label))
        return
    if not parsed.citations:
        yield from _fallback(fallback, f"回答模型 {label} 的回答没有标注任何有效出处，已改用摘录式回答。")
        return
    yield AnswerDone(Answer(question, parsed.text, True, parsed.citations, label, parsed.warnings))


def _fallback(fallback: Answer, warning: str) -> Iterator[AnswerEvent]:
    fallback = replace(fallback, warnings=(warning, *fallback.warnings))  # a new answer: the extractive one stands
    yield AnswerReset(warning)
    yield AnswerDelta(fallback.answer)
    yield AnswerDone(fallback)


def rewrite_question(model, label: str, question: str, history: list[tuple[str, str]], settings: Settings) -> str:
    """A follow-up made standalone by the model; on any failure the question is returned unchanged."""
    convo = "\n".join(f"问：{q}\n答：{a[:200]}" for q, a in history[-3:])
    try:
        text = "".join(stream_with_deadline(model, [("human", REWRITE.format(history=convo, question=question))],
                                            settings, label)).strip()
    except BackendError:
        return question
    text = text.splitlines()[0].strip() if text else ""
    return text if 2 <= len(text) <= 200 else question

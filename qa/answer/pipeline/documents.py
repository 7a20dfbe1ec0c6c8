"""Questions about documents, as an archive of yearly reports raises them: a document named by its year and kind
("2019年政府工作报告") constrains the answer to it; a kind the archive holds but not for that year is said so, with the
years it holds; who gave a named document, or where, is answered from what the index knows of it (speaker, date,
occasion), cited to the header line that says it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from qa.answer.named import HEADER_CHARS as _HEADER_CHARS
from qa.answer.named import documents_named
from qa.answer.named import of_kind as _of_kind
from qa.answer.named import of_year as _of_year
from qa.answer.pipeline.stages import Scope
from qa.answer.question import Question
from qa.core.dates import display_date
from qa.core.records import Answer, Chunk, Citation, Document

if TYPE_CHECKING:
    from qa.answer.pipeline.judge import Judge  # the judge imports this module

__all__ = ["named_documents", "missing_document", "document_answer"]


def named_documents(q: Question, docs: Mapping[str, Document], head: Callable[[str], str] | None = None,
                    rules: Judge | None = None) -> frozenset[str] | None:
    """The documents the question names by year and kind, or by the numbered congress they were given at ("党的十八大
    报告", `Constraints.congress`; `head(doc)`: its opening text, read when its title and occasion do not say the congress);
    None when it names none, or none of them is held (see `qa.answer.named`)."""
    return documents_named(q.documents, q.constraints.congress, docs, head, rules)


def missing_document(q: Question, docs: Mapping[str, Document]) -> str | None:
    """A refusal when the question names a year's document of a kind the index holds, but not for that year."""
    for year, kind in q.documents:
        held = [d for d in docs.values() if _of_kind(d, kind)]
        if held and not any(_of_year(d, year) for d in held):
            years = sorted({(d.date or "")[:4] for d in held if d.date})
            listed = "、".join(years) if years else "（均无日期）"
            return f"资料中没有{year}年的{kind}。已收录的{kind}年份：{listed}。"
    return None


def document_answer(question: str, scope: Scope, docs: Mapping[str, Document],
                    speech: Callable[[str], list[Chunk]], rules: Judge | None = None) -> Answer | None:
    """For "who gave it", "at which meeting" or "on which day" about one named document: what the index knows of it
    (speaker, occasion, and its day when asked), cited to the passage of its header that says it (None when the header does not say it: nothing is asserted without a
    passage to cite)."""
    q, named = scope.question, scope.documents
    if "giver" not in q.kinds or not named or len(named) != 1:
        return None
    d = docs[next(iter(named))]
    head = sorted((c for c in speech(d.doc) if c.start < _HEADER_CHARS), key=lambda c: c.start)
    marked: dict[str, tuple[int, Chunk, list[tuple[int, int]]]] = {}  # chunk id → its number, it, the lines cited
    said = []
    day = "year" in q.kinds and len(d.date or "") == 10 and (rules is None or rules.allows("document_day"))
    when = display_date(d.date) if day else None  # the day, when asked
    for label, value in (("作报告的是", d.speaker), ("会议是", d.occasion), ("日期是", when)):
        chunk = next((c for c in head if value and value in c.text), None)
        if chunk is None:
            continue
        n, _, spans = marked.setdefault(chunk.id, (len(marked) + 1, chunk, []))
        m = re.search(re.escape(value), chunk.text)
        start = chunk.text.rfind("\n", 0, m.start()) + 1
        end = chunk.text.find("\n", m.end())
        span = (chunk.start + start, chunk.start + (len(chunk.text) if end < 0 else end))
        if span not in spans:
            spans.append(span)
        line = chunk.text[span[0] - chunk.start : span[1] - chunk.start].strip()
        said.append(f"{label}{value}（原文：“{line}”[{n}]）")
    asked = {"作报告的是": "who" in q.kinds or "谁" in q.text, "会议是": "会议" in q.text, "日期是": "year" in q.kinds}
    if not said or any(wanted and not any(x.startswith(label) for x in said) for label, wanted in asked.items()):
        return None  # the header does not say what was asked: the passages answer, or the judge says why not
    if when and rules is not None:
        rules.count("document_day")
    cites = tuple(Citation.of(n, chunk, spans) for n, chunk, spans in marked.values())
    return Answer(question, f"《{d.title or d.doc}》：" + "；".join(said) + "。", True, cites, "extractive")

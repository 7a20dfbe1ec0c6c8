"""`qa eval`: retrieval and answer quality on a gold set (JSON Lines with `question`, `type`, `doc`, `evidence`,
`answer_keywords`). Evidence counts as retrieved only when a returned span of the gold speech contains it."""

from __future__ import annotations

import hashlib
import json
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa.api import QA
from qa.core.errors import InputError
from qa.core.records import Hit

__all__ = ["load_set", "evaluate", "format_report", "covers", "gold_docs"]


HALVES = ("fit", "check")


def half(item_id: str) -> str:
    """The half of a gold set an item belongs to, fixed by a hash of its id: rules and thresholds are fitted on
    "fit" items, read one by one, and shown on "check" items, read only as totals."""
    return HALVES[int(hashlib.sha256(str(item_id).encode("utf-8")).hexdigest(), 16) % 2]


def load_set(path: Path, only: str | None = None) -> list[dict]:
    """The items of a JSON Lines gold set; `only`: one half of it ("fit" or "check", see `half`)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InputError(f"无法读取评测集 {path}：{e.strerror}") from None
    items = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise InputError(f"评测集 {path} 第 {n} 行不是合法 JSON：{e.msg}") from None
    return [i for i in items if half(i.get("id", "")) == only] if only else items


def gold_docs(item: dict) -> set[str]:
    doc = item.get("doc")
    return set(doc) if isinstance(doc, list) else ({doc} if doc else set())


def covers(span_doc: str, span_text: str, title: str | None, evidence: str, docs: set[str]) -> bool:
    return span_doc in docs and (evidence in span_text or evidence == title)


def _share_covered(hits: list[Hit], item: dict) -> float:
    ev, docs = item.get("evidence") or [], gold_docs(item)
    if not ev:
        return 0.0
    return sum(any(covers(h.doc, h.text, h.title, e, docs) for h in hits) for e in ev) / len(ev)


def evaluate(qa: QA, items: list[dict], read_doc: Callable[[str], str] | None = None, mode: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict:
    rows = []
    exact_total = exact_ok = 0
    for i, item in enumerate(items, 1):
        q = item["question"]
        hits = qa.search(q, k=10, mode=mode).results
        t0 = time.perf_counter()
        ans = qa.ask(q, mode=mode)
        seconds = time.perf_counter() - t0
        answerable = item.get("type") != "negative"
        first = next((h.rank for h in hits if _share_covered([h], item) > 0), None)
        keywords = item.get("answer_keywords") or []
        for c in ans.citations:
            if read_doc is not None:
                exact_total += 1
                exact_ok += read_doc(c.doc)[c.start : c.end] == c.text
        rows.append({
            "id": item.get("id"), "type": item.get("type"), "question": q, "answerable": answerable,
            "recall@5": _share_covered(hits[:5], item) if answerable else None,
            "rr@10": (1.0 / first if first else 0.0) if answerable else None,
            "chars@5": sum(len(h.text) for h in hits[:5]),
            "found": ans.found,
            "keyword_hit": (sum(k in ans.answer for k in keywords) / len(keywords)) if answerable and keywords else None,
            "cites_evidence": any(
                covers(c.doc, c.text, c.title, e, gold_docs(item)) for c in ans.citations for e in item.get("evidence") or []
            ) if answerable else None,
            "seconds": seconds,
            "answer": ans.answer,
        })
        if progress:
            progress(i, len(items))

    def mean(key: str, where=lambda r: r["answerable"]) -> float | None:
        vals = [r[key] for r in rows if where(r) and r[key] is not None]
        return round(sum(vals) / len(vals), 4) if vals else None

    negatives = [r for r in rows if not r["answerable"]]
    answerable = [r for r in rows if r["answerable"]]
    return {
        "questions": len(rows),
        "mode": mode or qa.settings.retrieval,
        "recall@5": mean("recall@5"),
        "mrr@10": mean("rr@10"),
        "chars@5": mean("chars@5", lambda r: True),
        "keyword_hit": mean("keyword_hit"),
        "cites_evidence": mean("cites_evidence"),
        "citation_exact": round(exact_ok / exact_total, 4) if exact_total else None,
        "citations_checked": exact_total,
        "negative_rejection": round(sum(not r["found"] for r in negatives) / len(negatives), 4) if negatives else None,
        "false_rejection": round(sum(not r["found"] for r in answerable) / len(answerable), 4) if answerable else None,
        "seconds_per_question": mean("seconds", lambda r: True),
        "rows": rows,
    }


def _cells(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_report(report: dict) -> str:
    names = [
        ("recall@5", "召回率@5（证据被前5段覆盖的比例）"), ("mrr@10", "MRR@10"), ("chars@5", "前5段平均字数"),
        ("keyword_hit", "答案关键词命中率"), ("cites_evidence", "引用了证据的答案比例"),
        ("citation_exact", "引用与原文逐字一致的比例"), ("negative_rejection", "无答案问题的拒答率"),
        ("false_rejection", "有答案问题的误拒率"), ("seconds_per_question", "每题耗时（秒）"),
    ]
    lines = [f"评测 {report['questions']} 题，检索方式 {report['mode']}"]
    width = max(_cells(label) for _, label in names)
    lines += [f"  {label}{' ' * (width - _cells(label))}  {report[key] if report[key] is not None else '—'}"
              for key, label in names]
    misses = [r for r in report["rows"] if r["answerable"] and (r["recall@5"] or 0) < 1]
    if misses:
        lines.append("证据未全部召回的问题：" + "、".join(str(r["id"]) for r in misses))
    return "\n".join(lines)

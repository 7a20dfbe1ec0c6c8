"""`qa eval`: retrieval and answer quality on a gold set (JSON Lines with `question`, `type`, `doc`, `evidence`,
`answer_keywords`). Evidence counts as retrieved only when a returned span of the gold speech contains it."""

from __future__ import annotations

import hashlib
import json
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa.answer.pipeline import CHECKS
from qa.answer.pipeline.judge import RULES
from qa.answer.question import analyse
from qa.api import QA
from qa.core.errors import InputError
from qa.core.records import Hit

__all__ = ["load_set", "evaluate", "summarize", "check_effects", "format_report", "covers", "gold_docs", "half"]


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


def _row(qa: QA, item: dict, read_doc: Callable[[str], str] | None, mode: str | None) -> dict:
    """One item's figures (`exact`: how many of its citations were checked against the file, how many matched;
    `slot`: what the question asks, `Question.slot`; `rules`: the judge's `RULES` that shaped its answer)."""
    q = item["question"]
    hits = qa.search(q, k=10, mode=mode).results
    before = dict(qa.answerer.judge.fired)
    t0 = time.perf_counter()
    ans = qa.ask(q, mode=mode)
    seconds = time.perf_counter() - t0
    fired = qa.answerer.judge.fired
    answerable = item.get("type") != "negative"
    first = next((h.rank for h in hits if _share_covered([h], item) > 0), None)
    keywords = item.get("answer_keywords") or []
    exact = [read_doc(c.doc)[c.start : c.end] == c.text for c in ans.citations] if read_doc is not None else []
    return {
        "id": item.get("id"), "type": item.get("type"), "question": q, "slot": analyse(q).slot,
        "answerable": answerable,
        "recall@5": _share_covered(hits[:5], item) if answerable else None,
        "rr@10": (1.0 / first if first else 0.0) if answerable else None,
        "chars@5": sum(len(h.text) for h in hits[:5]),
        "found": ans.found, "outcome": ans.outcome, "check": ans.check,
        "rules": [r for r in RULES if fired[r] > before.get(r, 0)],
        "keyword_hit": (sum(k in ans.answer for k in keywords) / len(keywords)) if answerable and keywords else None,
        "cites_evidence": any(
            covers(c.doc, c.text, c.title, e, gold_docs(item)) for c in ans.citations for e in item.get("evidence") or []
        ) if answerable else None,
        "exact": [len(exact), sum(exact)],
        "seconds": seconds,
        "answer": ans.answer,
        "signals": ans.signals,
    }


def evaluate(qa: QA, items: list[dict], read_doc: Callable[[str], str] | None = None, mode: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict:
    rows = []
    for i, item in enumerate(items, 1):
        rows.append(_row(qa, item, read_doc, mode))
        if progress:
            progress(i, len(items))
    return summarize(rows, mode or qa.settings.retrieval)


def summarize(rows: list[dict], mode: str) -> dict:
    """The set's figures from its rows. Outcomes: an answerable question is best given an `answer` that cites its
    evidence; `related` quotes the closest sentences without vouching; `none` says the speeches do not hold it."""

    def mean(key: str, where=lambda r: r["answerable"]) -> float | None:
        vals = [r[key] for r in rows if where(r) and r[key] is not None]
        return round(sum(vals) / len(vals), 4) if vals else None

    def share(of: list[dict], test) -> float | None:
        return round(sum(map(test, of)) / len(of), 4) if of else None

    negatives = [r for r in rows if not r["answerable"]]
    answerable = [r for r in rows if r["answerable"]]
    checked, exact = sum(r["exact"][0] for r in rows), sum(r["exact"][1] for r in rows)
    return {
        "questions": len(rows),
        "mode": mode,
        "recall@5": mean("recall@5"),
        "mrr@10": mean("rr@10"),
        "chars@5": mean("chars@5", lambda r: True),
        "keyword_hit": mean("keyword_hit"),
        "cites_evidence": mean("cites_evidence"),
        "citation_exact": round(exact / checked, 4) if checked else None,
        "citations_checked": checked,
        "negative_rejection": share(negatives, lambda r: not r["found"]),
        "false_rejection": share(answerable, lambda r: not r["found"]),
        "answered": share(answerable, lambda r: r["outcome"] == "answer"),
        "answered_right": share(answerable, lambda r: r["outcome"] == "answer" and bool(r["cites_evidence"])),
        "related": share(answerable, lambda r: r["outcome"] == "related"),
        "answerable_none": share(answerable, lambda r: r["outcome"] == "none"),
        "seconds_per_question": mean("seconds", lambda r: True),
        "slots": _slots(rows),
        "rows": rows,
    }


def _slots(rows: list[dict]) -> dict[str, dict[str, int]]:
    """Per slot (what the questions ask, `Question.slot`), most asked first: how many questions, how many of them
    answerable, answered (`answer`), and answered citing their evidence."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        if "slot" not in r:
            continue  # a row recorded before slots were
        n = out.setdefault(r["slot"], {"questions": 0, "answerable": 0, "answered": 0, "answered_right": 0})
        n["questions"] += 1
        n["answerable"] += r["answerable"]
        n["answered"] += r["answerable"] and r["outcome"] == "answer"
        n["answered_right"] += r["answerable"] and r["outcome"] == "answer" and bool(r["cites_evidence"])
    return dict(sorted(out.items(), key=lambda kv: -kv[1]["questions"]))


def check_effects(qa: QA, report: dict, items: list[dict], read_doc: Callable[[str], str] | None = None,
                  mode: str | None = None) -> list[dict]:
    """For each check of the judge, and each rule of `RULES` (stage "rule", outcome "shapes": it shapes what is read
    or quoted), how many of the set's questions it decided or shaped, and the set's figures with it off (only those
    questions are asked again: switching a check or rule off changes no other answer)."""
    out = []
    named = [(c.name, c.stage, c.outcome, c.phenomenon, lambda r, name=c.name: r["check"] == name) for c in CHECKS]
    named += [(name, "rule", "shapes", " ".join(doc.split()), lambda r, name=name: name in r.get("rules", ()))
              for name, doc in RULES.items()]
    for name, stage, outcome, phenomenon, decides in named:
        decided = [n for n, r in enumerate(report["rows"]) if decides(r)]  # rows follow `items`
        entry = {"check": name, "stage": stage, "outcome": outcome, "phenomenon": phenomenon,
                 "fired": len(decided), "answerable": sum(report["rows"][n]["answerable"] for n in decided)}
        if decided:
            with qa.answerer.checks_off(name):
                again = {n: _row(qa, items[n], read_doc, mode) for n in decided}
            off = summarize([again.get(n, r) for n, r in enumerate(report["rows"])], report["mode"])
            entry["off"] = {k: off[k] for k in _FIGURES}
        out.append(entry)
    return out


_FIGURES = ("keyword_hit", "cites_evidence", "answered", "answered_right", "related", "answerable_none",
            "negative_rejection")


def _cells(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_report(report: dict) -> str:
    names = [
        ("recall@5", "召回率@5（证据被前5段覆盖的比例）"), ("mrr@10", "MRR@10"), ("chars@5", "前5段平均字数"),
        ("keyword_hit", "答案关键词命中率"), ("cites_evidence", "引用了证据的答案比例"),
        ("citation_exact", "引用与原文逐字一致的比例"), ("negative_rejection", "无答案问题未给出回答的比例"),
        ("false_rejection", "有答案问题未给出回答的比例"), ("answered", "有答案问题给出回答（answer）的比例"),
        ("answered_right", "其中回答引用了证据的比例"), ("related", "有答案问题给出相关原文（related）的比例"),
        ("answerable_none", "有答案问题判为没有（none）的比例"), ("seconds_per_question", "每题耗时（秒）"),
    ]
    lines = [f"评测 {report['questions']} 题，检索方式 {report['mode']}"]
    width = max(_cells(label) for _, label in names)
    lines += [f"  {label}{' ' * (width - _cells(label))}  {report[key] if report[key] is not None else '—'}"
              for key, label in names]
    misses = [r for r in report["rows"] if r["answerable"] and (r["recall@5"] or 0) < 1]
    if misses:
        lines.append("证据未全部召回的问题：" + "、".join(str(r["id"]) for r in misses))
    if report.get("slots"):
        lines.append("按所问：" + "；".join(f"{slot} {n['questions']} 题（有答案 {n['answerable']}，回答 {n['answered']}，"
                                         f"引用证据 {n['answered_right']}）" for slot, n in report["slots"].items()))
    for c in report.get("checks", []):
        if c["stage"] == "rule":
            line = f"规则 {c['check']}：作用于 {c['fired']} 题（其中有答案 {c['answerable']} 题）"
        else:
            line = f"检查 {c['check']}（{c['outcome']}）：判定 {c['fired']} 题（其中有答案 {c['answerable']} 题）"
        if "off" in c:
            line += "；关闭后 " + "，".join(f"{k} {v}" for k, v in c["off"].items())
        lines.append(line)
    return "\n".join(lines)

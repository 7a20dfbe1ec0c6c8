"""`qa fit`: the judge's thresholds fitted on the fit halves of gold sets and shown on their check halves.

Each set is asked once with the two thresholded checks (`support`, `unrelated`) off, and each answer keeps what the
judge measured (`Answer.signals`). With those, the outcome under any thresholds follows without asking again:

    none     when the closest sentence is below `unrelated_similarity` (or another check already said none)
    related  when the key terms' coverage is below the support threshold (or another check already said related)
    answer   otherwise

The thresholds are chosen by coordinate search to maximise, on the fit halves (each set weighing the same), the
share of answerable questions answered with their evidence, minus `wrong_cost` × the share answered without it,
plus the share of unanswerable questions not answered. Check halves are reported as totals only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qa.api import QA
from qa.evaluate import _row, half

__all__ = ["FIT_PARAMS", "record", "outcome", "figures", "fit", "format_fit"]

# Each fitted setting with the values it may take.
FIT_PARAMS: dict[str, list[float]] = {
    "found_threshold": [round(0.1 + 0.025 * i, 3) for i in range(21)],
    "found_threshold_agreeing": [round(0.05 + 0.025 * i, 3) for i in range(17)],
    "found_threshold_similar": [round(0.025 * i, 3) for i in range(15)],
    "found_similarity": [round(0.8 + 0.005 * i, 3) for i in range(31)],
    "found_sentence_similarity": [round(0.85 + 0.005 * i, 3) for i in range(21)] + [1.0],
    "agree_rank": [1, 2, 3, 5],
    "unrelated_similarity": [round(0.8 + 0.005 * i, 3) for i in range(25)],
}


@dataclass(frozen=True)
class Item:
    half: str
    answerable: bool
    cites: bool  # the answer the set would give (when answered) cites the evidence
    decided: str | None  # the outcome another check gave regardless of the thresholds ("none", "related")
    check: str | None
    signals: dict


def record(qa: QA, items: list[dict], progress: Callable[[int, int], None] | None = None) -> list[Item]:
    """Every item asked once with `support` and `unrelated` off, with the half it belongs to."""
    out = []
    with qa.answerer.checks_off("support", "unrelated"):
        for i, item in enumerate(items, 1):
            row = _row(qa, item, None, None)
            decided = None if row["outcome"] == "answer" else row["outcome"]
            out.append(Item(half(item.get("id", "")), row["answerable"], bool(row["cites_evidence"]), decided,
                            row["check"], row["signals"]))
            if progress:
                progress(i, len(items))
    return out


def outcome(item: Item, p: dict) -> str:
    """The outcome of `item` under the thresholds `p` (see the module docstring)."""
    s = item.signals
    if item.decided == "none":  # decided before the thresholds are read
        return "none"
    if not s:  # answered from what the index knows of a document, before any search
        return item.decided or "answer"
    if s.get("closest") is not None and s["closest"] < p["unrelated_similarity"]:
        return "none"
    agree = s.get("agree")
    need = p["found_threshold_agreeing"] if agree is not None and agree <= p["agree_rank"] else p["found_threshold"]
    if s.get("dense", 0.0) >= p["found_similarity"] or (s.get("sentence") or 0.0) >= p["found_sentence_similarity"]:
        need = min(need, p["found_threshold_similar"])
    if s.get("pledge"):
        need = min(need, p["found_threshold_agreeing"])
    if s.get("coverage", 0.0) < need:
        return "related"
    return item.decided or "answer"


def figures(items: list[Item], p: dict) -> dict:
    """Outcome figures of `items` under `p`."""
    ans = [i for i in items if i.answerable]
    neg = [i for i in items if not i.answerable]
    outs = {id(i): outcome(i, p) for i in items}

    def share(of, test) -> float | None:
        return round(sum(map(test, of)) / len(of), 4) if of else None

    return {
        "items": len(items),
        "answered": share(ans, lambda i: outs[id(i)] == "answer"),
        "answered_right": share(ans, lambda i: outs[id(i)] == "answer" and i.cites),
        "answered_wrong": share(ans, lambda i: outs[id(i)] == "answer" and not i.cites),
        "answerable_none": share(ans, lambda i: outs[id(i)] == "none"),
        "unanswerable_not_answered": share(neg, lambda i: outs[id(i)] != "answer"),
    }


def _good(items: list[Item], p: dict, wrong_cost: float) -> float:
    """Answerable questions answered with their evidence, less `wrong_cost` × those answered without it, plus
    unanswerable ones not answered: a count of items."""
    total = 0.0
    for i in items:
        out = outcome(i, p)
        if i.answerable:
            total += (1.0 if i.cites else -wrong_cost) if out == "answer" else 0.0
        else:
            total += out != "answer"
    return total


def _objective(sets: list[list[Item]], p: dict, wrong_cost: float) -> float:
    """The mean over sets of `_good` per item: each set weighs the same, whatever its size."""
    return sum(_good(items, p, wrong_cost) / max(len(items), 1) for items in sets) / len(sets)


def fit(sets: dict[str, list[Item]], start: dict, wrong_cost: float = 1.0, rounds: int = 3,
        min_items: int = 3) -> dict:
    """Thresholds from `start` improved one at a time over `FIT_PARAMS` on the fit halves. A value moves only when
    the objective rises and at least `min_items` more items of the fit halves come out right: a move that one or
    two items decide is noise, and showed as a loss on the check halves."""
    fit_halves = [[i for i in items if i.half == "fit"] for items in sets.values()]
    pooled = [i for items in fit_halves for i in items]
    p = dict(start)
    best, count = _objective(fit_halves, p, wrong_cost), _good(pooled, p, wrong_cost)
    for _ in range(rounds):
        moved = False
        for name, values in FIT_PARAMS.items():
            for v in sorted(values, key=lambda x: abs(x - p[name])):
                trial = {**p, name: v}
                score, n = _objective(fit_halves, trial, wrong_cost), _good(pooled, trial, wrong_cost)
                if score > best + 1e-9 and n >= count + min_items:
                    p, best, count, moved = trial, score, n, True
        if not moved:
            break
    return p


def format_fit(sets: dict[str, list[Item]], start: dict, fitted: dict) -> str:
    lines = ["阈值（当前 → 拟合）："]
    lines += [f"  QA_{k.upper()}={fitted[k]}    （当前 {start[k]}）" for k in FIT_PARAMS]
    for name, items in sets.items():
        for h in ("fit", "check"):
            part = [i for i in items if i.half == h]
            a, b = figures(part, start), figures(part, fitted)
            lines.append(f"{name} {h}（{len(part)} 题）：" + "，".join(
                f"{k} {a[k]}→{b[k]}" for k in a if k != "items"))
    return "\n".join(lines)

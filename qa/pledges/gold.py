"""The follow-through gold set scored: targets labelled by reading a plan and the next year's report
(`tests/data/follow_gold.jsonl`), against what `Follower` says of the same targets.

A gold target is found when a followed target's clause overlaps its span. A link (a followed target's first account)
is right when it overlaps one of the gold account spans of that target; precision is over the links given, recall
over the gold targets that have an account. Status accuracy is over the gold targets found; verdict precision over
the met / not_met given (a wrong verdict costs a reader most); `confusion` counts gold → given over the targets found. `half` splits by a hash
of the item id (fit / check); a pair of documents can be held out whole (`pairs`).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qa.pledges.follow import FollowUp

VERDICTS = ("met", "not_met")

__all__ = ["GoldTarget", "load_gold", "score_gold", "half_of"]


@dataclass(slots=True)
class GoldTarget:
    id: str
    plan_doc: str
    start: int
    end: int
    text: str
    status: str
    accounts: list[dict] = field(default_factory=list)
    pair: str = ""


def half_of(item_id: str) -> str:
    return "fit" if int(hashlib.sha1(item_id.encode()).hexdigest(), 16) % 2 == 0 else "check"


def load_gold(path: Path, half: str | None = None, pairs: set[str] | None = None) -> list[GoldTarget]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        pair = r["id"].rsplit("-", 1)[0]
        if (half and half_of(r["id"]) != half) or (pairs and pair not in pairs):
            continue
        out.append(GoldTarget(r["id"], r["plan_doc"], r["start"], r["end"], r["text"], r["status"], r["accounts"],
                              pair))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_gold(gold: list[GoldTarget], followed: list[FollowUp]) -> dict:
    """Figures and the rows behind them (`rows`: id, gold status, status given, whether its link is right)."""
    rows = []
    for g in gold:
        mine = [f for f in followed if f.pledge.doc == g.plan_doc and _overlaps((f.target.start, f.target.end),
                                                                                (g.start, g.end))]
        f = min(mine, key=lambda f: abs(f.target.start - g.start), default=None)
        link = f.accounts[0] if f and f.accounts else None
        right = link is not None and any(a["doc"] == link.doc and _overlaps((a["start"], a["end"]), (link.start, link.end))
                                         for a in g.accounts)
        rows.append({"id": g.id, "gold": g.status, "given": f.status if f else None, "found": f is not None,
                     "link": bool(link), "link_right": right, "has_account": bool(g.accounts),
                     "link_text": link.text if link else None, "score": link.score if link else None, "reason": f.reason if f else None})
    found = [r for r in rows if r["found"]]
    links = [r for r in rows if r["link"]]
    accounted = [r for r in rows if r["has_account"]]
    verdicts = [r for r in found if r["given"] in VERDICTS]  # met / not_met: a wrong one costs most
    ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    return {"targets": len(rows), "found": ratio(len(found), len(rows)),
            "link_precision": ratio(sum(r["link_right"] for r in links), len(links)),
            "link_recall": ratio(sum(r["link_right"] for r in accounted), len(accounted)),
            "status_accuracy": ratio(sum(r["gold"] == r["given"] for r in found), len(found)),
            "verdicts": len(verdicts), "verdict_precision": ratio(sum(r["gold"] == r["given"] for r in verdicts),
                                                                  len(verdicts)),
            "confusion": dict(sorted(Counter(f"{r['gold']}→{r['given']}" for r in found).items())),
            "rows": rows}

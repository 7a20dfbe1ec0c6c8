"""落实追踪: what became of each pledge target, read from the later documents of the same speaker or body.

For every target of a pledge (`qa.pledges.targets`), the sentences of the next `follow_later_docs` documents (by date,
within `follow_max_years`: a plan is accounted for within its term) of the same speaker or body that hold enough of
the weight of its rarest words (idf) are its candidates: those in a section that reviews past work, or that speak of the past, are
accounts; those in a plan part are restatements. The earliest of those documents that speaks of the target decides,
and the status follows from what it states, never guessed:

- met / not_met: a figure of the target's unit, that year's, in a clause naming its whole subject, compared with its
  bound (目标“城镇新增就业1100万人以上”，实际“城镇新增就业1206万人”) — a target set as a number is decided only by a
  number; otherwise words that say it was done (实现、建成、赢得) / not done (推迟、未能、没有完成);
- progress: work reported without a result to compare (推进、进展、加快), or named in a review with no result;
- restated: only pledged again; no_account: no later document speaks of it; unclear: only a total or another
  year's figure to set against a figure target.

How a review reports a plan (issue 38), each a rule: a measure's clause beside the figures is a target
(`measure_clauses`); a paragraph opening “过去五年，…” is no plan (`span_review`); an indicator goes by the review's word for it (`same_indicator`); “没有实现…目标” outweighs
a figure that repeats the target (`words_over_figure`); a measure due years later is under way, not met (`not_due`); a
one-off measure the review says was carried out with what it was to do (要实施“中国制造2025” → 全面实施《中国制造2025》)
is met (`carried_out`), and so is an outcome the plan promised (确保…按时足额发放) that the review states in the plan's
words (`outcome_secured`; both in `qa.pledges.verdicts`); a heading of the review names a topic, it is no account
(`headings`, in `qa.pledges.accounts`).

Which sentences are accounts: `qa.pledges.accounts`; what they say: `qa.pledges.verdicts`. The tunables and the rules
switched off are settings (`QA_FOLLOW_…`; the rules' names: `FOLLOW_RULES`); how often each rule decided comes with
the report (`FollowReport.fired`). A `Follower` keeps nothing between calls but its index: one serves every thread.
Results are cached in QA_HOME/follow per pledge document, keyed by this code, the settings, the ingest rules, the
index's documents (the words' weights depend on all of them), the document and its later documents: any ingest
recomputes, once.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import qa.core.lexicon as _lexicon
import qa.core.outline as _outline_module
from qa.core.dates import date_bounds, display_date
from qa.core.errors import InputError
from qa.core.files import atomic_write
from qa.core.lexicon.tense import AHEAD, PLAN_TURN, SPAN_REVIEW
from qa.core.records import Document, Pledge
from qa.pledges import accounts as _accounts_module  # not `import qa.pledges.…`: `qa.pledges` is the function
from qa.pledges import targets as _targets_module
from qa.pledges import verdicts as _verdicts_module
from qa.pledges.accounts import Account, Reading, candidates, weights_of
from qa.pledges.targets import Figure, Target, targets_of
from qa.pledges.verdicts import verdict

__all__ = ["STATUSES", "STATUS_LABELS", "FollowUp", "FollowReport", "Follower", "FOLLOW_VERSION"]

# The cache is keyed by this code too: a change to how targets are read or followed, or to a word list they read
# (qa/core/lexicon), recomputes every result.
_SOURCES = [*(Path(m.__file__) for m in (_targets_module, _outline_module, _accounts_module, _verdicts_module)),
            *sorted(Path(_lexicon.__file__).parent.glob("*.py")), Path(__file__)]
FOLLOW_VERSION = hashlib.sha256(b"".join(p.read_bytes() for p in _SOURCES)).hexdigest()[:12]
STATUSES = ("met", "not_met", "progress", "restated", "no_account", "unclear")
STATUS_LABELS = {"met": "已落实", "not_met": "未落实", "progress": "在推进", "restated": "再次部署",
                 "no_account": "未见下文", "unclear": "待核实"}


@dataclass(frozen=True, slots=True)
class FollowUp:
    """One target of one pledge, what became of it, and why."""

    pledge: Pledge
    target: Target
    status: str
    reason: str
    accounts: list[Account] = field(default_factory=list)
    later_docs: list[str] = field(default_factory=list)  # the documents read for an account

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict:
        t = self.target
        fig = t.figure
        return {
            "pledge": {k: getattr(self.pledge, k) for k in ("doc", "title", "speaker", "date", "start", "end", "text",
                                                             "paragraph")},
            "target": {"text": t.text, "start": t.start, "end": t.end, "subject": t.subject, "bound": t.bound,
                       "figure": fig.text if fig else None, "value": fig.value if fig else None,
                       "unit": fig.unit if fig else None, "deadline": t.deadline},
            "status": self.status, "label": self.label, "reason": self.reason,
            "accounts": [a.to_dict() for a in self.accounts], "later_docs": list(self.later_docs),
        }


@dataclass(frozen=True, slots=True)
class FollowReport:
    """What became of the targets of some pledges; another selection of them is another report."""

    followups: list[FollowUp]
    undated: list[str] = field(default_factory=list)  # pledge documents left out: they have no date
    latest: list[str] = field(default_factory=list)  # left out too: no later document of their speaker or body yet
    fired: Counter[str] = field(default_factory=Counter)  # how often each rule decided (targets not read from cache)

    def by_pledge(self) -> dict[tuple[str, int], list[FollowUp]]:
        """(doc, start) of each pledge → its targets' follow-ups, in order."""
        out: dict[tuple[str, int], list[FollowUp]] = {}
        for f in self.followups:
            out.setdefault((f.pledge.doc, f.pledge.start), []).append(f)
        return out

    def counts(self) -> dict[str, int]:
        c = Counter(f.status for f in self.followups)
        return {s: c.get(s, 0) for s in STATUSES}

    def to_dict(self) -> dict:
        return {"targets": [f.to_dict() for f in self.followups], "counts": self.counts(),
                "undated": list(self.undated), "latest": list(self.latest)}


def _same_side(a: Document, b: Document) -> bool:
    """The same speaker or body: a name of one is, or holds, a name of the other (国务院 / 国务院总理李克强)."""
    names_a = {n for n in (a.speaker, *a.aliases) if n and len(n) > 1}
    names_b = {n for n in (b.speaker, *b.aliases) if n and len(n) > 1}
    return any(x in y or y in x for x in names_a for y in names_b)


class Follower:
    """Follows pledges through an index's later documents, as the index's settings say (`follow_*`); `cache`: results
    are read from and written to QA_HOME/follow."""

    def __init__(self, index, cache: bool = True) -> None:
        self.index, self.cache = index, cache

    # -- which documents --------------------------------------------------------------------------------------
    def _timeline(self) -> tuple[list, list[Document]]:
        """The dated documents by the start of their date (the starts, the documents): read at each `follow` (the
        index may have changed between two calls)."""
        dated = sorted((date_bounds(d.date)[0], d.doc, d) for d in self.index.docs.values() if d.date)
        return [x[0] for x in dated], [x[2] for x in dated]

    def later_docs(self, doc: str, timeline: tuple[list, list[Document]]) -> list[Document]:
        """The next documents (by date, on `timeline`) of the same speaker or body, at most `follow_later_docs`."""
        here, settings = self.index.docs[doc], self.index.settings
        if not here.date:
            return []
        end = date_bounds(here.date)[1]
        starts, dated = timeline
        later: list[Document] = []
        for d in dated[bisect.bisect_right(starts, end):]:
            if date_bounds(d.date)[0].year - end.year > settings.follow_max_years:
                break  # a plan is accounted for within its term (五年), not by a report a generation later
            if d.doc != doc and _same_side(here, d):
                later.append(d)
                if len(later) == settings.follow_later_docs:
                    break
        return later

    # -- one target ---------------------------------------------------------------------------------------------
    def follow_target(self, pledge: Pledge, target: Target, later: list[Document], reading: Reading) -> FollowUp:
        names = [d.doc for d in later]
        weights = weights_of(target, self.index.bm25, reading.off)
        settings = self.index.settings
        found = candidates(weights, later, reading, settings.follow_min_words, settings.follow_key_words,
                           target)
        by_doc = {d: sorted((a for a in found if a.doc == d), key=lambda a: (-a.score, a.start)) for d in names}
        for d in names:  # the earliest later document that speaks of it decides
            accounts = [a for a in by_doc[d] if a.kind == "account"]
            if accounts:
                status, reason, used = verdict(pledge, target, accounts, weights, reading)
                return FollowUp(pledge, target, status, reason, used, names)
            if by_doc[d]:  # it only pledges the target again: restated, whatever a document after it says
                break
        restated = sorted((a for a in found if a.kind == "restated"), key=lambda a: (a.date or "", -a.score))[:2]
        if restated:
            reading.fired["restated"] += 1
            again = restated[0]
            return FollowUp(pledge, target, "restated", f"《{again.title or again.doc}》"
                            f"（{display_date(again.date)}）再次部署，未说明此前的落实情况", restated, names)
        later_names = "、".join(f"《{d.title or d.doc}》" for d in later)
        return FollowUp(pledge, target, "no_account", f"此后的{later_names}中未见有关表述。", [], names)

    # -- many pledges -------------------------------------------------------------------------------------------
    def follow(self, pledges: list[Pledge], strict: bool = True) -> FollowReport:
        """`strict`: an InputError when none of `pledges` is dated (a ledger or a list shows them unfollowed)."""
        docs = self.index.docs
        undated = sorted({p.doc for p in pledges if p.doc in docs and not docs[p.doc].date})
        dated = [p for p in pledges if p.doc in docs and docs[p.doc].date]
        if strict and pledges and not dated:
            raise InputError(
                "落实追踪需要带日期的文件：所选讲话都没有日期，无法判断哪份文件在后、能否说明承诺的落实情况。"
                f"请在文件名或 {self.index.settings.corpus.absolute() / 'metadata.csv'} 中注明日期（如 2024-03-05），或导入此后的报告。")
        asked: dict[str, list[Pledge]] = {}
        for p in dated:
            asked.setdefault(p.doc, []).append(p)
        every: dict[str, list[Pledge]] = {}
        for p in self.index.pledges:
            if p.doc in asked:
                every.setdefault(p.doc, []).append(p)
        # the words' weights (idf) depend on the whole index: any document added, changed or removed recomputes
        corpus = hashlib.sha256("".join(sorted(f"{d.doc}:{d.hash}" for d in docs.values())).encode()).hexdigest()
        reading, timeline = Reading(self.index, self.index.settings.follow_rules_off()), self._timeline()
        out: list[FollowUp] = []
        latest: list[str] = []
        for doc, mine in asked.items():
            later = self.later_docs(doc, timeline)
            if not later:  # nothing can have accounted for it yet: not “未见下文”
                latest.append(doc)
                continue
            out += self._follow_doc(doc, mine, every.get(doc, []), later, corpus, reading)
        return FollowReport(out, undated, latest, reading.fired)

    def _follow_doc(self, doc: str, pledges: list[Pledge], every: list[Pledge], later: list[Document], corpus: str,
                    reading: Reading) -> list[FollowUp]:
        """`pledges` of `doc` followed; all of its pledges (`every`) are followed and cached at once."""
        key = self._cache_key(doc, later, every, corpus, reading.off)
        result = self._load(key)
        if result is None:
            measures = "measure_clauses" not in reading.off
            result = []
            for p in self._plans(doc, every, reading):
                targets = targets_of(p.text, p.start, measures)
                if any(t.figure for t in targets):  # a measure's clause beside the figures (`MEASURE_CLAUSE`)
                    reading.fired["measure_clauses"] += sum(t.figure is None for t in targets)
                result += [self.follow_target(p, t, later, reading) for t in targets]
            self._store(key, result)
        wanted = {(p.start, p.end) for p in pledges}
        return [f for f in result if (f.pledge.start, f.pledge.end) in wanted]

    def _plans(self, doc: str, pledges: list[Pledge], reading: Reading) -> list[Pledge]:
        """The pledges that are a plan: not those of a paragraph that opens by reviewing a span of years (“过去五年，
        …”, `SPAN_REVIEW`; rule `span_review`) unless they commit in words of their own (要, 将), for a five-year
        review is never a plan, even where a report's heading joins it to the next plan's targets."""
        if "span_review" in reading.off:
            return pledges
        reviews = [line for _n, line in self.index.lines(doc) if SPAN_REVIEW.match(line.text)]
        out = []
        for p in pledges:
            if any(r.start <= p.start < r.end and not PLAN_TURN.search(r.text[:p.start - r.start]) for r in reviews) \
                    and not AHEAD.search(p.text):
                reading.fired["span_review"] += 1
                continue
            out.append(p)
        return out

    def _cache_key(self, doc: str, later: list[Document], pledges: list[Pledge], corpus: str,
                   off: frozenset[str]) -> str:
        """What the result depends on: this code and its settings, the ingest rules, the index's documents (the
        words' weights), the document (its pledges as read now) and its later documents, each with the fields the
        result shows (title, speaker, date, type: an edit in metadata.csv changes them)."""
        def fields(d: Document) -> str:
            return json.dumps([d.doc, d.hash, d.date, d.title, d.speaker, d.type, d.aliases], ensure_ascii=False)

        s = self.index.settings
        parts = [FOLLOW_VERSION, self.index.table.pipeline or "", corpus, str(s.follow_later_docs),
                 str(s.follow_max_years), str(s.follow_min_words), str(s.follow_key_words), ",".join(sorted(off)),
                 fields(self.index.docs[doc]), ";".join(f"{p.start}-{p.end}" for p in pledges),
                 *(fields(d) for d in later)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

    def _path(self, key: str) -> Path:
        return self.index.settings.home / "follow" / f"{key}.json"

    def _load(self, key: str) -> list[FollowUp] | None:
        if not self.cache:
            return None
        try:
            return [_from_row(r) for r in json.loads(self._path(key).read_text(encoding="utf-8"))]
        except (OSError, ValueError, KeyError, TypeError):  # none yet, or written by another version: recompute
            return None

    def _store(self, key: str, result: list[FollowUp]) -> None:
        if not self.cache:
            return
        rows = [{"pledge": asdict(f.pledge), "target": asdict(f.target), "status": f.status, "reason": f.reason,
                 "accounts": [asdict(a) for a in f.accounts], "later_docs": f.later_docs} for f in result]
        atomic_write(self._path(key), json.dumps(rows, ensure_ascii=False), make_folder=True)


def _from_row(r: dict) -> FollowUp:
    t = dict(r["target"])
    t["figure"] = Figure(**t["figure"]) if t["figure"] else None
    return FollowUp(Pledge(**r["pledge"]), Target(**t), r["status"], r["reason"],
                    [Account(**a) for a in r["accounts"]], r["later_docs"])

"""落实追踪: what became of each pledge target, read from the later documents of the same speaker or body.

For every target of a pledge (`qa.pledges.targets`), the sentences of the next `later_docs` documents (by date, within
`max_years`: a plan is accounted for within its term) of the same speaker or body that hold enough of the weight of
its rarest words (idf) are its candidates: those in a section that reviews past work, or that speak of the past, are
accounts; those in a plan part are restatements. The earliest of those documents that speaks of the target decides,
and the status follows from what it states, never guessed:

- met / not_met: a figure of the target's unit, that year's, in a clause naming its whole subject, compared with its
  bound (目标“城镇新增就业1100万人以上”，实际“城镇新增就业1206万人”) — a target set as a number is decided only by a
  number; otherwise words that say it was done (实现、建成、赢得) / not done (推迟、未能、没有完成);
- progress: work reported without a result to compare (推进、进展、加快), or named in a review with no result;
- restated: only pledged again; no_account: no later document speaks of it; unclear: only a total or another
  year's figure to set against a figure target.

Rules (`RULES`) are switchable by name (`QA_FOLLOW_OFF`, `Follower(off=…)`) and counted (`Follower.fired`). Results
are cached in QA_HOME/follow per pledge document, keyed by this code, the ingest rules, the index's documents (the
words' weights depend on all of them), the document and its later documents: any ingest recomputes, once.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import qa.core.outline as _outline_module
import qa.pledges.targets as _targets_module
from qa.core.dates import date_bounds, display_date
from qa.core.errors import InputError
from qa.core.files import atomic_write
from qa.core.outline import review_sections
from qa.core.records import Document, Pledge
from qa.core.text import split_sentences, tokenize
from qa.pledges.targets import Figure, Target, ascii_digits, compare, figures_in, targets_of

__all__ = ["STATUSES", "STATUS_LABELS", "Account", "FollowUp", "FollowReport", "Follower", "FOLLOW_VERSION"]

# The cache is keyed by this code too: a change to how targets are read or followed recomputes every result.
FOLLOW_VERSION = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (_targets_module, _outline_module))
                                + Path(__file__).read_bytes()).hexdigest()[:12]
STATUSES = ("met", "not_met", "progress", "restated", "no_account", "unclear")
STATUS_LABELS = {"met": "已落实", "not_met": "未落实", "progress": "在推进", "restated": "再次部署",
                 "no_account": "未见下文", "unclear": "待核实"}
RULES = ("figure", "figure_year", "incomparable", "done_words", "undone_words", "progress_words", "restated", "review_sections")

# Words that say a thing was done, or was not; and words that report work under way.
# (A verb with 到/至 and a figure is a result reached: 扩大到20个省, 提高到30%.)
_DONE = re.compile(r"(?:扩大|提高|增加|增长|降低|下降|减少|达)(?:到|至)[\d０-９]|(?<!无法|不能|难以|没能|没有|未能)(?<![未])"
                   r"(?:实现|完成(?![\d０-９])|建成)|赢得|如期|提前|超额|全面推开|全面实行|实行了|出台了|颁布|开通|竣工|取消了|成功|"
                   r"取得(?:明显|显著|重大)?成效|达到")
# (A verdict word after a negation says the opposite: 无法实现, 不能完成, 难以达到.)
_UNDONE = re.compile(r"推迟|未能|(?:没有|未|无法|不能|难以|没能)(?:完成|实现|达到|建成)|尚未|仍未|落空")
_PROGRESS = re.compile(r"推进|进展|加快|扩大|加大|深化|展开|开展|启动|逐步|初步|试点|加强|改善|提高|增加|增长|下降|明显")
# A sentence that speaks of the past (an account), or commits for the coming year (a restatement).
_PAST = re.compile(r"去年|(?<!比)上年|过去|一年来|年来|以来|已经|已|(?<![为除])了|取得|实现|完成")
_PAST_STRONG = re.compile(r"去年|(?<!比)上年|过去|一年来|年来|以来|已经|取得了|实现了|完成了")
_FUTURE = re.compile(r"^(?:今年|明年|要|将|继续|必须|力争|确保|进一步|抓紧|加快|积极|努力)|今年|要|将")


@dataclass(slots=True)
class Account:
    """A later sentence that speaks of the target: `kind` account (of what was done) or restated (pledged again)."""

    doc: str
    title: str | None
    date: str | None
    start: int
    end: int
    text: str
    kind: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
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


@dataclass(slots=True)
class FollowReport:
    followups: list[FollowUp]
    undated: list[str] = field(default_factory=list)  # pledge documents left out: they have no date
    latest: list[str] = field(default_factory=list)  # left out too: no later document of their speaker or body yet

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


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    text: str
    review: bool
    terms: frozenset[str]


def _terms(text: str) -> list[str]:
    return [t for t in dict.fromkeys(tokenize(ascii_digits(text))) if len(t) > 1 or t.isdigit()]


def _same_side(a: Document, b: Document) -> bool:
    """The same speaker or body: a name of one is, or holds, a name of the other (国务院 / 国务院总理李克强)."""
    names_a = {n for n in (a.speaker, *a.aliases) if n and len(n) > 1}
    names_b = {n for n in (b.speaker, *b.aliases) if n and len(n) > 1}
    return any(x in y or y in x for x in names_a for y in names_b)


class Follower:
    """Follows pledges through an index's later documents. `off`: names of rules switched off; `fired` counts them."""

    def __init__(self, index, later_docs: int = 2, min_words: float = 0.5, key_words: int = 4, max_years: int = 5,
                 off: set[str] | None = None, cache: bool = True) -> None:
        self.index = index
        self.later, self.min_words, self.key_words, self.max_years = later_docs, min_words, key_words, max_years
        env = {x.strip() for x in os.environ.get("QA_FOLLOW_OFF", "").split(",") if x.strip()}
        self.off = set(off or ()) | env
        self.fired: Counter[str] = Counter()
        self.cache = cache
        self._sentences: dict[str, tuple[str, list[_Sentence], dict[str, list[int]]]] = {}
        self._dated: tuple[list, list[Document]] | None = None

    # -- which documents --------------------------------------------------------------------------------------
    def _timeline(self) -> tuple[list, list[Document]]:
        """The dated documents by the start of their date (the starts, the documents): read once per `follow` (the
        index may have changed between two calls)."""
        if self._dated is None:
            dated = sorted((date_bounds(d.date)[0], d.doc, d) for d in self.index.docs.values() if d.date)
            self._dated = ([x[0] for x in dated], [x[2] for x in dated])
        return self._dated

    def later_docs(self, doc: str) -> list[Document]:
        """The next documents (by date) of the same speaker or body, at most `later_docs` of them."""
        here = self.index.docs[doc]
        if not here.date:
            return []
        end = date_bounds(here.date)[1]
        starts, dated = self._timeline()
        later: list[Document] = []
        for d in dated[bisect.bisect_right(starts, end):]:
            if date_bounds(d.date)[0].year - end.year > self.max_years:
                break  # a plan is accounted for within its term (五年), not by a report a generation later
            if d.doc != doc and _same_side(here, d):
                later.append(d)
                if len(later) == self.later:
                    break
        return later

    def _read(self, doc: Document) -> tuple[list[_Sentence], dict[str, list[int]]]:
        held = self._sentences.get(doc.doc)
        if held and held[0] == doc.hash:
            return held[1], held[2]
        lines = [line for _n, line in self.index.lines(doc.doc)]
        reviews = review_sections(lines) if "review_sections" not in self.off else []
        sentences: list[_Sentence] = []
        for para in lines:
            for s in split_sentences(para.text):
                start = para.start + s.start
                sentences.append(_Sentence(start, start + len(s.text), s.text,
                                           any(a <= start < b for a, b in reviews), frozenset(_terms(s.text))))
        postings: dict[str, list[int]] = {}
        for i, s in enumerate(sentences):
            for t in s.terms:
                postings.setdefault(t, []).append(i)
        self._sentences[doc.doc] = (doc.hash, sentences, postings)
        return sentences, postings

    # -- one target ---------------------------------------------------------------------------------------------
    def _weights(self, target: Target) -> dict[str, float]:
        """The target's words weighted by rarity (idf), its subject's counted twice: an account names the work by
        its rare words (青藏铁路, 农村税费改革); the verbs of plans (加强、推进、完善) recur everywhere and weigh little."""
        bm25 = self.index.bm25
        weights = {t: w for t in _terms(target.text) if (w := bm25.idf(t)) > 0}
        for t in _terms(target.subject):
            weights[t] = weights.get(t, bm25.idf(t)) * 2
        return weights

    def _candidates(self, target: Target, later: list[Document]) -> list[Account]:
        """Sentences of the later documents holding at least `min_words` of the weight of the target's `key_words`
        rarest words (a long pledge says much that an account of it need not repeat)."""
        weights = self._weights(target)
        total = sum(sorted(weights.values(), reverse=True)[: self.key_words])
        if not total:
            return []
        found: list[Account] = []
        for d in later:
            sentences, postings = self._read(d)
            outlined = any(s.review for s in sentences)
            hits: Counter[int] = Counter()
            for t, w in weights.items():
                for i in postings.get(t, ()):
                    hits[i] += w
            for i, w in hits.items():
                share = min(1.0, w / total)
                if share >= self.min_words:
                    s = sentences[i]
                    kind = self._kind(s, outlined)
                    found.append(Account(d.doc, d.title, d.date, s.start, s.end, s.text, kind, round(share, 3)))
        return found

    def _kind(self, s: _Sentence, outlined: bool) -> str:
        """An account (of what was done) or a restatement (pledged again). In a document whose review sections are
        known, what lies outside them is its plan unless it speaks of the past; elsewhere the words decide."""
        if s.review:
            self.fired["review_sections"] += 1
            return "account"
        if "restated" in self.off:
            return "account"
        if outlined:
            return "account" if _PAST_STRONG.search(s.text) else "restated"
        return "restated" if _FUTURE.search(s.text) and not _PAST.search(s.text) else "account"

    def follow_target(self, pledge: Pledge, target: Target, later: list[Document]) -> FollowUp:
        names = [d.doc for d in later]
        found = self._candidates(target, later)
        by_doc = {d: sorted((a for a in found if a.doc == d), key=lambda a: (-a.score, a.start)) for d in names}
        for d in names:  # the earliest later document that speaks of it decides
            accounts = [a for a in by_doc[d] if a.kind == "account"][:3]
            if accounts:
                status, reason, used = self._status(pledge, target, accounts)
                return FollowUp(pledge, target, status, reason, used, names)
            if by_doc[d]:  # it only pledges the target again: restated, whatever a document after it says
                break
        restated = sorted((a for a in found if a.kind == "restated"), key=lambda a: (a.date or "", -a.score))[:2]
        if restated:
            self.fired["restated"] += 1
            again = restated[0]
            return FollowUp(pledge, target, "restated", f"《{again.title or again.doc}》"
                            f"（{display_date(again.date)}）再次部署，未说明此前的落实情况", restated, names)
        later_names = "、".join(f"《{d.title or d.doc}》" for d in later)
        return FollowUp(pledge, target, "no_account", f"此后的{later_names}中未见有关表述。", [], names)

    def _same_year(self, pledge: Pledge, account: Account) -> bool:
        """A yearly figure is the result of the year the later document reviews: the year before it (a work report
        of 2009 gives 2008's growth, not 2007's). A figure from a document more than a year after the pledge
        answers its target only when the sentence names the pledge's year."""
        if "figure_year" in self.off or not pledge.date or not account.date:
            return True
        year = int(pledge.date[:4])
        if int(account.date[:4]) - year <= 1 or f"{year}年" in ascii_digits(account.text):
            return True
        self.fired["figure_year"] += 1
        return False

    def _status(self, pledge: Pledge, target: Target, accounts: list[Account]) -> tuple[str, str, list[Account]]:
        goal = target.figure
        incomparable = None  # an account whose figure of the target's unit is a total or another year's
        if goal is not None and "figure" not in self.off:
            for a in accounts:
                other = _TOTAL.search(a.text) or not self._same_year(pledge, a)
                for clause, fig in _figures_near(a.text, target):
                    if other:
                        incomparable = incomparable or (a, clause)
                        break
                    if (verdict := compare(target, fig)) is not None:
                        self.fired["figure"] += 1
                        return ("met" if verdict else "not_met"), f"目标“{target.text}”，实际“{clause}”", [a]
        best = accounts[0]
        # A target set as a number is met or missed only by a number (“赤字9500亿元” is not met by “赤字率下降到2%”).
        by_number = goal is not None and "figure" not in self.off
        at, focus = self._focus(best.text, target)
        for rule, pattern, status, say in (
                ("undone_words", _UNDONE, "not_met", "后文称“{}”"), ("done_words", _DONE, "met", "后文称“{}”"),
                ("progress_words", _PROGRESS, "progress", "后文报告了进展（“{}”），没有可与目标对照的结果")):
            if (by_number and status != "progress") or rule in self.off:
                continue
            # a verdict (done, not done) only in the clause naming the target — “面对尚未结束的疫情” says nothing
            # of it — work under way also anywhere in the sentence
            hit = pattern.search(focus)
            where = at + hit.start() if hit else (m.start() if status == "progress" and (m := pattern.search(best.text))
                                                  else None)
            if where is not None:
                self.fired[rule] += 1
                return status, say.format(_clause_at(best.text, where)), [best]
        if incomparable and "incomparable" not in self.off:  # a figure, but not one to set against this year's
            a, clause = incomparable
            self.fired["incomparable"] += 1
            return "unclear", f"目标“{target.text}”，后文只有累计或其他年份的数字“{clause}”", [a]
        # An account of the past that names the work, with no word of its result: the work is reported on.
        return "progress", f"后文回顾中提及（“{_short(best.text)}”），没有说明结果", [best]

    def _focus(self, text: str, target: Target) -> tuple[int, str]:
        """(offset, text) of the clause of `text` naming most of the target's words (“北京申办奥运会获得成功，上海赢得
        世界博览会举办权”: the Expo's clause is the second)."""
        weights = self._weights(target)
        clauses = list(re.finditer(r"[^，,；;。]+", text)) or [re.match(r".*", text)]
        m = min(clauses, key=lambda m: -sum(w for t, w in weights.items() if t in ascii_digits(m.group(0))))
        return m.start(), m.group(0)

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
        self._dated = None
        asked: dict[str, list[Pledge]] = {}
        for p in dated:
            asked.setdefault(p.doc, []).append(p)
        every: dict[str, list[Pledge]] = {}
        for p in self.index.pledges:
            if p.doc in asked:
                every.setdefault(p.doc, []).append(p)
        # the words' weights (idf) depend on the whole index: any document added, changed or removed recomputes
        corpus = hashlib.sha256("".join(sorted(f"{d.doc}:{d.hash}" for d in docs.values())).encode()).hexdigest()
        out: list[FollowUp] = []
        latest: list[str] = []
        for doc, mine in asked.items():
            later = self.later_docs(doc)
            if not later:  # nothing can have accounted for it yet: not “未见下文”
                latest.append(doc)
                continue
            out += self._follow_doc(doc, mine, every.get(doc, []), later, corpus)
        return FollowReport(out, undated, latest)

    def _follow_doc(self, doc: str, pledges: list[Pledge], every: list[Pledge], later: list[Document],
                    corpus: str) -> list[FollowUp]:
        """`pledges` of `doc` followed; all of its pledges (`every`) are followed and cached at once."""
        key = self._cache_key(doc, later, every, corpus)
        result = self._load(key)
        if result is None:
            result = [self.follow_target(p, t, later) for p in every for t in targets_of(p.text, p.start)]
            self._store(key, result)
        wanted = {(p.start, p.end) for p in pledges}
        return [f for f in result if (f.pledge.start, f.pledge.end) in wanted]

    def _cache_key(self, doc: str, later: list[Document], pledges: list[Pledge], corpus: str) -> str:
        """What the result depends on: this code and its settings, the ingest rules, the index's documents (the
        words' weights), the document (its pledges as read now) and its later documents, each with the fields the
        result shows (title, speaker, date, type: an edit in metadata.csv changes them)."""
        def fields(d: Document) -> str:
            return json.dumps([d.doc, d.hash, d.date, d.title, d.speaker, d.type, d.aliases], ensure_ascii=False)

        parts = [FOLLOW_VERSION, self.index.table.pipeline or "", corpus, str(self.later), str(self.max_years),
                 str(self.min_words),
                 str(self.key_words), ",".join(sorted(self.off)), fields(self.index.docs[doc]),
                 ";".join(f"{p.start}-{p.end}" for p in pledges), *(fields(d) for d in later)]
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


# A total over several years (累计, 五年来) is no result of one year's target.
_TOTAL = re.compile(r"累计|五年|[两三四五六七八九十]年来|共计|总共|合计|年均")


def _figures_near(text: str, target: Target):
    """(clause, figure) for the figures of the target's unit in the clauses of `text` that name the target's subject
    — every word of it (“国内生产总值”, not just “增长”) — the nearest first; the clause verbatim."""
    terms = [t for t in _terms(target.subject) if len(t) > 1] or [target.subject]
    key = max(terms, key=len)
    plain = ascii_digits(text)
    for m in re.finditer(r"[^；;。，,]+", plain):
        clause = m.group(0)
        if not all(t in clause for t in terms):
            continue
        at = clause.find(key)
        figs = [f for f in figures_in(clause) if f.unit == target.figure.unit]
        for f in sorted(figs, key=lambda f: abs(f.at - at)):
            yield text[m.start():m.end()].strip(), f


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clause_at(text: str, at: int) -> str:
    """The clause of `text` (between ，；。) that holds offset `at`, verbatim."""
    start = max(text.rfind(c, 0, at) for c in "，,；;。：") + 1
    ends = [i for c in "，,；;。" if (i := text.find(c, at)) != -1]
    return text[start:min(ends) if ends else len(text)].strip()


def _from_row(r: dict) -> FollowUp:
    t = dict(r["target"])
    t["figure"] = Figure(**t["figure"]) if t["figure"] else None
    return FollowUp(Pledge(**r["pledge"]), Target(**t), r["status"], r["reason"],
                    [Account(**a) for a in r["accounts"]], r["later_docs"])

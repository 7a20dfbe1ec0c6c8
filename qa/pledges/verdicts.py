"""What a later document's accounts of a target say became of it, never guessed: met / not met by a figure of the
target's unit, that year's, in a clause naming its whole subject; else by words that say it was done, not done, or
under way; else unclear (only a total or another year's figure) or progress (named in a review, no result)."""

from __future__ import annotations

import re

from qa.core.lexicon.measures import TOTAL
from qa.core.lexicon.progress import (
    CARRIED_OUT,
    DONE,
    MEASURE,
    MISSED_TARGET,
    NEGATED,
    PARTLY,
    PROGRESS,
    SECURES,
    STATES_TARGET,
    UNDONE,
)
from qa.core.lexicon.tense import DUE_SPAN, DUE_YEAR
from qa.core.records import Pledge
from qa.pledges.accounts import Account, Reading, indicator_of, subject_terms, terms_of
from qa.pledges.targets import Target, ascii_digits, compare, figures_in

__all__ = ["verdict"]


def verdict(pledge: Pledge, target: Target, accounts: list[Account], weights: dict[str, float],
            reading: Reading) -> tuple[str, str, list[Account]]:
    """(status, reason, the accounts it rests on) from the accounts of the earliest later document that gives any;
    `weights`: the target's words (`weights_of`), which find the clause of an account that names it."""
    off = reading.off
    goal = target.figure
    incomparable = None  # an account whose figure of the target's unit is a total or another year's
    if goal is not None and "words_over_figure" not in off:
        for a in accounts:  # the report's own word that the target was missed outweighs any figure it repeats
            if (m := MISSED_TARGET.search(a.text)) and _names_subject(a.text, target, off):
                reading.fired["words_over_figure"] += 1
                return "not_met", f"后文称“{_clause_at(a.text, m.start())}”", [a]
    if goal is not None and "figure" not in off:
        for a in accounts:
            other = TOTAL.search(a.text) or not _same_year(pledge, a, reading)
            for clause, fig in _figures_near(a.text, target, off):
                if other:
                    incomparable = incomparable or (a, clause)
                    break
                if (said := compare(target, fig)) is not None:
                    reading.fired["figure"] += 1
                    key = indicator_of(target.subject, off)[0]
                    reading.fired["same_indicator"] += bool(key) and key not in ascii_digits(clause)
                    return ("met" if said else "not_met"), f"目标“{target.text}”，实际“{clause}”", [a]
    best = accounts[0]
    # A target set as a number is met or missed only by a number (“赤字9500亿元” is not met by “赤字率下降到2%”).
    by_number = goal is not None and "figure" not in off
    at, focus = _focus(best.text, weights)
    for rule, pattern, status, say in (
            ("undone_words", UNDONE, "not_met", "后文称“{}”"), ("done_words", DONE, "met", "后文称“{}”"),
            ("carried_out", CARRIED_OUT, "met", "后文称“{}”"), ("outcome_secured", SECURES, "met", "后文称“{}”"),
            ("progress_words", PROGRESS, "progress", "后文报告了进展（“{}”），没有可与目标对照的结果")):
        if (by_number and status != "progress") or rule in off:
            continue
        # a verdict (done, not done) only in the clause naming the target — “面对尚未结束的疫情” says nothing
        # of it — work under way also anywhere in the sentence
        hit = (_carried_out(target, focus, weights, reading) if rule == "carried_out" else
               _secured(target, focus, weights, reading) if rule == "outcome_secured" else pattern.search(focus))
        where = at + hit.start() if hit else (m.start() if status == "progress" and (m := pattern.search(best.text))
                                              else None)
        if hit and status == "met" and _not_due(pledge, target, best) and "not_due" not in off:
            reading.fired["not_due"] += 1  # a measure due years later: what is done so far is progress
            status, say = "progress", "目标期限未到，后文报告了进展（“{}”）"
        if where is not None:
            reading.fired[rule] += 1
            return status, say.format(_clause_at(best.text, where)), [best]
    if incomparable and "incomparable" not in off:  # a figure, but not one to set against this year's
        a, clause = incomparable
        reading.fired["incomparable"] += 1
        return "unclear", f"目标“{target.text}”，后文只有累计或其他年份的数字“{clause}”", [a]
    # An account of the past that names the work, with no word of its result: the work is reported on.
    return "progress", f"后文回顾中提及（“{_short(best.text)}”），没有说明结果", [best]


def _carried_out(target: Target, focus: str, weights: dict[str, float], reading: Reading) -> re.Match | None:
    """Rule `carried_out`: the target is a one-off measure or task (its verb: 实施, 启动, 做好… `MEASURE`), and the
    clause naming it reports it carried out (顺利实施, 建立了, 已出台, `CARRIED_OUT`) with what it was to do — the
    object of the plan's verb, all of its rarest words (“要实施‘中国制造2025’” → “全面实施《中国制造2025》”) — not
    only a first step or a part of it (初步, 逐步, 许多地区). Work a plan keeps doing (完善, 加强) is not carried out
    by a thing done beside it (“加快完善重点行业的产业政策、专项规划” and “并制定了相关专项规划”)."""
    hit = CARRIED_OUT.search(focus)
    if not hit or PARTLY.search(focus) or not (verb := MEASURE.search(target.text)):
        return None
    thing = re.split(r"[，,；;。]", target.text[verb.end():])[0]
    return hit if thing and _names_target(focus, thing, weights, reading, whole=True) else None


def _secured(target: Target, focus: str, weights: dict[str, float], reading: Reading) -> re.Match | None:
    """Rule `outcome_secured`: a plan that promises an outcome (确保…的按时足额发放) is met when the review's clause
    naming it states that outcome in the plan's own words (“确保国有企业下岗职工基本生活费和离退休人员基本养老金按时足额
    发放”, “确保经济运行在合理区间” → “经济运行保持在合理区间”): the outcome's closing words (after its last 的, or
    its last four characters; four at least — “保证供应” says too little — and a state, not a change such as 提高质量,
    which is work under way), not negated nor only partly (没有, 未; 初步, 部分), and most of what it is of
    (`follow_min_words`)."""
    promise = SECURES.search(target.text)
    if not promise:
        return None
    outcome = re.split(r"[，,；;。]", target.text[promise.end():])[0]
    said = outcome.rsplit("的", 1)[-1] if "的" in outcome else outcome[-4:]
    if len(said) < 4 or PROGRESS.search(said) or (at := focus.find(said)) < 0 or NEGATED.search(focus[:at]) \
            or PARTLY.search(focus):
        return None
    return re.search(re.escape(said), focus) if _names_target(focus, outcome, weights, reading) else None


def _names_target(clause: str, said: str, weights: dict[str, float], reading: Reading, whole: bool = False) -> bool:
    """`clause` holds at least `follow_min_words` of the weight of the `follow_key_words` rarest words of `said`
    (`whole`: all of them): it speaks of it, not of a thing that shares a word with it (“实施工业产品准入制度改革”
    and “全面实施市场准入负面清单制度” share 准入 and 制度, not 工业产品)."""
    s = reading.index.settings
    said = ascii_digits(said)
    key = sorted((t for t in weights if t in said), key=lambda t: -weights[t])[:s.follow_key_words]
    have = set(terms_of(clause))
    named = sum(weights[t] for t in key if t in have)
    total = sum(weights[t] for t in key)
    return bool(total) and named / total >= (1.0 if whole else s.follow_min_words)


_NUMERALS = {c: n for n, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


def _not_due(pledge: Pledge, target: Target, account: Account) -> bool:
    """The target is due after the year the account reviews (“到2007年使西部地区基本普及九年义务教育”, “五年内取消
    农业税”, read in the next year's report): work done so far is reported, the target is not yet met."""
    if not pledge.date or not account.date:
        return False
    year, reviewed = int(pledge.date[:4]), int(account.date[:4]) - 1
    text = ascii_digits(f"{target.deadline} {target.text}")
    due = max((int(a or b) for a, b in DUE_YEAR.findall(text)), default=0)
    if m := DUE_SPAN.search(text):
        due = max(due, year + _NUMERALS[m.group(1)] - 1)
    return due > max(reviewed, year)


def _same_year(pledge: Pledge, account: Account, reading: Reading) -> bool:
    """A yearly figure is the result of the year the later document reviews: the year before it (a work report of
    2009 gives 2008's growth, not 2007's). A figure from a document more than a year after the pledge answers its
    target only when the sentence names the pledge's year."""
    if "figure_year" in reading.off or not pledge.date or not account.date:
        return True
    year = int(pledge.date[:4])
    if int(account.date[:4]) - year <= 1 or f"{year}年" in ascii_digits(account.text):
        return True
    reading.fired["figure_year"] += 1
    return False


def _focus(text: str, weights: dict[str, float]) -> tuple[int, str]:
    """(offset, text) of the clause of `text` naming most of the target's words (“北京申办奥运会获得成功，上海赢得
    世界博览会举办权”: the Expo's clause is the second)."""
    clauses = list(re.finditer(r"[^，,；;。]+", text)) or [re.match(r".*", text)]
    m = min(clauses, key=lambda m: -sum(w for t, w in weights.items() if t in ascii_digits(m.group(0))))
    return m.start(), m.group(0)


def _names_subject(text: str, target: Target, off: frozenset[str]) -> bool:
    plain = ascii_digits(text)
    return all(any(re.search(w, plain) for w in words) for words in subject_terms(target.subject, off))


def _figures_near(text: str, target: Target, off: frozenset[str] = frozenset()):
    """(clause, figure) for the figures of the target's unit in the clauses of `text` that name the target's subject
    — every word of it (“国内生产总值”, not just “增长”), or the word a review says it by (涨幅 → 上涨) — the nearest
    first; the clause verbatim. A clause that names a target (“…降低4%左右的目标”) repeats the plan's figure, it
    states no result (rule `words_over_figure`)."""
    terms = subject_terms(target.subject, off)
    plain = ascii_digits(text)
    for m in re.finditer(r"[^；;。，,]+", plain):
        clause = m.group(0)
        said = [next((h for w in words if (h := re.search(w, clause))), None) for words in terms]
        if not all(said) or ("words_over_figure" not in off and STATES_TARGET.search(clause)):
            continue
        at = max(said, key=lambda h: len(h.group(0))).start()
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

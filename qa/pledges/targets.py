"""Targets in a pledge, and the figures a later account states: what the words of a plan commit to and how a result
is compared with it. Pure text; offsets are never lost.

A pledge may list several targets (“主要预期目标是：国内生产总值增长5.5%左右；城镇新增就业1100万人以上，城镇调查失业率
全年控制在5.5%以内”): each clause that states a figure is a target of its own, with its subject (国内生产总值), figure,
unit and kind of bound. Chinese states the bound after the figure (以上 at least, 以内/以下 at most, 左右 about) or
before it (控制在/不超过 at most, 不低于/超过/力争达到 at least); a clause without a figure is followed as one target
with its deadline (年底前, 三年内) or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.core.chinese import deadline
from qa.core.lexicon.measures import FIGURE, MEASURE_CLAUSE, UNITS
from qa.core.lexicon.tense import PLAN_YEAR

__all__ = ["Figure", "Target", "targets_of", "figures_in", "compare", "ascii_digits", "bound_of", "BOUNDS", "CEILING"]

BOUNDS = ("at_least", "at_most", "about", "deadline", "none")

# Full-width digits and signs (８．１％) read as ASCII, one character for one so offsets stay exact.
_FULL = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def ascii_digits(text: str) -> str:
    return text.translate(_FULL)


_AFTER_AT_LEAST = re.compile(r"^(?:以上|及以上|多|余)")
_AFTER_AT_MOST = re.compile(r"^(?:以内|以下|之内)")
_BEFORE_AT_MOST = re.compile(r"(?:控制在|不超过|不高于|低于|降到|降至)\s*$")
_BEFORE_AT_LEAST = re.compile(r"(?:不低于|不少于|超过|力争达到|力争|至少)\s*$")
# A ceiling-type subject: a smaller figure is the better result (prices, unemployment, deficit, energy used).
CEILING = re.compile(r"价格|物价|涨幅|失业率|赤字|能耗|排放|人口自然增长率|负债率|不良贷款")
# A reduction stated as a figure (“能耗降低3%”): the figure is how much less, so more is better.
_REDUCTION = re.compile(r"(?:降低|下降|减少|压减|削减)\s*$")
# Words before the subject that are no part of it: “今年”, “力争”, “全年”, “确保”, “主要预期目标是：”.
_LEAD_WORDS = re.compile(rf"^(?:[^：:]{{0,20}}?目标(?:任务)?(?:是|为)?[：:，]|{PLAN_YEAR}|力争|确保|努力|要|将|继续|再|"
                         r"其中|同时|并|主要是|重点是|以及|和)+")
_VERB = re.compile(r"(?:增长|增加|达到|提高|降低|下降|减少|控制在|保持在?|新增|完成|实现|发行|安排|投入|新建|建成|改造|"
                   r"扩大|超过|不低于|不超过|稳定在|压减|削减|为)\s*$")


# The plan's frame after an indicator's name: “经济增长预期目标为7%左右”, “…的目标是”.
_FRAME = re.compile(r"的?(?:主要)?(?:预期)?(?:目标|指标)(?:任务)?$")


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its unit in a text: `value` in the base unit (万人 → 人), `at` its offset in the text."""

    value: float
    unit: str
    text: str
    at: int
    end: int


@dataclass(frozen=True, slots=True)
class Target:
    """One commitment of a pledge: a clause (offsets into the document), what it is about, and its bound."""

    text: str
    start: int
    end: int
    subject: str
    bound: str  # one of BOUNDS
    figure: Figure | None = None
    deadline: str = ""
    higher_is_better: bool = True


def figures_in(text: str) -> list[Figure]:
    """Every number-with-unit in `text` (full-width digits read as ASCII), offsets relative to `text`."""
    out = []
    for m in FIGURE.finditer(ascii_digits(text)):
        base, scale = UNITS[m.group("unit")]
        out.append(Figure(float(m.group("num").replace(",", "")) * scale, base, text[m.start():m.end()], m.start(), m.end()))
    return out


def bound_of(clause: str, fig: Figure) -> str:
    """How a clause bounds its figure: at_least (以上, 不低于), at_most (以内, 控制在), else about."""
    after, before = ascii_digits(clause[fig.end:]), clause[: fig.at]
    if _AFTER_AT_MOST.match(after) or _BEFORE_AT_MOST.search(before):
        return "at_most"
    if _AFTER_AT_LEAST.match(after) or _BEFORE_AT_LEAST.search(before):
        return "at_least"
    return "about"


def _subject(clause: str, fig: Figure | None) -> str:
    """The clause's topic: the words before the verb that precedes the figure (“国内生产总值增长5%” → 国内生产总值),
    or, when the figure comes first, the noun after it (“发行1000亿元长期国债” → 长期国债)."""
    head = clause[: fig.at] if fig else clause
    head = _LEAD_WORDS.sub("", head)
    if fig:
        head = _BEFORE_AT_MOST.sub("", _BEFORE_AT_LEAST.sub("", head))
        head = _VERB.sub("", head).strip("，,、：: ")
        head = _FRAME.sub("", head)  # “经济增长预期目标为7%左右”: the indicator is 经济增长
        if len(head) < 2:
            tail = re.match(r"(?:以上|以内|左右|的)?([\u4e00-\u9fff“”]{2,12}?)(?:[，。；、,]|$|用于|重点|主要)",
                            clause[fig.end:])
            if tail:
                return tail.group(1).strip("“”")
        return head[-16:]
    return re.split(r"[，,：:]", head, maxsplit=1)[0][:16]


def targets_of(text: str, start: int, measures: bool = False) -> list[Target]:
    """The targets of a pledge `text` that begins at offset `start`: one per clause that states a figure (a clause
    without a subject of its own shares the one before: “增加300亿元以上，比上年增长20%以上”); a pledge with no figure
    is one target, bounded by its deadline if it states one. `measures`: in a pledge with figures, a clause that names
    a measure of its own with no figure (“五年内取消农业税”, “今年要启动西部地区‘两基’攻坚计划”; `MEASURE_CLAUSE`) is a
    target too — a plan's sentence lists its commitments, not only its numbers."""
    out: list[Target] = []
    plain: list[Target] = []
    subject = ""
    for m in re.finditer(r"(?:[^，,；;。：:]|(?<=\d),(?=\d{3}))+[，,；;。]?", ascii_digits(text)):
        clause = text[m.start():m.end()].rstrip("，,；;。")  # verbatim (full-width digits kept)
        figs = figures_in(clause)
        if not figs:
            if measures and MEASURE_CLAUSE.match(ascii_digits(clause).strip()):
                body = clause.strip()
                at = start + m.start() + clause.find(body)
                # “到2007年使…，基本扫除…”: a clause that opens on its verb shares the deadline before it
                shares = plain and not re.match(rf"(?:{PLAN_YEAR}|今后|要|将|拟|同时)", body)
                limit = deadline(body) or (plain[-1].deadline if shares else "")
                plain.append(Target(body, at, at + len(body), _subject(body, None), "deadline" if limit else "none",
                                    None, limit))
            continue
        fig = figs[0]
        own = _subject(clause, fig)
        if own and not re.fullmatch(r"比上年|同比|比去年|年均|平均|每年", own):
            subject = own
        if not subject:
            continue
        before = clause[: fig.at]
        higher = bool(_REDUCTION.search(before)) or not CEILING.search(subject + before)
        out.append(Target(clause, start + m.start(), start + m.start() + len(clause), subject, bound_of(clause, fig),
                          fig, deadline(clause), higher))
    if out:
        return sorted(out + plain, key=lambda t: t.start)
    limit = deadline(text)
    body = text.rstrip("。；;！")
    return [Target(body, start, start + len(body), _subject(body, None), "deadline" if limit else "none", None,
                   limit)]


def compare(target: Target, result: Figure) -> bool | None:
    """Does `result` satisfy `target`'s bound? None when they cannot be compared (other units, no figure).
    About (左右) is met on the better side, or within a tenth of the figure on the worse."""
    fig = target.figure
    if fig is None or fig.unit != result.unit:
        return None
    goal, got = fig.value, result.value
    if target.bound == "at_least":
        return got >= goal
    if target.bound == "at_most":
        return got <= goal
    slack = abs(goal) * 0.1
    return got >= goal - slack if target.higher_is_better else got <= goal + slack

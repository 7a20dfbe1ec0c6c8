"""主要预期目标完成情况: for each headline indicator and year, the target a work report set and the result the next
report gave, each cited, with a verdict only where the text decides it.

A report of year Y states that year's targets in its plan part (“今年发展主要预期目标是：国内生产总值增长5%左右；城镇
新增就业1200万人左右，城镇调查失业率5.5%左右；居民消费价格涨幅3%左右”) and, in its review, the previous year's results
(“国内生产总值增长5.2%…城镇调查失业率平均为5.2%”). An indicator is read by its own words and unit only: 涨幅 and 上涨 are
the same price indicator, 调查 and 登记 unemployment are two indicators and never compared, 经济增长 and 国内生产总值增长
are one. A figure counts as the year's only when its clause is no multi-year figure (年均, 累计, 五年, “十四五”, 以来, another
year named) and, for a target, outside a section about a five-year plan.

Rules (each switchable by name in `TABLE_RULES`, counted in `Table.fired`):
- `figure`: met / not_met from a same-indicator figure of that year, compared with the target's bound (左右 within a
  tenth on the worse side, as follow-through compares; a range a%－b% met within or on the better side);
- `report_words`: where the next report gives no figure but its own words about the indicator say the target was or
  was not achieved (“国内生产总值增长率达到预期目标”, “没有实现年初确定的…目标”);
- `multi_year`: multi-year figures (年均, 累计, 五年 …) are never a year's result or target;
- `plan_sections`: a target is never read from a section about a five-year plan (“十四五”时期主要目标任务).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property

from qa.core.dates import date_bounds, parse_date
from qa.core.errors import InputError
from qa.core.lexicon.measures import INDICATOR_ALIASES, INDICATORS, Indicator
from qa.core.lexicon.tense import LAST_YEAR, MULTI_YEAR, PLAN_YEAR
from qa.core.outline import review_sections
from qa.core.records import Span
from qa.core.settings import TABLE_RULES
from qa.core.speakers import require_speaker_docs
from qa.core.text import listed
from qa.pledges.targets import CEILING, Figure, Target, ascii_digits, bound_of, compare, figures_in

__all__ = ["TABLE_RULES", "Report", "Stated", "TableRow", "Table", "indicators_for",
           "read_table", "target_table"]


_GAP_MAX = 24  # characters between an indicator's name and its figure: “居民消费价格总水平涨幅控制在4%”
_FIVE_YEAR_SECTION = re.compile(r"十[一二三四五六七八九]五|五年|规划|远景")
_TOP = re.compile(r"^[一二三四五六七八九十]+、")
_RANGE = re.compile(r"^\s*[%％]?\s*[－\-—–~～至到]\s*(\d+(?:\.\d+)?)\s*[%％]")
_ABOUT_AFTER = re.compile(r"^\s*左右")
# The next report's own words on the target: “达到预期目标”, “没有实现年初确定的…目标”.
_MET_WORDS = re.compile(r"(?<!没有)(?<!未能)(?<!未)(?:达到|实现|完成|超过|超出)(?:了)?(?:年初)?(?:确定的|预定的)?(?:预期)?目标")
_NOT_MET_WORDS = re.compile(r"(?:没有|未能|未)(?:达到|实现|完成)(?:了)?(?:年初)?(?:确定的|预定的)?(?:预期)?目标")
_PLAN_WORDS = re.compile(rf"预期目标|主要目标|{PLAN_YEAR}|拟")
# “从去年的2.1%提高到2.3%”: a change from one figure to another.
_FROM_TO = re.compile(r"^\s*(?:左右)?[^，。；\d]{0,4}?(?:到|至)")
# “没有实现年初确定的单位国内生产总值能耗降低4%左右的目标”: the figure says what the target was.
_QUALIFIES_TARGET = re.compile(r"^[^，。；]{0,30}?的(?:预期)?目标")
# A sentence that sets this year's targets (“今年的预期目标是，新增城镇就业900万人”) states no result.
_SETS_TARGET = re.compile(r"今年|明年|目标(?:是|为)")


@dataclass(frozen=True)
class Stated:
    """A figure as a report states it: the clause (offsets into the document), its value in the indicator's unit
    as written (万人 stays 万人), the bound for a target."""

    text: str
    value: float | None
    unit: str
    bound: str  # about, at_least, at_most, range, exact; "" for a result
    high: float | None
    doc: str
    start: int
    end: int


@dataclass(frozen=True)
class TableRow:
    term: str
    year: int
    speaker: str | None
    target: Stated | None
    result: Stated | None
    status: str | None  # met, not_met, or None where the text does not decide
    reason: str  # why, in Chinese

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Table:
    terms: tuple[str, ...]
    rows: tuple[TableRow, ...]
    fired: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"terms": list(self.terms), "rows": [r.to_dict() for r in self.rows], "fired": dict(self.fired)}


def indicators_for(terms: list[str]) -> list[Indicator]:
    """The indicators a user's words name: a known term or alias, a word that is part of several indicators' names
    (失业率 → 登记 and 调查, each its own), or any other word read as an indicator of its own (“粮食产量”)."""
    out: list[Indicator] = []
    for term in terms:
        term = term.strip()
        if not term:
            continue
        known = [i for i in INDICATORS if i.term == INDICATOR_ALIASES.get(term, term)]
        known = known or [i for i in INDICATORS if term in i.term or re.fullmatch(i.names, term)]
        out += known or [Indicator(term, re.escape(term), "", not CEILING.search(term))]
    if not out:
        raise InputError("请给出要查的指标，如 经济增长、居民消费价格、城镇新增就业、城镇调查失业率。")
    return list(dict.fromkeys(out))


def _bound(text: str, fig: Figure) -> tuple[str, float | None]:
    """A target's bound as pledges read it (`bound_of`), and besides a range (6%－6.5%) and a bare figure (exact)."""
    after = ascii_digits(text[fig.end:])
    if m := _RANGE.match(after):
        return "range", float(m.group(1))
    bound = bound_of(text, fig)
    return (bound, None) if bound != "about" or _ABOUT_AFTER.match(after) else ("exact", None)


@dataclass(frozen=True)
class _Reading:
    """What one search reads for: an indicator's target (in the plan of `year`'s report) or its result for `year`."""

    ind: Indicator
    doc: str
    year: int
    target: bool
    off: frozenset[str]
    fired: dict[str, int]


def _other_year(text: str, year: int) -> bool:
    """A multi-year figure, or another year's: 年均, 累计, 五年, “十三五”, 以来, or a year other than `year` named."""
    return bool(MULTI_YEAR.search(text)) or any(int(y) != year for y in re.findall(r"((?:19|20)\d\d)年", ascii_digits(text)))


def _stated(r: _Reading, line: Span) -> Stated | None:
    """The first figure of the indicator in `line`: after its name, in its unit, the words between naming no other
    indicator and no full stop. In “从去年的2.1%提高到2.3%” the target is the figure after 到, the result the one the
    words name as last year's; a figure that qualifies a 目标 (“没有实现…降低4%左右的目标”) is no result."""
    ind = r.ind
    for m in re.finditer(ind.names, line.text):
        sentence_end = re.search(r"[。；;！？]", line.text[m.end():])
        stop = m.end() + (sentence_end.start() if sentence_end else len(line.text) - m.end())
        window = line.text[m.end(): min(stop, m.end() + _GAP_MAX + 12)]
        figs = [f for f in figures_in(window) if not ind.unit or f.unit == ind.unit]
        if not figs or figs[0].at > _GAP_MAX:
            continue
        fig = figs[0]
        if len(figs) > 1 and _FROM_TO.match(ascii_digits(window[fig.end:])) and (
                r.target or not LAST_YEAR.search(window[: fig.at])):
            fig = figs[1]
        gap = window[: fig.at]
        own = window[figs[0].end: fig.at] if fig is not figs[0] else gap  # the words that date the chosen figure
        if any(re.search(o.names, gap) for o in INDICATORS if o.term != ind.term) or "：" in gap or gap.startswith("的"):
            continue  # another indicator's figure, or one of the indicator's own (“经济增长的贡献率”)
        if ind.verbs and not re.search(ind.verbs, line.text[m.start():m.end()] + gap):
            continue
        sentence = _sentence_before(line, line.start + m.start()) + line.text[m.start(): m.end()] + own
        if "multi_year" not in r.off and _other_year(sentence, r.year):
            r.fired["multi_year"] += 1
            continue
        if not r.target and _QUALIFIES_TARGET.match(window[fig.end:]):
            continue
        bound, high = _bound(window, fig) if r.target else ("", None)
        if r.target and bound == "exact" and not _PLAN_WORDS.search(line.text[:m.start()] + gap):
            continue  # a plan's bare figure is a target only where it says it is one (目标, 今年, 拟…安排)
        start, end = line.start + m.start(), line.start + m.end() + fig.end
        if bound == "range":
            end += _RANGE.match(ascii_digits(window[fig.end:])).end()
        elif bound in ("about", "at_least", "at_most") and (after := re.match(r"\s*(?:左右|以内|以下|之内|以上|及以上)",
                                                                              window[fig.end:])):
            end += after.end()
        written = re.match(r"([\d,.]+)(?:多|余)?\s*(.*)", ascii_digits(fig.text))
        return Stated(line.text[start - line.start:end - line.start], float(written.group(1).replace(",", "")),
                      written.group(2), bound, high, r.doc, start, end)
    return None


def _verdict(ind: Indicator, target: Stated, result: Stated) -> bool | None:
    if target.unit != result.unit:
        return None
    fig, got = Figure(target.value, target.unit, target.text, 0, 0), Figure(result.value, result.unit, result.text, 0, 0)
    if target.bound == "range":
        return got.value >= target.value if ind.higher_is_better else got.value <= (target.high or target.value)
    bound = {"exact": "about"}.get(target.bound, target.bound)
    return compare(Target(target.text, target.start, target.end, ind.term, bound, fig, "", ind.higher_is_better), got)


def _sections(lines: list[Span]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The review sections, and the sections about a five-year plan (from a top heading naming one to the next)."""
    plans, open_at = [], None
    for para in lines:
        if _TOP.match(para.text):
            if open_at is not None:
                plans.append((open_at, para.start))
                open_at = None
            if _FIVE_YEAR_SECTION.search(re.split(r"[。；]", para.text, maxsplit=1)[0]):
                open_at = para.start
    if open_at is not None and lines:
        plans.append((open_at, lines[-1].end))
    return review_sections(lines), plans


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= at < e for s, e in spans)


@dataclass(frozen=True)
class Report:
    """A dated report of a speaker or body, as the table reads it."""

    doc: str
    year: int
    speaker: str | None
    lines: list[Span]

    @cached_property
    def sections(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Its review sections and five-year-plan sections, read once (every indicator and year asks)."""
        return _sections(self.lines)


def _find(ind: Indicator, report: Report, target: bool, off: frozenset[str], fired: dict[str, int]) -> Stated | None:
    """A target: the first figure in the plan part, outside sections about a five-year plan and sentences about the
    year just ended. A result: the first figure in a paragraph that names the year just ended, else in a review of
    one year (a review of five years gives the year's figures only where it names that year)."""
    reviews, plans = report.sections
    r = _Reading(ind, report.doc, report.year if target else report.year - 1, target, off, fired)
    if target:
        for line in report.lines:
            if _inside(line.start, reviews):
                continue
            found = _stated(r, line)
            if found and "plan_sections" not in off and _inside(line.start, plans):
                fired["plan_sections"] += 1
                continue
            if found and not _about_last_year(line.text[: found.start - line.start]):
                return found
        return None
    named = [line for line in report.lines if LAST_YEAR.search(line.text) or str(report.year - 1) in line.text]
    one_year = [line for line in report.lines if _inside(line.start, reviews) and not _inside(line.start, plans)]
    for line in named + one_year:
        found = _stated(r, line)
        if found and (LAST_YEAR.search(found.text) or not _SETS_TARGET.search(_sentence_before(line, found.start))):
            return found
    return None


def _about_last_year(before: str) -> bool:
    """Whether a paragraph is still speaking of the year just ended where a figure stands: it named that year
    (“过去一年，…”) and has not turned to this one since (“今年…”, “…目标是”)."""
    past = [m.end() for m in LAST_YEAR.finditer(before)]
    return bool(past) and not _SETS_TARGET.search(before, past[-1])


def _sentence_before(line: Span, at: int) -> str:
    """The words of `line`'s sentence that stand before offset `at`."""
    head = line.text[: at - line.start]
    return head[max(head.rfind(p) for p in "。！？") + 1:]


def _said(ind: Indicator, report: Report) -> tuple[bool, Stated] | None:
    """The next report's own words on whether the indicator's target was achieved, where it gives no figure."""
    reviews, _ = report.sections
    for line in report.lines:
        if reviews and not _inside(line.start, reviews):
            continue
        for m in re.finditer(ind.names, line.text):
            rest = line.text[m.end(): m.end() + _GAP_MAX]
            rest = re.split(r"[，。；,;]", rest, maxsplit=1)[0]
            if (w := _NOT_MET_WORDS.search(rest)) or (w := _MET_WORDS.search(rest)):
                start, end = line.start + m.start(), line.start + m.end() + w.end()
                said = Stated(line.text[m.start(): m.end() + w.end()], None, "", "", None, report.doc, start, end)
                return _NOT_MET_WORDS.search(rest) is None, said
    return None


def read_table(reports: list[Report], terms: list[str], since: int | None = None, until: int | None = None,
               off: frozenset[str] = frozenset()) -> Table:
    """The target table of `terms` over `reports` (each speaker's reports apart): one row per indicator and year
    that has a target in that year's report or a result in the next one."""
    if unknown := set(off) - set(TABLE_RULES):
        raise InputError(f"没有这些规则：{'、'.join(sorted(unknown))}（可选 {'、'.join(TABLE_RULES)}）。")
    indicators, fired = indicators_for(terms), {r: 0 for r in TABLE_RULES}
    by_key = {(r.speaker, r.year): r for r in sorted(reports, key=lambda r: r.doc)}
    rows: list[TableRow] = []
    for ind in indicators:
        for speaker, year in sorted({(s, y) for s, y in by_key} | {(s, y - 1) for s, y in by_key},
                                    key=lambda k: (k[1], k[0] or "")):
            if (since is not None and year < since) or (until is not None and year > until):
                continue
            plan, nxt = by_key.get((speaker, year)), by_key.get((speaker, year + 1))
            target = _find(ind, plan, True, off, fired) if plan else None
            result = _find(ind, nxt, False, off, fired) if nxt else None
            row = _row(ind, year, speaker, plan, nxt, target, result, off, fired)
            if row.target or row.result:
                rows.append(row)
    return Table(tuple(i.term for i in indicators), tuple(rows), fired)


def _row(ind: Indicator, year: int, speaker: str | None, plan: Report | None, nxt: Report | None,
         target: Stated | None, result: Stated | None, off: set[str], fired: dict[str, int]) -> TableRow:
    row = TableRow(ind.term, year, speaker, target, result, None, "")
    if target is None:
        return replace(row, reason="当年报告未收录" if plan is None else "当年报告没有提出这项目标")
    if nxt is None:
        return replace(row, reason=f"未收录{year + 1}年的报告，无从对照")
    if result is not None and "figure" not in off:
        verdict = _verdict(ind, target, result)
        if verdict is not None:
            fired["figure"] += 1
            return replace(row, status="met" if verdict else "not_met", reason="同一指标当年的数字与目标对照")
        return replace(row, reason="目标与实际的单位不同，无法比较")
    if result is None and "report_words" not in off and (said := _said(ind, nxt)):
        fired["report_words"] += 1
        return replace(row, result=said[1], status="met" if said[0] else "not_met", reason=f"次年报告称“{said[1].text}”")
    return replace(row, reason="次年报告没有给出当年的单一年份数字（或只有多年合计、平均）")


def target_table(qa, terms: str | list[str], speaker: str | None = None, since: str | None = None,
                 until: str | None = None) -> Table:
    """The table over the index behind `qa` (the QA facade): its dated reports (type 报告), one speaker's or all."""
    names = listed(terms) if isinstance(terms, str) else list(terms)
    qa._ready()
    docs = [d for d in qa.index.docs.values() if d.type == "报告" and d.date and d.date[:4].isdigit()]
    if speaker:
        docs = [d for d in docs if d.doc in require_speaker_docs(qa.index.docs, speaker)]
    if not docs:
        raise InputError("索引中没有带日期的工作报告，无法列出目标完成情况。" if not speaker
                         else f"索引中没有“{speaker}”带日期的工作报告。")
    reports = [Report(d.doc, int(d.date[:4]), d.speaker, [span for _, span in qa.index.lines(d.doc)]) for d in docs]
    first = date_bounds(parse_date(since))[0].year if since else None
    last = date_bounds(parse_date(until))[1].year if until else None
    return read_table(reports, names, first, last, qa.settings.table_rules_off())

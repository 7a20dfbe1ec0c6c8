"""The judge's checks on the sentences that would answer (the `selection` stage; see `judge.py` for the judge, its
outcomes and the checks before and after search), and what the support check weighs, for `qa fit`."""

from __future__ import annotations

import re

from qa.answer.pipeline.judge import absence, absent_words, missing_subject, register
from qa.answer.pipeline.stages import Case, Selection, Verdict
from qa.answer.question import gives_figure, gives_name, gives_place, gives_time, masks_figure
from qa.answer.synonyms import synonyms
from qa.core.records import Chunk, Citation
from qa.core.text import split_sentences

__all__ = ["threshold", "signals"]


# -- on the sentences that would answer --------------------------------------------------------------------------------

@register("selection", "none")
def _nothing_to_quote(case: Case) -> str | None:
    """No sentence of the passages read can be quoted: every one is about another year than the one asked, says
    nothing but the question's own words, or the question has no word to look for."""
    return absence(case) if not case.selection.pool or not case.selection.terms else None


@register("selection", "none")
def _subject_elsewhere(case: Case) -> str | None:
    """The name the question opens with is in the speeches but in none of the passages that would answer: they are
    about someone or something else."""
    q, chosen = case.q, case.selection.chosen
    said = ["\n".join(filter(None, (c.chunk.title, c.chunk.speaker, c.chunk.occasion, c.chunk.section, c.chunk.text)))
            for c in chosen]
    if q.subject and said and missing_subject(q.subject, said):
        return f"资料中找到的段落没有谈到“{q.subject}”，无法回答这个问题。"
    return None


def threshold(case: Case) -> float:
    """The share of the key terms the quoted sentences must say: `found_threshold`, lower when the two retrievers
    agree on the first passage, when the embedder finds it (or the best sentence) very close, or when the best
    sentence is a pledge."""
    s, sig = case.settings, signals(case)
    out = s.found_threshold_agreeing if sig["agreeing"] else s.found_threshold
    if sig["dense"] >= s.found_similarity or (sig["sentence"] or 0.0) >= s.found_sentence_similarity:
        out = min(out, s.found_threshold_similar)
    if sig["pledge"]:
        out = min(out, s.found_threshold_agreeing)
    return out


def signals(case: Case) -> dict:
    """What the support check weighs, for `qa fit`: the key terms' coverage, whether both retrievers rank the first
    passage within `agree_rank`, its dense similarity, whether the best sentence is a pledge, the closest sentence."""
    retrieval, sel = case.evidence.retrieval, case.selection
    best = sel.pool[0] if sel and sel.pool else None
    agree = retrieval.agreement(retrieval.chunks[0].id) if retrieval.chunks else None
    return {
        "coverage": sel.coverage if sel else 0.0,
        "agree": agree,  # the worse of the two retrievers' ranks of the first passage (None: one missed it)
        "agreeing": agree is not None and agree <= case.settings.agree_rank,
        "dense": retrieval.dense_similarity.get(best.chunk.id, 0.0) if best else 0.0,
        "sentence": sel.chosen[0].sim if sel and sel.chosen else None,  # the best sentence's similarity
        "pledge": best is not None and any(p.doc == best.chunk.doc and p.start == best.span.start
                                           for p in case.scope.prefer),
        "closest": case.evidence.closest,
    }


@register("selection", "related")
def _support(case: Case) -> str | None:
    """The sentences found say too little of what the question asks about: their share of its weighted key terms is
    below the threshold (see `threshold`). A paraphrase in everyday words shares few words with an official text,
    so this is evidence the judge cannot vouch for them, not evidence of absence."""
    if case.selection.coverage >= threshold(case):
        return None
    missing, who = absent_words(case), "、".join(case.scope.speakers)
    if missing:
        return f"找到的{who}段落没有提到" + "、".join(f"“{t}”" for t in missing) + "，不能确定它们回答了这个问题"
    return f"找到的{who}原文与问题的用词差别较大，不能确定它直接回答了这个问题"


def _texts(sel: Selection) -> list[str]:
    return [c.span.text for c in sel.chosen]


@register("selection", "related")
def _review_for_plan(case: Case) -> str | None:
    """The question asks what is required, planned or pledged, and the best sentence found (preferred over a plan
    section's only when those say less) lies in a section that reviews past work ("一、过去一年工作回顾"): an
    account of what was done is no requirement or plan."""
    q, chosen = case.q, case.selection.chosen
    if "plan" in q.kinds and "done" not in q.kinds and chosen and chosen[0].review:
        return "找到的原文出自对过去工作的回顾，讲的是已经做了什么，不是要求或部署"
    return None


@register("selection", "related")
def _unmeasured(case: Case) -> str | None:
    """A figure of some change is asked for ("增长了多少", "卖出多少") and the sentences never say that verb (nor a
    near-synonym): a total is no growth."""
    q, texts = case.q, _texts(case.selection)
    if (q.wants_figure and not q.wants_list and q.measured
            and not any(f in t for t in texts for f in (q.measured, *synonyms(q.measured)))):
        return f"找到的段落没有说“{q.measured}”了多少"
    return None


@register("selection", "related")
def _masked_figure(case: Case) -> Verdict | None:
    """A figure is asked for and the sentences that would give it hide it ("**条", "XX个"), as published versions of
    internal speeches do."""
    q, sel = case.q, case.selection
    if not q.wants_figure or q.wants_list or any(gives_figure(t, q.unit, q.counted) for t in _texts(sel)):
        return None
    masked = [c for c in sel.chosen if masks_figure(c.span.text, q.unit)]
    if not masked:
        return None
    return Verdict("related", "masked_figure", "原文以“**”隐去了这个数字，无法给出具体数字",
                   tuple(_cite([(c.chunk, c.span.start, c.span.end) for c in masked])))


# A part of a year: a half, a quarter, months counted within it ("上半年", "前三季度", "1—9月", "一至九月", "11月份");
# a month asked ("2018年12月…") asks for a part itself.
_PART_OF_YEAR = re.compile(r"[上下]半年|前?[一二三四1-4]季度|第[一二三四]季度"
                           r"|(?<!\d)\d{1,2}月?\s*[—\-－–~～至到]\s*\d{1,2}月|[一二三四五六七八九十]{1,2}[至到][一二三四五六七八九十]{1,2}月"
                           r"|(?<!\d)\d{1,2}月份(?!\d{1,2}日|召开|公布|发布|印发|出台)|[一二三四五六七八九十]{1,2}月份")
_MONTH_ASKED = re.compile(r"(?<!\d)\d{1,2}月|[一二三四五六七八九十]{1,2}月")
_WHOLE_YEAR = re.compile(r"全年|今年|去年|(?<!\d)\d{4}年|[〇○零0０一二三四五六七八九]{4}年|[０-９]{4}年")
_CLAUSES = re.compile(r"[，,；;：:]")


@register("selection", "related")
def _part_of_year(case: Case) -> str | None:
    """A year's figure is asked ("2018年城镇新增就业多少人") and every sentence that would give it gives it, in the
    clause that holds the figure, for a part of the year ("2018年上半年…新增就业752万人", "前三季度…"), saying no
    whole year's figure ("全年"): reports and statistics publish the half-year and quarterly figures of the same
    measure, and they are not the year's. A question naming a month or a part asks for it; a date in another clause
    ("1月份公布") is no part of the figure."""
    q = case.q
    if (not q.wants_figure or q.wants_list or not _WHOLE_YEAR.search(q.text) or _PART_OF_YEAR.search(q.text)
            or _MONTH_ASKED.search(q.text)):
        return None
    giving = [t for t in _texts(case.selection) if gives_figure(t, q.unit, q.counted)]
    parts = []
    for t in giving:
        clauses = [c for c in _CLAUSES.split(t) if gives_figure(c, q.unit, q.counted)]
        found = [m.group(0) for c in clauses if (m := _PART_OF_YEAR.search(c))]
        if "全年" in t or not clauses or len(found) < len(clauses):
            return None  # a whole year's figure, or a figure said for no part of the year
        parts.append(found[0])
    return f"找到的段落只有{parts[0]}的数字，没有全年的" if parts else None


@register("selection", "related")
def _figure(case: Case) -> str | None:
    """A figure is asked for and the sentences give none, or none in the unit asked ("几家企业" is not answered by
    "5个产业集群")."""
    q, texts = case.q, _texts(case.selection)
    if not q.wants_figure or q.wants_list:
        return None
    if any(gives_figure(t, q.unit, q.counted) for t in texts):
        return None
    if not any(gives_figure(t) for t in texts):
        return "找到的段落没有给出所问的具体数字"
    if q.unit != "个":  # 个 counts anything ("几个孩子": 3名子女)
        return f"找到的段落没有给出多少“{q.unit}”"
    return None


@register("selection", "related")
def _time(case: Case) -> str | None:
    """The question asks when, and the sentences say no time in any form (a date, an age, a period, a time relative
    to an event), nor, when it asks which year's document said something, is their document dated."""
    q, texts = case.q, _texts(case.selection)
    if "year" not in q.kinds or q.wants_figure or any(gives_time(t, q.text) for t in texts):
        return None
    if "source" in q.kinds and any(c.chunk.date for c in case.selection.chosen):
        return None  # "哪一年的报告…": the document's date answers
    return "找到的段落没有说是什么时候"


@register("selection", "related")
def _who(case: Case) -> str | None:
    """The question asks who, and the passages that would answer name no person or body the question does not name
    already (the passage, not the sentence: a name jieba does not know can escape the test in one sentence)."""
    if "who" in case.q.kinds and not any(gives_name(c.chunk.text, case.q.text) for c in case.selection.chosen):
        return "找到的段落没有提到问题之外的人名或机构名，说不出是谁"
    return None


@register("selection", "related")
def _place(case: Case) -> str | None:
    """The question asks which country or place, and the sentences name none the question does not name."""
    if "place" in case.q.kinds and not any(gives_place(t, case.q.text) for t in _texts(case.selection)):
        return "找到的段落没有说是哪个国家或地方"
    return None


# How soon after a quoted term a speech starts explaining it ("“四学四强”，即…", "“两个确保”：一是…"), or the items a
# speech lists right before the label that counts them ("企业、产业、产业链、产业生态“四个着力点”").
_EXPLAINS = re.compile(r"^[”」』]?[^。；！？]{0,8}?(?:即|是指|指的是|包括|分别是|就是|：|:|（|\(|一是|第一)")
_LIST_REACH = 60  # characters before a mention read for its items: up to five items of `_LISTED_BEFORE`'s twelve
_LISTED_BEFORE = re.compile(r"[^。；！？，、]{1,12}(?:、[^。；！？，、]{1,12})+[“「]?$")


@register("selection", "related")
def _unexplained_term(case: Case) -> Verdict | None:
    """The question asks what a quoted term consists of, and the speeches it is about only mention it, never
    spelling it out (no 即, 是指, 包括, 一是… after any mention, nor as many items as it counts listed right before
    it, see `_listed_before`)."""
    q = case.q
    if not q.quoted or not ("content" in q.kinds or q.wants_list):
        return None
    term = q.quoted[0]
    mentions = [(c, c.start + m.start()) for c in case.pool() for m in re.finditer(re.escape(term), c.text)]
    if not mentions or any(_EXPLAINS.match(c.text[p - c.start + len(term):])
                           or _listed_before(c.text[max(0, p - c.start - _LIST_REACH) : p - c.start], term)
                           for c, p in mentions):
        return None
    c, p = mentions[0]
    s = next(x for x in split_sentences(c.text) if x.start <= p - c.start < x.end)
    return Verdict("related", "unexplained_term", f"资料中只提到了“{term}”，没有具体说明它包括哪些内容",
                   tuple(_cite([(c, c.start + s.start, c.start + s.end)])))


_COUNT = re.compile(r"^([一二两三四五六七八九十])[个大项条件支]?")
_COUNTS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


def _listed_before(before: str, term: str) -> bool:
    """`before` ends with the items of `term`: as many items, separated by 、, as the count the term names
    ("企业、产业、产业链、产业生态“四个着力点”"). A term that names no count ("4567") is not spelled out by whatever
    list precedes it ("做好三篇大文章、构建“4567”…": the words before are other clauses, not its items)."""
    m, listed = _COUNT.match(term), _LISTED_BEFORE.search(before)
    return bool(m and listed and listed.group(0).count("、") + 1 == _COUNTS[m.group(1)])


def _cite(spans: list[tuple[Chunk, int, int]]) -> list[Citation]:
    out: dict[tuple[str, int], tuple[Chunk, list[tuple[int, int]]]] = {}  # passage → it and what is quoted of it
    for c, s, e in spans:
        out.setdefault((c.doc, c.start), (c, []))[1].append((s, e))
    return [Citation.of(n, c, marked) for n, (c, marked) in enumerate(out.values(), 1)]

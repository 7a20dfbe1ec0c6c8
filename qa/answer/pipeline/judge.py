"""The judge: one list of named checks, the same for every backend, each answering to one phenomenon of questions or
of speeches (its docstring names it). A check looks at one stage's record (`question`: the Scope, before any search;
`evidence`: the passages read; `selection`: the sentences that would answer) and, when it fires, decides the outcome:

- "none" only on positive evidence that the speeches do not hold the answer: a judgement is asked for, or a speaker,
  name, work, meeting or year asked about is in no speech (or in none of the passages read), or nothing read is
  about the question at all (the calibrated similarity floor);
- "related" when the judge cannot vouch for the sentences found: they are quoted and cited as the closest, under a
  plain statement that they do not answer directly.

Every check can be switched off (`QA_CHECKS_OFF=support,time`) and is counted (`Judge.fired`; `qa eval --checks`
shows each check's count and the set's figures with it off)."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from qa.answer.pipeline.documents import missing_document
from qa.answer.pipeline.stages import Evidence, Scope, Selection, Verdict
from qa.answer.question import (
    INTERROGATIVE,
    Question,
    gives_figure,
    gives_name,
    gives_place,
    gives_time,
    masks_figure,
)
from qa.answer.synonyms import synonyms
from qa.answer.terms import structural
from qa.core.errors import ConfigError
from qa.core.records import Chunk, Citation, Document
from qa.core.settings import Settings
from qa.core.speakers import known_speakers, mentioned_speakers, unknown_speaker_in
from qa.core.text import STOPWORDS, general_frequency, split_sentences

__all__ = ["Judge", "Case", "CHECKS", "missing_subject", "threshold", "signals", "absent_words"]

STAGES = ("question", "evidence", "selection")


@dataclass(frozen=True)
class Case:
    """What the checks of one question read: the stage records so far and the index they come from."""

    scope: Scope
    docs: Mapping[str, Document]
    said: Callable[[], list[str]]  # every speech's text
    pool: Callable[[], list[Chunk]]  # the passages of the speeches the question is about (read only when needed)
    settings: Settings
    floor: float | None = None  # the calibrated similarity below which nothing read is about the question
    evidence: Evidence | None = None
    selection: Selection | None = None

    @property
    def q(self) -> Question:
        return self.scope.question


@dataclass(frozen=True)
class Check:
    name: str
    stage: str
    outcome: str
    test: Callable[[Case], str | Verdict | None]

    @property
    def phenomenon(self) -> str:
        return " ".join((self.test.__doc__ or "").split())


CHECKS: list[Check] = []


def _check(stage: str, outcome: str) -> Callable:
    def register(test: Callable[[Case], str | Verdict | None]) -> Callable:
        CHECKS.append(Check(test.__name__.lstrip("_"), stage, outcome, test))
        return test
    return register


class Judge:
    """Runs the checks of a stage in order; the first that fires decides. `off`: names of checks switched off."""

    def __init__(self, off: Iterable[str] = ()) -> None:
        self.off = frozenset(n.strip() for n in off if n.strip())
        if unknown := self.off - {c.name for c in CHECKS}:
            raise ConfigError(f"QA_CHECKS_OFF：没有名为 {'、'.join(sorted(unknown))} 的检查。"
                              f"可选：{', '.join(c.name for c in CHECKS)}")
        self.fired: Counter[str] = Counter()
        self._lock = threading.Lock()

    def run(self, stage: str, case: Case) -> Verdict | None:
        for c in CHECKS:
            if c.stage != stage or c.name in self.off:
                continue
            got = c.test(case)
            if got is None:
                continue
            with self._lock:
                self.fired[c.name] += 1
            return got if isinstance(got, Verdict) else Verdict(c.outcome, c.name, got)
        return None


# -- before any search ------------------------------------------------------------------------------------------------

@_check("question", "none")
def _opinion(case: Case) -> str | None:
    """A request for a judgement, a ranking or a forecast ("你觉得…", "哪项最难", "能不能完成"): speeches state what
    was said; they do not judge for us."""
    if "opinion" in case.q.kinds:
        return "讲话材料只记录讲了什么，不对此作评价、排序或预测，无法回答这个问题。可以改问讲话中对此是怎么说的。"
    return None


@_check("question", "none")
def _unknown_speaker(case: Case) -> str | None:
    """The speaker or body the question is about (a title such as 省长, 市政协) gave no speech in the index; for a
    question asking for commitments, any speaker it names. A speech whose speaker is not known (one that opens with
    同志们：) may be theirs: when such a speech names them or their body ("服务中心" of 服务中心主任), it is not
    refused but searched."""
    if case.scope.filtered or mentioned_speakers(case.docs, case.q.text):
        return None
    name = unknown_speaker_in(case.docs, case.q.text, subject_only=not case.scope.pledge_question)
    if name and _in_anonymous_speech(case, name):
        return None
    if name:
        known = "、".join(known_speakers(case.docs)) or "（无）"
        return f"资料中没有找到“{name}”的讲话。已收录的讲话人：{known}。"
    return None


_TITLE = re.compile(r"(?:书记|市长|省长|区长|县长|镇长|局长|主任|部长|厅长|主席|委员|总理)$")


def _in_anonymous_speech(case: Case, name: str) -> bool:
    """A speech whose speaker is not known names `name`, or its body (the name without its title)."""
    anonymous = {d.doc for d in case.docs.values() if not d.speaker}
    probes = [x for x in {name, _TITLE.sub("", name)} if len(x) >= 3 or (len(x) == 2 and x == name)]
    return bool(anonymous) and any(p in c.text for c in case.pool() if c.doc in anonymous for p in probes)


@_check("question", "none")
def _absent_document(case: Case) -> str | None:
    """The question names a year's document of a kind the index holds ("2024年政府工作报告"), but not for that year:
    another year's document does not answer it; the years held are listed."""
    return None if case.scope.filtered else missing_document(case.q, case.docs)


@_check("question", "none")
def _absent_person(case: Case) -> str | None:
    """A person the question names is in no document at all: no speech of theirs, and none that mentions them, is
    held. A personal name is a word jieba tags as one, of two to four characters, that opens with a common surname
    (jieba also tags fragments of its cut as names: "宝押" of "把宝押在…"); it counts as said when it is said with
    its last character left off (jieba glues one on: "魏舒史" of "魏舒史称…")."""
    if case.scope.filtered:
        return None
    said = case.said()
    for w, flag in case.q.tagged:
        if flag not in ("nr", "nrfg", "nrt") or not 2 <= len(w) <= 4 or not w.startswith(_SURNAMES):
            continue
        if not any(p in x for p in {w, w[:-1] if len(w) > 2 else w} for x in said):
            name = case.q.subject if case.q.subject and case.q.subject.startswith(w) else w  # 黄华 of 黄华麒
            return f"资料中没有找到“{name}”的讲话或相关内容，无法回答这个问题。"
    return None


# The commonest Chinese surnames (and the compound ones still in use): a personal name opens with one.
_SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                  "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
                  "习邢温") + ("欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "皇甫", "尉迟", "公孙")


@_check("question", "none")
def _absent_subject(case: Case) -> str | None:
    """The name the question opens with (a word no dictionary knows, as a person's name) occurs in no speech."""
    if case.q.subject and missing_subject(case.q.subject, case.said()):
        return f"资料中没有找到关于“{case.q.subject}”的内容，无法回答这个问题。"
    return None


_QUOTED_TERM = 8  # "四学四强", "省42条", "万人助万企": terms; "制造业高质量发展是重中之重": a sentence
# How a question names a numbered meeting: "十四届全国人大一次会议", "第二次党代会".
_MEETING = re.compile(r"[\u4e00-\u9fff]{0,3}第[一二三四五六七八九十百\d]+(?:次|届)[\u4e00-\u9fff]{0,10}?(?:党代会|代表大会|全会|会议|大会)")


@_check("question", "none")
def _absent_anchor(case: Case) -> str | None:
    """A specific thing the question names, which an answering speech would contain verbatim: a quoted term (of at
    most `_QUOTED_TERM` characters: a longer quotation, a sentence, staff quote from memory), a work
    in 《》, a numbered meeting, a year or a compound term ("房地产税", not its head "房地产"), in none of the speeches the question is about (a year also counts written
    without 年, or as the speech's own date)."""
    q = case.q
    quoted = [t for t in q.quoted if len(t) <= _QUOTED_TERM]  # a longer quotation is often quoted from memory
    terms = list(dict.fromkeys([*quoted, *q.titles, *(m.group(0) for m in _MEETING.finditer(q.text)),
                                *(f"{y}年" for y in q.years), *q.compounds]))
    if not terms:
        return None
    pool = case.pool()
    texts = [c.text for c in pool] + [" ".join(filter(None, (c.title, c.occasion, c.section, c.date))) for c in pool]
    for t in terms:
        probe = t[:-1] if re.fullmatch(r"\d{4}年", t) else t
        if not any(probe in x for x in texts):
            who = "、".join(case.scope.speakers)
            return f"资料中没有找到{who}关于“{t}”的内容，无法回答这个问题。"
    return None


def missing_subject(subject: str, texts: list[str]) -> bool:
    """True when `subject` occurs in none of the texts. It also counts with one or two characters fewer at its end,
    which jieba may have glued onto an unknown name ("魏舒把筑修城墙…" → 魏舒把筑)."""
    probes = [subject] + [subject[:-n] for n in (1, 2) if len(subject) - n >= 2]
    return not any(p in x for p in probes for x in texts)


# -- on the passages read -----------------------------------------------------------------------------------------------

NOT_FOUND = "资料中没有找到能回答这个问题的内容。"


@_check("evidence", "none")
def _nothing_read(case: Case) -> str | None:
    """No passage is left to read: the speeches the question or the filters name hold none."""
    return None if case.evidence.retrieval.chunks else NOT_FOUND


@_check("evidence", "none")
def _unrelated(case: Case) -> str | None:
    """Nothing read is about the question: its closest sentence is less similar in meaning than the calibrated floor
    (`QA_UNRELATED_SIMILARITY`, or the embedder's own value)."""
    floor, closest = case.floor, case.evidence.closest
    return _absent(case) if floor is not None and closest is not None and closest < floor else None


# Latin words that carry no topic: an English question must not be refused for want of "what", "did", "the".
_LATIN_STOP = frozenset("""a an the of to in on at for from by with about and or but not no is are was were be been
being do does did done have has had what which who whom whose when where why how that this these those it its
he she they them his her their we our you your i me my say says said tell told mention mentioned can could
would should will shall may might must please""".split())
_NAMES = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})


def absent_words(case: Case, limit: int = 3) -> list[str]:
    """At most `limit` content words of the question that no passage read says (nor a near-synonym of them): nouns,
    verbs, adjectives and names that a dictionary knows or that are tagged as names. Never function words, the words
    that shape a question (interrogatives, prepositions, 承诺/打算), fragments of jieba's cut ("上该", "对来") or
    Latin stop words."""
    q = case.q
    seen = " ".join(c.context() for c in case.evidence.retrieval.chunks).lower() if case.evidence else ""
    out: list[str] = []
    for w, flag in q.tagged:
        low = w.lower()
        if (len(w) < 2 or w in STOPWORDS or INTERROGATIVE.search(w) or w in q.never or w in q.unnamed
                or low in _LATIN_STOP or structural(w) or w in out):
            continue
        known = general_frequency(w) > 0 or flag in _NAMES or (flag == "eng" and len(w) > 2)
        if not known or not (flag[0] in "nvaijl" or flag == "eng"):
            continue
        if not any(f in seen for f in (low, *(synonyms(w) if case.settings.synonyms else ()))):
            out.append(w)
    return out[:limit]


def _absent(case: Case) -> str:
    """A "none" refusal, naming what the passages read do not say when that is a content word of the question."""
    missing = absent_words(case)
    if not missing:
        return NOT_FOUND
    who = "、".join(case.scope.speakers)
    return f"资料中没有找到{who}关于" + "、".join(f"“{t}”" for t in missing) + "的内容，无法回答这个问题。"


# -- on the sentences that would answer --------------------------------------------------------------------------------

@_check("selection", "none")
def _nothing_to_quote(case: Case) -> str | None:
    """No sentence of the passages read can be quoted: every one is about another year than the one asked, says
    nothing but the question's own words, or the question has no word to look for."""
    return _absent(case) if not case.selection.pool or not case.selection.terms else None


@_check("selection", "none")
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


@_check("selection", "related")
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


@_check("selection", "related")
def _review_for_plan(case: Case) -> str | None:
    """The question asks what is required, planned or pledged, and the best sentence found (preferred over a plan
    section's only when those say less) lies in a section that reviews past work ("一、过去一年工作回顾"): an
    account of what was done is no requirement or plan."""
    q, chosen = case.q, case.selection.chosen
    if "plan" in q.kinds and "done" not in q.kinds and chosen and chosen[0].review:
        return "找到的原文出自对过去工作的回顾，讲的是已经做了什么，不是要求或部署"
    return None


@_check("selection", "related")
def _unmeasured(case: Case) -> str | None:
    """A figure of some change is asked for ("增长了多少", "卖出多少") and the sentences never say that verb (nor a
    near-synonym): a total is no growth."""
    q, texts = case.q, _texts(case.selection)
    if (q.wants_figure and not q.wants_list and q.measured
            and not any(f in t for t in texts for f in (q.measured, *synonyms(q.measured)))):
        return f"找到的段落没有说“{q.measured}”了多少"
    return None


@_check("selection", "related")
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


@_check("selection", "related")
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


@_check("selection", "related")
def _time(case: Case) -> str | None:
    """The question asks when, and the sentences say no time in any form (a date, an age, a period, a time relative
    to an event), nor, when it asks which year's document said something, is their document dated."""
    q, texts = case.q, _texts(case.selection)
    if "year" not in q.kinds or q.wants_figure or any(gives_time(t, q.text) for t in texts):
        return None
    if "source" in q.kinds and any(c.chunk.date for c in case.selection.chosen):
        return None  # "哪一年的报告…": the document's date answers
    return "找到的段落没有说是什么时候"


@_check("selection", "related")
def _who(case: Case) -> str | None:
    """The question asks who, and the passages that would answer name no person or body the question does not name
    already (the passage, not the sentence: a name jieba does not know can escape the test in one sentence)."""
    if "who" in case.q.kinds and not any(gives_name(c.chunk.text, case.q.text) for c in case.selection.chosen):
        return "找到的段落没有提到问题之外的人名或机构名，说不出是谁"
    return None


@_check("selection", "related")
def _place(case: Case) -> str | None:
    """The question asks which country or place, and the sentences name none the question does not name."""
    if "place" in case.q.kinds and not any(gives_place(t, case.q.text) for t in _texts(case.selection)):
        return "找到的段落没有说是哪个国家或地方"
    return None


# How soon after a quoted term a speech starts explaining it ("“四学四强”，即…", "“两个确保”：一是…"), or the items a
# speech lists right before the label that counts them ("企业、产业、产业链、产业生态“四个着力点”").
_EXPLAINS = re.compile(r"^[”」』]?[^。；！？]{0,8}?(?:即|是指|指的是|包括|分别是|就是|：|:|（|\(|一是|第一)")
_LISTED_BEFORE = re.compile(r"[^。；！？，、]{1,12}(?:、[^。；！？，、]{1,12})+[“「]?$")


@_check("selection", "related")
def _unexplained_term(case: Case) -> Verdict | None:
    """The question asks what a quoted term consists of, and the speeches it is about only mention it, never
    spelling it out (no 即, 是指, 包括, 一是… after any mention, nor the items listed right before it)."""
    q = case.q
    if not q.quoted or not ("content" in q.kinds or q.wants_list):
        return None
    term = q.quoted[0]
    mentions = [(c, c.start + m.start()) for c in case.pool() for m in re.finditer(re.escape(term), c.text)]
    if not mentions or any(_EXPLAINS.match(c.text[p - c.start + len(term):])
                           or _LISTED_BEFORE.search(c.text[max(0, p - c.start - 60) : p - c.start]) for c, p in mentions):
        return None
    c, p = mentions[0]
    s = next(x for x in split_sentences(c.text) if x.start <= p - c.start < x.end)
    return Verdict("related", "unexplained_term", f"资料中只提到了“{term}”，没有具体说明它包括哪些内容",
                   tuple(_cite([(c, c.start + s.start, c.start + s.end)])))


def _cite(spans: list[tuple[Chunk, int, int]]) -> list[Citation]:
    out: dict[tuple[str, int], Citation] = {}
    for c, s, e in spans:
        if (c.doc, c.start) not in out:
            out[c.doc, c.start] = Citation.of(len(out) + 1, c)
        out[c.doc, c.start].highlights.append([s, e])
    return list(out.values())

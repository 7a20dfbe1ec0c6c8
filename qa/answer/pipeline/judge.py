"""The judge: one list of named checks, the same for every backend, each answering to one phenomenon of questions or
of speeches (its docstring names it). A check looks at one stage's record (`question`: the Scope, before any search;
`evidence`: the passages read; `selection`: the sentences that would answer) and, when it fires, decides the outcome:

- "none" only on positive evidence that the speeches do not hold the answer: a judgement is asked for, or a speaker,
  name, work, meeting or year asked about is in no speech (or in none of the passages read), or nothing read is
  about the question at all (the calibrated similarity floor);
- "related" when the judge cannot vouch for the sentences found: they are quoted and cited as the closest, under a
  plain statement that they do not answer directly.

The checks on the sentences that would answer are in `judge_selection.py`. Every check can be switched off
(`QA_CHECKS_OFF=support,time`) and is counted (`Judge.fired`; `qa eval --checks` shows each check's count and the
set's figures with it off, and each rule of `RULES` with them, in one table). The constraints a check weighs are the
question's `constraints`, read once by the question analyser."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qa.answer.constraints import year_forms as _year_forms
from qa.answer.pipeline.documents import missing_document
from qa.answer.pipeline.stages import Case, Verdict
from qa.answer.question import (
    INTERROGATIVE,
)
from qa.answer.synonyms import synonyms
from qa.answer.terms import structural
from qa.core.chinese import opens_with_surname
from qa.core.errors import ConfigError
from qa.core.speakers import known_speakers, mentioned_speakers, unknown_speaker_in, without_title
from qa.core.text import STOPWORDS, general_frequency

__all__ = ["Judge", "CHECKS", "RULES", "register", "missing_subject", "absent_words", "absence"]

STAGES = ("question", "evidence", "selection")


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


def register(stage: str, outcome: str, before: str | None = None) -> Callable:
    """Registers a check of `stage` giving `outcome`, last, or right `before` the check so named (a check in
    another module that must be tried before one of this list)."""
    def register(test: Callable[[Case], str | Verdict | None]) -> Callable:
        at = next((i for i, c in enumerate(CHECKS) if c.name == before), len(CHECKS))
        CHECKS.insert(at, Check(test.__name__.lstrip("_"), stage, outcome, test))
        return test
    return register


# Rules of the answer path that shape what is read or quoted rather than decide the outcome (a list gathered after
# its lead, a document named by its congress): name → the phenomenon it answers to. Switched off and counted with
# the checks (`QA_CHECKS_OFF`, `Judge.fired`).
RULES: dict[str, str] = {
    "run_in_list": "A lead sentence announces a count of items (着力从六个关键维度…) and as many run-in headings follow, "
                   "each a short sentence of its own opening alike (推进产业基础高级化。…): the items are quoted, in order.",
    "list_lead": "A list question (哪些, 哪三个…) is answered by an enumeration: when the best sentence opens none but "
                 "another sentence saying as much of the question opens or announces one (一是…, 当好三个表率), that "
                 "one leads and its items are gathered.",
    "congress_document": "A question names a party congress's report (党的十八大报告, 党的第三次全国代表大会上的报告): the "
                         "document given at that congress, as its occasion, title or opening says, is the one answered from.",
    "document_day": "A question asks on which day a named document was given (党的十九大报告是哪一天作的): its date, as "
                    "the index knows it, is told and cited to the header line that says it.",
}


class Judge:
    """Runs the checks of a stage in order; the first that fires decides. `off`: names of checks (and of `RULES`)
    switched off."""

    def __init__(self, off: Iterable[str] = ()) -> None:
        self.off = frozenset(n.strip() for n in off if n.strip())
        if unknown := self.off - {c.name for c in CHECKS} - RULES.keys():
            raise ConfigError(f"QA_CHECKS_OFF：没有名为 {'、'.join(sorted(unknown))} 的检查。"
                              f"可选：{', '.join([*(c.name for c in CHECKS), *RULES])}")
        self.fired: Counter[str] = Counter()
        self._lock = threading.Lock()

    def allows(self, rule: str) -> bool:
        """Whether a rule of `RULES` is on."""
        return rule not in self.off

    def count(self, rule: str) -> None:
        """A rule of `RULES` shaped an answer."""
        with self._lock:
            self.fired[rule] += 1

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

@register("question", "none")
def _opinion(case: Case) -> str | None:
    """A request for a judgement, a ranking or a forecast ("你觉得…", "哪项最难", "能不能完成"): speeches state what
    was said; they do not judge for us."""
    if "opinion" in case.q.kinds:
        return "讲话材料只记录讲了什么，不对此作评价、排序或预测，无法回答这个问题。可以改问讲话中对此是怎么说的。"
    return None


@register("question", "none")
def _unknown_speaker(case: Case) -> str | None:
    """The speaker or body the question is about (a title such as 省长, 市政协) gave no speech in the index; for a
    question asking for commitments, any speaker it names. A speech whose speaker is not known (one that opens with
    同志们：) may be theirs: when such a speech names them or their body ("服务中心" of 服务中心主任), it is not
    refused but searched."""
    if case.scope.filtered or mentioned_speakers(case.docs, case.q.text):
        return None
    if case.scope.documents and "giver" in case.q.kinds:
        return None  # "2023年的政府工作报告是在第几届全国人大…作的": the document is asked about, not 全国人大's speech
    name = unknown_speaker_in(case.docs, case.q.text, subject_only=not case.scope.pledge_question)
    if name and _in_anonymous_speech(case, name):
        return None
    if name:
        known = "、".join(known_speakers(case.docs)) or "（无）"
        return f"资料中没有找到“{name}”的讲话。已收录的讲话人：{known}。"
    return None


def _in_anonymous_speech(case: Case, name: str) -> bool:
    """A speech whose speaker is not known names `name`, or its body (the name without its title)."""
    anonymous = {d.doc for d in case.docs.values() if not d.speaker}
    probes = [x for x in {name, without_title(name)} if len(x) >= 3 or (len(x) == 2 and x == name)]
    return bool(anonymous) and any(p in c.text for c in case.pool() if c.doc in anonymous for p in probes)


@register("question", "none")
def _absent_document(case: Case) -> str | None:
    """The question names a year's document of a kind the index holds ("2024年政府工作报告"), but not for that year:
    another year's document does not answer it; the years held are listed."""
    return None if case.scope.filtered else missing_document(case.q, case.docs)


@register("question", "none")
def _absent_person(case: Case) -> str | None:
    """A person the question names is in no document at all: no speech of theirs, and none that mentions them, is
    held. A personal name is a word jieba tags as one, of two to four characters, that opens with a common surname
    (jieba also tags fragments of its cut as names: "宝押" of "把宝押在…"); it counts as said when it is said with
    its last character left off (jieba glues one on: "魏舒史" of "魏舒史称…")."""
    if case.scope.filtered:
        return None
    said = case.said()
    for w, flag in case.q.tagged:
        if flag not in ("nr", "nrfg", "nrt") or not 2 <= len(w) <= 4 or not opens_with_surname(w):
            continue
        if not any(p in x for p in {w, w[:-1] if len(w) > 2 else w} for x in said):
            name = case.q.subject if case.q.subject and case.q.subject.startswith(w) else w  # 黄华 of 黄华麒
            return f"资料中没有找到“{name}”的讲话或相关内容，无法回答这个问题。"
    return None


@register("question", "none")
def _absent_subject(case: Case) -> str | None:
    """The name the question opens with (a word no dictionary knows, as a person's name) occurs in no speech."""
    if case.q.subject and missing_subject(case.q.subject, case.said()):
        return f"资料中没有找到关于“{case.q.subject}”的内容，无法回答这个问题。"
    return None


_QUOTED_TERM = 8  # "四学四强", "省42条", "万人助万企": terms; "制造业高质量发展是重中之重": a sentence


@register("question", "none")
def _absent_anchor(case: Case) -> str | None:
    """A specific thing the question names, which an answering speech would contain verbatim: a quoted term (of at
    most `_QUOTED_TERM` characters: a longer quotation, a sentence, staff quote from memory), a work
    in 《》, a numbered meeting, a year or a compound term ("房地产税", not its head "房地产"), in none of the speeches the question is about (a year also counts written
    without 年, or as the speech's own date)."""
    q = case.q
    quoted = [t for t in q.quoted if len(t) <= _QUOTED_TERM]  # a longer quotation is often quoted from memory
    terms = list(dict.fromkeys([*quoted, *q.titles, *q.constraints.meetings,
                                *(f"{y}年" for y in q.years), *q.compounds]))
    if not terms:
        return None
    pool = case.pool()
    texts = [c.text for c in pool] + [" ".join(filter(None, (c.title, c.occasion, c.section, c.date))) for c in pool]
    for t in terms:
        probes = _year_forms(t[:-1]) if re.fullmatch(r"\d{4}年", t) else (t,)
        if not any(probe in x for probe in probes for x in texts):
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


@register("evidence", "none")
def _nothing_read(case: Case) -> str | None:
    """No passage is left to read: the speeches the question or the filters name hold none."""
    return None if case.evidence.retrieval.chunks else NOT_FOUND


@register("evidence", "none")
def _unrelated(case: Case) -> str | None:
    """Nothing read is about the question: its closest sentence is less similar in meaning than the calibrated floor
    (`QA_UNRELATED_SIMILARITY`, or the embedder's own value)."""
    floor, closest = case.floor, case.evidence.closest
    return absence(case) if floor is not None and closest is not None and closest < floor else None


_NAMED_ABSENT = 3  # words a refusal names as missing, at most: more reads as a list of the question's words

# Latin words that carry no topic: an English question must not be refused for want of "what", "did", "the".
_LATIN_STOP = frozenset("""a an the of to in on at for from by with about and or but not no is are was were be been
being do does did done have has had what which who whom whose when where why how that this these those it its
he she they them his her their we our you your i me my say says said tell told mention mentioned can could
would should will shall may might must please""".split())
_NAMES = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})


def absent_words(case: Case, limit: int = _NAMED_ABSENT) -> list[str]:
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


def absence(case: Case) -> str:
    """A "none" refusal, naming what the passages read do not say when that is a content word of the question."""
    missing = absent_words(case)
    if not missing:
        return NOT_FOUND
    who = "、".join(case.scope.speakers)
    return f"资料中没有找到{who}关于" + "、".join(f"“{t}”" for t in missing) + "的内容，无法回答这个问题。"

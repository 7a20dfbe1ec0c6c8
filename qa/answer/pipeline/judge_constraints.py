"""The judge's checks that a constraint the question states is not contradicted by what the speeches say (the
`evidence` stage; see `judge.py` for the judge and its outcomes). A sentence that shares the question's words but
names another qualifier of its head (登记失业率 for 调查失业率) or another numbered meeting (二次全会 for 三次全会)
states another thing: the answer would be given because the words match, not because it says what was asked."""

from __future__ import annotations

import re

from qa.answer.constraints import Ordinal, ordinals, said_with, same_meeting
from qa.answer.pipeline.judge import register
from qa.answer.pipeline.judge_selection import threshold
from qa.answer.pipeline.stages import Case, Verdict
from qa.core.records import Chunk, Citation
from qa.core.text import split_sentences

__all__: list[str] = []


def _texts(c: Chunk) -> str:
    return "\n".join(filter(None, (c.text, c.title, c.occasion)))


def _read_first(case: Case) -> list[Chunk]:
    """The passages read, then the rest of the speeches the question is about (where a mention is cited from)."""
    read = list(case.evidence.retrieval.chunks)
    held = {c.id for c in read}
    return read + [c for c in case.pool() if c.id not in held]


def _cited(c: Chunk, offset: int) -> tuple[Citation, ...]:
    """The sentence of `c` at `offset` (relative to its text), cited; nothing when `offset` lies in its header."""
    s = next((x for x in split_sentences(c.text) if x.start <= offset < x.end), None)
    return () if s is None else (Citation.of(1, c, [(c.start + s.start, c.start + s.end)]),)


@register("evidence", "none")
def _contradicted(case: Case) -> Verdict | None:
    """A constraint of the question is contradicted: the speeches it is about never say the qualified term it asks
    about ("城镇调查失业率") but say the same head with another qualifier of its group ("城镇登记失业率": another
    statistic; 中央/地方, 城镇/农村, 进口/出口…), or never name the numbered meeting it asks about ("十三届三次全会",
    "三中全会") but name meetings of the same kind and term numbered otherwise ("二次全会"). The other one does not
    answer; the reason names both, and the mention of the other is cited. The question's qualified heads and
    meetings are its `constraints`, read once."""
    asked, meetings = case.q.constraints.qualifiers, case.q.constraints.ordinals
    if not asked and not meetings:
        return None
    pool = case.pool()
    for qd in asked:
        if any(said_with(_texts(c), qd.qualifier, qd.head) for c in pool):
            continue
        for c in _read_first(case):
            m = next((m for other in qd.others if (m := said_with(c.text, other, qd.head))), None)
            if m:
                return Verdict("none", "contradicted", f"资料中只有“{m.group(0)}”的内容，没有“{qd.term}”的，"
                               "无法回答这个问题。", _cited(c, m.start()))
    for o in meetings:
        said = [(c, x) for c in pool for x in ordinals(_texts(c))]
        if any(same_meeting(o, x) for _, x in said):
            continue
        others = [(c, x) for c, x in said if o.comparable(x)]
        if others:
            return _other_meeting(o, others)
    return None


def _other_meeting(asked: Ordinal, others: list[tuple[Chunk, Ordinal]]) -> Verdict:
    named = list(dict.fromkeys(x.text for _, x in others))[:3]
    c, x = others[0]
    at = c.text.find(x.text)
    return Verdict("none", "contradicted", f"资料中只有{'、'.join(named)}的内容，没有{asked.text}的，无法回答这个问题。",
                   _cited(c, at) if at >= 0 else ())


@register("selection", "none", before="support")
def _absent_topic(case: Case) -> str | None:
    """The topic is in no document: the sentences found say too little of the question (the `support` check would
    give them as related), and its weightiest key term (idf × specificity: what it is about, not how it asks), a
    noun or a set phrase of the question's own cut (a verb, "识别", is how it is said: speeches say it otherwise; a
    fragment where jieba's two cuts differ, "讲要" of "书记讲要拿…", is no word of it, nor one it tags as a name or
    place, "宝押" of "把宝押在…"), is said by no speech in the index, in its own words or a near-synonym ("共享单车" when no speech says it). Showing
    the sentences that share only its shaping words (问题, 市里, 要求) as "related" would be showing unrelated text.
    Sentences that say another of its topic terms (a key term weighing at least half as much) in its own words are
    related, and stay shown as such. When the question names its document ("党的十八大报告里讲的中国式现代化…"), its weightiest term said nowhere in
    that document is evidence enough, whatever the other words share: another document's term is not this one's."""
    sel = case.selection
    content = {t: w for t, w in sel.terms.items()
               if t not in case.q.never and t not in case.q.unnamed and not re.search(r"\d", t)}  # a year: a constraint
    if not content or (sel.coverage >= threshold(case) and not case.scope.documents):
        return None
    topic = max(content, key=content.__getitem__)
    flag = dict(case.q.tagged).get(topic, "-")
    if not flag.startswith(("n", "j", "l", "i")) or flag in ("nr", "nrfg", "nrt", "ns"):
        return None  # a verb ("识别"): how it is said; a fragment of a cut ("讲要"), or one jieba takes for a name
        # ("把宝押在" → 宝押 nr, "产业扎堆" → 扎堆 ns: `absent_person` answers for real names)
    forms = [f for f, _ in sel.forms.get(topic, ())] or [topic]
    said = case.said() if not case.scope.documents else [_texts(c) for c in case.pool()]
    if any(f in x for f in forms for x in said):
        return None
    if any(all(any(part in x for x in said) for part in (topic[:i], topic[i:])) for i in range(2, len(topic) - 1)):
        return None  # two words jieba glued ("考察干部"), each of which the speeches say
    heavy = {t for t, w in content.items() if w >= content[topic] / 2 and t != topic}
    shown = sel.pool[: case.settings.answer.related_sentences]
    if any(c.covered.get(t, 0.0) >= 1.0 for c in shown for t in heavy):
        return None  # the closest sentences share another of its topic terms in its own words: related indeed
    who = "、".join(case.scope.speakers)
    return f"资料中没有找到{who}关于“{topic}”的内容，无法回答这个问题。"

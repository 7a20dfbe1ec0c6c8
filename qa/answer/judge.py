"""Answerability: whether the speeches can answer a question, judged the same way for every backend.

A question is refused, with a reason in content words, when
- it asks for an opinion, a ranking or a forecast (speeches state; they do not judge for us);
- its subject is a speaker or body that gave no speech in the index;
- the name it opens with (a word no dictionary knows, such as a person's name) occurs in no speech at all, or
  not in the passages the answer would quote (they are about someone else);
- a specific thing it names (a quoted term, a work in 《》, a numbered meeting, a year) occurs in none of the
  speeches it is about — the named speaker's, or all of them;
- it asks for a figure and the sentences that would answer give none, or give it masked (`**`), or never say the
  verb it is asked of ("经济增长了多少" is not answered by a total that is not said to have grown);
- it asks when, and the sentences that would answer say no time at all (no date, age, period or event after which);
- it asks who, and the passages that would answer name no person or body the question does not already name (the
  passage, not the sentence: a name jieba does not know, such as 大久保笃, can escape the test in one sentence);
- it asks what a quoted term consists of and the speeches only mention it.
Refusals that rest on a passage (a masked figure, a bare mention) cite it, so staff can see why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from qa.answer.question import Question, gives_figure, gives_name, gives_place, gives_time, masks_figure
from qa.answer.synonyms import synonyms
from qa.core.records import Chunk, Citation, Document
from qa.core.speakers import known_speakers, mentioned_speakers, unknown_speaker_in
from qa.core.text import split_sentences

__all__ = ["Refusal", "refuse_before_search", "anchors", "missing_anchor", "missing_subject", "check_answer"]

# How far after a quoted term the speech must start explaining it ("“四学四强”，即…", "“两个确保”：一是…").
_EXPLAINS = re.compile(r"^[”」』]?[^。；！？]{0,8}?(?:即|是指|指的是|包括|分别是|就是|：|:|（|\(|一是|第一)")
_MEETING = re.compile(r"[\u4e00-\u9fff]{0,3}第[一二三四五六七八九十百\d]+(?:次|届)[\u4e00-\u9fff]{0,10}?(?:党代会|代表大会|全会|会议|大会)")


@dataclass
class Refusal:
    text: str
    citations: list[Citation] = field(default_factory=list)


def _known(docs: Mapping[str, Document]) -> str:
    return "、".join(known_speakers(docs)) or "（无）"


def refuse_before_search(q: Question, docs: Mapping[str, Document]) -> Refusal | None:
    if "opinion" in q.kinds:
        return Refusal("讲话材料只记录讲了什么，不对此作评价、排序或预测，无法回答这个问题。可以改问讲话中对此是怎么说的。")
    if not mentioned_speakers(docs, q.text) and (name := unknown_speaker_in(docs, q.text, subject_only=True)):
        return Refusal(f"资料中没有找到“{name}”的讲话。已收录的讲话人：{_known(docs)}。")
    return None


def anchors(q: Question) -> list[str]:
    """The specific things a question names, which a speech that answers it must contain verbatim: quoted terms,
    works in 《》, numbered meetings, years. (Rare words were tried too: no frequency list tells a domain term from
    a paraphrase. The name a question opens with is its subject: see `missing_subject`.)"""
    return list(dict.fromkeys([*q.quoted, *q.titles, *(m.group(0) for m in _MEETING.finditer(q.text)),
                               *(f"{y}年" for y in q.years)]))


def missing_anchor(terms: list[str], texts: list[str]) -> str | None:
    """The first anchor that occurs in none of the texts (a year also counts when written without 年)."""
    for t in terms:
        probe = t[:-1] if re.fullmatch(r"\d{4}年", t) else t
        if not any(probe in x for x in texts):
            return t
    return None


def missing_subject(subject: str, texts: list[str]) -> bool:
    """True when the name a question opens with occurs in none of the texts (all the speeches: a question may name
    one body and ask about another's speech). It also counts with one or two characters fewer at its end, which
    jieba may have glued onto an unknown name ("魏舒把筑修城墙…" → 魏舒把筑)."""
    probes = [subject] + [subject[:-n] for n in (1, 2) if len(subject) - n >= 2]
    return not any(p in x for p in probes for x in texts)


def check_answer(q: Question, quoted: list[tuple[Citation, int, int]], pool: Callable[[], list[Chunk]]) -> Refusal | None:
    """Checks on the sentences an answer would quote ((citation, start, end) in file offsets): the name the question
    opens with must be in the passages quoted (a passage about someone else answers nothing); a figure asked for
    must be there unmasked, in the unit asked; a time asked for, a country or place asked for, a person or body asked
    for must be said; a quoted term asked to be spelled out must be explained somewhere in `pool()` (the passages the
    question is about; called only then)."""
    said = ["\n".join(filter(None, (c.title, c.speaker, c.occasion, c.section, c.text))) for c, _, _ in quoted]
    if q.subject and quoted and missing_subject(q.subject, said):
        return Refusal(f"资料中找到的段落没有谈到“{q.subject}”，无法回答这个问题。")
    texts = [c.text[s - c.start : e - c.start] for c, s, e in quoted]  # the sentences themselves
    if q.wants_figure and not q.wants_list and quoted:
        if q.measured and not any(f in t for t in texts for f in (q.measured, *synonyms(q.measured))):
            return Refusal(f"资料中找到的段落没有说“{q.measured}”了多少，无法回答这个问题。")
        if not any(gives_figure(t, q.unit, q.counted) for t in texts):
            masked = [(c, s, e) for (c, s, e), t in zip(quoted, texts, strict=True) if masks_figure(t, q.unit)]
            if masked:
                return Refusal("资料中这个数字被隐去了（原文以“**”代替），无法给出具体数字。原文见出处。", _cite(masked))
            if not any(gives_figure(t) for t in texts):
                return Refusal("资料中没有给出这个问题所问的具体数字，无法回答。")
            if q.unit != "个":  # "几家企业" is not answered by "5个产业集群"; 个 counts anything ("几个孩子": 3名子女)
                return Refusal(f"资料中找到的段落没有给出多少“{q.unit}”，无法回答这个问题。")
    if "year" in q.kinds and not q.wants_figure and texts and not any(gives_time(t, q.text) for t in texts):
        return Refusal("资料中找到的段落没有说是什么时候，无法回答这个问题。")
    if "who" in q.kinds and quoted and not any(gives_name(c.text, q.text) for c, _, _ in quoted):  # the passages
        return Refusal("资料中找到的段落没有提到任何人名或机构名，说不出是谁，无法回答这个问题。")
    if "place" in q.kinds and texts and not any(gives_place(t, q.text) for t in texts):
        return Refusal("资料中找到的段落没有说是哪个国家或地方，无法回答这个问题。")
    if q.quoted and ("content" in q.kinds or q.wants_list):
        term = q.quoted[0]
        mentions = [(c, c.start + i) for c in pool() for i in _find_all(c.text, term)]
        if mentions and not any(_EXPLAINS.match(c.text[p - c.start + len(term):]) for c, p in mentions):
            c, p = mentions[0]
            s = next(x for x in split_sentences(c.text) if x.start <= p - c.start < x.end)
            return Refusal(f"资料中只提到了“{term}”，没有具体说明它包括哪些内容，无法回答。提到它的原文见出处。",
                           _cite([(c, c.start + s.start, c.start + s.end)]))
    return None


def _find_all(text: str, term: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(term), text)]


def _cite(spans: list[tuple[Chunk | Citation, int, int]]) -> list[Citation]:
    out: dict[tuple[str, int], Citation] = {}
    for c, s, e in spans:
        if (c.doc, c.start) not in out:
            out[c.doc, c.start] = Citation.of(len(out) + 1, c)
        out[c.doc, c.start].highlights.append([s, e])
    return list(out.values())

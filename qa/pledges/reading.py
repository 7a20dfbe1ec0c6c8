"""Pledge extraction: the sentences in which the speaker, or the body they speak for, commits to act.

A sentence is a pledge when it is forward-looking with the speaker's side as actor: it opens with a commitment verb
(an imperative with the speaker's body as implied subject: 要…, 坚持…, 加快…), or an actor of the speaker's own side
(我, 我们, 市工信局, 全市工信系统 …) is followed by such a verb, or it says 就是要/要求我们. Left out: section
headings (they become the topic), quotations of leaders (习近平总书记强调，…), decisions of other bodies, retrospective
facts and figures, and general statements with no actor (…，是…的根本要求).
"""

from __future__ import annotations

import re
from typing import Protocol

from qa.core.chinese import deadline, lead_unit
from qa.core.lexicon.measures import AMOUNT, PLAN_COUNTERS
from qa.core.lexicon.tense import AHEAD, PLAN_YEAR, RETROSPECTIVE
from qa.core.outline import is_topic_sentence, paragraph_numbers, review_sections, topic_name
from qa.core.records import Pledge, Span
from qa.core.text import split_sentences

__all__ = ["extract_pledges", "is_concrete", "speaker_aliases"]


class Speech(Protocol):
    """What pledge reading needs to know of a speech (ingest's `SpeechMeta` is one)."""

    speaker: str | None
    title: str | None
    date: str | None
    type: str | None
    names: list[str]
    title_span: Span | None

_VERBS = (
    "要|将|必须|坚持|坚定|确保|力争|着力|加快|推进|全力|坚决|持续|深入|全面|推动|强化|加强|健全|完善|实施|打造|开展|落实|"
    "聚焦|围绕|紧扣|着眼|紧紧|把|以|按照|对标|建立|选派|支持|弘扬|打通|培育|深化|严格|严肃|始终|切实|积极|大力|扎实|"
    "经常|牢固|树牢|努力|进一步|不断|优化|提高|提升|发挥|构建|组织|引导|激励|巩固|协同|精准|用好|做好|抓好|当好|争当|"
    "牢记|锚定|勇于|敢于|全方位|落细|稳住|抓实|压实|守住|兜牢|筑牢|擦亮|用力|立起|涵养|大兴|主动|带头|"
    "加大|继续|试行|依法|抓紧|搞好|实行|适当|认真|重点|拟|建成|新建|改造|启动|完成|出台|制定|修订|创建|举办|进行|对[^，。；]{1,20}?(?:实行|实施|进行)|"
    "一是|二是|三是|四是|五是|第一|第二|第三"
)
# What may come before the verb of a subjectless commitment (无主句): a time (今年、从今年开始), a condition or a
# purpose (根据需要和可能，为了…，), a body's name with 要/拟 (各级财政要…, 今年拟…).
_ADVERBIAL = (r"(?:(?:今年|明年|全年|今后|同时|从今年(?:起|开始)|年底前|年内|今年内|\d{1,2}月底前)(?!以来)[，,]?|根据[^，。；]{1,12}[，,]|为了?[^，。；]{1,30}[，,]"
              r")*")
_OPENS_WITH_VERB = re.compile(rf"^{_ADVERBIAL}(?:{_VERBS}|[\u4e00-\u9fff]{{1,8}}?(?<![重主需纲摘只必首虚模不紧简次])(?:要|拟)(?![求点素是]))")
# Bodies that can speak for themselves: 市工信局, 全市工信系统, 市工业和信息化局, 局党组, 我们 …
_ACTOR = r"(?:我们?|我局|我委|(?:全市|全区|全县|市|区|县|我市)?[\u4e00-\u9fff]{0,8}?(?:局党组|党组|局|委员会|委|系统|部门|办公室|中心))"
# A body the speech commits in its own name: "市工信局将…", "全市工信系统坚持…" (a locality prefix keeps it a name).
_OWN_BODY = re.compile(rf"^(?P<body>(?:全市|全区|全县|市|区|县|我市)[\u4e00-\u9fff]{{1,8}}?(?:局党组|党组|局|委|系统|部门))(?:{_VERBS})")
_ACTOR_THEN_VERB = re.compile(rf"^{_ACTOR}(?:{_VERBS})")
_SAYS_WE_MUST = re.compile(r"就是要|要求我们|我们要|我们将|我们必须|我将|我们一定要")
_QUOTES_OTHERS = re.compile(
    r"(?:习近平|总书记|毛泽东|邓小平|党中央|中央|国务院|省委|会议|党的[一二三四五六七八九十]+大|他|还)"
    r"[^，。；]{0,20}?(?:指出|强调|要求|提出|明确|阐述|讲)[，,：:“]"
)
_OTHER_BODY = re.compile(r"^(?:市委|市政府|省委|省政府|党中央|中央|国务院|全国|全省|[^，]{0,6}党代会|[^，]{0,10}会议)")
_GENERAL = re.compile(r"(?:^|，)[^，]{0,10}是[^，。]{0,30}(?:要求|保证|任务|前提|基础|体现|部署|传统|优势|课题|结果)[。！；]?$")
# Concrete: a number, a named document, or a named programme (“头雁”企业培育行动, not “一叶知秋”的政治判断力); a
# deadline or a responsible unit is found by the ledger's own readers (`is_concrete`).
_CONCRETE = re.compile(
    rf"\d|(?:[两三四五六七八九十百千万]|一[十百千万])[一二三四五六七八九十百千万两]*(?:{PLAN_COUNTERS})"
    r"|《[^》]+》|“[^”]{2,12}”[\u4e00-\u9fff]{0,8}?(?:行动|工程|计划|项目|活动|专项|品牌|平台|基金|机制|制度|工作法|战略|专班"
    r"|试点|示范|基地|园区|中心|大赛|节|体系|清单|方案|条例|办法)"
    r"|(?:实施|推进|开展|启动|组织实施)[^，。；“”]{2,12}?(?:工程|行动计划|专项行动|行动)(?![\u4e00-\u9fff]{0,2}派)"
    r"|(?:[两三四五六七八九十]|一[十百千万])[一二三四五六七八九十百千万]*大类"
)
_CLOSING = re.compile(r"^(?:发言|汇报|讲话)完毕|谢谢")


def is_concrete(text: str, lead: str | None = None, limit: str | None = None) -> bool:
    """A number, a deadline, a named programme, document or project, or a responsible unit (README: 承诺).
    `lead`/`limit`: the text's responsible unit and deadline when already read."""
    lead = lead_unit(text) if lead is None else lead
    limit = deadline(text) if limit is None else limit
    return bool(lead or limit or _CONCRETE.search(text))


# A stated target: "今年发展主要预期目标是：国内生产总值增长5%左右；…" (its list runs on to the full stop)
_TARGET = re.compile(r"^[^，。；]{0,14}?(?:预期)?目标(?:任务)?(?:是|为)[：:，]")
# A work report's plan states what the government will do without a subject (无主句): "发行1000亿元长期国债，…",
# "今年中央财政投入增加300亿元以上". Outside review sections, a sentence opening with such a verb of quantity (after
# 今年/全年) and stating a figure with its unit is a commitment.
_PLAN_FIGURE = re.compile(
    rf"^(?:{PLAN_YEAR})?(?:发行|安排|新增|新建|新开工|建成|改造|增加|降低|减少|提高|扩大|"
    r"达到|控制在|投入)[^，。；]{0,12}?[\d０-９]+(?:[.．][\d０-９]+)?[^\d０-９，。；]{0,3}"
    rf"(?:％|{AMOUNT})")


def _is_pledge(text: str) -> bool:
    if _QUOTES_OTHERS.search(text) or _OTHER_BODY.match(text) or _GENERAL.search(text):
        return False
    committed = bool(_OPENS_WITH_VERB.match(text) or _ACTOR_THEN_VERB.match(text) or _SAYS_WE_MUST.search(text)
                     or _TARGET.match(text) or _PLAN_FIGURE.match(text))
    if not committed:
        return False
    if RETROSPECTIVE.search(text) and not AHEAD.search(text):
        return False
    return True


# News of a meeting: "会议强调，要…" is the body that met speaking; "李某书记强调，…" is that official.
_MEETING_BODY = re.compile(
    r"(?P<body>[\u4e00-\u9fff]{1,10}?(?:常委会|常务会议|党组|党委|委员会|人民政府|政府|市委|区委|县委|省委))"
    r"(?=召开|举行|于\d|在)")
_MEETING_SAYS = re.compile(r"^会议(?:强调|要求|指出|提出|明确|决定|号召)[，：:]")
_OFFICIAL_SAYS = re.compile(
    r"^(?P<who>[\u4e00-\u9fff]{0,8}?(?:书记|市长|省长|区长|县长|主任|部长|局长|主席))(?:[\u4e00-\u9fff]{2,3})?"
    r"(?:在讲话中|在会上)?(?:强调|要求|指出|提出)[，：:]")


def _reported(sentence: str, body: str | None) -> str | None:
    """Who a news item's sentence reports as committing ("会议强调，要…" → the body that met), or None."""
    if m := _MEETING_SAYS.match(sentence):
        said, who = sentence[m.end():], body or "会议"
    elif m := _OFFICIAL_SAYS.match(sentence):
        said, who = sentence[m.end():], m.group("who")
    else:
        return None
    committed = _OPENS_WITH_VERB.match(said) or re.match(r"[^，。；]{0,12}?(?:要|必须|将)", said)
    return who if committed else None


# What a plan's sentence says when it does not commit: it describes (这是…, 当前…), argues (实践证明…) or asks.
_DESCRIBES = re.compile(r"^(?:这|那|其中|但是?|然而|当前|目前|现在|总之|总的看|实践证明|事实证明|应当看到|必须看到|要看到|"
                        r"我们(?:也|还)?(?:清醒地)?(?:看到|认识到)|可以说|应该说|特别是在)|[？?]$")


def _in_plan(text: str) -> bool:
    """A sentence of a work report's plan part commits the government even with no subject and no 要 (“继续扩大普通
    高等学校招生”, “在部分企业试行年薪制”), unless it describes, argues, quotes or looks back."""
    if _DESCRIBES.search(text) or _QUOTES_OTHERS.search(text) or _GENERAL.search(text) or len(text) < 8:
        return False
    return not (RETROSPECTIVE.search(text) and not AHEAD.search(text))


def extract_pledges(doc: str, text: str, paragraphs: list[Span], meta: Speech) -> list[Pledge]:
    pledges: list[Pledge] = []
    topic: str | None = None
    reviews = review_sections(paragraphs)
    # A report that opens by reviewing the past plans after that review: its plan part, sentence by sentence.
    plan_from = reviews[0][1] if meta.type == "报告" and reviews else None
    news = meta.type == "新闻"
    body = m.group("body") if news and (m := _MEETING_BODY.search(text[: 2000])) else None
    for pos, (para, number) in enumerate(zip(paragraphs, paragraph_numbers(paragraphs, meta.title_span), strict=True)):
        if number == 0 or para.text.endswith(("：", ":")) or _CLOSING.match(para.text):
            continue  # the title, a salutation or the closing formula
        if any(s <= para.start < e for s, e in reviews):
            continue  # a review of past work
        last = pos == len(paragraphs) - 1
        for i, s in enumerate(_target_lists(text, split_sentences(text, para.start, para.end))):
            if is_topic_sentence(s, para, i == 0, last):
                topic = topic_name(s.text)
                continue
            who = _reported(s.text, body) if news else None
            planned = plan_from is not None and s.start >= plan_from and _in_plan(s.text)
            if who or planned or _is_pledge(s.text):
                lead, limit = lead_unit(s.text), deadline(s.text)
                pledges.append(Pledge(
                    speaker=who or meta.speaker, doc=doc, title=meta.title, text=s.text, start=s.start, end=s.end,
                    paragraph=number, topic=topic, concrete=is_concrete(s.text, lead, limit),
                    date=meta.date, lead=lead, deadline=limit,
                ))
    return pledges


def _target_lists(text: str, sentences: list[Span]) -> list[Span]:
    """Sentences, with a list of targets kept whole: "目标是：A；B；C。" is one commitment up to its full stop, though
    its semicolons end sentences elsewhere."""
    out: list[Span] = []
    for s in sentences:
        prev = out[-1] if out else None
        if prev and _TARGET.match(prev.text) and prev.text.endswith(("；", ";")):
            out[-1] = Span(prev.start, s.end, text[prev.start:s.end])
        else:
            out.append(s)
    return out


def speaker_aliases(meta: Speech, pledges: list[Pledge]) -> list[str]:
    """Names staff type for this speaker: the head of a bureau by its full name, and the bodies the speech itself
    commits in its own name (市工信局将…, 全市工信系统将…)."""
    names: list[str] = list(meta.names)  # the header's role line: 国务院总理
    speaker = meta.speaker
    if speaker and re.fullmatch(r"[\u4e00-\u9fff]+局长", speaker):  # 工信局长 → 市工信局局长, 工信局局长
        bureau = speaker[:-1]
        names += [f"{bureau}局长", f"市{bureau}局长"]
    for p in pledges:
        if m := _OWN_BODY.match(p.text):
            names.append(m.group("body"))
        if p.speaker and p.speaker != speaker:  # a news item: the body that met, the official it quotes
            names.append(p.speaker)
    seen = {speaker} if speaker else set()
    return [n for n in names if not (n in seen or seen.add(n))]

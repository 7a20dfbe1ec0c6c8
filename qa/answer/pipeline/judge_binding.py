"""The judge's checks that the asked thing itself is said (the `selection` stage), after `judge_selection`'s checks
that a filler of the asked kind is said at all.

A sentence can share a question's words and hold a filler of the asked kind and still not answer: the time is in
another unit than the one asked, the name is not of the role asked. Two forms of this in Chinese text are checked:

- `year_unsaid`: the question asks which year, and the sentences say a time in another unit only (a day without its
  year, 现在, 之后).
- `role_unfilled`: the question asks who holds a role ("《X》的导演是谁", "领导小组的组长是谁"), the sentences speak
  of the role, and none names anyone in the clause that says it, as Chinese does (导演是A, A导演, 以A为组长): the
  role said alone ("这是导演最想要表达的") does not say who holds it.
"""

from __future__ import annotations

import re
import unicodedata

from qa.answer.pipeline import judge_selection  # noqa: F401  (its checks — is a filler of the asked kind said at all — go first)
from qa.answer.pipeline.judge import register
from qa.answer.pipeline.stages import Case
from qa.answer.question import gives_name
from qa.core.chinese import opens_with_surname
from qa.core.dates import RELATIVE_YEARS, YEAR

__all__ = ["says_year"]

# -- the year asked ----------------------------------------------------------------------------------------------------

# A year as a date (2018年, 二〇一八年, 二○一八年, full-width digits read as ASCII), a bare year that is no count
# (not 2000多家, 12000人, 1950万元), relative to the text's time (当年, 次年, 上年: `RELATIVE_YEARS`, not 近年) or a
# span from it (三年后, 20年前).
_SAYS_YEAR = re.compile(
    rf"(?:{YEAR}|[〇○零一二三四五六七八九]{{4}})年|(?<![\d.])(?:19|20)\d{{2}}(?![\d.万亿多余])"
    rf"|{'|'.join(y for y in RELATIVE_YEARS if y != '近年')}|[\d一二两三四五六七八九十百]+年[前后]")


def says_year(text: str) -> bool:
    return bool(_SAYS_YEAR.search(unicodedata.normalize("NFKC", text)))


@register("selection", "related")
def _year_unsaid(case: Case) -> str | None:
    """The question asks which year (`Question.which_year`: 哪一年, 何年) and no sentence says a year (`says_year`), nor does the title or
    section of its passage (“2018年工作回顾”): a day without its year ("6月28日至29日"), 现在 or 之后 says when in
    another unit, not the year asked. (Which year's document said something is the `source` slot, answered from the
    document's date.)"""
    q = case.q
    if not q.which_year:
        return None
    said = [x for c in case.selection.chosen for x in (c.span.text, c.chunk.title, c.chunk.section) if x]
    return None if any(says_year(x) for x in said) else "找到的段落没有说是哪一年"


# -- a role and who holds it ------------------------------------------------------------------------------------------

_CLAUSE = re.compile(r"[，,。；;！？!?\n]")
# A holder named by office or as a comrade (“由县委书记担任”, “以主任为组长”, “黄河同志任组长”): as much a holder as a name.
_OFFICE = re.compile(r"书记|主任|主席|经理|总理|部长|厅长|局长|市长|省长|县长|区长|负责人|负责同志|同志")


def _holders(text: str, role: str, question: str) -> bool | None:
    """Whether `text` names someone — by name, office or as a comrade — in a clause that says `role`, or in its
    first clause, the topic a Chinese sentence chains its clauses from ("宋建成，台湾图书馆行政工作者，曾任国家图书馆
    副馆长": a first clause of two to four characters opening with a surname is a name, whatever jieba cuts of it);
    None: it never says the role."""
    parts = _CLAUSE.split(text)
    clauses = [c for c in parts if role in c]
    if not clauses:
        return None
    topic = parts[0].strip()
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", topic) and opens_with_surname(topic) and topic not in question:
        return True
    return any(gives_name(c, question) or _OFFICE.search(c) for c in (x.replace(role, "，") for x in [*clauses, parts[0]]))


@register("selection", "related")
def _role_unfilled(case: Case) -> str | None:
    """The question asks who holds a role (`Question.role`: "《X》的导演是谁", "组长是谁"); the sentences that would answer
    speak of that role, and none names anyone in a clause that says it (导演是A, A导演, 由县委书记任组长) or in the
    clause its clauses chain from: the role said alone ("这是导演最想要表达的", "作者简介") does not say who holds it.
    Sentences that never say the role word are left to the other checks (a holder is often named through a verb:
    由A执导, A著)."""
    q = case.q
    role = q.role
    said = [h for c in case.selection.chosen if (h := _holders(c.span.text, role, q.text)) is not None] if role else []
    return f"找到的段落提到了“{role}”，但没有说{role}是谁" if said and not any(said) else None

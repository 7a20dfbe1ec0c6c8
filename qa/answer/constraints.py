"""Constraints a question puts on what answers it, which a sentence sharing its words may contradict: a qualifier
that makes a different thing of the same head noun, and the ordinal of a numbered meeting.

- Qualifiers: official Chinese distinguishes measures and bodies by one word before the same head — 调查失业率 and
  登记失业率 are two statistics, 中央财政 and 地方财政 two budgets, 城镇居民 and 农村居民 two populations. A sentence
  saying the other qualifier with the same head states another figure, not the one asked for.
- Ordinals: a numbered meeting (“十三届三次全会”, “三中全会”, “第三次全国代表大会”, “十四届全国人大二次会议”) is
  a different meeting from the one numbered otherwise; “三中全会” is the third plenary session (第三次全体会议).

Nothing here is fitted to particular speeches: the groups are the qualifiers of statistics and administration."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.core.lexicon.qualifiers import QUALIFIERS
from qa.core.text import tagged_words

__all__ = ["number", "year_forms", "QUALIFIERS", "Qualified", "Ordinal", "qualified", "ordinals", "said_with", "same_meeting"]

_POINTED = ("什么", "哪", "这", "那", "些", "个", "各", "每")
_GAP = 2  # characters a text may put between a qualifier and its head ("城镇登记失业率", "中央本级财政")


@dataclass(frozen=True)
class Qualified:
    """A head noun the question qualifies ("失业率" of "调查失业率") and the qualifiers that would make it another."""

    qualifier: str
    head: str
    others: tuple[str, ...]

    @property
    def term(self) -> str:
        return self.qualifier + self.head


def qualified(question: str) -> list[Qualified]:
    """The qualified heads the question names: a qualifier of `QUALIFIERS` followed by a noun or verb of two
    characters or more (jieba's first word after it, so jieba's glued "中央财政" is read as 中央 + 财政; "什么地方
    举办" is no qualifier: 举办 is asked about, not qualified, but a verb can head: 调查|失业率 is tagged n)."""
    out = []
    for group in QUALIFIERS:
        for qual in group:
            for m in re.finditer(re.escape(qual), question):
                if question[: m.start()].endswith(_POINTED):
                    continue  # "什么地方", "这些城市": a place or things pointed at, not a qualifier
                after = tagged_words(question[m.end() : m.end() + 12])
                head, flag = after[0] if after else ("", "")
                if (len(head) >= 2 and flag[0] in "nv" and re.fullmatch(r"[\u4e00-\u9fff]+", head)
                        and not any(head in g for g in QUALIFIERS)):
                    out.append(Qualified(qual, head, tuple(sorted(group - {qual}))))
    return out


def said_with(text: str, qualifier: str, head: str) -> re.Match | None:
    """Where `text` says `head` right after `qualifier` (at most `_GAP` characters between)."""
    return re.search(rf"{re.escape(qualifier)}[\u4e00-\u9fff]{{0,{_GAP}}}?{re.escape(head)}", text)


_N = r"[一二三四五六七八九十百零〇\d]+"
# "十三届三次全会", "十九届三中全会", "第十四届全国人民代表大会第一次会议", "十四届全国人大二次会议"
_SESSION = re.compile(rf"第?({_N})届[\u4e00-\u9fff]{{0,12}}?第?({_N})(?:次|中)(全体会议|全会|会议)")
# "三中全会", "二次全会", "第三次全国代表大会", "市第十二次党代会" (no 届)
_PLAIN = re.compile(rf"(?<![届\d一二三四五六七八九十])第?({_N})(?:次|中)(全体会议|全会|全国代表大会|代表大会|党代会)")
_KIND = {"全体会议": "全会", "全会": "全会", "会议": "会议", "全国代表大会": "代表大会", "代表大会": "代表大会",
         "党代会": "代表大会"}
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def number(s: str) -> int | None:
    """A numeral of up to two digits in either script: 3, 三, 十三, 二十, 二十一."""
    if s.isdigit():
        return int(s)
    if "百" in s:
        return None
    if "十" in s:
        tens, _, units = s.partition("十")
        return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)
    return _DIGITS.get(s) if len(s) == 1 else None


@dataclass(frozen=True)
class Ordinal:
    """A numbered meeting: its term (届, None when not said), its session (次), its kind, as written."""

    term: int | None
    session: int | None
    kind: str
    text: str

    def comparable(self, other: Ordinal) -> bool:
        """`other` is a meeting of the same kind (and of the same term, when both say one)."""
        return self.kind == other.kind and (self.term is None or other.term is None or self.term == other.term)


def ordinals(text: str) -> list[Ordinal]:
    """The numbered meetings `text` names. A bare "第一次会议" (no 届) names no meeting one could tell apart."""
    out = [Ordinal(number(m.group(1)), number(m.group(2)), _KIND[m.group(3)], m.group(0))
           for m in _SESSION.finditer(text)]
    taken = [m.span() for m in _SESSION.finditer(text)]
    out += [Ordinal(None, number(m.group(1)), _KIND[m.group(2)], m.group(0)) for m in _PLAIN.finditer(text)
            if not any(s <= m.start() < e for s, e in taken)]
    return [o for o in out if o.session is not None]


def same_meeting(asked: Ordinal, said: Ordinal) -> bool:
    return asked.comparable(said) and asked.session == said.session


_CN_DIGITS = "〇一二三四五六七八九"


def year_forms(year: str) -> tuple[str, ...]:
    """A year as documents write it: 2010, ２０１０, 二〇一〇, and with the zero written 0, ０, ○ or 零 ("比二0一0年翻一番",
    "到二０二０年": reports of the 1950s to 2000s write years in Chinese numerals)."""
    cn = "".join(_CN_DIGITS[int(d)] for d in year)
    wide = "".join(chr(ord(d) + 0xFEE0) for d in year)
    return (year, wide, *dict.fromkeys(cn.replace("〇", z) for z in "〇0０○零"))

"""Constraints a question puts on what answers it, which a sentence sharing its words may contradict: a qualifier
that makes a different thing of the same head noun, and the ordinal of a numbered meeting.

- Qualifiers: official Chinese distinguishes measures and bodies by one word before the same head — 调查失业率 and
  登记失业率 are two statistics, 中央财政 and 地方财政 two budgets, 城镇居民 and 农村居民 two populations. A sentence
  saying the other qualifier with the same head states another figure, not the one asked for.
- Ordinals: a numbered meeting (“十三届三次全会”, “三中全会”, “第三次全国代表大会”, “十四届全国人大二次会议”) is
  a different meeting from the one numbered otherwise; “三中全会” is the third plenary session (第三次全体会议).
- Counts: a question that counts what it asks for (“哪三个表率”, “两个确保”) names what a list that answers lists
  (read by the answer's `list_lead` rule) and how many items it has (recorded; no check compares the number yet).
- Entities and documents: the names a question gives (jieba's people, places, bodies and other proper nouns, works in
  《》), the documents it names by year and kind (“2019年政府工作报告”) or by the party congress they were given at
  (“党的十八大报告”), and the numbered meetings as it writes them (“第十四届全国人民代表大会第二次会议”).

`Constraints` holds them all, read once from the question (`qa.answer.question.analyse`): the judge reads the record,
it does not parse the question again. Entities (and `Question.of`, what a figure is of) are recorded for `qa eval`'s
rows and for checks to come; no check reads them yet.

Nothing here is fitted to particular speeches: the groups are the qualifiers of statistics and administration."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.core.lexicon.qualifiers import QUALIFIERS
from qa.core.text import tagged_words

__all__ = ["number", "year_forms", "QUALIFIERS", "Qualified", "Ordinal", "Count", "Constraints", "qualified",
           "ordinals", "counts", "CONGRESS_NUMBER", "meetings_named", "congress_named", "entities", "constraints", "said_with",
           "same_meeting"]

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


# A numeral and its measure word; "N大" of a party congress ("党的十八大", "二十大以来", "十九大报告") counts nothing.
_COUNTER = re.compile(r"(?<![第届\d一二两三四五六七八九十])(?<!党的)([一二两三四五六七八九十]{1,2})"
                      r"(?:个|项|条|件|种|类|支|批|点|方面|大(?!的?报告|以来|精神|上|代表|召开|提出|指出|强调|作出|部署|明确|胜利))")
_NOUNISH = ("n", "j", "l", "nz")  # nouns that go on naming it; a verbal noun (突破 of "三个维度突破") says what is done


@dataclass(frozen=True)
class Count:
    """How many items the question says there are (“哪三个表率” → 3 of 表率), as written (“三个”)."""

    n: int
    noun: str
    text: str


def counts(text: str) -> list[Count]:
    """The counts the question names: a numeral and a measure word (个, 大, 项, 条 …) before what is counted, a
    noun or a verb (“两个确保”) and the nouns right after it (“三个关键领域”). Not an ordinal (第三个, 十三届, 三次,
    三中全会)."""
    out = []
    for m in _COUNTER.finditer(text):
        n = number(m.group(1).replace("两", "二"))
        after = tagged_words(text[m.end() : m.end() + 12])
        if n is None or not after or len(after[0][0]) < 2 or after[0][1][0] not in "nvjl":
            continue
        noun = after[0][0]
        for w, flag in after[1:]:
            if flag not in _NOUNISH or len(noun + w) > 6 or not text.startswith(noun + w, m.end()):
                break
            noun += w
        if text.startswith(noun, m.end()):
            out.append(Count(n, noun, m.group(0)))
    return out


# How a question names a numbered meeting: "十四届全国人大一次会议", "第二次党代会".
_MEETING = re.compile(r"[\u4e00-\u9fff]{0,3}第[一二三四五六七八九十百\d]+(?:次|届)[\u4e00-\u9fff]{0,10}?(?:党代会|代表大会|全会|会议|大会)")


def meetings_named(text: str) -> list[str]:
    """The numbered meetings the question names, as it writes them (an answering speech says them verbatim), "党的"
    and "中国共产党" left off: they are the speaker's words, not the meeting's name."""
    return [re.sub(r"^(?:党的|中国共产党)", "", m.group(0)) for m in _MEETING.finditer(text)]


CONGRESS_NUMBER = _CN = "[一二三四五六七八九十]{1,3}"  # a party congress's number (十八, 二十)
# A numbered party congress as questions name a document given there: "党的十八大报告", "十九大报告", "党的十八大提出",
# "党的第三次全国代表大会上的报告". Not "十八大以来" (a time), nor "五大专项行动" (a count), nor a city's 党代会.
_CONGRESS_ASKED = re.compile(rf"(?:党的)({_CN})大(?=的?报告|上|提出|指出|强调|要求|作出|部署|明确|讲)|(?<![党的])({_CN})大的?报告"
                             rf"|第({_CN})次全国代表大会")


def congress_named(question: str) -> int | None:
    """The number of the national party congress whose report the question names (None: none)."""
    m = _CONGRESS_ASKED.search(question)
    return number(next(g for g in m.groups() if g)) if m else None


_ENTITY_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})


def entities(tagged: tuple[tuple[str, str], ...], titles: tuple[str, ...]) -> tuple[str, ...]:
    """The named entities of a question: the words jieba tags as people, places, bodies or other proper nouns (nr,
    ns, nt, nz), and the works it names in 《》."""
    return tuple(dict.fromkeys([*titles, *(w for w, flag in tagged if flag in _ENTITY_TAGS and len(w) >= 2)]))


@dataclass(frozen=True)
class Constraints:
    """What pins the thing a question asks for, read once from its text: the years it names, its numbered meetings
    (parsed, `ordinals`, and as written, `meetings`), the counts it gives, the qualified heads (调查|失业率), the named
    entities, the documents it names by year and kind, and the party congress whose report it names."""

    years: tuple[str, ...] = ()
    ordinals: tuple[Ordinal, ...] = ()
    counts: tuple[Count, ...] = ()
    qualifiers: tuple[Qualified, ...] = ()
    entities: tuple[str, ...] = ()
    documents: tuple[tuple[str, str], ...] = ()  # ("2019", "政府工作报告")
    congress: int | None = None  # 18 of "党的十八大报告"
    meetings: tuple[str, ...] = ()  # "十四届全国人大一次会议", as written


def constraints(text: str, tagged: tuple[tuple[str, str], ...], years: tuple[str, ...], titles: tuple[str, ...],
                documents: tuple[tuple[str, str], ...]) -> Constraints:
    """The constraints of the question `text` (`tagged`: its words; its years, titles and named documents as the
    question analyser reads them)."""
    return Constraints(years, tuple(ordinals(text)), tuple(counts(text)), tuple(qualified(text)),
                       entities(tagged, titles), documents, congress_named(text), tuple(meetings_named(text)))

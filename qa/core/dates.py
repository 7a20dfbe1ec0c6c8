"""Dates as documents and staff write them, kept at the precision given: "2023", "2023-03" or "2023-03-05".

Read: 2023年3月5日, 二〇二三年三月五日, 一九五五年, 2023.3.5, 2023-03-05, 2023/3/5, 2023年3月, full-width digits.
A date in the future, or a month or day that does not exist, is not a date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

__all__ = ["UNDATED", "date_order", "YEAR", "BARE_YEAR", "RELATIVE_YEARS", "SAID_YEARS", "find_date", "parse_date", "date_bounds", "in_range", "display_date", "years_in", "relative_year",
           "DateError"]

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class DateError(ValueError):
    """Not a date this project can read (the message says why, in Chinese)."""


def _cn_number(s: str) -> int | None:
    """一 … 三十一 (month and day numbers)."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGIT.get(tens, None) if tens else 1
        o = _CN_DIGIT.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return _CN_DIGIT.get(s) if len(s) == 1 else None


_YEAR_CN = r"[〇○零一二三四五六七八九]{4}"
_PATTERNS = [
    # 2023年3月5日 / 二〇二三年三月五日 / 2023年3月 / 2023年
    re.compile(rf"(?P<y>\d{{4}}|{_YEAR_CN})\s*年(?:\s*(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月"
               rf"(?:\s*(?P<d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*[日号])?)?"),
    # 2023-03-05, 2023.3.5, 2023/3/5, 2023-03
    re.compile(r"(?<![\d.])(?P<y>\d{4})[-./](?P<m>\d{1,2})(?:[-./](?P<d>\d{1,2}))?(?![\d.])"),
]


def _build(y: str, m: str | None, d: str | None, today: dt.date) -> str | None:
    year = int(y) if y.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in y))
    month = _cn_number(m) if m else None
    day = _cn_number(d) if d else None
    if not 1000 <= year <= 9999 or (m and month is None) or (d and day is None):
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    iso = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    if date_bounds(iso)[0] > today:
        return None  # a date that has not happened yet is not when a speech was given
    return iso


def find_date(text: str, today: dt.date | None = None) -> tuple[str, int, int] | None:
    """The first real date in `text`: (iso, start, end) in `text`'s own offsets."""
    today = today or dt.date.today()
    # full-width digits and separators read as ASCII, one character for one so offsets stay `text`'s
    norm = "".join(unicodedata.normalize("NFKC", ch)[:1] or ch for ch in text)
    found = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(norm):
            iso = _build(m.group("y"), m.group("m"), m.group("d"), today)
            if iso:
                found.append((m.start(), -len(iso), iso, m.end()))
                break
    if not found:
        return None
    start, _, iso, end = min(found)
    return iso, start, end


def parse_date(value: str, today: dt.date | None = None) -> str:
    """A date written by a person (a metadata cell, a `--since` option): the whole value must be the date."""
    value = unicodedata.normalize("NFKC", value).strip()
    if re.fullmatch(r"\d{4}", value):
        value += "年"  # a bare year, as typed in a filter
    got = find_date(value, today)
    rest = value[:got[1]] + value[got[2]:] if got else value
    if not got or rest.strip():
        if got is None and (m := re.search(r"\d{4}", value)) and int(m.group()) > (today or dt.date.today()).year:
            raise DateError(f"“{value}”是将来的日期")
        raise DateError(f"“{value}”不是可识别的日期（可写 2023、2023-03、2023-03-05、2023年3月5日）")
    return got[0]


def date_bounds(iso: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date of any precision covers."""
    parts = [int(p) for p in iso.split("-")]
    y = parts[0]
    if len(parts) == 1:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    m = parts[1]
    if len(parts) == 2:
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    d = dt.date(y, m, parts[2])
    return d, d


def in_range(iso: str | None, since: str | None, until: str | None) -> bool:
    """Whether a document date can fall in [since, until] (both inclusive, any precision). No date: no."""
    if since is None and until is None:
        return True
    if not iso:
        return False
    lo, hi = date_bounds(iso)
    if since and hi < date_bounds(since)[0]:
        return False
    return not (until and lo > date_bounds(until)[1])


def display_date(iso: str | None) -> str:
    """2023-03-05 → 2023年3月5日 (the official style of citations)."""
    if not iso:
        return ""
    parts = [int(p) for p in iso.split("-")]
    return "".join(f"{v}{u}" for v, u in zip(parts, "年月日", strict=False))


# The year, in one place, in its two written forms. With 年 any year a text gives (1628年, 2023年); bare, only a
# modern one ("2023", "1998—2003"), since a bare 1200 or 1500 is far more often a count (1200家, 1500个). Every
# reader of years builds on these two.
YEAR = r"(?:1\d|20)\d{2}"
BARE_YEAR = r"(?:19|20)\d{2}"
# One relative-time vocabulary: the words that name a year relative to another time, each with how many years
# before the time of writing it names (None: relative to a time the text gives elsewhere, "当年", "次年").
RELATIVE_YEARS: dict[str, int | None] = {
    "今年": 0, "本年": 0, "去年": 1, "上年": 1, "过去一年": 1, "前年": 2, "明年": -1,
    "这一年": None, "当年": None, "同年": None, "次年": None, "翌年": None, "近年": None,
}
# The ones by which a question dates what was said ("今年市委书记…"); 明年 asks what was planned for, not when.
SAID_YEARS = ("今年", "去年", "前年")

_QUESTION_YEAR = re.compile(rf"(?<!\d)({YEAR})\s*年(?!代|以来|以前|之前|前|后|起|底|末)")


def years_in(question: str) -> set[int]:
    """Years a question names as when something was said ("2023年市委书记…")."""
    norm = unicodedata.normalize("NFKC", question)
    return {int(y) for y in _QUESTION_YEAR.findall(norm)}


def relative_year(question: str, today: dt.date | None = None) -> int | None:
    """今年 / 去年 / 前年 (`SAID_YEARS`) as a year."""
    today = today or dt.date.today()
    for word in SAID_YEARS:
        if word in question:
            return today.year - RELATIVE_YEARS[word]
    return None


UNDATED = "未注明日期"  # where documents without a date are counted or listed, said so


def date_order(iso: str | None) -> str:
    """Sort key, earliest first: the middle of the date's range, so a date known only to the year (“2023”) sorts
    mid-year, not before every dated day of that year; undated last."""
    if not iso:
        return "9999"
    lo, hi = date_bounds(iso)
    return (lo + (hi - lo) / 2).isoformat()

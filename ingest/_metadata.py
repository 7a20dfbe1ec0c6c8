"""Title, speaker, date, occasion and document type, read from a document's header block and its folder.

The header block is what comes before the salutation or the first paragraph of running text: the title line(s),
a subtitle ("——2023年3月5日在第十四届全国人民代表大会第一次会议上"), a date line ("（2022年10月16日）",
"2023-08-13 10:27", "来源：央视网 | 2023年08月15日"), a role line ("国务院总理") and a name line ("李克强",
"习　近　平"). A name line counts only right after a subtitle, date or role line, and only when it reads as a
person's name. Unknown stays unknown (None); what looked like metadata but could not be used is reported in
`notes` (a date in the future, a speaker line that is a sentence).

An official document (公文格式, GB/T 9704: 红头, 文号, title, 主送, body, 落款) is read by its own rules, see
`_official_form`: its title may run over two or three lines, its 文号 is its `number`, and the issuer and date of its
落款 are its speaker and date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from qa.core.chinese import opens_with_surname
from qa.core.dates import find_date
from qa.core.records import Span
from qa.core.speakers import TITLED_NAME

__all__ = ["SpeechMeta", "extract_metadata", "is_title_line", "from_folders", "TYPES", "canonical_type"]

_KINDS = r"(?:研讨|交流|专题|表态|总结|动员|主旨|典型|书面|政治|工作)?(?:发言|讲话|致辞|报告|汇报|演讲|讲稿)(?:材料|稿|提纲)?"
# "X在Y上的(研讨)发言(材料)", "X同志在Y会议上的讲话", "在Y上的发言" (no speaker), "——X在Y上的讲话" (subtitle)
_TITLE = re.compile(rf"^[—\-－\s]*(?P<speaker>.*?)(?:同志)?在(?P<occasion>.+?)(?:上|中|时)的(?P<kind>{_KINDS})$")
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,：:]$")
_SUFFIX = re.compile(r"\s*[（(][^（）()]{1,8}[）)]\s*$")  # "… (二十大)": a collection's label, not the title's words

# Document types staff file by; a title ending names its type ("…政府工作报告" → 报告, "…的研讨发言材料" → 发言).
TYPES = ("讲话", "报告", "发言", "致辞", "汇报", "演讲", "新闻", "通知", "纪要", "意见", "方案", "决定", "通报", "公报", "总结",
         "规划", "计划", "请示", "批复", "通告", "公告", "决议", "函")  # the last six: kinds of 公文
_TYPE_ENDING = re.compile(rf"({'|'.join(TYPES)}|讲稿)(?:材料|稿|提纲|全文)?$")

_TITLE_YEAR = re.compile(r"^(\d{4})年(?!度)[^\d]*$")
_SALUTATION = re.compile(r"^[^，。；]{1,16}[：:！!]$")  # 同志们： 各位代表！ 尊敬的…，各位领导：
_SUBTITLE = re.compile(r"^(?:——|—|－－|--)")
_OCCASION = re.compile(rf"在(?P<occasion>[^，。；]+?)(?:上|中|时)(?:的(?P<kind>{_KINDS}))?$")
_SOURCE = re.compile(r"^(?:来源|发布时间|发布日期|时间|日期)\s*[：:]")
_ROLES = r"(?:总书记|书记|副?总理|副?主席|委员长|副?省长|副?市长|副?区长|副?县长|局长|主任|部长|厅长|秘书长|院长|常委|市委|政府)"
_ROLE_LINE = re.compile(rf"^(?P<role>[\u4e00-\u9fff]{{0,12}}?{_ROLES})(?:\s+(?P<name>[\u4e00-\u9fff\s]{{2,8}}))?$")
_NOT_NAMES = {"同志们", "各位", "代表们", "朋友们", "目录", "前言", "正文", "附件"}


@dataclass(slots=True)
class SpeechMeta:
    title: str | None
    title_derived: bool
    speaker: str | None
    occasion: str | None
    title_span: Span | None  # the title line inside the decoded text, when the file has one
    date: str | None = None  # ISO at the precision given: 2023 / 2023-03 / 2023-03-05
    type: str | None = None  # one of TYPES
    number: str | None = None  # an official document's 文号, as "青档〔2023〕12号"
    names: list[str] = field(default_factory=list)  # other names of the speaker the header gives (a role line)
    notes: list[str] = field(default_factory=list)  # header lines that looked like metadata but were not used


def is_title_line(span: Span) -> bool:
    """A first line that is short and does not read as a sentence or a salutation."""
    text = span.text
    return 2 <= len(text) <= 60 and not _SENTENCE_PUNCT.search(text) and "，" not in text


def canonical_type(word: str | None) -> str | None:
    if not word:
        return None
    m = _TYPE_ENDING.search(_SUFFIX.sub("", word))
    if not m:
        return None
    return "讲话" if m.group(1) == "讲稿" else m.group(1)


def _person_name(line: str) -> str | None:
    name = re.sub(r"[\s\u3000]+", "", line)
    if not 2 <= len(name) <= 4 or not re.fullmatch(r"[\u4e00-\u9fff·]+", name) or name in _NOT_NAMES:
        return None
    return name if opens_with_surname(name) else None


def _date_only(line: str, today: dt.date) -> str | None:
    """A line that is a date (and maybe a time): "2023-08-13 10:27", "（2022年10月16日）"."""
    got = find_date(line, today)
    if got is None:
        return None
    rest = (line[: got[1]] + line[got[2]:]).strip()
    return got[0] if re.fullmatch(r"[\s（）()\d:：星期一二三四五六日天上下午]*", rest) else None


def _future_date(line: str, today: dt.date) -> str | None:
    """A date the line gives that lies after `today` (a header that lies), for the notes."""
    got = find_date(line, dt.date(9999, 12, 31))
    return got[0] if got and find_date(line, today) is None else None


def extract_metadata(paragraphs: list[Span], today: dt.date | None = None) -> SpeechMeta:
    today = today or dt.date.today()
    if not paragraphs:
        return SpeechMeta(None, False, None, None, None)
    head = _official_head(paragraphs)  # 公文格式: 红头 and 文号 lines stand above the title
    skip = head[0] if head else 0
    meta = _speech_header(paragraphs[skip:], today)
    _official_form(paragraphs[skip:], meta, head, today)
    return meta


def _speech_header(paragraphs: list[Span], today: dt.date) -> SpeechMeta:
    """What the header block of a speech, a report or a news item says (see the module docstring)."""
    first = paragraphs[0]
    meta = SpeechMeta(None, False, None, None, None)
    start = 0
    if (date := _date_only(first.text, today)) is not None:  # a news item that opens with its date line
        meta.date, meta.type, start = date, "新闻", 1
    title_span = None
    if start < len(paragraphs) and is_title_line(paragraphs[start]) and not _SALUTATION.match(paragraphs[start].text):
        title_span = paragraphs[start]
        meta.title, meta.title_span = title_span.text, title_span
        if m := _TITLE.match(_SUFFIX.sub("", title_span.text)):
            meta.speaker = _speaker_part(m.group("speaker"), meta)
            meta.occasion = m.group("occasion").strip() or None
        meta.type = meta.type or canonical_type(title_span.text)
        start += 1
    _read_header(paragraphs[start : start + 10], meta, today)
    if meta.speaker is None:
        meta.speaker = _on_behalf(paragraphs[start : start + 14])
    if meta.speaker is None and meta.title and (m := _REPORTING_BODY.search(_LEADING_YEAR.sub("", meta.title))):
        meta.speaker = m.group("body")  # "1981年中华人民共和国国务院政府工作报告": the State Council reports
    if meta.date is None and meta.type and meta.title and (m := _TITLE_YEAR.match(meta.title)):
        if int(m.group(1)) <= today.year:  # "2019年政府工作报告" is the report of 2019
            meta.date = m.group(1)
    if title_span is None and _one_line_header(first.text, meta, today):
        return meta
    if title_span is None:
        # No title line: a label made from the opening words, marked as derived so nobody takes it for the title.
        opening = re.split(r"[，。！？；：,]", first.text.strip(), maxsplit=1)[0]
        label = opening[:24] + ("…" if len(opening) > 24 else "")
        meta.title, meta.title_derived = label or None, True
    return meta


# A document saved as one long line (web copies) still opens with its header, up to the salutation:
# "在……上的讲话（2020年1月8日）习近平同志们：……".
_INLINE_SALUTATION = re.compile(r"(?:同志们|各位代表|各位委员|同事们|朋友们|女士们、先生们)[：:！!，,]")
_INLINE_DATE = re.compile(r"[（(]([^（）()]{4,16})[）)]")


def _one_line_header(text: str, meta: SpeechMeta, today: dt.date) -> bool:
    """Title, date and speaker from the head of a first paragraph that runs on past its salutation; True when a
    title was read."""
    m = _INLINE_SALUTATION.search(text[:160])
    if m is None or m.start() < 4:
        return False
    head = text[: m.start()]
    title, speaker = head, None
    if (d := _INLINE_DATE.search(head)) and (got := find_date(d.group(1), today)):
        meta.date = meta.date or got[0]
        title, after = head[: d.start()].strip(), head[d.end() :].strip()
        speaker = _person_name(after) if after else None
    if not title or len(title) > 60 or _SENTENCE_PUNCT.search(title) or "，" in title:
        return False
    meta.title, meta.title_derived = title, False
    if t := _TITLE.match(title):
        meta.speaker = _speaker_part(t.group("speaker"), meta) if t.group("speaker").strip() else None
        meta.occasion = t.group("occasion").strip() or None
    meta.speaker = meta.speaker or speaker
    meta.type = meta.type or canonical_type(title)
    return True


# A title naming the body that reports: "…国务院政府工作报告", "XX市人民政府工作报告" (the 人民政府 reports).
_LEADING_YEAR = re.compile(r"^\s*\d{4}年度?")  # "2019年北京市人民政府工作报告": the year is not the body's name
_REPORTING_BODY = re.compile(r"(?P<body>国务院|[\u4e00-\u9fff]{2,10}?人民政府)(?:政府)?工作报告")
# "现在，我代表国务院，向大会报告政府工作", "我受十二届中央委员会委托，向大会作报告": the body the report speaks for.
_ON_BEHALF = re.compile(r"我(?:现在)?(?:代表(?P<body>[^，。、：“”]{2,20}?)|受(?P<by>[^，。、：“”]{2,20}?)(?:的)?委托)[，,]?"
                        r"向(?:大会|[^，。]{0,30}?(?:大会|会议))(?:作|报告|提出)")


def _on_behalf(opening: list[Span]) -> str | None:
    """The body a report is delivered for, as its opening says so (only before the first heading)."""
    for span in opening:
        if m := _ON_BEHALF.search(span.text):
            return (m.group("body") or m.group("by")).strip()
        if re.match(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", span.text):
            return None
    return None


def _speaker_part(text: str, meta: SpeechMeta) -> str | None:
    text = text.strip(" ：:—-")
    if not text:
        return None
    if len(text) > 16 or re.search(r"[，。；！？,;]", text):
        meta.notes.append(f"标题中的讲话人“{text[:20]}”不像人名或职务，未采用")
        return None
    return text


def _read_header(lines: list[Span], meta: SpeechMeta, today: dt.date) -> None:
    """Subtitle, date, source, role and name lines after the title, up to the salutation or running text."""
    may_name = False  # a name line is read only right after a subtitle, date or role line
    for span in lines:
        line = span.text.strip()
        if _SALUTATION.match(line) or len(line) > 80:
            return
        if (when := _future_date(line, today)) is not None:
            meta.notes.append(f"标题区的日期“{when}”在将来，未采用")
            may_name = False
            continue
        if _SUBTITLE.match(line) or (find_date(line, today) and "在" in line and _OCCASION.search(line)):
            body = _SUBTITLE.sub("", line).strip()
            if (got := find_date(body, today)) is not None:
                meta.date = meta.date or got[0]
            if m := _OCCASION.search(body):
                before = body[: m.start()]
                if got is not None and before.startswith(body[got[1]: got[2]]):
                    before = before[got[2] - got[1]:]
                if before.strip() and meta.speaker is None:
                    meta.speaker = _speaker_part(re.sub(r"同志$", "", before.strip()), meta)
                meta.occasion = meta.occasion or m.group("occasion").strip()
                meta.type = meta.type or canonical_type(m.group("kind"))
            may_name = True
            continue
        if (date := _date_only(line, today)) is not None:
            meta.date = meta.date or date
            may_name = True
            continue
        if _SOURCE.match(line):
            if (got := find_date(line, today)) is not None:
                meta.date = meta.date or got[0]
            if line.startswith("来源"):
                meta.type = "新闻"
            continue
        if (m := _ROLE_LINE.match(line.replace("\u3000", " ").strip())) and len(line) <= 24:
            role = m.group("role")
            name = _person_name(m.group("name") or "") if m.group("name") else None
            if name:
                _set_person(meta, name, role)
            else:
                meta.names.append(role)
            may_name = True
            continue
        if may_name and (name := _person_name(line)):
            _set_person(meta, name, None)
            may_name = False
            continue
        if may_name and len(line) <= 8 and not _SENTENCE_PUNCT.search(line):
            meta.notes.append(f"标题区的“{line}”不像人名，未作为讲话人")
            may_name = False
            continue
        if len(line) <= 40 and not _SENTENCE_PUNCT.search(line) and "，" not in line:
            meta.type = meta.type or canonical_type(line)
            continue  # a second title line ("政府工作报告", the two halves of a long title)
        return


def _set_person(meta: SpeechMeta, name: str, role: str | None) -> None:
    roles = [role] if role else []
    roles += [r for r in meta.names if r not in roles]
    if meta.speaker is None:
        meta.speaker = name
    elif meta.speaker != name:
        meta.names.append(name)
    meta.names = [n for n in dict.fromkeys([*roles, *(f"{r}{name}" for r in roles), *meta.names]) if n != meta.speaker]


_YEAR_FOLDER = re.compile(r"^(\d{4})年?$")


# A date as a file name writes it: "2020-01-08 …", "20230305…", "2020年1月8日…", "2020.01.08".
_COMPACT_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_BARE_YEAR = re.compile(r"(?:^|(?<=[\s_（(【\[]))(?P<y>(?:19|20)\d{2})(?=$|[\s_）)】\]])")  # "…报告（2024）", "2024 讲话"


def _file_name(doc: str, meta: SpeechMeta, today: dt.date) -> None:
    """What the file's own name says, where the text is silent: a date, and, when it reads like a title ("市委书记在
    全市经济工作会议上的讲话"), the speaker, occasion and type."""
    stem = PurePosixPath(doc).stem
    got = find_date(stem, today)
    for pattern, text in ((_COMPACT_DATE, "{y}-{m}-{d}"), (_BARE_YEAR, "{y}年")):
        if got is None and (m := pattern.search(stem)):
            got = find_date(text.format(**m.groupdict()), today)
            got = (got[0], m.start(), m.end()) if got else None
    if got is not None:
        meta.date = meta.date or got[0]
        stem = re.sub(r"[（(【\[]\s*[）)】\]]", "", stem[: got[1]] + stem[got[2] :]).strip(" _-—.、")
    if m := _TITLE.match(_SUFFIX.sub("", stem)):
        if meta.speaker is None and (who := m.group("speaker").strip(" _-—")):
            meta.speaker = _speaker_part(who, meta)
        meta.occasion = meta.occasion or m.group("occasion").strip() or None
        meta.type = meta.type or canonical_type(m.group("kind"))
    else:
        if meta.speaker is None and (m := _REPORTING_BODY.search(stem)):
            meta.speaker = m.group("body")
        meta.type = meta.type or canonical_type(_SUFFIX.sub("", stem))


def from_folders(doc: str, meta: SpeechMeta, today: dt.date | None = None) -> None:
    """Fill what the text left unknown from the file's name (see `_file_name`) and the folders it sits in:
    市委书记/ (speaker or body), 2023/ (year), 讲话/ (type). The file name, then the nearest folder, wins."""
    today = today or dt.date.today()
    _file_name(doc, meta, today)
    for folder in reversed(PurePosixPath(doc).parts[:-1]):
        name = folder.strip()
        if (m := _YEAR_FOLDER.match(name)) and int(m.group(1)) <= today.year:
            meta.date = meta.date or m.group(1)
        elif name in TYPES or name in ("讲稿", "讲话稿"):
            meta.type = meta.type or canonical_type(name)
        elif TITLED_NAME.fullmatch(name) or _person_name(name):
            meta.speaker = meta.speaker or name


# 公文格式 (GB/T 9704). The 版头: 份号, 密级 and 紧急程度 marks, the 红头 (发文机关标志, "某某市档案局文件", printed red, so
# a scan read by OCR loses it) and the 文号 (发文机关代字〔年份〕序号, "青档〔2023〕12号", black), then the title, often
# "关于…的通知" over two or three lines. OCR reads 〔〕 as [] 【】 () or a mix, and puts spaces around the figures.
_OPEN, _CLOSE = r"[〔\[【(（［{｛「]", r"[〕\]】)）］}｝」]"
_NUMBER_LINE = re.compile(rf"^(?P<org>[\u4e00-\u9fff]{{1,12}})\s*{_OPEN}\s*(?P<year>(?:19|20)\d{{2}})\s*{_CLOSE}\s*"
                          r"(?P<seq>\d{1,5})\s*号(?:\s*签发人\s*[:：]\s*[\u4e00-\u9fff\s]{2,12})?$")
_RED_HEADER = re.compile(r"^(?P<issuer>[\u4e00-\u9fff（）()\s]{2,40}?)\s*文件$")
_COVER_MARK = re.compile(r"^(?:\d{6}|(?:绝密|机密|秘密)(?:★.{0,8})?|特急|加急|特提|平急|急件)$")
_KINDS_OF_OFFICIAL = "决议|决定|命令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|函|纪要|办法|规定|细则|方案|要点|规划|计划"
_OFFICIAL_TITLE = re.compile(rf"(?:{_KINDS_OF_OFFICIAL})(?:[（(][\u4e00-\u9fff]{{1,6}}[）)])?$")
# 落款: the issuer (one or two organs, on a line or two) over the date; a seal printed over them, washed out by OCR,
# may leave 日 misread (已 曰 目 口). 抄送 and 印发 lines may follow.
_ORGAN = r"[\u4e00-\u9fff（）()]{1,30}?(?:局|委|委员会|办公室|办|厅|部|院|政府|会|中心|处|科|所|站|队|公司|集团|组|署|馆|社|室|镇|乡|街道)"
_ISSUER = re.compile(rf"^(?:{_ORGAN}(?:[（(][\u4e00-\u9fff]{{1,4}}[）)])?\s*){{1,3}}$")
_SIGN_DATE = re.compile(r"^(?P<issuer>.*?)\s*[（(]?\s*(?P<y>\d\s*\d\s*\d\s*\d|[〇○零OＯ一二三四五六七八九]{4})\s*年\s*"
                        r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?P<d>\d\s*\d?|[一二三四五六七八九十]{1,3})\s*"
                        r"[日曰目已口]?\s*[）)]?$")
_PRINTED = re.compile(r"(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发$")


def _official_head(paragraphs: list[Span]) -> tuple[int, str | None, str | None] | None:
    """公文格式, 版头: (where the title starts, the 文号, the issuer its 红头 names) when the document opens with a
    文号 or a 红头 line (only 份号, 密级 and 紧急程度 marks may stand before them); None for any other document. A 红头
    without a 文号 counts only over a title of an official kind ("关于…的通知")."""
    number = issuer = None
    at = 0
    while at < min(len(paragraphs) - 1, 6):
        line = paragraphs[at].text.strip()
        if (m := _NUMBER_LINE.match(line)) and number is None:
            number = f"{m['org']}〔{m['year']}〕{m['seq']}号"
        elif (m := _RED_HEADER.match(line)) and issuer is None and number is None:
            issuer = re.sub(r"\s+", "", m["issuer"])
        elif not _COVER_MARK.match(line):
            break
        at += 1
    if at == 0 or (number is None and issuer is None):
        return None
    if number is None and _title_lines(paragraphs[at:]) is None:
        return None
    return at, number, issuer


def _title_lines(paragraphs: list[Span]) -> tuple[int, str] | None:
    """公文格式, title: the one to three lines that make a title of an official kind ("关于做好…" / "工作的通知"), as
    (lines, title); None when the opening lines do not end as one."""
    parts: list[str] = []
    for span in paragraphs[:3]:
        line = span.text.strip()
        if len(line) > 40 or _SALUTATION.match(line) or _SENTENCE_PUNCT.search(line) or "，" in line:
            return None
        parts.append(line)
        if _OFFICIAL_TITLE.search(line):
            return len(parts), "".join(parts)
    return None


def _displaced_title(paragraphs: list[Span]) -> tuple[int, str] | None:
    """公文格式, title read out of order: OCR may take the short centred last line of a title ("工作的通知") for a
    block of its own and put it after the body. Under a 版头, a first title line "关于…" that does not end as a title
    is completed by the first short line, within the next eight, that ends with an official kind (not "特此通知")."""
    first = paragraphs[0].text.strip()
    if not first.startswith("关于"):
        return None
    for span in paragraphs[1:9]:
        line = span.text.strip()
        if len(line) <= 20 and _OFFICIAL_TITLE.search(line) and not re.search(r"^特此|[，。：:；、]", line):
            return 1, first + line
    return None


def _official_form(paragraphs: list[Span], meta: SpeechMeta, head: tuple[int, str | None, str | None] | None,
                   today: dt.date) -> None:
    """公文格式: the title over its lines, the 文号 as `number`, the issuer and date of the 落款 as speaker and date
    (failing those, the issuer the 红头 names and the date the 印发 line gives). Read after a 版头 (see
    `_official_head`), or under a title "关于…的通知" (or another official kind) that opens the document, where
    they only fill what the header block left unknown."""
    titled = _title_lines(paragraphs) if meta.title_span is paragraphs[0] else None
    if head is not None and titled is None and meta.title_span is paragraphs[0]:
        titled = _displaced_title(paragraphs)
    if head is None and (titled is None or not titled[1].startswith("关于")):
        return
    after = titled[0] if titled else 1
    if titled:
        meta.title, meta.title_derived = titled[1], False
        meta.type = canonical_type(titled[1]) or meta.type
    issuer, date = _signature(paragraphs[after:], today)
    if head is not None:
        meta.number = head[1]
        meta.speaker = issuer or head[2] or meta.speaker
        meta.date = date or meta.date
    else:
        meta.speaker = meta.speaker or issuer
        meta.date = meta.date or date


def _signature(paragraphs: list[Span], today: dt.date) -> tuple[str | None, str | None]:
    """公文格式, 落款: (issuer, date) of the first date line under an issuer line (or after the issuer on its own
    line); else a date line alone among the last lines, or the date of the 印发 line."""
    alone = printed = None
    lines = [p.text.strip() for p in paragraphs]
    for i, line in enumerate(lines):
        if (m := _PRINTED.search(line)) and (got := find_date(m["date"], today)):
            printed = got[0]
        m = _SIGN_DATE.match(line)
        if m is None or (date := _sign_date(m, today)) is None:
            continue
        before = m["issuer"].strip()
        if before and _ISSUER.match(before):
            return _issuers(before), date
        if before:
            continue
        above = [x for x in lines[max(0, i - 2) : i] if _ISSUER.match(x)]
        if above and _ISSUER.match(lines[i - 1]):
            return "、".join(_issuers(x) for x in above), date
        if i >= len(lines) - 6:
            alone = alone or date
    return None, alone or printed


def _issuers(line: str) -> str:
    """"某某市档案局　某某市财政局" (joint issuers) → "某某市档案局、某某市财政局"; other spaces are dropped."""
    parts = line.split()
    if len(parts) > 1 and all(re.fullmatch(_ORGAN, x) for x in parts):
        return "、".join(parts)
    return "".join(parts)


def _sign_date(m: re.Match, today: dt.date) -> str | None:
    """The ISO date of a 落款 date as OCR reads it: spaces in the figures, O for 〇, 日 misread under the seal."""
    year = re.sub(r"\s+", "", m["y"]).replace("O", "〇").replace("Ｏ", "〇")
    day = re.sub(r"\s+", "", m["d"])
    got = find_date(f"{year}年{m['m']}月{day}日", today)
    return got[0] if got else None

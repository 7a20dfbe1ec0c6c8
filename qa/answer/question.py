"""What a question asks for, and under which constraints, read from the structure of Chinese questions.

Nothing here is fitted to particular speeches: the forms are the interrogatives of written Chinese
(什么/哪些/哪几/多少/几/谁/哪篇/怎么/为什么/是否/分别) and the words that mark a request for a judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from qa.answer.constraints import Constraints, constraints
from qa.core.dates import BARE_YEAR, YEAR
from qa.core.lexicon.measures import (
    ASKED_COUNTERS,
    ASKED_MEASURES,
    COUNTED,
    MEASURE_NOUN,
    NUMERAL_FIGURE,
    SAME_UNIT,
    SHARE,
)
from qa.core.lexicon.pointing import POINTER, POINTING
from qa.core.lexicon.tense import ASKS_DONE, ASKS_PLAN, TIME_SAID
from qa.core.text import (
    FUNCTION_CHARS,
    STOPWORDS,
    general_frequency,
    quoted_terms,
    tagged_pieces,
    tagged_words,
    words,
)

__all__ = ["Question", "analyse", "SLOTS", "INTERROGATIVE", "gives_figure", "gives_date", "gives_name", "gives_place", "gives_time",
           "masks_figure", "documents_in", "asks_giver"]

# "多少", "几家", "几个", "多少万", "多大比例": the answer is a figure.
_ASKS_NUMBER = re.compile(rf"多少|几(?:{ASKED_COUNTERS}|大|千|百)|多大|多长|多高|占比|比例是")
_ASKS_YEAR = re.compile(r"哪一?年|何年|什么时候|何时|哪一天|几月|几号")
_ASKS_WHICH_YEAR = re.compile(r"哪一?年(?!级)|何年|几几年")  # a year, not a day or a time in general
_ASKS_NAME = re.compile(r"^谁|谁[在的是提说讲]|哪位|哪个人|什么人")
# A question with none of these asks by naming what it wants ("中国2019年人口出生率", "嫦娥五号发射时间？": a question
# mark alone asks nothing); when that is a measure (`MEASURE_NOUN`), it asks for a figure. 啥 is spoken 什么; 提没提,
# 是不是 ask too (a verb doubled round 没/不), and 多大 (多大比例).
_ASKING = re.compile(r"什么|啥|哪|谁|怎|多少|多大|几|吗|么|是否|为何|如何|何[时处地人年故种]|有没有|是不是|(.)[没不]\1")
# "冠军是谁", "由谁设计", "哪位", "哪个部门出台的": the answer names a person or a body (asking who said something is
# `source`). 哪 with a body's category noun asks for an instance of it.
_ASKS_WHO = re.compile(r"谁|哪位|什么人|哪[个一家些]?(?:部门|单位|机构|机关|委员会|交易所)")
# "哪个国家的运动员", "举办国", "在哪里举行", "位于哪个省": the answer names a country or a place (not "在哪里工作",
# answered by a body as often as by a place, nor "哪个市直单位", "哪个市场主体", "问题出在哪个地方").
_ASKS_PLACE = re.compile(r"哪[个一]?国(?![王君家])|哪[个一]?国家|[举主]办国|东道主|在哪[里儿]?(?:举办|举行|召开)"
                         r"|哪[个一座]?(?:省份?|城市|市(?!场)|县|地区)(?![委长级直属政人党])|位于哪")
_ASKS_LIST = re.compile(r"哪些|哪几|分别|有哪|几个方面|哪两|哪三|哪四|哪五|哪六|包括什么|包括哪")
# "叫什么", "又称什么", "别名是什么": the answer is what something is called.
_ASKS_CALLED = re.compile(r"叫什么|叫做什么|称为什么|称之为什么|称作什么|名称是什么|名字是什么|又称|又名|别名|别称|简称")
# "称为什么" / "成为什么" ask for a name or a role, not a reason; "是什么？" ends in 么 without asking yes or no
_ASKS_REASON = re.compile(r"(?<![称之成作改视列译定分变转认名])为什么|为何|原因|why", re.I)
_ASKS_YESNO = re.compile(r"是否|有没有|是不是|能不能|会不会|(?:吗|(?<![什怎这那多])么)[？?]?$")
_ASKS_MEANS = re.compile(r"怎么|怎样|如何|什么办法|哪些办法|什么方式|什么措施|哪些措施|举措")
# "具体是…", "分别指什么", "指的是什么", "是怎么规定的": the question wants a term spelled out.
_ASKS_CONTENT = re.compile(r"具体(?:是|指|内容|有|包括|怎么)|分别(?:指|是)|指的?是什么|是指什么|包括哪|怎么规定|什么内容|内容是什么|哪两件|哪几件")
# A request for the assistant's own judgement, a ranking or a forecast: speeches state, they do not rank for us.
_ASKS_OPINION = re.compile(
    r"你(?:觉得|认为|看来|怎么看|的看法)|依你看|哪一?(?:个|项|条|点)最(?:难|好|重要|关键|有效|值得)|最难落实|"
    r"(?:会|能)不能(?:实现|完成|成功)|预测|前景如何|评价一下|打几分|谁(?:更|最)"
)
# "出自哪篇发言", "哪篇发言提到…", "在哪次会上": the answer names a speech.
_ASKS_SOURCE = re.compile(r"哪篇|出自|哪次会|哪个会|在哪次|谁说|谁讲|谁提|哪[个一家]?(?:部门|单位|机构|机关)(?:说|讲|提出|提到|提及|表示|强调)|哪[一]?年的?[\u4e00-\u9fff]{0,6}?(?:报告|讲话)")
# "2019年政府工作报告", "2023年的讲话": a document named by its year and its kind (the kind is the last noun).
_DOC_REF = re.compile(rf"({YEAR})年(?:的|度)?[\u4e00-\u9fff]{{0,8}}?(政府工作报告|工作报告|报告|讲话|发言|致辞)")
# Who gave a document, or where: "由谁作", "谁作的", "在哪次会议上", "什么会议上作的".
_ASKS_GIVER = re.compile(r"谁(?:作|做|宣读|发表|代表)|由谁|是谁(?:作|做)|(?:哪次|什么|哪个)会议上|第几届|第几次会议"
                         r"|(?:哪一?天|什么时候|何时|哪年哪月)(?:作|做|发表|宣读)")
# A compound jieba cuts into a known word and a one-character suffix ("房地产税" → 房地产 / 税): asked about whole.
_SUFFIX = frozenset("税费法率权证险价制")
_YEAR = re.compile(rf"(?<!\d)(?:({YEAR})(?=年)|({BARE_YEAR}))")
_TITLE = re.compile(r"《([^《》]{2,40})》")
# A subject that is a name: a first word unknown to the everyday dictionary. Words that open questions or point
# elsewhere (哪件, 此鱼: POINTING) are not names; a function character jieba glued onto the name ("黄华麒是") is dropped.
# "X的花有什么特点", "X的外形是怎样的": the part of X the question is about, named right before what it asks.
_ASPECT = re.compile(r"的([\u4e00-\u9fff]{1,4}?)(?:有什么|有哪些|有何|是什么|是怎样|是怎么样|是如何|怎么样|如何|为何|是多少|有多|在哪)")
_MASK = r"\*{2,}|X{2,}"  # how the sample sources hide a figure: "**条", "XX大"
MASK = re.compile(_MASK)
# The measure word after 多少/几: 多少条, 几家, 多少万, 多少厘米, 几大类 ("十大类", "五大专项行动").
_UNIT = re.compile(rf"(?:多少|几)大?({ASKED_MEASURES})")


# What a question asks, as one thing: the first of these its kinds (the patterns it matches) give. A judgement asked
# for is a stance whatever it is about; a question about a named document's giver, day or meeting, or about which
# speech said something, is about the document; a list of figures is a list; a figure asked in 几次/多少年 is a figure,
# not a time; "叫什么名字" asks what something is called, not who.
SLOTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("stance", frozenset({"opinion"})),  # 你觉得…, 哪项最难, 能不能完成: a judgement
    ("giver", frozenset({"giver"})),  # 由谁作, 哪一天作的, 在哪次会议上: who gave a named document, when, where
    ("source", frozenset({"source"})),  # 出自哪篇, 哪篇讲话提到: the speech or document that says it
    ("list", frozenset({"list"})),  # 哪些, 哪三个表率, 分别: the items of a list
    ("figure", frozenset({"number"})),  # 多少, 几家, 多高: a figure
    ("time", frozenset({"year"})),  # 哪一年, 什么时候: a time
    ("called", frozenset({"called"})),  # 叫什么, 又称: what something is called
    ("person", frozenset({"who", "name"})),  # 谁, 哪位: a person or a body
    ("place", frozenset({"place"})),  # 哪个国家, 在哪里举行: a place
    ("content", frozenset({"content"})),  # 具体指什么: the content of a term
    ("reason", frozenset({"reason"})),  # 为什么: a reason
    ("way", frozenset({"means"})),  # 如何, 怎么, 什么措施: a way
    ("stance", frozenset({"yesno"})),  # 是否, 有没有: yes or no
)


def slot_of(kinds: frozenset[str] | set[str]) -> str:
    """The one thing a question asks, from its kinds by the precedence of `SLOTS`; "other" when it matches none
    ("…是什么", "…提出了什么": what the speeches say of it)."""
    return next((slot for slot, marks in SLOTS if kinds & marks), "other")


@dataclass(frozen=True)
class Question:
    """A question read once, before anything else: every later stage reads these fields, none parses the text."""

    text: str
    # number year name who called list reason yesno means content opinion source giver plan done earliest
    kinds: frozenset[str] = frozenset()
    slot: str = "other"  # what it asks as one thing (`SLOTS`): figure, time, person, place, list, content, …
    constraints: Constraints = Constraints()  # what pins it: years, meetings, counts, qualifiers, entities, documents
    quoted: tuple[str, ...] = ()  # terms the question puts in quotation marks
    titles: tuple[str, ...] = ()  # works it names in 《》
    subject: str | None = None  # the name the question opens with, when it is one (黄华麒是哪个大学毕业的 → 黄华麒)
    unit: str | None = None  # the measure word a figure is asked in: 多少"条" → 条
    counted: str | None = None  # what is counted: 几家"骑士团" → 骑士团
    aspect: str | None = None  # what of the topic is asked about: 软枝黄蝉的"花"有什么特点 → 花
    measured: str | None = None  # the verb whose amount is asked: 经济"增长"了多少 → 增长
    of: str | None = None  # what a figure is of, when the question says it: 今年"城镇新增就业"目标是多少
    role: str | None = None  # the role whose holder a person question asks: 《X》的"导演"是谁 (see `_role`)
    which_year: bool = False  # a time question asks for a year (哪一年, 何年), not a day or a time in general
    tagged: tuple[tuple[str, str], ...] = ()  # jieba's words with their parts of speech
    never: frozenset[str] = frozenset()  # words that shape the question and are never key terms (see `shaping`)
    unnamed: frozenset[str] = frozenset()  # words that help choose sentences but a refusal does not name
    openings: tuple[str, ...] = ()  # the openings that may name its topic, shortest first (see `_openings`)
    compounds: tuple[str, ...] = ()  # compounds jieba cut before a one-character suffix: 房地产税

    @property
    def years(self) -> tuple[str, ...]:
        """The years it names: "2023"."""
        return self.constraints.years

    @property
    def documents(self) -> tuple[tuple[str, str], ...]:
        """The documents it names by year and kind: ("2019", "政府工作报告")."""
        return self.constraints.documents

    def without_subject(self) -> Question:
        """The same question, its subject left to the speaker rules (it names a speaker or a body)."""
        return replace(self, subject=None)

    @property
    def wants_figure(self) -> bool:
        return "number" in self.kinds

    @property
    def wants_list(self) -> bool:
        return "list" in self.kinds


def analyse(text: str, max_topic: int = 12) -> Question:
    """The only reading of a question's text (`max_topic`: the longest opening taken as its topic)."""
    kinds = {kind for kind, pattern in (
        ("number", _ASKS_NUMBER), ("year", _ASKS_YEAR), ("name", _ASKS_NAME), ("who", _ASKS_WHO),
        ("place", _ASKS_PLACE), ("list", _ASKS_LIST), ("called", _ASKS_CALLED), ("reason", _ASKS_REASON),
        ("yesno", _ASKS_YESNO), ("means", _ASKS_MEANS), ("content", _ASKS_CONTENT), ("opinion", _ASKS_OPINION),
        ("source", _ASKS_SOURCE), ("plan", ASKS_PLAN), ("done", ASKS_DONE)) if pattern.search(text)}
    if not _ASKING.search(text):  # a bare phrase asks for what it names last (a question mark alone asks nothing)
        bare = text.rstrip("？?。 ")
        if MEASURE_NOUN.search(bare):
            kinds.add("number")  # "中国2019年人口出生率": a measure's figure
        elif re.search(r"(?:国家|国籍)$", bare):
            kinds.add("place")  # "J-20战斗机研发国家": a country
        elif re.search(r"(?:日期|时间|年份)$", bare):
            kinds.add("year")  # "任天堂Switch发售日期": a time
    if "source" in kinds and re.search(r"首次|第一次|最早|最先", text):
        kinds.add("earliest")  # "哪一年的报告首次提出…": the earliest document that says it
    if asks_giver(text):
        kinds.add("giver")  # who gave a document, or at which meeting
    if kinds & {"source", "opinion"}:
        kinds.discard("who")  # "谁说的", "谁更…": a speech or a judgement is asked for, not a name in a sentence
    unit = counted = None
    if m := _UNIT.search(text):
        unit = m.group(1)
        after = words(text[m.end() :])
        counted = after[0] if after and len(after[0]) >= 2 and after[0] not in STOPWORDS else None
    tagged = tagged_words(text)
    never, unnamed = shaping(text, tagged)
    titles = tuple(dict.fromkeys(m.group(1) for m in _TITLE.finditer(text)))
    measured = _measured(tagged) if "多少" in text else None
    slot = slot_of(kinds)
    return Question(
        text, frozenset(kinds), slot,
        constraints(text, tagged, tuple(dict.fromkeys(m.group(1) or m.group(2) for m in _YEAR.finditer(text))),
                    titles, documents_in(text)),
        quoted=tuple(dict.fromkeys(quoted_terms(text))), titles=titles, subject=_subject(text, tagged), unit=unit,
        counted=counted, aspect=m.group(1) if (m := _ASPECT.search(text)) else None, measured=measured,
        of=_figure_of(text, measured) if slot == "figure" and counted is None else None,
        role=_role(tagged) if slot == "person" else None,
        which_year=slot == "time" and bool(_ASKS_WHICH_YEAR.search(text)), tagged=tagged,
        never=frozenset(never), unnamed=frozenset(unnamed), openings=_openings(text, tagged, max_topic),
        compounds=_compounds(tagged))


# Words between what a figure is of and the interrogative that asks it: "城镇新增就业|目标是|多少", "GDP|增长了|多少".
_FRAME = frozenset({"是", "为", "有", "达", "达到", "要", "将", "约", "共", "共有", "会", "能", "了", "在", "的", "目标",
                    "预期", "预期目标", "计划", "大约", "一共", "总共", "已经", "大概", "实现", "力争", "稳定", "控制",
                    "保持", "到", "增长目标", "同比", "环比", "年均", "平均", "累计", "分别"})
_OF_TAGS = ("n", "v", "j", "l", "b", "s", "eng", "a")  # nouns, verbs, abbreviations, set phrases, names, Latin words


def _figure_of(text: str, measured: str | None) -> str | None:
    """What the figure asked for is of, as the question writes it right before the interrogative, its frame words
    (是, 为, 目标, 要, 达到…) and the verb measured ("增长了多少") left out: "城镇新增就业" of "今年城镇新增就业目标是
    多少", "GDP" of "2019年GDP增长了多少", "人口出生率" of "中国2019年人口出生率". A time (今年), a year, a place
    pointed at (全市有…) or a preposition ends it; a lone verb after 的 is of what comes before ("国内生产总值的增长")."""
    m = _ASKS_NUMBER.search(text)
    end = m.start() if m else len(text.rstrip("？?。 "))
    pieces, at = [], 0
    for w, flag in tagged_pieces(text):
        if at + len(w) > end:
            break
        pieces.append((at, w, flag))
        at += len(w)
    while pieces and (pieces[-1][1] in _FRAME or pieces[-1][1] == measured or pieces[-1][2] in ("ul", "uz", "uj", "d")):
        pieces.pop()
    run: list[tuple[int, str, str]] = []
    while pieces:
        start, w, flag = pieces[-1]
        if flag.startswith(_OF_TAGS) and w not in _FRAME and not w.startswith(("全", "本", "该", "我")):
            run.insert(0, pieces.pop())
        elif w == "的" and len(run) == 1 and run[0][2].startswith("v") and pieces[:-1] and pieces[-2][2].startswith(_OF_TAGS):
            run.insert(0, pieces.pop())  # "国内生产总值的增长": the growth of what comes before
        else:
            break
    while run and run[0][1] == "的":
        run.pop(0)
    return text[run[0][0] : run[-1][0] + len(run[-1][1])] if run else None


def _role(tagged: tuple[tuple[str, str], ...]) -> str | None:
    """The role a who-question asks the holder of: the noun of two characters or more right before 是谁/为谁/是哪位
    ("《X》的导演是谁" → 导演, "总导演是谁" → 总导演), the question ending there ("苹果是谁创立的" asks who did
    something, not who holds a role), not a name (a person's name is what is asked) and not a pointer at a person
    ("这句话是哪位领导…": no role)."""
    for i, (w, _) in enumerate(tagged):
        if w in ("谁", "哪位") and i == len(tagged) - 1 and i >= 2 and tagged[i - 1][0] in ("是", "为"):
            role, flag = tagged[i - 2]
            if len(role) >= 2 and flag in ("n", "v", "vn", "nz"):  # jieba tags 导演, 组长 as verbs too
                return role
    return None


def documents_in(text: str) -> tuple[tuple[str, str], ...]:
    """The documents a text names by year and kind: ("2019", "政府工作报告") for “2019年政府工作报告”."""
    return tuple(dict.fromkeys((m.group(1), m.group(2)) for m in _DOC_REF.finditer(text)))


def asks_giver(text: str) -> bool:
    """Whether a question asks who gave a document, when or at which meeting (“是谁作的”, “在哪次会议上”)."""
    return bool(_ASKS_GIVER.search(text))


def _compounds(tagged: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """A word of two or more characters followed by a one-character suffix that makes a new term with it (税, 费, 法,
    率, 权, 证, 险, 价, 制): "房地产税" is not "房地产", and a sentence saying only the latter does not answer."""
    out = []
    for (w, flag), (nxt, nflag) in pairwise(tagged):
        if len(w) >= 2 and flag[0] in "njvl" and nxt in _SUFFIX and nflag[0] == "n":
            out.append(w + nxt)
    return tuple(dict.fromkeys(out))


INTERROGATIVE = re.compile(r"谁|哪|什么|多少|怎|^何[处时地人种年故]|如何|为何|^几[\u4e00-\u9fff]?$")


def shaping(question: str, tagged: tuple[tuple[str, str], ...]) -> tuple[set[str], set[str]]:
    """The question's words that shape it rather than name its topic. First, those that are never key terms: the
    interrogatives ("由谁来", "何处", "哪张") and a pointer at the topic the question opens with ("此鱼分布在…",
    "该剧"). Second, those a refusal does not name as missing, though they help choose sentences: prepositions
    ("通过什么办法", "中央关于…") and the noun an interrogative asks for ("什么办法", "哪些功效": the answer names an
    instance of it, seldom the word)."""
    never, unnamed = set(), set()
    asking = False
    for w, flag in tagged:
        if INTERROGATIVE.search(w):
            never.add(w)
        elif flag == "p" or (asking and flag.startswith("n")):
            unnamed.add(w)
        if asking and flag not in ("q", "m", "uj"):
            asking = False
        if INTERROGATIVE.search(w) and flag == "r":
            asking = True
    if m := POINTER.match(question):
        never.add(m.group(0))
    return never, unnamed


_NOT_TOPIC = frozenset({"p", "c", "r", "d", "u", "uj", "ul", "uz", "y", "e", "o"})  # prepositions, pronouns, particles


def _openings(text: str, tagged: tuple[tuple[str, str], ...], max_topic: int) -> tuple[str, ...]:
    """The openings of two characters or more that may name what the question is about ("纽西兰鸡毛松" of
    "纽西兰鸡毛松有多高？"), when it opens with a content word (not "在", "关于", "哪些", "他", "该词"); the answer
    stage takes the longest one its passages say."""
    first = tagged[0] if tagged else None
    if first is None or first[1] in _NOT_TOPIC or first[0] in STOPWORDS or first[0][0] in POINTING:
        return ()
    out = []
    for n in range(2, min(len(text), max_topic) + 1):
        if not re.fullmatch(r"[\w·．.\-]+", text[:n]):
            break
        out.append(text[:n])
    return tuple(out)


_LIGHT_VERBS = frozenset({"是", "有", "为", "达", "约", "共", "占", "要", "会", "能", "共有", "达到", "拥有", "需要"})


def _measured(tagged: tuple[tuple[str, str], ...]) -> str | None:
    """The verb right before 多少 ("增长了多少", "卖出多少"), unless a light one (有, 达到): a figure that is not said to
    be of it (a total for "增长了多少") answers something else. Not for 几 (“共有几所”, answered “共四所”)."""
    for i, (w, _) in enumerate(tagged):
        if w.startswith("多少"):
            j = i - 1
            while j >= 0 and tagged[j][1] in ("ul", "uz", "d"):
                j -= 1
            verb, flag = tagged[j] if j >= 0 else ("", "")
            return verb if flag.startswith("v") and len(verb) >= 2 and verb not in _LIGHT_VERBS else None
    return None


def _subject(text: str, tagged: tuple[tuple[str, str], ...]) -> str | None:
    """The name the question opens with: a first word unknown to the everyday dictionary. Not when jieba's two cuts
    disagree at a function word ("对来年…": the precise cut glues 对 onto 来, the tagged cut reads 对 / 来年)."""
    first = next(iter(words(text)), "")
    if (len(first) < 2 or first in STOPWORDS or first[0] in POINTING or general_frequency(first)
            or not re.fullmatch(r"[\u4e00-\u9fff]+", first)):
        return None
    if tagged and len(tagged[0][0]) == 1 and tagged[0][1] in ("p", "c", "d", "u", "r") and len(tagged[0][0]) < len(first):
        return None
    return first[:-1] if len(first) >= 3 and first[-1] in FUNCTION_CHARS else first


def _plain(text: str) -> str:
    """Without masks and years: "2023年" dates a statement, it is not the figure asked for."""
    return re.sub(rf"{YEAR}年", "", re.sub(rf"(?:{_MASK})[十百千万亿]*", "", text))  # "****亿元": no figure




def gives_figure(text: str, unit: str | None = None, counted: str | None = None) -> bool:
    """`text` gives the figure asked for: a number (in `unit`, when the question names one), a share in words, or,
    for a count of things (`counted`: "骑士团" of "几家骑士团"), the things enumerated ("甲骑士团、乙骑士团和…")."""
    plain = _plain(text)
    if unit:
        if (counted and unit in COUNTED and plain.count(counted) >= 2
                and re.search(rf"{re.escape(counted)}[、和及与]", plain)):
            return True
        said = "|".join(map(re.escape, SAME_UNIT.get(unit, (unit,))))
        return bool(re.search(rf"(?:\d|[一二两三四五六七八九十百千万亿])\s*大?(?:{said})", plain, re.I))
    return bool(NUMERAL_FIGURE.search(plain) or SHARE.search(plain))


# Words that name a person or a body: jieba's names (people nr, bodies nt, other proper nouns nz, Latin-script
# words), foreign names with "·", words no everyday dictionary knows (names jieba builds from characters: 茱莉景子),
# and nouns of agents and bodies by their last character (统治者, 铁路局, 董事会, 公司).
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "nt", "nz", "eng"})
_AGENT = re.compile(r"[者员长家手商方队局部会社司府院所厂委处署团军党派]$")
_CALENDAR = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*")


def _new_words(text: str, question: str) -> list[tuple[str, str]]:
    """`text`'s tagged words of two or more characters that `question` does not already say."""
    asked = question.lower()
    return [(w, flag) for w, flag in tagged_words(text) if len(w) >= 2 and w not in asked]


def gives_name(text: str, question: str) -> bool:
    """`text` names a person or a body that `question` does not already name: what "是谁" is answered with."""
    for w, flag in _new_words(text, question):
        if flag == "eng" and _CALENDAR.fullmatch(w):
            continue  # "Apr 4, 2018": a date, not a name
        if (flag in _NAME_TAGS or "·" in w or _AGENT.search(w)
                or (re.fullmatch(r"[\u4e00-\u9fff]+", w) and not general_frequency(w))):
            return True
    return False


def gives_place(text: str, question: str) -> bool:
    """`text` names a country or a place that `question` does not already name: what "哪个国家" is answered with."""
    return any(flag == "ns" or (flag.startswith("n") and w[-1] in "国省市州县") for w, flag in _new_words(text, question))


_DATE = re.compile(rf"{YEAR}年|\d{{1,2}}月|[一二三四五六七八九十]+月|\d{{1,2}}日")


def gives_date(text: str) -> bool:
    """A year, month or day: what a question asking when is answered with."""
    return bool(_DATE.search(text))


def gives_time(text: str, question: str) -> bool:
    """`text` says when, in any form (a question asking when is refused by an answer that says no time at all)."""
    return bool(gives_date(text) or TIME_SAID.search(text)) or any(
        flag == "t" and w not in question for w, flag in tagged_words(text))


def masks_figure(text: str, unit: str | None = None) -> bool:
    """The source hides the figure: "**条产业链", "****多年"."""
    return bool(re.search(rf"(?:{_MASK})多?{re.escape(unit) if unit else ''}", text))

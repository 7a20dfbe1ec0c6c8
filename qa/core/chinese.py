"""What Chinese text says of who leads a task and by when: the readers of units (局、委、办…) and time limits that
both ingest (pledges) and the ledger use. Each reads only what the words state; nothing is guessed."""

from __future__ import annotations

import re

__all__ = ["lead_unit", "deadline", "opens_with_surname"]

_UNIT = r"[\u4e00-\u9fa5]{1,14}?(?:局|委员会|委|办公室|办|部|厅|处|科|院|中心|政府|集团|公司|银行|街道|乡|镇|所|站|队|会)"
_UNITS = rf"{_UNIT}(?:[、和及]{_UNIT})*"
_LEAD = [  # "负责" alone also means "answerable to" (向人民负责) or "head" (负责人): only after 由
    re.compile(rf"由({_UNITS})(?:牵头|负责(?!人)|抓总|统筹)"),
    re.compile(rf"(?:围绕|请|要求|推动|督促|组织|^|[，。；：、“”（）\s])({_UNITS})(?:牵头|抓总)"),
    re.compile(rf"(?:责任单位|牵头单位)[:：]\s*({_UNIT}(?:[、，,]{_UNIT})*)"),
]
_YEAR = r"(?:20\d\d|今|明)年"
_NUM = r"(?:\d+|[一二三四五六七八九十两几]+)"
# a time limit, not merely a time: "年底前", "到2025年", "三年内"; a bare "今年" or "一季度" is no deadline
_DEADLINE = re.compile(
    rf"({_YEAR}(?:\d{{1,2}}月)?(?:底|末)(?:前|以前|之前)?|{_YEAR}(?:\d{{1,2}}月)?(?:前|以前|之前)"
    rf"|到20\d\d年(?:\d{{1,2}}月)?(?:底|末)?|年底前|年内|年末前|第?[一二三四1-4]季度(?:末|前|内)"
    rf"|{_NUM}个?(?:月|年|周)(?:内|之内)|{_NUM}月(?:底|末)(?:前|以前)?|{_NUM}月(?:前|以前))")


def lead_unit(text: str) -> str:
    """The unit the text names as leading or responsible, or "" (the text does not say)."""
    for pattern in _LEAD:
        if m := pattern.search(text):
            return m.group(1)
    return ""


def deadline(text: str) -> str:
    """The time limit the text states (年底前, 到2025年, 三年内…), or ""."""
    m = _DEADLINE.search(text)
    return m.group(1) if m else ""


# Common surnames, and the compound ones still in use: a personal name opens with one (a sentence, a heading or a
# fragment of jieba's cut seldom does).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
    "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍"
    "庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华"
    "喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和"
    "仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝习"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐")


def opens_with_surname(name: str) -> bool:
    """`name` opens with a common Chinese surname (a header's name line, a name a question asks about)."""
    return bool(name) and (name[0] in _SURNAMES or name.startswith(_COMPOUND_SURNAMES))

"""How Chinese text measures: units with their scale (万人 is ten thousand 人), the measure words (量词) that count
things after a numeral (三项, 几家), the figures written with them, and the nouns that name a measure (增速, 人口).
`UNITS` is the one list of units: the figures of a target, of a plan's sentence and of a heading are read with it."""

from __future__ import annotations

import re

__all__ = ["UNITS", "UNIT", "FIGURE", "STATES_FIGURE", "AMOUNT", "TOTAL", "PLAN_COUNTERS", "ASKED_COUNTERS",
           "ASKED_MEASURES", "NUMERAL_FIGURE", "COUNTED", "SAME_UNIT", "SHARE", "MEASURE_NOUN"]

# A unit and its scale to the base unit: 1.2万公里 = 12000 公里; 万亿元 = 10000 亿元. 个百分点 is a unit of its own:
# a change of a rate, not a rate (“下降0.3个百分点”).
UNITS: dict[str, tuple[str, float]] = {
    "%": ("%", 1), "个百分点": ("个百分点", 1), "万亿元": ("亿元", 1e4), "亿元": ("亿元", 1), "万元": ("元", 1e4),
    "元": ("元", 1), "亿美元": ("亿美元", 1), "万人次": ("人次", 1e4), "亿人次": ("人次", 1e8), "万人": ("人", 1e4),
    "亿人": ("人", 1e8), "人": ("人", 1), "万户": ("户", 1e4), "户": ("户", 1), "亿吨": ("吨", 1e8), "万吨": ("吨", 1e4),
    "吨": ("吨", 1), "亿公斤": ("公斤", 1e8), "万公里": ("公里", 1e4), "公里": ("公里", 1), "千米": ("公里", 1),
    "万亩": ("亩", 1e4), "亿亩": ("亩", 1e8), "亩": ("亩", 1), "万千瓦": ("千瓦", 1e4), "亿千瓦": ("千瓦", 1e8),
    "万套": ("套", 1e4), "套": ("套", 1), "万个": ("个", 1e4), "个": ("个", 1), "项": ("项", 1), "所": ("所", 1),
    "家": ("家", 1), "座": ("座", 1), "倍": ("倍", 1), "万辆": ("辆", 1e4), "辆": ("辆", 1), "万间": ("间", 1e4),
    "平方米": ("平方米", 1),
}
# Any unit of `UNITS`, the longest first (万人次 before 万人): a regex fragment.
UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
# A number with its unit, as a target or an account states it: “5.5%”, “1,206万人”, “300多亿元” (多/余: more than).
# Read on ASCII digits (`qa.pledges.targets.ascii_digits`).
FIGURE = re.compile(rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:多|余)?\s*(?P<unit>{UNIT})")
# An amount: a unit, or 万/亿 alone (“1000亿”, “新增10万”: the noun after it says what is counted). A regex fragment.
AMOUNT = rf"{UNIT}|亿|万"
# A line that states a figure (“新建社区养老服务站10个。”): headings name a topic, they do not count.
STATES_FIGURE = re.compile(rf"\d+(?:\.\d+)?\s*(?:{AMOUNT})")
# A figure that is no one year's result: a total (累计, 共计, 合计) or an average over years (年均, 五年来).
TOTAL = re.compile(r"累计|五年|[两三四五六七八九十]年来|共计|总共|合计|年均")

# The measure words a plan counts in after a Chinese numeral (三项, 五家, 十万, 两千亩): a regex fragment.
PLAN_COUNTERS = "项|家|条|亩|批|所|座|场|次|户|万|亿|公里"
# The measure words a question asks a count in after 几/多少 (几家, 多少项, 几年, 几成): a regex fragment.
ASKED_COUNTERS = "个|家|项|条|年|万|亿|名|次|所|批|支|座|场|天|月|倍|成|位|种|类|件|点"
# Those, and the everyday units a figure is asked in (多少人, 几岁, 多少厘米, 多少公里): a regex fragment.
ASKED_MEASURES = rf"{ASKED_COUNTERS}|人|元|米|厘米|公里|亩|岁"
# Figures in an answer sentence: digits, or Chinese numerals with a measure word or unit (三家, 两千米, 十几岁).
NUMERAL_FIGURE = re.compile(
    r"\d|[一二两三四五六七八九十百千][一二两三四五六七八九十百千万亿]*大?(?:个|家|项|条|亩|批|支|所|座|场|次|年|万|亿|名|人|倍|成|户|元|天|月|位|类|件|台|公里|平方|"
    r"[厘毫千]?米|公斤|千克|克|吨|岁|度|小时|分钟|秒|周)")
# Measure words that count things (not amounts): "身兼几家骑士团" is answered by naming them.
COUNTED = frozenset("个家项条所座位种类件支批名部本首")
# The words a figure in one unit may be written with: people are counted in 名, 位 or 人; lengths and weights are
# written in Latin abbreviations too ("2cm" answers "多少厘米"); "几点" is answered by "11时" and "11:00".
SAME_UNIT = {u: group for group in (("名", "位", "人"), ("米", "m", "公尺"), ("厘米", "cm"), ("毫米", "mm"),
                                    ("公里", "千米", "km"), ("公斤", "千克", "kg"), ("成", "%", "％"), ("点", "时", ":"))
             for u in group}
# A share in words: "一半以上病人…".
SHARE = re.compile(r"一半|半数|过半|大半")
# A noun that names a measure (a rate, count, amount or share): "人口出生率", "人数", "面积", "增速".
MEASURE_NOUN = re.compile(r"(?:[\u4e00-\u9fff][率额值]|人数|总数|数量|人口|面积|产量|销量|比重|比例|增速|增幅|票房|价格)$")

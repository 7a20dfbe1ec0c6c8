"""How Chinese text measures: units with their scale (万人 is ten thousand 人), the measure words (量词) that count
things after a numeral (三项, 几家), the figures written with them, and the nouns that name a measure (增速, 人口).
`UNITS` is the one list of units: the figures of a target, of a plan's sentence and of a heading are read with it."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["UNITS", "UNIT", "FIGURE", "STATES_FIGURE", "AMOUNT", "TOTAL", "PLAN_COUNTERS", "ASKED_COUNTERS",
           "ASKED_MEASURES", "NUMERAL_FIGURE", "COUNTED", "SAME_UNIT", "SHARE", "MEASURE_NOUN", "MEASURE_CLAUSE",
           "SAME_INDICATOR", "Indicator", "INDICATORS", "INDICATOR_ALIASES"]

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
# A clause of a plan that names a measure of its own, with no subject (无主句): it sets up a system or a programme
# (建立…制度, 实施…工程, 启动…计划), rolls out or ends one (全面推开…改革, 取消农业税, 普及九年义务教育) or sets one
# going in a place (在安徽省进行试点); after a time, a modal or a deadline (今年要, 到2007年使, 五年内).
MEASURE_CLAUSE = re.compile(
    r"^(?:(?:今年|明年|全年|同时|并|还|逐步|抓紧|力争|争取|要|将|拟|继续|进一步|\d{4}年|到\d{4}年|年底前|年内|"
    r"[一二三四五两三]年内|使[^，。；]{0,8}?|在[^，。；]{1,10})*)"
    r"(?:建立|建设|实施|实行|推行|全面推开|推开|启动|取消|免征|普及|制定|出台|设立|开展|进行|组建|试行|"
    r"基本(?:普及|扫除|建成|实现)|扫除)[^，。；]{2,}")
# One indicator under the words a plan and a review use for it: a target of “居民消费价格涨幅” is reported as “居民消费
# 价格上涨1.5%”, one of “增幅” or “增速” as “增长”, “经济增长” as “国内（地区）生产总值比上年增长” (regexes, within a
# clause; 生产总值 alone is no growth: “单位地区生产总值能耗降低4%”).
SAME_INDICATOR = {"涨幅": ("上涨", "上升"), "增幅": ("增长",), "增速": ("增长",), "降幅": ("下降",),
                  "经济增长": ("生产总值[^，。；]{0,6}增长", "GDP[^，。；]{0,6}增长")}


@dataclass(frozen=True)
class Indicator:
    """A headline indicator: the words that name it, the unit its figures are in, and which way is better."""

    term: str
    names: str  # a regex of the words that name it
    unit: str  # the base unit of `figures_in` ("%", "人")
    higher_is_better: bool
    verbs: str = ""  # words one of which must stand between the name and the figure (growth, not a level)


# The headline indicators of a work report's targets (主要预期目标), each by the words that name it, for the target
# table (qa/pledges/table.py). Follow-through matches a target's own words to a review's instead (`SAME_INDICATOR`).
INDICATORS = (
    Indicator("经济增长", r"(?<!单位)(?:国内生产总值|地区生产总值|国民生产总值|经济增长|经济增速|GDP)", "%", True,
              r"增长|增速|增幅"),
    Indicator("居民消费价格", r"居民消费价格|消费价格|物价总水平|CPI", "%", False),
    Indicator("城镇新增就业", r"城镇新增就业|新增城镇就业|城镇就业新增", "人", True),
    Indicator("城镇登记失业率", r"城镇登记失业率|登记失业率", "%", False),
    Indicator("城镇调查失业率", r"城镇调查失业率|调查失业率", "%", False),
    Indicator("赤字率", r"赤字率|财政赤字占国内生产总值的?比重", "%", False),
    Indicator("能耗", r"单位(?:国内|地区)生产总值能(?:耗|源消耗)|单位GDP能耗|能耗强度", "%", True, r"降低|下降|减少|降幅"),
)
INDICATOR_ALIASES = {"GDP": "经济增长", "国内生产总值": "经济增长", "经济增速": "经济增长", "CPI": "居民消费价格", "物价": "居民消费价格",
            "就业": "城镇新增就业", "能源消耗": "能耗"}

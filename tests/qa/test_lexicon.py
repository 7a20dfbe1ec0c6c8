"""The lexicon (`qa.core.lexicon`): each list read on a sentence of a real speech (the archive's work reports and
congress reports, the sample corpus) or on a question of the evaluation sets, for what it says it captures."""

from __future__ import annotations

import re

import pytest

from qa.core.lexicon import measures, pointing, progress, tense
from qa.pledges.targets import figures_in


@pytest.mark.parametrize(("pattern", "sentence", "found"), [
    # the past, broadly (aspect 了) and unmistakably (a time word, a verb of result with 了)
    (tense.PAST, "建设了一大批水利、交通、通信、能源和环保等基础设施工程。", True),
    (tense.PAST_STRONG, "建设了一大批水利、交通、通信、能源和环保等基础设施工程。", False),
    (tense.PAST_STRONG, "过去一年，我们不仅大步推进各项事业，而且在丰富的实践中思想认识得到升华。", True),
    (tense.PAST, "国内生产总值20.94万亿元，比上年增长10.7%；", False),  # 比上年 compares: no time of the past
    (tense.FUTURE, "今年要全面完成规划支持的2.9万所乡镇卫生院建设任务。", True),
    (tense.FUTURE, "我国同日本和美国的关系取得了新的重大进展。", False),
    # a look back rules a sentence out of pledges, unless a modal verb still commits it
    (tense.RETROSPECTIVE, "中国和美国自一九七九年建立外交关系以来，两国关系是有发展的，但是远未达到本来应该达到的水平。", True),
    (tense.AHEAD, "中国和美国自一九七九年建立外交关系以来，两国关系是有发展的，但是远未达到本来应该达到的水平。", False),
    (tense.AHEAD, "今年要召开全国科学技术大会，对科技工作进行全面部署。", True),
    (tense.RETROSPECTIVE, "做好我国申办２０１０年上海世界博览会的工作。", False),  # a year alone is no sign of the past
    (tense.REVIEW_HEADING, "一、过去一年和五年工作回顾", True),
    (tense.REVIEW_HEADING, "二、对今年政府工作的建议", False),
    (tense.TIME_SAID, "今后，我们考虑一切经济问题，必须把根本出发点放在提高经济效益上，使我国经济更好地持续发展。", True),
    (tense.TIME_SAID, "收入分配关系尚未理顺；", False),
    (tense.TIME_SAID, "新中国成立后，毛泽东同志提出“政治工作是一切经济工作的生命线”；", True),
    # questions: what is planned, what was done, the newest speech
    (tense.ASKS_PLAN, "市工信局在干部教育培训上作了什么承诺？", True),
    (tense.ASKS_DONE, "关于个人所得税起征点，政府工作报告里说做了哪些事？", True),
    (tense.ASKS_DONE, "市工信局在干部教育培训上作了什么承诺？", False),
    (tense.LATEST, "在工商企业中最近开始推行的经济责任制，也取得了一定的效果。", True),
        # done, not done, under way
    (progress.DONE, "基本普及九年义务教育和基本扫除青壮年文盲的目标初步实现。", True),
    (progress.DONE, "但是，全国没有实现年初确定的单位国内生产总值能耗降低4%左右、主要污染物排放总量减少2%的目标。", False),
    (progress.UNDONE, "但是，全国没有实现年初确定的单位国内生产总值能耗降低4%左右、主要污染物排放总量减少2%的目标。", True),
    (progress.UNDONE, "收入分配关系尚未理顺；", True),
    (progress.PROGRESS, "这个长期遗留的问题正在逐步解决。", True),
    (progress.CARRIED_OUT, "内地与香港、澳门更紧密经贸关系安排顺利实施。", True),  # gwr-national-2005
    (progress.CARRIED_OUT, "抓紧制定配套措施，认真落实出口退税机制改革方案。", False),  # a plan: no aspect of done
    (progress.MEASURE, "要实施“中国制造2025”，坚持创新驱动、智能转型、强化基础、绿色发展。", True),
    (progress.MEASURE, "完善城乡医疗救助制度，提高救助水平。", False),  # work kept doing
    (progress.PARTLY, "已有25个省（自治区、直辖市）、2133个县（市、区）初步建立了农村最低生活保障制度。", True),
    # figures and measures
    (measures.STATES_FIGURE, "专精特新中小企业达7万多家。", True),  # 万 alone: an amount, though no unit of `UNITS`
    (measures.FIGURE, "专精特新中小企业达7万多家。", False),
    (measures.TOTAL, "五年累计，单位国内生产总值能耗下降 19.1%，化学需氧量、二氧化硫排放量分别下降12.45%、14.29%。", True),
    (measures.NUMERAL_FIGURE, "连续四年在全国开展整治违法排污企业、保障群众健康环保专项行动。", True),
    (measures.SHARE, "出台稳外贸政策，货物通关时间压缩一半以上。", True),
    (measures.MEASURE_NOUN, "城镇调查失业率", True),  # of "城镇调查失业率5.5%左右" (gwr-national-2023)
        (re.compile(rf"[两三四五六七八九十](?:{measures.PLAN_COUNTERS})"), "今年要着重抓好以下三项工作。", True),
    (re.compile(rf"几(?:{measures.ASKED_COUNTERS})"), "按“万人助万企”活动的要求，每名干部要结对联系几家企业？", True),
    (re.compile(rf"多少(?:{measures.ASKED_MEASURES})"), "市委书记讲话中提到全市常住人口有多少万？", True),
    # pointing
    (pointing.POINTS_BACK, "这个准则今后作为党章的重要补充，将继续保持它的全部效力。", True),
    (pointing.POINTER, "那篇学习体会的作者自我检讨，说自己在业务和思想工作上偏在了哪头？", True),
    (pointing.POINTER, "市委书记讲话中提到全市常住人口有多少万？", False),
])
def test_each_list_reads_what_it_says(pattern: re.Pattern, sentence: str, found: bool):
    assert bool(pattern.search(sentence)) is found


def test_the_one_unit_list_reads_a_figure_in_its_base_unit():
    """“万人”, “万亿元”, “辆”: each figure in the base unit of `UNITS`, the longest unit first (万人次, not 万人)."""
    figs = figures_in("进出口贸易总额1.76万亿美元，比上年增长23.8%；")  # gwr-national-2007
    assert [(f.value, f.unit) for f in figs] == [(23.8, "%")]  # 万亿美元 is no unit of the list
    figs = figures_in("发展居民住房、助学等消费信贷，2002年末消费贷款余额达1.07万亿元。")  # gwr-national-2003
    assert [(round(f.value), f.unit) for f in figs] == [(10700, "亿元")]
    figs = figures_in("城镇居民每百户拥有家用汽车21.5辆，比2007年增加15.5辆；")  # gwr-national-2013
    assert [(f.value, f.unit) for f in figs] == [(21.5, "辆"), (15.5, "辆")]  # 辆: of the plan readers' units


def test_the_same_unit_and_the_counted_words():
    assert measures.SAME_UNIT["人"] == ("名", "位", "人") and measures.SAME_UNIT["公尺"] == ("米", "m", "公尺")
    assert "家" in measures.COUNTED and "元" not in measures.COUNTED  # 几家骑士团 is answered by naming them
    assert "该" in pointing.POINTING and "市" not in pointing.POINTING


def test_qualifiers_make_another_thing_of_the_same_head():
    """2019年政府工作报告: “城镇调查失业率5.5%左右，城镇登记失业率4.5%以内” — two statistics, one head."""
    from qa.core.lexicon.qualifiers import QUALIFIERS

    sentence = "城镇新增就业1100万人以上，城镇调查失业率5.5%左右，城镇登记失业率4.5%以内"
    group = next(g for g in QUALIFIERS if "调查" in g)
    assert group == {"调查", "登记"} and all(f"{q}失业率" in sentence for q in group)

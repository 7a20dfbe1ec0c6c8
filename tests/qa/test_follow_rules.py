"""落实追踪's rules on how a review reports a plan (issue 38): each decides what it names, and with it switched off
(`QA_FOLLOW_OFF`) the follow-through says otherwise. One county's plan and the next year's report."""

from __future__ import annotations

import pytest

from qa import QA
from qa.pledges.follow import Follower
from qa.pledges.targets import targets_of
from tests.conftest import indexed

PLAN = ("某县政府工作报告\n——2010年2月1日在某县人民代表大会上\n县长 周平\n一、2009年工作回顾\n过去一年，工作有成效。\n"
        "二、2010年主要任务\n今年经济增长预期目标为8%左右，居民消费价格涨幅控制在3%左右。\n"
        "单位地区生产总值能耗降低4%左右。\n"
        "县财政投入增加3亿元以上，五年内取消农业税，今年要在全县全面推开农村综合改革试点。\n"
        "今年要完成全县农村公路改造，方便群众出行。\n今年要做好防汛工作，保障群众安全。\n各位代表，让我们团结一心，再创佳绩！\n")
LATER = ("某县政府工作报告\n——2011年2月1日在某县人民代表大会上\n县长 周平\n一、2010年工作回顾\n"
         "过去一年，地区生产总值增长9.5%，居民消费价格上涨2.5%。\n"
         "但是，全县没有实现年初确定的单位地区生产总值能耗降低4%左右的目标。\n"
         "去年农业税由每亩20元减少到5元，12个乡镇取消了农业税。\n"
         "去年在全县全面推开农村综合改革试点。\n"
         "五年来，累计完成农村公路改造1200公里。\n"
         "二、2011年主要任务\n继续做好各项工作。\n")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("rules"), {"2010-02-01 某县政府工作报告.txt": PLAN,
                                                      "2011-02-01 某县政府工作报告.txt": LATER})


def _follow(settings, off: str = ""):
    qa = QA(settings.model_copy(update={"follow_off": off}))
    qa._ready()
    report = Follower(qa.index, cache=False).follow(qa.index.pledges)  # each rule counted, none read from a cache
    return {f.target.text: f for f in report.followups}, report.fired


def _about(found: dict, word: str):
    """The follow-up of the target whose text says `word`."""
    return next(f for t, f in found.items() if word in t)


def test_a_review_names_an_indicator_by_its_own_word(county):
    """same_indicator: 涨幅 is reported as 上涨, 经济增长 as 地区/国内生产总值…增长."""
    on, fired = _follow(county)
    assert on["居民消费价格涨幅控制在3%左右"].status == "met" and "上涨2.5%" in on["居民消费价格涨幅控制在3%左右"].reason
    assert on["今年经济增长预期目标为8%左右"].status == "met" and fired["same_indicator"] == 2
    off, _ = _follow(county, "same_indicator")
    assert off["居民消费价格涨幅控制在3%左右"].status != "met" and off["今年经济增长预期目标为8%左右"].status != "met"


def test_a_report_that_says_a_target_was_missed_is_not_read_as_its_figure(county):
    """words_over_figure: “没有实现…降低4%左右的目标” repeats the plan's figure; it is no result of 4%."""
    on, fired = _follow(county)
    assert on["单位地区生产总值能耗降低4%左右"].status == "not_met" and fired["words_over_figure"] >= 1
    off, _ = _follow(county, "words_over_figure")
    assert off["单位地区生产总值能耗降低4%左右"].status == "met"


def test_a_measure_beside_a_figure_is_a_target_of_its_own(county):
    """measure_clauses: 全面推开…试点 and 取消农业税, in a pledge that also states a figure, are followed."""
    on, fired = _follow(county)
    assert on["今年要在全县全面推开农村综合改革试点"].status == "met" and fired["measure_clauses"] >= 2
    off, _ = _follow(county, "measure_clauses")
    assert "今年要在全县全面推开农村综合改革试点" not in off and "五年内取消农业税" not in off
    text = "今年要启动“两基”攻坚计划，到2007年使西部地区基本普及九年义务教育，中央财政将为此投入100亿元。"
    assert [t.text for t in targets_of(text, 0, measures=True)] == [
        "今年要启动“两基”攻坚计划", "到2007年使西部地区基本普及九年义务教育", "中央财政将为此投入100亿元"]
    assert [t.text for t in targets_of(text, 0)] == ["中央财政将为此投入100亿元"]


def test_a_measure_due_years_later_is_in_progress_not_met(county):
    """not_due: five years to abolish a tax, and a year on some townships have: work under way."""
    on, fired = _follow(county)
    assert on["五年内取消农业税"].status == "progress" and fired["not_due"] >= 1
    off, _ = _follow(county, "not_due")
    assert off["五年内取消农业税"].status == "met"


def test_a_five_year_review_is_never_a_plan(tmp_path):
    """span_review: a paragraph opening “过去五年，…” records the term, though its section also sets the next plan."""
    plan = ("某县政府工作报告\n——2021年2月1日在某县人民代表大会上\n县长 周平\n一、2020年工作回顾\n过去一年，工作有成效。\n"
            "二、“十三五”时期发展成就和“十四五”时期主要目标任务\n"
            "过去五年，全县发展取得新成就。经济结构持续优化，地区生产总值从不到70亿元增加到超过100亿元。\n"
            "今后五年，要推动地区生产总值年均增长6%左右，建成县城污水处理厂。\n"
            "三、2021年重点工作\n今年要新建农村公路120公里，方便群众出行。\n各位代表，让我们团结一心，再创佳绩！\n")
    later = ("某县政府工作报告\n——2022年2月1日在某县人民代表大会上\n县长 周平\n一、2021年工作回顾\n"
             "过去一年，新建农村公路130公里。\n二、2022年主要任务\n继续做好各项工作。\n")
    settings = indexed(tmp_path, {"2021-02-01 某县政府工作报告.txt": plan, "2022-02-01 某县政府工作报告.txt": later})
    on, fired = _follow(settings)
    assert not any("从不到70亿元" in t for t in on) and fired["span_review"] >= 1
    assert any("新建农村公路120公里" in t for t in on) and any("年均增长6%" in t for t in on)
    off, _ = _follow(settings, "span_review")
    assert any("从不到70亿元" in t for t in off)


def test_a_measure_a_review_says_was_carried_out_is_met(tmp_path):
    """carried_out: “要实施‘中国制造2025’” and the next review's “全面实施《中国制造2025》” — the plan's one-off
    measure, with its object, carried out; work a plan keeps doing (完善) is not met by a thing done beside it, nor a
    measure by its first steps in many places (许多地区已经实行)."""
    plan = ("某县政府工作报告\n——2015年2月1日在某县人民代表大会上\n县长 周平\n一、2014年工作回顾\n过去一年，工作有成效。\n"
            "二、2015年主要任务\n今年要实施“中国制造2025”，加快从制造大国转向制造强国。\n"
            "今年要完善城乡医疗救助制度，提高救助水平。\n今年要实行农村义务教育营养改善计划，保障学生健康。\n"
            "各位代表，让我们团结一心，再创佳绩！\n")
    later = ("某县政府工作报告\n——2016年2月1日在某县人民代表大会上\n县长 周平\n一、2015年工作回顾\n"
             "过去一年，全面实施《中国制造2025》，制造业转型取得实效。\n城乡社会救助体系基本建立，救助水平稳步提高。\n"
             "许多乡镇已经实行农村义务教育营养改善计划。\n二、2016年主要任务\n继续做好各项工作。\n")
    settings = indexed(tmp_path, {"2015-02-01 某县政府工作报告.txt": plan, "2016-02-01 某县政府工作报告.txt": later})
    on, fired = _follow(settings)
    made = _about(on, "中国制造2025")
    assert made.status == "met" and "全面实施《中国制造2025》" in made.reason and fired["carried_out"] >= 1
    assert _about(on, "医疗救助").status != "met"
    assert _about(on, "营养改善").status != "met"
    off, _ = _follow(settings, "carried_out")
    assert _about(off, "中国制造2025").status != "met"


def test_an_outcome_the_review_states_in_the_plans_words_is_met(tmp_path):
    """outcome_secured: a plan promises an outcome (确保…的按时足额发放) and the review states it in the same words;
    negated (没有…按时足额发放) it is not met, and a change (提高质量) is work under way, not an outcome."""
    plan = ("某县政府工作报告\n——2001年2月1日在某县人民代表大会上\n县长 周平\n一、2000年工作回顾\n过去一年，工作有成效。\n"
            "二、2001年主要任务\n今年要确保企业离退休人员基本养老金的按时足额发放，维护社会稳定。\n"
            "今年要确保乡村教师工资的按时足额发放，稳定教师队伍。\n今年要保证农产品不断提高质量，增加农民收入。\n"
            "各位代表，让我们团结一心，再创佳绩！\n")
    later = ("某县政府工作报告\n——2002年2月1日在某县人民代表大会上\n县长 周平\n一、2001年工作回顾\n"
             "过去一年，确保企业离退休人员基本养老金按时足额发放，维护了社会稳定。\n"
             "有的乡镇乡村教师工资没有按时足额发放，教师队伍不够稳定。\n农产品提高质量，增加了农民收入。\n"
             "二、2002年主要任务\n继续做好各项工作。\n")
    settings = indexed(tmp_path, {"2001-02-01 某县政府工作报告.txt": plan, "2002-02-01 某县政府工作报告.txt": later})
    on, fired = _follow(settings)
    pension = _about(on, "养老金")
    assert pension.status == "met" and "按时足额发放" in pension.reason and fired["outcome_secured"] >= 1
    assert _about(on, "教师工资").status != "met"
    assert _about(on, "提高质量").status != "met"
    off, _ = _follow(settings, "outcome_secured")
    assert _about(off, "养老金").status != "met"


def test_a_heading_of_the_review_is_no_account(tmp_path):
    """headings: “（二）加大财政投入，促进社会事业发展。” names a topic of the review; it reports nothing done."""
    plan = ("某县政府工作报告\n——2005年2月1日在某县人民代表大会上\n县长 周平\n一、2004年工作回顾\n过去一年，工作有成效。\n"
            "二、2005年主要任务\n今年要加大县财政对社会事业的投入，促进社会事业全面发展。\n"
            "各位代表，让我们团结一心，再创佳绩！\n")
    later = ("某县政府工作报告\n——2006年2月1日在某县人民代表大会上\n县长 周平\n一、2005年工作回顾\n"
             "（一）发展经济，增加农民收入。粮食总产量创历史新高，农民收入稳步增长。\n"
             "（二）加大财政投入，促进社会事业发展。新建乡镇卫生院3所，改造中小学校舍2万平方米。\n"
             "二、2006年主要任务\n继续做好各项工作。\n")
    settings = indexed(tmp_path, {"2005-02-01 某县政府工作报告.txt": plan, "2006-02-01 某县政府工作报告.txt": later})
    on, fired = _follow(settings)
    funds = _about(on, "社会事业")
    assert not any(a.text.startswith("（二）") for a in funds.accounts) and fired["headings"] >= 2
    off, _ = _follow(settings, "headings")
    assert _about(off, "社会事业").accounts[0].text.startswith("（二）")

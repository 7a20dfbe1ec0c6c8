"""Complete, focused answers (issue 11, item 4): a list question gets the whole enumeration of one speech, in
reading order, each item cited where it stands, even when an item lies in a passage retrieval did not return."""

from pathlib import Path

import pytest

from qa import QA
from tests.conftest import indexed

TEXT = """区长在全区重点工作推进会上的讲话
同志们：
今年全区要重点抓好三个方面的工作。
一是抓好项目建设。要坚持项目为王，围绕先进制造、现代服务、城市更新三大领域，谋划储备一批打基础、利长远、增后劲的重大项目，确保全年新开工亿元以上项目不少于二十个，完成固定资产投资一百二十亿元，以项目建设的加速度推动全区经济发展的高质量。
各街道要压实责任，建立项目推进台账，实行挂图作战，每月调度一次进展情况，对进度滞后的项目要及时分析原因、拿出办法。
二是抓好营商环境。要深化放管服改革，全面推行一网通办、一窗受理、一次办结，企业开办时间压缩到一个工作日以内，让企业办事像网购一样方便，切实降低制度性交易成本，打造市场化法治化国际化的一流营商环境。
区政务服务中心要牵头梳理高频事项清单，年底前实现八成以上事项网上可办、掌上可办。
三是抓好民生保障。要坚持尽力而为、量力而行，扎实办好教育、医疗、养老、托育等民生实事，新建改扩建中小学和幼儿园六所，新增养老床位五百张，让群众的获得感成色更足、幸福感更可持续、安全感更有保障。
四是抓好干部作风。
同志们，任务艰巨，使命光荣。让我们撸起袖子加油干，为全区高质量发展作出新的更大贡献！
"""


@pytest.fixture
def qa(tmp_path: Path) -> QA:
    return QA(indexed(tmp_path, {"enum.txt": TEXT}))


def test_a_list_question_gets_every_item_in_reading_order(qa):
    ans = qa.ask("区长说今年要重点抓好哪几个方面的工作？")
    assert ans.found
    items = ["项目建设", "营商环境", "民生保障", "干部作风"]
    positions = [ans.answer.find(i) for i in items]
    assert -1 not in positions and positions == sorted(positions), ans.answer
    # each item is quoted verbatim and highlighted where it stands in its passage
    for c in ans.citations:
        for s, e in c.highlights:
            assert c.text[s - c.start : e - c.start] in ans.answer
    assert sum(len(c.highlights) for c in ans.citations) >= 5  # the announcing sentence and the four items
    # only the item sentences, not their elaboration
    assert "挂图作战" not in ans.answer and "一网通办" not in ans.answer


def test_one_item_asked_for_leads_with_that_item(qa):
    ans = qa.ask("区长在营商环境上提了什么要求？")
    assert ans.found and ans.answer.startswith("二是抓好营商环境"), ans.answer
    assert "民生保障" not in ans.answer


def test_numbered_headings_are_an_enumeration_too(tmp_path: Path):
    settings = indexed(tmp_path, {"plan.txt": (
        "局长在全局工作会议上的讲话\n今年要着力推进以下工作。\n（一）推进数字化转型。要建设工业互联网平台，推动规上企业"
        "全部上云，培育一批智能工厂和数字化车间，让数字技术与制造业深度融合、相互促进、共同提升。\n"
        "各区县要拿出具体方案，明确时间表和路线图，确保各项任务按期完成，不打折扣、不搞变通。\n"
        "（二）推进绿色低碳发展。要实施节能降碳改造，建设一批绿色工厂和绿色园区，单位工业增加值能耗下降百分之三。\n"
        "（三）推进产业链招商。要围绕重点产业链精准招商，全年引进亿元以上项目三十个。\n")})
    ans = QA(settings).ask("局长说今年要着力推进哪些工作？")
    positions = [ans.answer.find(i) for i in ("数字化转型", "绿色低碳发展", "产业链招商")]
    assert ans.found and -1 not in positions and positions == sorted(positions), ans.answer


def test_a_very_long_enumeration_is_cut_and_says_so(tmp_path: Path):
    filler = "要坚持问题导向和目标导向相统一，细化任务分工，压实工作责任，强化督促检查，确保各项措施落地见效、取得实绩" * 3
    items = "".join(f"{n}是抓好第{n}项重点任务，{filler}。\n" for n in "一二三四五六七八")
    settings = indexed(tmp_path, {"long.txt": f"县长在全县重点任务推进会上的讲话\n今年要抓好八项重点任务。\n{items}"})
    ans = QA(settings).ask("县长说今年要抓好哪八项重点任务？")
    assert ans.found and "一是抓好第一项" in ans.answer and "八是抓好第八项" not in ans.answer
    assert any("其余" in w and "见出处原文" in w for w in ans.warnings), ans.warnings


COMPACT = """乡里制
乡里制是中国古代的基层组织制度。
其特点主要有以下三点：第一，职官与长者并用。既设立行政官吏，又注意发挥地方长老作用。第二，刑禁与教化并施。对居民既施行连坐，又进行教育感化。第三，秩序制和晋升制于一体。形成了上下贯通的运行机制。乡里制的职能有四个方面：一是进行教化；二是管理户籍；三是维护治安；四是推荐官吏。
乡里组织在唐末瓦解。
"""


def test_a_short_enumeration_reads_whole_and_ends_where_its_numbering_does(tmp_path: Path):
    """An enumeration of a few lines is quoted with its elaboration, one quotation; the items of another
    enumeration numbered another way ("四是" after "第三") are not its fourth item."""
    qa = QA(indexed(tmp_path, {"xiangli.txt": COMPACT}))
    ans = qa.ask("乡里制的特点是什么？")
    assert ans.found and ans.answer.startswith("其特点主要有以下三点：第一，职官与长者并用。既设立行政官吏，")
    assert "又进行教育感化。第三，秩序制和晋升制于一体。形成了上下贯通的运行机制。[1]" in ans.answer
    assert "四是" not in ans.answer and "一是进行教化" not in ans.answer
    (start, end), = ans.citations[0].highlights
    assert COMPACT[start:end].endswith("形成了上下贯通的运行机制。")

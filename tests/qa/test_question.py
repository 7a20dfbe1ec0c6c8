"""What a question asks (issue 11, item 1), for the forms that look like another: "称之为什么" asks a name, not a
reason; "是什么？" ends in 么 without asking yes or no."""

import pytest

from qa.answer.question import analyse


@pytest.mark.parametrize("question, kinds", [
    ("天门冬又称之为什么？", {"called"}),
    ("猴面包树的别名是什么？", {"called"}),
    ("为什么放线菌酮不适合用于人体？", {"reason"}),
    ("市委书记为何强调安全底线？", {"reason"}),
    ("这项政策今年还会不会延续？", {"yesno"}),
    ("这样安排好么？", {"yesno", "plan"}),
    ("工信局长在人才方面承诺了什么？", {"plan"}),  # what someone requires, plans or pledged
    ("过去一年取得了哪些成绩？", {"list", "done"}),  # what was done
])
def test_what_a_question_asks(question, kinds):
    assert analyse(question).kinds == kinds


def test_one_year_pattern_reads_every_year_a_text_writes():
    from qa.answer.question import gives_date, gives_figure
    from qa.core.dates import relative_year, years_in

    assert analyse("1840年鸦片战争赔了多少银元？").years == ("1840",) and analyse("2023年要完成多少个项目？").years == ("2023",)
    assert analyse("全市新增1500个就业岗位的措施有哪些？").years == ()  # a bare 1500 is a count, not a year
    from qa.answer.sentences import other_years

    assert not other_years("全年新引进企业1200家，新增就业1500户。", {"2020"})
    assert other_years("1998年全市新引进企业12家。", {"2020"}) and other_years("1628年船难的生还者", {"2020"})
    assert not gives_figure("于1628年船难的生还者在西澳发现")  # a year dates a statement: it is not the figure asked
    assert gives_figure("约只有8公斤重") and gives_date("于1628年发现")
    assert years_in("1998年市长说了什么") == {1998} and not years_in("2000米长跑")
    import datetime as dt

    assert relative_year("市委书记去年说了什么", dt.date(2024, 5, 1)) == 2023
    assert relative_year("明年要做什么", dt.date(2024, 5, 1)) is None  # what was planned for, not when it was said


def test_a_quoted_term_is_read_without_the_spaces_typed_inside_its_marks():
    assert analyse("“ 新质生产力 ”包括哪些内容？").quoted == ("新质生产力",)


@pytest.mark.parametrize("question, slot", [
    ("今年城镇调查失业率目标是多少？", "figure"),
    ("十三届三次全会部署了什么？", "other"),  # what the speeches say of it
    ("2019年政府工作报告由谁作？", "giver"),
    ("党的十九大报告是哪一天作的？", "giver"),  # a named document's day: the document's header answers
    ("市委书记要求党员干部做好哪三个表率？", "list"),
    ("哪几项指标分别是多少？", "list"),  # a list of figures
    ("为什么要推进新型工业化？", "reason"),
    ("如何做好“两个确保”？", "way"),
    ("“四学四强”具体是指什么？", "content"),
    ("市委书记在哪一年提出了产业强市？", "time"),
    ("今年要召开第几次党代会？", "figure"),  # 几次: a figure, not a time
    ("出自哪篇讲话？", "source"),
    ("你觉得哪项任务最难落实？", "stance"),
    ("这项政策今年还会不会延续？", "stance"),
    ("冠军是谁？", "person"),
    ("天门冬又称之为什么？", "called"),
    ("嫦娥五号发射时间？", "time"),  # a bare phrase: a question mark alone asks nothing
    ("雄安新区位于哪个省？", "place"),  # 哪 + a category of place
    ("首届进博会在哪个城市举办？", "place"),
    ("《若干意见》是由哪个部门制定出台的？", "person"),  # 哪 + a category of body
    ("哪个单位说要统领机关党建？", "source"),  # a body that said something: the speech is asked for
    ("那位同志说自己政治意识不够过硬，原因在哪？", "reason"),  # 原因在哪 asks the reason, not a place
    ("要在哪四个方面用力？", "list"),
])
def test_what_a_question_asks_as_one_slot(question, slot):
    assert analyse(question).slot == slot


def test_a_figure_is_asked_of_the_subject_the_question_names():
    q = analyse("今年城镇新增就业目标是多少？")
    assert (q.slot, q.of) == ("figure", "城镇新增就业")
    assert analyse("2019年GDP增长了多少？").of == "GDP" and analyse("2019年GDP增长了多少？").measured == "增长"
    assert analyse("2023年居民消费价格涨幅目标为多少？").of == "居民消费价格涨幅"
    assert analyse("中国2019年人口出生率").of == "人口出生率"  # a bare measure: what it names
    assert analyse("国内生产总值的增长目标是多少？").of == "国内生产总值的增长"
    q = analyse("全市有多少家企业？")
    assert (q.unit, q.counted, q.of) == ("家", "企业", None)  # what is counted says it; 全市 is where
    assert analyse("为什么要推进新型工业化？").of is None  # no figure asked


def test_the_role_asked_and_a_year_asked_are_read_once():
    assert analyse("电影《星际邮差》的导演是谁").role == "导演" and analyse("领导小组的组长是谁？").role == "组长"
    assert analyse("苹果是谁创立的？").role is None  # who did something, not who holds a role
    assert analyse("全国组织工作会议是哪一年召开的？").which_year
    assert not analyse("全国组织工作会议是哪一天召开的？").which_year


def test_the_constraints_of_a_question_are_read_once():
    c = analyse("今年城镇调查失业率目标是多少？").constraints
    assert [(x.qualifier, x.head, x.others) for x in c.qualifiers] == [("调查", "失业率", ("登记",))]
    c = analyse("十三届三次全会部署了什么？").constraints
    assert [(o.term, o.session, o.kind) for o in c.ordinals] == [(13, 3, "全会")] and c.counts == ()
    c = analyse("2019年政府工作报告由谁作？").constraints
    assert (c.years, c.documents) == (("2019",), (("2019", "政府工作报告"),))
    c = analyse("市委书记要求党员干部做好哪三个表率？").constraints
    assert [(x.n, x.noun) for x in c.counts] == [(3, "表率")]
    assert [(x.n, x.noun) for x in analyse("如何做好“两个确保”？").constraints.counts] == [(2, "确保")]
    c = analyse("党的十八大报告提出了什么？").constraints
    assert (c.congress, c.counts) == (18, ())  # 十八大: a congress, not a count of 18
    assert analyse("二十大以来取得了哪些成就？").constraints.counts == ()
    c = analyse("第十四届全国人民代表大会第二次会议上，《政府工作报告》提出的赤字率是多少？").constraints
    assert c.meetings == ("第十四届全国人民代表大会", "第二次会议") and c.entities[0] == "政府工作报告"  # as written
    assert "全国人大" in analyse("十四届全国人大二次会议上作的报告中赤字率是多少？").constraints.entities
    q = analyse("2019年政府工作报告由谁作？")
    assert q.years is q.constraints.years and q.documents is q.constraints.documents  # one record, not two copies

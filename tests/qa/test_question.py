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

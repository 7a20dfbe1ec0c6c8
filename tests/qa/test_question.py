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
    ("这样安排好么？", {"yesno"}),
    ("工信局长在人才方面承诺了什么？", set()),
])
def test_what_a_question_asks(question, kinds):
    assert analyse(question).kinds == kinds

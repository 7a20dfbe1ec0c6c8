"""A quoted sentence that opens by pointing back (“赛后，……”, “该银行……”, “为此，……”) brings the sentence it
points to, so the answer says when, who or why (issue 11, item 4: complete answers)."""

from qa import QA
from tests.conftest import indexed
from tests.qa.test_synonyms import SPEECH

SPORT = """占旭刚
占旭刚是中国举重运动员，曾两次获得奥运会冠军。
2004年，占旭刚第三次参加奥运会，但在抓举比赛中三次试举全部失败，卫冕失败。赛后，占旭刚正式结束运动生涯，着手行政工作。
他曾任浙江体育职业技术学院副院长。
"""


def test_a_sentence_that_points_back_brings_the_one_it_points_to(tmp_path):
    """“赛后，……结束运动生涯” says when only through the sentence before it (2004年…)."""
    qa = QA(indexed(tmp_path, {"sport.txt": SPORT, "mayor.txt": SPEECH}))
    ans = qa.ask("占旭刚什么时候正式结束运动生涯？")
    assert ans.found and ans.answer.index("2004年") < ans.answer.index("赛后，占旭刚正式结束运动生涯")
    start, end = ans.citations[0].highlights[0]
    assert SPORT[start:end].startswith("2004年")  # cited and highlighted where it stands
    # a sentence that does not point back is quoted alone
    assert qa.ask("占旭刚曾几次获得奥运会冠军？").answer.startswith("占旭刚是中国举重运动员，曾两次获得奥运会冠军。[1]")

"""For a question asking when, who or why, a quoted sentence that opens by pointing back (“赛后，……”, “该银行……”,
“因此……”) brings the sentence it points to, which says it (issue 11, item 4: complete answers); for other
questions the answering sentence leads."""

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


def test_the_sentence_pointed_to_may_end_the_passage_before(tmp_path):
    """“因此……” opens its passage: the sentence it points to is read from the passage before, and cited there."""
    reason = ("猴面包树的果实营养丰富，果肉含有大量的维生素C，钙含量比菠菜高出百分之五十以上，还含有较高的抗氧化成分，"
              "当地居民常常把它晒干磨成粉末，用来冲泡饮料或者制作糕点，在旱季缺少食物的时候尤其受到欢迎，"
              "许多游客也会购买果粉作为纪念品带回家，因为它看起来像一块干硬的面包，所以果实就被叫做猴面包，"
              "而这种树也因此得名猴面包树，在非洲的许多地方，人们把它看作生命之树并且加以保护，禁止随意砍伐。")
    tree = f"猴面包树\n{reason}\n因此它有时也被人们戏称为笨蛋水果。\n猴面包树的寿命很长。\n"
    settings = indexed(tmp_path, {"tree.txt": tree})
    qa = QA(settings)
    ans = qa.ask("为什么称猴面包树为笨蛋水果？")
    assert ans.found and ans.answer.index("禁止随意砍伐") < ans.answer.index("因此它有时也被人们戏称为笨蛋水果")
    assert len(ans.citations) == 2 and ans.citations[0].end <= ans.citations[1].end  # two passages, in order
    for c in ans.citations:
        assert tree[c.start:c.end] == c.text

"""Questions in everyday words reach sentences in the speech's own words (issue 11, item 3): a key term also counts
as present through a near-synonym from 《同义词词林》 that shares a character with it."""

import pytest

from qa import QA
from qa.answer.synonyms import synonyms
from tests.conftest import indexed, reason

SPEECH = """市长在全市制造业高质量发展大会上的讲话
同志们：
当前，本市正处在由制造大市向制造强市迈进的关键期。
我们要坚持项目为王，全年新开工亿元以上项目50个。
要加快数字化转型，推动规上工业企业智能化改造全覆盖。
"""
OTHER = """区委书记在乡村振兴推进会上的讲话
同志们：
乡村振兴是一项长期任务。我们要建设高标准农田两万亩，力争三年内实现村村通公交。
要持续改善农村人居环境，推进厕所革命。
"""
QUESTION = "市长认为本市眼下处于怎样的时期？"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("syn"), {"mayor.txt": SPEECH, "rural.txt": OTHER})


def test_a_synonym_in_the_speech_answers_the_everyday_word(settings):
    ans = QA(settings).ask(QUESTION)
    assert ans.found and "正处在由制造大市向制造强市迈进的关键期" in ans.answer
    assert ans.citations[0].doc == "mayor.txt"


def test_without_synonyms_the_same_question_is_refused(settings):
    ans = QA(settings.model_copy(update={"synonyms": False})).ask(QUESTION)
    assert not ans.found and "处于" in reason(ans)  # named as what the speeches do not say


def test_a_topic_no_speech_addresses_stays_unanswered(settings):
    ans = QA(settings).ask("市长对养老服务体系建设提出了哪些措施？")
    assert not ans.found


def test_only_synonyms_that_share_a_character_count():
    assert "处在" in synonyms("处于") and "调查" in synonyms("调研")
    # one sense of a polysemous group, with nothing in common with the word: not counted
    assert "措施" not in synonyms("办法") and "主干" not in synonyms("中心")
    assert all(len(w) >= 2 for w in synonyms("时期")) and synonyms("不是一个词") == frozenset()



def test_latin_names_match_whatever_their_case(tmp_path):
    """Key terms are lower-cased tokens; a sentence saying “POWER6” holds the term “power6”."""
    chip = "POWER6\nPOWER6是IBM于2007年推出的微处理器，主频最高可达5GHz。\n它采用65纳米工艺制造。\n"
    phone = ("新款手机\n某公司于2010年推出了新款手机，首批推出三种颜色。\n该公司每年推出一代新品。\n"
             "推出的新品均在国内生产。\n")
    qa = QA(indexed(tmp_path, {"chip.txt": chip, "phone.txt": phone}))
    ans = qa.ask("POWER6是什么时候推出的？")
    assert ans.found and "2007年" in ans.answer and "2010年" not in ans.answer


def test_a_name_jieba_splits_is_matched_whole(tmp_path):
    """严长寿 is cut into 严 / 长寿; the word 长寿 alone would make 长寿王's sentences answer for him."""
    chairman = ("严长寿\n严长寿，出生于上海市，台湾基隆中学毕业。\n目前为公益平台文化基金会董事长、亚都丽致大饭店总裁。\n"
                "二十三岁经父母的朋友介绍，进入美国运通担任传达小弟。\n")
    king = ("盖卤王\n盖卤王是百济的国王。\n僧人道琳在高句丽长寿王的授意下，前往百济会见盖卤王，担任长寿王的间谍。\n"
            "道琳秘密向长寿王报告了百济国内的现状，长寿王随即出兵。\n")
    qa = QA(indexed(tmp_path, {"chairman.txt": chairman, "king.txt": king}))
    ans = qa.ask("严长寿是哪里人？")
    assert ans.found and "出生于上海市" in ans.answer and "长寿王" not in ans.answer
    assert not ans.answer.startswith("严长寿[")  # the title line names the text; it is never quoted as an answer

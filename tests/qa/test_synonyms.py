"""Questions in everyday words reach sentences in the speech's own words (issue 11, item 3): a key term also counts
as present through a near-synonym from 《同义词词林》 that shares a character with it."""

import pytest

from qa import QA
from qa.synonyms import synonyms
from tests.conftest import indexed

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
    assert not ans.found and "处于" in ans.answer  # named as what the speeches do not say


def test_a_topic_no_speech_addresses_stays_unanswered(settings):
    ans = QA(settings).ask("市长对养老服务体系建设提出了哪些措施？")
    assert not ans.found


def test_only_synonyms_that_share_a_character_count():
    assert "处在" in synonyms("处于") and "调查" in synonyms("调研")
    # one sense of a polysemous group, with nothing in common with the word: not counted
    assert "措施" not in synonyms("办法") and "主干" not in synonyms("中心")
    assert all(len(w) >= 2 for w in synonyms("时期")) and synonyms("不是一个词") == frozenset()


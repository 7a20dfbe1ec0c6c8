"""Everyday words reach the speeches' own register (issue 11, item 3): "老百姓" is "群众" in a speech, "反腐败" is
"防腐" (qa/register.py). The speech word earns what it weighs, so a question whose point no speech addresses is
still refused; and the lexical search looks for the speech word when no speech uses the everyday one."""

import pytest

from qa import QA
from qa.answer.register import REGISTER, said_instead
from qa.core.text import tokenize
from tests.conftest import reason


@pytest.mark.parametrize(("question", "must"), [
    ("市委书记说要拿干部的什么去换老百姓的什么？", ["辛苦指数", "幸福指数"]),  # 老百姓 → 群众
    ("市工信局在反腐败方面要搞什么专项行动？", ["两带头五整治"]),  # 反腐败 → 防腐
])
def test_a_question_in_everyday_words_is_answered_in_the_speech_words(sample_qa, sample_settings, question, must):
    ans = sample_qa.ask(question)
    assert ans.found, ans.answer
    assert all(w in ans.answer for w in must), ans.answer
    off = QA(sample_settings.model_copy(update={"synonyms": False})).ask(question)
    assert not off.found  # the same question, only its own words counting


def test_the_speech_word_is_searched_for_when_no_speech_uses_the_everyday_one(sample_qa):
    """No passage says 老百姓 or 居住; searched for by 群众, 居民, 住房, 小区, the passage about 老旧小区 is found.
    Without it the answer is a sentence that shares "改善" (预期显著改善), cited as if it answered."""
    ans = sample_qa.ask("市委书记打算怎么改善老百姓的居住条件？")
    assert ans.found and "老旧小区改造" in ans.answer, ans.answer
    assert "消费" not in ans.answer


@pytest.mark.parametrize("question", ["市委书记打算怎么解决老百姓停车难的问题？", "市委书记准备怎么解决老百姓停车难的问题？"])
def test_a_common_speech_word_does_not_make_an_absent_point_answered(sample_qa, question):
    """"群众" stands in passage after passage: saying it is no evidence that a passage is about 停车难."""
    ans = sample_qa.ask(question)
    assert not ans.found and "停车难" in reason(ans), ans.answer
    assert "准备" not in reason(ans) and "打算" not in reason(ans)  # words that ask for plans: never named missing


def test_the_register_maps_words_to_other_words():
    assert "群众" in REGISTER["老百姓"] and "防腐" in REGISTER["反腐败"]
    for everyday, said in REGISTER.items():
        assert len(everyday) >= 2 and said and everyday not in said
        assert all(len(w) >= 2 for w in said)


def test_only_everyday_words_no_speech_uses_are_searched_for_instead(sample_settings):
    from qa.index.store import Index

    index = Index(sample_settings)
    index.load()
    bm25 = index.bm25
    extra = said_instead(tokenize("老百姓最关心的是就业"), bm25)
    assert "群众" in extra and all(bm25.df(w) for w in extra)
    assert said_instead(tokenize("群众最关心的是就业"), bm25) == []  # 群众 and 就业 are the speeches' own words

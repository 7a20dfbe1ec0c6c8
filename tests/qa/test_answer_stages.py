"""The answer path (issue 40, item 3): a question walks once down the declared `Answerer.STAGES`, each stage taking
and returning a frozen Walk; an Answer and its Citations are never changed once made."""

import dataclasses

import pytest

from qa.answer.pipeline import Answerer
from qa.core.records import AnswerDelta, AnswerDone

QUESTION = "市委书记把2023年确立为什么年？"


def test_answers_and_citations_are_frozen(sample_qa):
    ans = sample_qa.ask(QUESTION)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ans.answer = "别的"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ans.citations[0].start = 0
    with pytest.raises(AttributeError):
        ans.warnings.append("一条")  # a tuple: a note makes a new Answer
    assert isinstance(ans.citations[0].highlights, tuple)
    assert ans.citations[0].to_dict()["highlights"] == [list(h) for h in ans.citations[0].highlights]  # JSON lists


def test_a_question_walks_down_the_declared_stages_once(sample_qa, monkeypatch):
    walked = []

    def recorded(stage):
        def run(answerer, walk):
            walked.append(stage.__name__)
            after = stage(answerer, walk)
            assert type(after) is type(walk) and (after is walk or after != walk)  # a new Walk, the old one kept
            return after
        return run

    monkeypatch.setattr(Answerer, "STAGES", tuple(recorded(s) for s in Answerer.STAGES))
    events = list(sample_qa.ask_stream(QUESTION))
    assert walked == ["_understand", "_scope", "_judge_question", "_tell_document", "_read", "_judge_evidence",
                      "_select", "_judge_selection", "_compose", "_write"]
    assert [type(e) for e in events] == [AnswerDelta, AnswerDone] and events[0].text == events[1].answer.answer

    walked.clear()
    refused = sample_qa.ask("你觉得市委书记讲得好不好？")  # an opinion: the judge refuses before any search
    assert walked == ["_understand", "_scope", "_judge_question"] and refused.outcome == "none"


def test_a_follow_up_is_noted_on_a_new_answer(sample_qa):
    ans = sample_qa.ask("那他怎么说项目的？", history=[(QUESTION, "项目攻坚突破年[1]")])
    assert any(w.startswith("按上下文理解为：市委书记") for w in ans.warnings), ans.warnings

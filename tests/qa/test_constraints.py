"""Answers that say what the documents say (issue 37): a list announced by count and given as run-in headings is
gathered after its lead; a report named by its party congress is the document answered from, and the day it was
given is told from its header; a year written in Chinese numerals is the year. Each rule of `RULES` is switched
off by name (QA_CHECKS_OFF) and counted; with it off, its case fails."""

import pytest

from qa import QA
from qa.answer.constraints import ordinals, qualified
from qa.answer.pipeline import Judge
from qa.answer.pipeline.judge import RULES
from tests.conftest import indexed

SPEECH = ("在全市工业大会上的讲话\n同志们：\n"
          "今年，我们要对标总要求，着力从三个关键维度系统突破，加快建设制造业强市。"
          "推进产业基础高级化。我们要实施产业基础再造工程，滚动推进关键核心技术攻关。"
          "推进产业链条现代化。我们要推动短板产业补链、优势产业延链。"
          "推进企业发展专业化。我们要深入推进优质中小企业梯度培育行动。\n"
          "推进作风建设常态化。\n")
PLEDGES = ("在主题教育总结会上的发言\n我是市中小企业服务中心的负责同志。服务中心先后组织中小企业开展交流访学，"
           "服务中心同志帮助中小企业解决融资难题。\n"
           "在今后的工作中，我将对标总要求，一是做理论学习的表率。认真学习党的二十大报告精神。"
           "二是做以学促干的表率。聚焦企业急难愁盼问题。三是做实干担当的表率。深入开展调查研究。\n")
CONGRESS = {
    "cpc-18.txt": "坚定不移沿着中国特色社会主义道路前进 (十八大)\n同志们：\n现在，我代表第十七届中央委员会向大会作报告。\n"
                  "中国共产党第十八次全国代表大会，是在我国进入全面建成小康社会决定性阶段召开的一次十分重要的大会。\n"
                  "实现国内生产总值和城乡居民人均收入比二0一0年翻一番。\n",
    "cpc-19.txt": "决胜全面建成小康社会 (十九大)\n——在中国共产党第十九次全国代表大会上的报告\n（2017年10月18日）\n"
                  "习近平\n同志们：\n全面建设社会主义现代化国家，基本实现社会主义现代化。\n",
}


@pytest.fixture(scope="module")
def speech_qa(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("runin"), {"speech.txt": SPEECH})


@pytest.fixture(scope="module")
def pledges_qa(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("lead"), {"pledges.txt": PLEDGES})


@pytest.fixture(scope="module")
def congress_qa(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("congress"), CONGRESS)


def _off(settings, rule):
    return QA(settings.model_copy(update={"checks_off": rule}))


def test_every_rule_says_what_it_handles_and_can_be_switched_off():
    assert all(len(doc) > 60 for doc in RULES.values())
    assert Judge(RULES).off == frozenset(RULES)


def test_a_list_announced_by_count_is_gathered_from_its_run_in_headings(speech_qa):
    qa = QA(speech_qa)
    ans = qa.ask("建设制造业强市要从哪三个维度突破？")
    heads = ("推进产业基础高级化", "推进产业链条现代化", "推进企业发展专业化")
    assert ans.found and all(h in ans.answer for h in heads), ans.answer
    assert [ans.answer.index(h) for h in heads] == sorted(ans.answer.index(h) for h in heads)  # in order
    assert "作风建设" not in ans.answer  # the announced count bounds the list
    assert qa.answerer.judge.fired["run_in_list"] == 1
    off = _off(speech_qa, "run_in_list").ask("建设制造业强市要从哪三个维度突破？")
    assert not all(h in off.answer for h in heads)


def test_a_list_question_is_answered_by_the_enumeration_naming_what_it_lists(pledges_qa):
    qa = QA(pledges_qa)
    asked = "那位中小企业服务中心的同志表态今后要当好哪三个表率？"  # the role's words are in the other sentences
    ans = qa.ask(asked)
    items = ("理论学习的表率", "以学促干的表率", "实干担当的表率")
    assert ans.found and all(i in ans.answer for i in items), ans.answer
    assert qa.answerer.judge.fired["list_lead"] == 1
    off = _off(pledges_qa, "list_lead").ask(asked)
    assert not all(i in off.answer for i in items), off.answer


def test_what_a_list_question_lists_is_its_counted_noun_or_the_noun_after_its_interrogative():
    from qa.answer.pipeline.select import _listed
    from qa.answer.question import analyse

    assert _listed(analyse("今后要当好哪三个表率？")) == "表率"
    assert _listed(analyse("采取了哪些措施推进改革？")) == "措施"
    assert _listed(analyse("从哪几个方面推进？")) == "方面"
    assert _listed(analyse("哪些是重点？")) is None and _listed(analyse("今年的重点工作有哪些？")) is None


def test_a_report_named_by_its_congress_is_the_document_answered_and_its_day_told(congress_qa):
    qa = QA(congress_qa)
    ans = qa.ask("党的十八大报告提出，哪些指标要比2010年翻一番？")  # 2010 written 二0一0
    assert ans.found and {c.doc for c in ans.citations} == {"cpc-18.txt"} and "翻一番" in ans.answer, ans.answer
    assert qa.answerer.judge.fired["congress_document"] >= 1
    day = qa.ask("党的十九大报告是哪一天作的？")
    assert day.found and "2017年10月18日" in day.answer and all(c.doc == "cpc-19.txt" for c in day.citations)
    assert qa.answerer.judge.fired["document_day"] == 1
    off = _off(congress_qa, "document_day").ask("党的十九大报告是哪一天作的？")
    assert "日期是" not in off.answer
    off = _off(congress_qa, "congress_document").ask("党的十九大报告是哪一天作的？")
    assert "日期是" not in off.answer  # no document named: nothing told from a header


def test_qualifiers_and_ordinals_are_read_from_the_question():
    assert [(x.qualifier, x.head) for x in qualified("2019年城镇调查失业率目标是多少？")] == [("调查", "失业率")]
    assert qualified("冬奥会在什么地方举办？") == []  # 什么地方: a place asked, not a qualifier
    got = ordinals("十三届三次全会和党的十九届三中全会，第十四届全国人民代表大会第一次会议")
    assert [(o.term, o.session, o.kind) for o in got] == [(13, 3, "全会"), (19, 3, "全会"), (14, 1, "会议")]


def test_the_judge_reads_the_constraints_record_not_the_text():
    """The contradicted-constraint check reads `Question.constraints`: a question whose record holds no qualifier is
    not checked for one, whatever its text says."""
    from dataclasses import replace

    from qa.answer.constraints import Constraints
    from qa.answer.pipeline.judge_constraints import _contradicted
    from qa.answer.question import analyse

    class _Case:
        def __init__(self, q):
            self.q = q

        def pool(self):
            raise AssertionError("no constraint: nothing to look for")

    q = analyse("今年城镇调查失业率目标是多少？")
    assert q.constraints.qualifiers
    assert _contradicted(_Case(replace(q, constraints=Constraints()))) is None


def test_eval_lists_every_check_and_rule_with_its_count(speech_qa):
    """`qa eval --checks`: the judge's checks and its `RULES` in one table, each counted, with the set's figures when
    it is off; each row says what the question asks (`slot`) and which rules shaped its answer."""
    from qa.evaluate import check_effects, evaluate, format_report

    qa = QA(speech_qa)
    items = [{"id": "r1", "type": "list", "question": "建设制造业强市要从哪三个维度突破？", "doc": "speech.txt",
              "evidence": ["推进产业基础高级化"], "answer_keywords": ["推进产业链条现代化"]}]
    report = evaluate(qa, items)
    (row,) = report["rows"]
    assert (row["slot"], row["rules"]) == ("list", ["run_in_list"])
    assert report["slots"] == {"list": {"questions": 1, "answerable": 1, "answered": 1, "answered_right": 1}}
    report["checks"] = check_effects(qa, report, items)
    table = {c["check"]: c for c in report["checks"]}
    assert set(RULES) <= set(table) and table["run_in_list"]["stage"] == "rule"
    assert table["run_in_list"]["fired"] == 1 and table["run_in_list"]["off"]["keyword_hit"] == 0.0
    assert table["document_day"]["fired"] == 0 and "off" not in table["document_day"]
    text = format_report(report)
    assert "规则 run_in_list：作用于 1 题" in text and "按所问：list 1 题" in text

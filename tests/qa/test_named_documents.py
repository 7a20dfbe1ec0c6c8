"""Documents an archive is asked about by name (issue 37, item 5): a report named by its year and kind or by its party
congress ranks first (`named_document`); a year the question names is found however the document writes it (`year_written`: 二０二０年); who gave it is read from
its header (`document_header`). Each rule is switched off by name (QA_RETRIEVAL_OFF) and counted; with it off, its
case fails."""

import pytest

from qa import QA
from qa.core.settings import RETRIEVAL_RULES, Settings
from tests.conftest import indexed

PARTY = "党的建设要加强，党要管党、从严治党，全党要按照党的报告部署，把党的目标落到实处，党的各级组织要带头。\n"
GDP = "国内生产总值保持较快增长，经济发展目标要坚持以经济建设为中心，国内生产总值的目标要实事求是地提出。\n"
ARCHIVE = {
    "cpc-16.txt": "全面建设小康社会 (十六大)\n同志们：\n现在，我代表第十五届中央委员会向大会作报告。\n"
                  + PARTY * 2 + GDP + "在优化结构和提高效益的基础上，国内生产总值到二０二０年力争比二０００年翻两番。\n"
                  + PARTY * 2,
    # reports that say the question's words more often than the named one's answering passage does
    **{f"cpc-{n}.txt": f"高举伟大旗帜 ({c}大)\n同志们：\n" + (GDP + "实现国内生产总值到2020年的目标，国内生产总值要增长。\n") * 3
       for n, c in (("17", "十七"), ("18", "十八"), ("19", "十九"))},
    "gwr-1957.txt": "1957年政府工作报告\n政府工作报告\n1957年6月26日在第一届全国人民代表大会第四次会议上\n周恩来\n"
                    "各位代表：\n" + "1957年的政府工作要按照政府工作报告的部署推进，政府各部门要作出成绩。\n" * 8,
}
QUESTION = "党的十六大报告对到2020年的国内生产总值提出了什么目标？"
ANSWER = "翻两番"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return indexed(tmp_path_factory.mktemp("archive"), ARCHIVE)


def _qa(settings: Settings, off: str = "") -> QA:
    # the whole-speech word match (doc_margin) is off: in so small a corpus it alone can single a document out
    return QA(settings.model_copy(update={"candidates": 4, "doc_margin": 0, "retrieval_off": off}))


def _retriever(settings: Settings, off: str = ""):
    qa = _qa(settings, off)
    qa.documents()  # loads the index
    return qa.retriever


def _top(qa: QA, question: str, k: int = 1) -> list:
    return qa.search(question, k=k).results


def test_every_retrieval_rule_can_be_switched_off_by_name():
    assert Settings(retrieval_off=",".join(RETRIEVAL_RULES)).retrieval_rules_off() == frozenset(RETRIEVAL_RULES)
    with pytest.raises(ValueError):
        Settings(retrieval_off="no_such_rule")


def test_a_report_named_by_its_congress_ranks_first(archive):
    qa = _qa(archive)
    assert {h.doc for h in _top(qa, QUESTION, 2)} == {"cpc-16.txt"}
    assert qa.retriever.documents.fired["named_document"] == 1
    assert {h.doc for h in _top(_qa(archive, "named_document"), QUESTION, 2)} != {"cpc-16.txt"}  # the crowd comes in


def test_the_year_asked_is_found_as_the_named_report_writes_it(archive):
    qa = _qa(archive)
    assert ANSWER in _top(qa, QUESTION)[0].text
    assert qa.retriever.documents.fired["year_written"] == 1
    # 2020年 is written 二０二０年 there: without the rule the passages that say 国内生产总值 and 目标 more come first
    assert ANSWER not in _top(_qa(archive, "year_written"), QUESTION)[0].text
    assert _retriever(archive).documents.saying_year(QUESTION, {"cpc-16.txt"})
    assert not _retriever(archive, "year_written").documents.saying_year(QUESTION, {"cpc-16.txt"})


def test_who_gave_a_named_report_is_read_from_its_header(archive):
    question = "1957年的政府工作报告是谁作的？"
    qa = _qa(archive)
    # the header's lines (title, kind, dateline, the speaker's name) come first; the name shares no word with it
    assert any("周恩来" in h.text for h in _top(qa, question, 4))
    assert qa.retriever.documents.fired["document_header"] == 1
    assert not any("周恩来" in h.text for h in _top(_qa(archive, "document_header"), question, 4))

"""A speech named by its own words (issue 12, item 4): a phrase of its title or opening that no other speech says
("专题二"), or a quotation only a few speeches contain, makes its best passages candidates and ranks them first, even
where a large archive crowds them out of each retriever's first candidates."""

import pytest

from qa import QA
from tests.conftest import indexed

FILLER = "我们要坚持问题导向，把学习成果转化为推动工作的实际成效。"
NAMED = ("在市发改委理论学习中心组专题二研讨会上的发言\n同志们：\n下面，我围绕专题二“推动民营经济高质量发展”谈几点体会。\n"
         + "\n".join([FILLER] * 6)
         + "\n深入园区开展走访，企业普遍反映融资难、用工贵的问题，我们逐一建立了台账。\n")
# speeches that share far more words with the question than the named one's answering passage does
CROWD = ("在全市{n}工作会议上的讲话\n同志们：\n调研时企业反映的问题要及时解决。企业反映的问题，调研中要逐一回应。"
         "调研发现，企业反映最集中的问题是审批。各级要把调研中企业反映的问题作为工作重点，研讨解决办法。\n")
QUESTION = "专题二研讨发言里，下去调研时企业主要反映了哪些困惑？"
ANSWER = "企业普遍反映融资难、用工贵的问题"


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    files = {"named.txt": NAMED} | {f"crowd{i}.txt": CROWD.format(n=n) for i, n in enumerate("一二三四五六")}
    return indexed(tmp_path_factory.mktemp("named"), files)


def _top(settings, question: str, k: int = 2, **change) -> list:
    # the whole-speech word match (doc_margin) is off: it alone can find a speech this small corpus singles out
    qa = QA(settings.model_copy(update={"candidates": 3, "doc_margin": 0, **change}))
    return qa.search(question, k=k).results


def test_a_phrase_only_one_speech_opens_with_names_it(crowded):
    hits = _top(crowded, QUESTION)
    assert hits[0].doc == "named.txt" and ANSWER in hits[0].text
    # the mechanism is what finds it: without it the crowd fills every place
    assert all(ANSWER not in h.text for h in _top(crowded, QUESTION, phrase_docs=False))


def _retriever(settings):
    qa = QA(settings)
    qa.documents()  # loads the index
    return qa.retriever


def test_a_phrase_that_other_speeches_also_say_names_nothing(crowded):
    retriever = _retriever(crowded)
    assert retriever.named_by_phrase(QUESTION, None) == {"named.txt"}
    # "企业反映" opens no speech alone and is said everywhere; "工作会议" opens six
    assert retriever.named_by_phrase("企业反映的工作会议上讲了什么？", None) == set()


def test_a_quotation_names_the_speeches_that_contain_it(crowded):
    question = "“企业普遍反映融资难、用工贵”这句话出自哪篇发言？"
    assert _retriever(crowded).named_by_phrase(question, None) == {"named.txt"}
    assert ANSWER in _top(crowded, question)[0].text
    # a quotation in every speech is a formula, not a pointer
    assert _retriever(crowded).named_by_phrase("“企业反映的问题”是什么意思？", None) == set()


def test_the_named_speech_answers(crowded):
    ans = QA(crowded.model_copy(update={"candidates": 3, "doc_margin": 0})).ask("专题二研讨发言里，走访时企业普遍反映了哪些问题？")
    assert ans.found and "融资难" in ans.answer and ans.citations[0].doc == "named.txt"

"""A question that opens with what it is about ("纽西兰鸡毛松有多高？") is answered from the speeches that say it
(issue 11, item 2: the quoted material must meet the question's focus): another text's sentence that shares more
words ("纽西兰", "高", a figure) is not the answer. A question that opens with a pointer ("该词…") or a preposition
("在…方面") names no topic."""

from qa import QA
from qa.answer.pipeline.select import _topic
from qa.answer.question import analyse
from qa.core.records import Chunk
from qa.core.settings import AnswerParams
from tests.conftest import indexed

MAX_TOPIC = AnswerParams().max_topic

TREE = ("纽西兰鸡毛松\n纽西兰鸡毛松是罗汉松科的一种常绿乔木，为纽西兰特有的树种，多生长在低地沼泽森林中。\n"
        "树高可达55米，树干直径达1米，有巨大树基支撑。\n")
REGION = ("吉斯伯恩大区\n吉斯伯恩大区是位于纽西兰北岛东北部的一个地方行政区，人口约五万。\n"
          "区内山地遍布纽西兰松树和鸡毛草，最高的希库朗伊山高1752米，是纽西兰北岛看到日出最早的地方之一。\n")


def test_the_text_that_says_the_questions_topic_answers(tmp_path):
    qa = QA(indexed(tmp_path, {"tree.txt": TREE, "region.txt": REGION}))
    ans = qa.ask("纽西兰鸡毛松有多高？")
    assert ans.found and "55米" in ans.answer and "1752" not in ans.answer
    assert {c.doc for c in ans.citations} == {"tree.txt"}


BADGE = ("吉斯伯恩区徽\n吉斯伯恩区徽的图案由纽西兰鸡毛松和一艘帆船组成，区徽的别名是“东岸之光”，启用于1960年。\n")
NAMED_TREE = TREE.replace("多生长在低地沼泽森林中。", "多生长在低地沼泽森林中。毛利人称它卡希卡提亚，这也是它的别名。")


def test_of_the_texts_that_say_the_topic_the_one_that_opens_with_it_answers(tmp_path):
    qa = QA(indexed(tmp_path, {"tree.txt": NAMED_TREE, "badge.txt": BADGE}))
    ans = qa.ask("纽西兰鸡毛松的别名是什么？")
    assert ans.found and "卡希卡提亚" in ans.answer and "东岸之光" not in ans.answer


def test_what_counts_as_the_topic():
    chunk = Chunk(id="x", doc="d", index=0, start=0, end=len(TREE), text=TREE, paragraph=0, section=None, title=None,
                  speaker=None, occasion=None)
    assert _topic(analyse("纽西兰鸡毛松有多高？", MAX_TOPIC), [chunk]) == "纽西兰鸡毛松"
    assert _topic(analyse("纽西兰鸡毛松的树干有多粗？", MAX_TOPIC), [chunk]) == "纽西兰鸡毛松"  # "的" ends the topic
    assert _topic(analyse("该树种有多高？", MAX_TOPIC), [chunk]) is None  # a pointer names nothing
    assert _topic(analyse("在低地沼泽森林中生长的是什么树？", MAX_TOPIC), [chunk]) is None  # nor does a preposition
    assert _topic(analyse("红豆杉有多高？", MAX_TOPIC), [chunk]) is None  # said nowhere verbatim: no topic

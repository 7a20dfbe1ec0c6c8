"""Sentences chosen by meaning as well as words (issue 11, item 3): sentence vectors computed when a passage is
first read for an answer (or, on request, at ingest), and the sentence that answers chosen even when the passage's
title, not the sentence, names the topic."""

from pathlib import Path

import pytest

from ingest import ingest
from qa import QA
from qa.core.text import chunk_sentences
from qa.index.store import Index
from tests.conftest import indexed, make_settings
from tests.llm_servers import LLMServer

SPECIES = """六耳铃
六耳铃是菊科艾纳香属的植物，在许多地区都能见到。
分布于印度尼西亚、缅甸以及中国大陆的福建、广东等地，生长于海拔400米至800米的山坡。
其叶可入药，味苦，民间用来治疗风湿。
"""
ANIMAL = """马来穿山甲
马来穿山甲是穿山甲科的一种哺乳动物，每年会产1-2只幼穿山甲，马来穿山甲的幼崽约重100克。
牠们体长约65厘米，尾巴长56厘米，重达10公斤。
牠们主要吃蚂蚁和白蚁。
"""
POET = """苏佩维埃尔
苏佩维埃尔生于乌拉圭蒙得维的亚，后来长期定居法国。
苏佩维埃尔一生多次获奖，其中包括1949年获法国评论奖、1955年获法兰西学院文学大奖。
1960年5月17日苏佩维埃尔在巴黎去世。
"""
PLACE = """果敢
果敢位于缅甸掸邦东北部，与中国云南省接壤。
由于其地理位置重要，近年来一直是缅甸北部的军事重地，亦是毒品运输要道。
当地居民多讲汉语西南官话。
"""


@pytest.fixture
def topic_settings(tmp_path: Path):
    return indexed(tmp_path, {"species.txt": SPECIES, "animal.txt": ANIMAL, "poet.txt": POET, "place.txt": PLACE})


def _sentences(settings) -> list[str]:
    index = Index(settings).load()
    return [s.text for c in index.chunks for s in chunk_sentences(c)], index


def test_a_passage_read_for_an_answer_gets_its_sentence_vectors_then_and_keeps_them(tiny_settings):
    report = ingest(settings=tiny_settings, progress=False)
    texts, index = _sentences(tiny_settings)
    assert report.sentences == 0 and index.sentence_vectors.missing(texts) == texts  # ingest embeds passages only
    qa = QA(tiny_settings)
    ans = qa.ask("全市要新引进多少个亿元以上项目？")
    assert ans.found and "50个" in ans.answer
    read = [s.text for c in qa.index.chunks if c.doc == "a.txt" for s in chunk_sentences(c)]
    _, fresh = _sentences(tiny_settings)  # another process sees them: they are kept in QA_HOME
    assert fresh.sentence_vectors.missing(read) == []
    assert qa.ask("全市要新引进多少个亿元以上项目？").answer == ans.answer  # the same answer, nothing embedded again


def test_at_ingest_every_quotable_sentence_gets_a_vector(tmp_path, tiny_corpus):
    settings = make_settings(tmp_path, tiny_corpus, sentence_vectors_at_ingest=True)
    ingest(settings=settings, progress=False)
    texts, index = _sentences(settings)
    assert texts and index.sentence_vectors.missing(texts) == []
    # a lost sentence store is refilled by the next ingest, without embedding the passages again
    (settings.home / "sentence-vectors.sqlite").unlink()
    report = ingest(settings=settings, progress=False)
    assert report.embedded == 0 and report.errors == [] and report.sentences == len(set(texts))
    texts, index = _sentences(settings)
    assert index.sentence_vectors.missing(texts) == []


def test_without_sentence_vectors_nothing_is_stored_and_answers_still_come(tmp_path, tiny_corpus):
    settings = make_settings(tmp_path, tiny_corpus, sentence_vectors=False)
    ingest(settings=settings, progress=False)
    assert not (settings.home / "sentence-vectors.sqlite").exists()
    assert QA(settings).ask("全市要新引进多少个亿元以上项目？").found


@pytest.mark.parametrize(("question", "answer_holds"), [
    ("六耳铃分布在哪些地区？", "福建"),  # the title names 六耳铃; the answering sentence does not
    ("马来穿山甲的体长约是多少厘米？", "65厘米"),
    ("苏佩维埃尔获得过什么奖项？", "文学大奖"),  # no sentence holds 获得 or 奖项: meaning decides
])
def test_the_answering_sentence_wins_when_the_title_names_the_topic(topic_settings, question, answer_holds):
    ans = QA(topic_settings).ask(question)
    assert ans.found and answer_holds in ans.answer.split("[1]")[0], ans.answer


def test_a_question_no_retrieved_sentence_is_about_is_refused(topic_settings):
    """阿尔坎塔拉 is in no document; a sentence about another place's 地理位置 shares words, not meaning."""
    question = "阿尔坎塔拉的地理位置在哪？"
    ans = QA(topic_settings).ask(question)
    assert not ans.found and ans.citations == () and "阿尔坎" in ans.answer, ans.answer
    # the meaning check is what refuses it: without it the shared words pass
    assert QA(topic_settings.model_copy(update={"unrelated_similarity": 0.0})).ask(question).found
    assert QA(topic_settings).ask("果敢的地理位置在哪？").found


def test_the_meaning_check_refuses_before_any_model_call(topic_settings):
    with LLMServer("openai") as server:
        qa = QA(topic_settings.model_copy(update={"llm_base_url": server.url, "llm_timeout": 5.0}))
        assert not qa.ask("阿尔坎塔拉的地理位置在哪？", llm="openai:m").found
        assert server.requests == []


def test_embedders_without_a_calibrated_floor_get_no_meaning_refusal(tiny_settings):
    from langchain_core.embeddings import DeterministicFakeEmbedding

    assert Index(tiny_settings, DeterministicFakeEmbedding(size=8)).unrelated_similarity is None
    assert Index(tiny_settings.model_copy(update={"unrelated_similarity": 0.5}),
                 DeterministicFakeEmbedding(size=8)).unrelated_similarity == 0.5


def test_a_segmentation_artefact_is_not_named_as_missing(topic_settings):
    """jieba cuts "六耳铃有什么用处" into "六耳铃有"+…: not a word, so never reported as what the speeches lack."""
    ans = QA(topic_settings).ask("六耳铃有什么用处？")
    assert "六耳铃有" not in ans.answer, ans.answer

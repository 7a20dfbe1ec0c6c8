"""对标比较 on the sample corpus: each speaker's own sentences on a topic, verbatim, with exact offsets; a speaker who
never addresses the topic is shown as silent, not filled with loosely related text."""

from __future__ import annotations

import json

import pytest

from ingest import read_document
from qa import InputError
from qa.app.cli import main


def test_a_speaker_who_never_mentions_the_topic_is_silent(sample_qa, sample_settings):
    cmp = sample_qa.compare("营商环境", ["市委书记", "工信局长"])
    by = {v.speaker: v for v in cmp.speakers}
    assert by["工信局长"].silent and by["工信局长"].citations == []
    said = by["市委书记"].sentences()
    assert said and all("营商环境" in x["text"] for x in said)
    for x in said:
        c = next(c for c in by["市委书记"].citations if c.n == x["citation"])
        assert c.doc.startswith("004")
        assert read_document(sample_settings.corpus / c.doc, c.doc, sample_settings)[x["start"] : x["end"]] == x["text"]


def test_a_part_of_the_topic_is_not_the_topic(sample_qa):
    """工信局长's speech speaks of 生态环境, never of 营商环境: “环境” alone does not put it on the topic."""
    view = sample_qa.compare("营商环境", ["工信局长"]).speakers[0]
    assert view.silent


def test_all_speakers_by_default_and_several_phrases(sample_qa):
    cmp = sample_qa.compare("人才、乡村振兴")
    names = [v.speaker for v in cmp.speakers]
    assert set(names) >= {"市委书记", "工信局长"}
    assert {v.speaker for v in cmp.speakers if not v.silent} >= {"市委书记"}
    assert next(v for v in cmp.speakers if v.speaker == "工信局长").silent


def test_a_speech_without_a_known_speaker_can_be_a_column(sample_qa):
    cmp = sample_qa.compare("作风", ["001", "工信局长"])
    assert cmp.speakers[0].speaker.startswith("《") and cmp.speakers[1].speaker == "工信局长"
    assert not cmp.speakers[0].silent and all(c.doc.startswith("001") for c in cmp.speakers[0].citations)
    assert cmp.speakers[1].silent


def test_unknown_speaker_and_empty_topic_are_clear_errors(sample_qa):
    with pytest.raises(InputError, match="已知讲话人"):
        sample_qa.compare("营商环境", ["省长"])
    with pytest.raises(InputError, match="请给出要比较的主题"):
        sample_qa.compare("  ")


def test_cli_compare(sample_settings, monkeypatch, capsys):
    monkeypatch.setenv("QA_HOME", str(sample_settings.home))
    monkeypatch.setenv("QA_CORPUS", str(sample_settings.corpus))
    assert main(["compare", "营商环境", "--speakers", "市委书记,工信局长"]) == 0
    out = capsys.readouterr().out
    assert "【市委书记】" in out and "【工信局长】资料中没有谈及“营商环境”的内容。" in out
    assert main(["compare", "营商环境", "--speakers", "市委书记，工信局长", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["topic"] == "营商环境" and [s["speaker"] for s in data["speakers"]] == ["市委书记", "工信局长"]
    assert data["speakers"][1]["silent"] is True and data["speakers"][0]["sentences"][0].keys() >= {
        "citation", "text", "start", "end"}

"""核对原话 on the sample corpus: exact, close with a diff naming the change, not found with candidates, quotes
joined from two places or shortened with “……”, traditional characters and half-width punctuation."""

from __future__ import annotations

import json

import pytest

from ingest import read_document
from qa import InputError
from qa.app.cli import main

SAID = "把2023年确立为“项目攻坚突破年”，牢牢扭住项目“牛鼻子”"  # 市委书记, 004, paragraph 5
OTHER = "理论武装的实质是政治武装。"  # 工信局长, 000, a heading of its own


def _verbatim(settings, m) -> str:
    return read_document(settings.corpus / m.doc, m.doc, settings)[m.start : m.end]


def test_a_verbatim_quote_is_exact_with_its_place(sample_qa, sample_settings):
    check = sample_qa.check_quote(SAID)
    assert check.verdict == "exact" and len(check.parts) == 1
    m = check.parts[0].match
    assert m.doc.startswith("004") and m.speaker == "市委书记" and m.paragraph == 5
    assert m.text == SAID
    assert _verbatim(sample_settings, m) == m.text


def test_traditional_characters_and_half_width_punctuation_still_match_with_original_offsets(sample_qa,
                                                                                            sample_settings):
    check = sample_qa.check_quote("把2023年確立為「項目攻堅突破年」,牢牢扭住項目「牛鼻子」")
    assert check.verdict == "exact"
    m = check.parts[0].match
    assert _verbatim(sample_settings, m) == m.text and "项目攻坚突破年" in m.text


def test_one_changed_word_is_close_and_the_diff_names_it(sample_qa, sample_settings):
    check = sample_qa.check_quote(SAID.replace("攻坚", "建设"))
    assert check.verdict == "close"
    m = check.parts[0].match
    assert m.diff == [{"op": "changed", "draft": "建设", "source": "攻坚"}]
    assert "攻坚" in m.text and _verbatim(sample_settings, m) == m.text


def test_the_drafts_attribution_and_quotation_marks_are_not_checked(sample_qa):
    check = sample_qa.check_quote(f"书记强调，“{SAID}”")
    assert check.verdict == "exact" and check.parts[0].text == SAID


def test_dropped_and_added_words_are_named(sample_qa):
    m = sample_qa.check_quote("锚定主导产业布局，全面推进“产业强链”三年行动计划").parts[0].match
    assert {"op": "dropped", "draft": "", "source": "四群八链"} in m.diff
    m = sample_qa.check_quote("牢牢扭住项目“牛鼻子”，集中全部精力在招引、建设、投产等环节攻坚突破").parts[0].match
    assert {"op": "added", "draft": "全部", "source": ""} in m.diff


def test_two_sentences_said_apart_are_checked_each_in_its_place(sample_qa):
    check = sample_qa.check_quote(OTHER + SAID + "。")
    assert check.verdict == "exact" and len(check.parts) == 2
    assert [p.match.doc[:3] for p in check.parts] == ["000", "004"]


def test_an_omission_mark_splits_the_quote(sample_qa):
    check = sample_qa.check_quote("我们始终保持战略定力……集中精力在招引、建设、投产等环节攻坚突破")
    assert check.verdict == "exact" and len(check.parts) == 2
    assert check.parts[0].match.end < check.parts[1].match.start


def test_a_quote_from_no_speech_is_not_found_with_the_nearest_candidates(sample_qa):
    check = sample_qa.check_quote("今年我们要把招商引资作为一号工程，全市要新引进亿元以上项目五十个。")
    assert check.verdict == "not found"
    part = check.parts[0]
    assert part.match is None and 1 <= len(part.candidates) <= 3
    assert all(c.similarity < 0.75 for c in part.candidates)


@pytest.mark.parametrize("text, message", [("", "引文是空的"), ("，。！", "引文太短"), ("坚持" * 1001, "引文太长（2002 字，最多 2000 字）")])
def test_bad_quotes_get_a_clear_message(sample_qa, text, message):
    with pytest.raises(InputError, match=message):
        sample_qa.check_quote(text)


def test_cli_quote_prints_the_verdict_and_json(sample_settings, monkeypatch, capsys):
    monkeypatch.setenv("QA_HOME", str(sample_settings.home))
    monkeypatch.setenv("QA_CORPUS", str(sample_settings.corpus))
    assert main(["quote", SAID.replace("攻坚", "建设")]) == 0
    out = capsys.readouterr().out
    assert "基本一致，但有改动" in out and "把原文“攻坚”改成了“建设”" in out and "市委书记" in out and "第5段" in out
    assert main(["quote", SAID, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "exact" and set(data["parts"][0]["match"]) >= {
        "doc", "title", "speaker", "paragraph", "start", "end", "text", "similarity", "diff"}
    assert main(["quote", ""]) == 1
    assert "错误：引文是空的" in capsys.readouterr().err

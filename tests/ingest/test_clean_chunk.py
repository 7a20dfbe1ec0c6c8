"""Cleaning, metadata and chunking on the five sample speeches and on small hand-made texts."""

from pathlib import Path

import pytest

from ingest._chunker import chunk_document
from ingest._clean import clean
from ingest._metadata import extract_metadata
from ingest._reader import read_text
from qa.core.settings import Settings
from tests.conftest import SAMPLE_CORPUS

SAMPLES = sorted(SAMPLE_CORPUS.glob("*.txt"))
_DEFAULTS = Settings()
SIZES = {"target": _DEFAULTS.chunk_target, "maximum": _DEFAULTS.chunk_max, "overlap": _DEFAULTS.chunk_overlap}


def _chunks(path: Path, **kw):
    text, _ = read_text(path)
    paragraphs, dropped = clean(text)
    meta = extract_metadata(paragraphs)
    return text, paragraphs, dropped, meta, chunk_document(path.name, text, paragraphs, meta, **{**SIZES, **kw})


def test_junk_lines_and_markers_are_dropped_without_touching_the_speech():
    text, paragraphs, dropped, _, chunks = _chunks(SAMPLE_CORPUS / "000_03004420b872a5dd.txt")
    kept = "\n".join(p.text for p in paragraphs)
    assert "##paid" not in kept and "密码" not in kept and "wsx2023" not in kept
    assert {d.text for d in dropped} >= {"##paidbegin##", "##paidend##", "本文档编辑密码：wsx2023"}
    # the line that began with a marker keeps every character of the speech after it
    assert any(p.text.startswith("党的十八大以来的伟大实践，雄辩证明了") for p in paragraphs)
    assert all(text[p.start : p.end] == p.text for p in paragraphs)
    assert not any("##paid" in c.text or "密码" in c.text for c in chunks)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:3])
def test_every_chunk_of_every_sample_is_an_exact_span(path):
    text, paragraphs, _, _, chunks = _chunks(path)
    assert chunks
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert c.text.strip() == c.text and c.text
    starts = [c.start for c in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    # all kept text is inside some chunk
    for p in paragraphs:
        for i in range(p.start, p.end):
            if not text[i].isspace():
                assert any(c.start <= i < c.end for c in chunks), (p.text[:20], i)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[:3])
def test_chunks_are_a_few_hundred_characters_with_small_overlap(path):
    *_, chunks = _chunks(path)
    lengths = [c.end - c.start for c in chunks]
    assert max(lengths) <= 300
    assert sum(lengths) / len(lengths) >= 120
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.end - b.start <= 60  # overlap, if any, is small


def test_metadata_of_the_samples():
    metas = {p.name[:3]: _chunks(p)[3] for p in SAMPLES}
    assert (metas["000"].speaker, metas["000"].occasion) == ("工信局长", "全市县处级领导干部主题教育读书班")
    assert metas["001"].speaker is None  # "在…上的发言" names no speaker: unknown, not guessed
    assert metas["001"].occasion == "市工信局党组理论学习中心组专题研讨会"
    assert (metas["002"].speaker, metas["002"].occasion) == ("市工信局", "全市组织工作会议")
    assert metas["003"].title_derived and metas["003"].speaker is None and metas["003"].occasion is None
    assert metas["003"].title.startswith("自开展学习贯彻")
    assert metas["004"].speaker == "市委书记" and not metas["004"].title_derived


def test_sections_and_paragraph_numbers():
    *_, chunks = _chunks(SAMPLE_CORPUS / "004_333b86c7d610c3e1.txt")
    first = chunks[0]
    assert first.paragraph == 0 and first.text.startswith("市委书记在市委理论学习中心组")  # the title line
    headed = [c for c in chunks if c.section and c.section.startswith("一、紧扣")]
    assert headed and all(c.paragraph >= 1 for c in headed)
    assert [c.paragraph for c in chunks] == sorted(c.paragraph for c in chunks)


def test_long_sentence_without_punctuation_is_cut_to_the_limit():
    text = "标题行\n" + "很长的句子" * 200 + "。"
    paragraphs, _ = clean(text)
    meta = extract_metadata(paragraphs)
    chunks = chunk_document("x.txt", text, paragraphs, meta, **SIZES)
    assert all(c.end - c.start <= 300 for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_crlf_text_keeps_exact_offsets():
    text = "区长在全区大会上的讲话\r\n同志们：\r\n我们要办好十件民生实事。要确保按期完成。\r\n"
    paragraphs, _ = clean(text)
    meta = extract_metadata(paragraphs)
    assert meta.speaker == "区长"
    chunks = chunk_document("x.txt", text, paragraphs, meta, **SIZES)
    assert all(text[c.start : c.end] == c.text for c in chunks)

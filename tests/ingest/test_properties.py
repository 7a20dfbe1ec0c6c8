"""Property tests: cleaning and chunking keep exact offsets for arbitrary Unicode text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest._chunker import chunk_document
from ingest._clean import clean
from ingest._metadata import extract_metadata

# Text made of Chinese, punctuation that ends sentences, line breaks, markers and anything else Unicode has.
pieces = st.one_of(
    st.text(min_size=0, max_size=40),
    st.sampled_from(["。", "！", "？", "；", "…", "，", "\n", "\r\n", "\n\n", "##paidbegin##", "本文档编辑密码：x\n",
                     "市委书记在全市大会上的讲话\n", "一、", "“", "”", " ", "\u3000"]),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=80),
)
texts = st.lists(pieces, max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_cleaning_never_changes_kept_text(text):
    kept, dropped = clean(text)
    for span in kept + dropped:
        assert text[span.start : span.end] == span.text
    starts = [s.start for s in kept]
    assert starts == sorted(starts)
    for a, b in zip(kept, kept[1:], strict=False):
        assert a.end <= b.start


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.integers(min_value=20, max_value=120))
def test_chunks_are_exact_non_empty_in_order_and_cover_all_kept_text(text, target):
    kept, _ = clean(text)
    meta = extract_metadata(kept)
    chunks = chunk_document("d.txt", text, kept, meta, target=target, maximum=target + 60, overlap=20)
    for c in chunks:
        assert c.text and text[c.start : c.end] == c.text
        assert c.end - c.start <= target + 60
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    for span in kept:
        for i in range(span.start, span.end):
            assert text[i].isspace() or i in covered

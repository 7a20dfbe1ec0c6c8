"""`qa bench` runs end to end on a tiny setting, and its quality figures are those of `qa eval`."""

import json

from ingest import ingest, read_document, read_paragraphs
from qa import QA
from qa.app.bench import format_bench, run_bench
from qa.evaluate import evaluate, load_set
from tests.conftest import SAMPLE_CORPUS, make_settings

GOLD = [
    {"id": "t1", "question": "今年要新引进多少个亿元以上项目？", "type": "fact", "doc": "a.txt",
     "evidence": ["全市要新引进亿元以上项目50个"], "answer_keywords": ["50个"]},
    {"id": "t2", "question": "区委书记要建设多少亩高标准农田？", "type": "fact", "doc": "b.txt",
     "evidence": ["我们要建设高标准农田两万亩"], "answer_keywords": ["两万亩"]},
    {"id": "t3", "question": "全市常住人口有多少？", "type": "negative", "doc": None, "evidence": [], "answer_keywords": []},
]


def test_bench_runs_small_and_agrees_with_eval(tmp_path, tiny_corpus):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD), encoding="utf-8")
    settings = make_settings(tmp_path, tiny_corpus)
    steps = []
    result = run_bench(settings, gold, scales=[30], users=3, ingest=ingest, read_document=read_document,
                       read_paragraphs=lambda p: read_paragraphs(p, settings), progress=steps.append,
                       scale_source=SAMPLE_CORPUS)
    assert steps and result["speed"]["unchanged_reingest_embedded"] == 0
    assert result["speed"]["ingest_chunks_per_s"] > 0 and result["speed"]["bare_embedder_chunks_per_s"] > 0
    assert result["speed"]["serve_peak_rss_mb"] > 0
    assert set(result["quality"]) == {"ours-hybrid", "ours-dense", "ours-lexical", "tutorial-1000/200", "tutorial-300/50"}
    row = result["scale"][0]
    assert row["chunks"] >= 30 and row["search"]["n"] > 0 and row["serve_peak_rss_mb"] > 0
    assert row["quote_check"]["n"] > 0 and result["speed"]["quote_check"]["n"] > 0
    assert result["concurrency"]["errors"] == 0 and result["concurrency"]["requests"] == 9
    files = result["files"]  # a speech as a .doc and as scans, read as ingest reads them
    assert files["doc_convert_s"] > 0 and files["ocr_pages_per_s"] > 0 and files["ocr_accuracy"] > 0.9
    assert 0 < files["convert_and_ocr_share_of_ingest"] <= 1

    ingest(settings=settings, progress=False)
    expected = evaluate(QA(settings), load_set(gold), read_doc=lambda d: read_document(tiny_corpus / d, d, settings))
    for key in ("recall@5", "mrr@10", "chars@5", "keyword_hit", "negative_rejection", "false_rejection"):
        assert result["quality"]["ours-hybrid"][key] == expected[key]
    text = format_bench(result)
    assert "tutorial-1000/200" in text and "规模" in text and "并发" in text and "原话核对" in text and "文字识别" in text


def test_ui_scale_times_the_tabs_on_an_inflated_index(sample_settings, capsys):
    from qa.app.bench.ui_scale import main

    main(str(sample_settings.home), str(sample_settings.corpus), 3)
    out = capsys.readouterr().out
    assert out.startswith("documents 15, pledges ") and out.count(" ms, max ") == 7  # no dates: no year timing

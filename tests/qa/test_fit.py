"""`qa fit` (issue 28, item 4): what the judge measured, asked once with its thresholded checks off, predicts the
outcome under any thresholds, so thresholds are fitted on fit halves without asking again, and check halves are
reported as totals beside them."""

import json

from qa import QA
from qa.evaluate import load_set
from qa.fit import FIT_PARAMS, fit, format_fit, outcome, record
from tests.conftest import ROOT

DEV = ROOT / "tests" / "data" / "dev.jsonl"


def test_recorded_signals_predict_every_outcome(sample_qa):
    items = load_set(DEV)
    recorded = record(sample_qa, items)
    start = {k: getattr(sample_qa.settings, k) for k in FIT_PARAMS}
    start["unrelated_similarity"] = sample_qa.index.unrelated_similarity
    assert sample_qa.answerer.judge.off == frozenset()  # recording switched its checks back on
    for item, rec in zip(items, recorded, strict=True):
        assert outcome(rec, start) == sample_qa.ask(item["question"]).outcome, item["question"]
    # raising the support threshold to 1 leaves no answer that covers less than all key terms
    strict = {**start, "found_threshold": 1.0, "found_threshold_agreeing": 1.0, "found_threshold_similar": 1.0}
    assert all(outcome(r, strict) != "answer" for r in recorded if r.signals and r.signals["coverage"] < 1.0)


def test_fit_keeps_values_no_three_items_support_and_reports_both_halves(sample_qa):
    recorded = {"dev": record(sample_qa, load_set(DEV))}
    start = {k: getattr(sample_qa.settings, k) for k in FIT_PARAMS}
    start["unrelated_similarity"] = sample_qa.index.unrelated_similarity
    fitted = fit(recorded, start, min_items=1000)
    assert fitted == start  # no move can gain 1000 items
    loose = fit(recorded, {**start, "found_threshold": 0.95, "found_threshold_agreeing": 0.95}, min_items=1)
    assert loose["found_threshold"] < 0.95  # an absurd threshold is moved
    text = format_fit(recorded, start, fitted)
    assert "dev fit" in text and "dev check" in text and "QA_FOUND_THRESHOLD=" in text


def test_the_fit_command(sample_settings, capsys, monkeypatch):
    from qa.app.cli import main

    monkeypatch.setenv("QA_HOME", str(sample_settings.home))
    monkeypatch.setenv("QA_CORPUS", str(sample_settings.corpus))
    assert main(["fit", str(DEV), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert set(got["fitted"]) == set(FIT_PARAMS) and got["start"]["found_threshold"] == QA(sample_settings).settings.found_threshold

"""Gold sets split into a fit half and a check half by a hash of the item id: fixed for good, so that what was
fitted on one half is always shown on the other."""

import json

from qa.app.cli import main
from qa.evaluate import half, load_set
from tests.conftest import DEV_SET


def test_the_halves_split_a_set_for_good():
    items = load_set(DEV_SET)
    fit, check = load_set(DEV_SET, "fit"), load_set(DEV_SET, "check")
    assert {i["id"] for i in fit} | {i["id"] for i in check} == {i["id"] for i in items}
    assert not {i["id"] for i in fit} & {i["id"] for i in check} and (len(fit), len(check)) == (25, 30)
    # the assignment never moves: these were fitted or checked under it
    assert [half(i) for i in ("d001", "d002", "dv031", "TRIAL_154_QUERY_3")] == ["check", "check", "fit", "check"]


def test_qa_eval_reports_one_half(sample_settings, monkeypatch, capsys):
    monkeypatch.setenv("QA_HOME", str(sample_settings.home))
    monkeypatch.setenv("QA_CORPUS", str(sample_settings.corpus))
    assert main(["eval", str(DEV_SET), "--half", "fit", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 25 and report["half"] == "fit" and all(half(r["id"]) == "fit" for r in report["rows"])
    assert main(["eval", str(DEV_SET), "--half", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 30 and report["rows"] == [] and report["keyword_hit"] is not None  # totals only

"""Guards the library's public surface: scripts import these names."""

import subprocess
import sys
import types

import pytest

import qa


def test_all_is_exactly_the_public_names():
    """httpx's habit: every public name bound in the package is in __all__, and __all__ names nothing else (each
    loads on first use: all of them are used here first)."""
    for name in qa.__all__:
        getattr(qa, name)
    assert set(dir(qa)) >= set(qa.__all__)
    public = {name for name, value in vars(qa).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert set(qa.__all__) == public
    assert len(qa.__all__) == len(set(qa.__all__))


def test_what_the_readme_shows_is_exported():
    for name in ("ask", "ask_stream", "search", "documents", "pledges", "QA", "Settings"):
        assert name in qa.__all__


def test_errors_share_one_base():
    for err in (qa.ConfigError, qa.IndexStateError, qa.InputError, qa.BackendError):
        assert issubclass(err, qa.QAError)


def test_import_qa_stays_lean():
    """The library never loads the UI, the ingest package or the benchmark harness; the CLI loads them on demand."""
    code = ("import sys, qa, qa.app.cli; print(sorted(m for m in ('gradio', 'gradio_client', 'ingest', 'ui', 'qa.app.bench') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_module_functions_use_the_settings_given(sample_settings):
    result = qa.search("擦亮城市名片", k=2, settings=sample_settings)
    assert len(result.results) == 2
    assert qa.ask("市委书记把2023年确立为什么年？", settings=sample_settings).found
    events = list(qa.ask_stream("市委书记把2023年确立为什么年？", settings=sample_settings))
    assert isinstance(events[0], qa.AnswerDelta) and isinstance(events[-1], qa.AnswerDone)
    assert "项目攻坚突破年" in events[-1].answer.answer
    assert len(qa.documents(settings=sample_settings)) == 5
    assert qa.pledges(speaker="市委书记", settings=sample_settings)


def test_a_bad_setting_names_the_variable_and_what_it_takes(monkeypatch):
    monkeypatch.setenv("QA_RETRIEVAL", "fuzzy")
    with pytest.raises(qa.ConfigError, match=r"QA_RETRIEVAL='fuzzy'.*hybrid \| dense \| lexical"):
        qa.load_settings()
    monkeypatch.delenv("QA_RETRIEVAL")
    monkeypatch.setenv("QA_K", "0")
    with pytest.raises(qa.ConfigError, match=r"QA_K='0'.*≥ 1"):
        qa.load_settings()


@pytest.mark.parametrize("k", [0, -1, 10**9])
def test_k_out_of_range_is_an_error_not_the_default(sample_qa, k):
    with pytest.raises(qa.InputError, match="k 应为 1 到 50"):
        sample_qa.search("主题教育", k=k)

"""Guards the library's public surface: scripts import these names."""

import qa


def test_public_names():
    assert set(qa.__all__) == {
        "QA", "ask", "search", "documents", "pledges", "get_qa", "Settings", "Index", "Retriever", "SpeechRetriever",
        "Answer", "Chunk", "Citation", "Document", "Hit", "Pledge", "SearchResult", "Span",
        "QAError", "ConfigError", "IndexStateError", "InputError", "BackendError",
    }
    for name in qa.__all__:
        assert getattr(qa, name) is not None


def test_errors_share_one_base():
    for err in (qa.ConfigError, qa.IndexStateError, qa.InputError, qa.BackendError):
        assert issubclass(err, qa.QAError)


def test_library_does_not_import_the_ui_or_ingest():
    import subprocess
    import sys

    code = "import sys, qa, qa.cli; print(sorted(m for m in ('gradio', 'ingest', 'ui') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_module_functions_use_the_settings_given(sample_settings):
    result = qa.search("擦亮城市名片", k=2, settings=sample_settings)
    assert len(result.results) == 2
    assert qa.ask("市委书记把2023年确立为什么年？", settings=sample_settings).found
    assert len(qa.documents(settings=sample_settings)) == 5

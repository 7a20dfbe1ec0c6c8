"""What starting costs: `qa --help` loads no answer path, LangChain, Chroma or Gradio, and ingest reading a pledge
loads only the ground floor. Each check runs in a fresh interpreter, so what the tests already loaded does not count."""

import subprocess
import sys

HEAVY = ("gradio", "chromadb", "langchain", "langchain_core", "langsmith", "ingest", "ui", "qa.api", "qa.answer",
         "qa.index")


def _loaded(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules named by `prefixes` (a package and its submodules) that running `code` leaves loaded."""
    probe = (f"{code}\nimport sys\nprint(sorted(m for m in sys.modules "
             f"if any(m == p or m.startswith(p + '.') for p in {prefixes!r})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return eval(out.strip().splitlines()[-1])


def test_the_cli_and_its_help_load_nothing_heavy():
    assert _loaded("import qa.app.cli", HEAVY) == []
    help_run = "import contextlib, io\nfrom qa.app.cli import main\n"
    help_run += "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])"
    assert _loaded(help_run, HEAVY) == []


def test_reading_a_pledge_loads_only_the_ground_floor():
    loaded = _loaded("import qa.pledges.reading", ("qa", "ingest", "langchain", "langchain_core", "chromadb", "gradio"))
    assert [m for m in loaded if not (m + ".").startswith("qa.core.")] == ["qa", "qa.pledges", "qa.pledges.reading"]


def test_a_public_name_is_the_function_though_a_module_shares_it():
    """`qa.pledges`, `qa.compare`, `qa.digest`, `qa.trend` name functions of the API, also after the modules of the
    same name are loaded, before or after the function."""
    code = ("import qa, qa.pledges.reading, qa.compare, qa.digest, qa.trend, types\n"
            "names = ('pledges', 'compare', 'digest', 'trend')\n"
            "assert not any(isinstance(getattr(qa, n), types.ModuleType) for n in names)\n"
            "import qa.pledges.follow, ingest, ui\n"
            "from qa import pledges\n"
            "assert pledges is qa.pledges is qa.api.pledges and qa.compare is qa.api.compare\n"
            "assert set(dir(ingest)) >= set(ingest.__all__) and set(dir(ui)) >= set(ui.__all__)\n"
            "assert ingest.Limits.__module__ == 'ingest._sandbox' and ui.Choices.__module__ == 'ui._choices'")
    assert _loaded(code, ()) == []

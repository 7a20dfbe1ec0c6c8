"""The project's shape: its folders are floors, and no import runs up a floor, at module level or inside a function
(a function-level import of a higher floor is a cycle in disguise); no import cycles; ui and ingest use the faces of
the packages they stand on; no file too long to read, no class too long to read as one thing and no function too
long to hold in mind.

    0 ground   qa/core/           records, errors, settings, text, dates, files, speakers … (what everything uses)
    1 index    qa/index/          the Chroma store, the chunk table, embedders
    2 ingest/  and qa/answer/     reading files into the index; the answer path
    3 library  qa/*.py            the QA facade and staff tools (quotes, compare, evaluate, digest, trend)
    the pledge room qa/pledges/ spans floors: its reading of a pledge and of a target (`reading`, `targets`) stands on
               the ground floor, its lookup beside the index (1, the answer path routes pledge questions to it),
               follow-through, the target table, ledger and gold on the library (3)
    4 face     qa/__init__.py     the public API
    5 ui/                         the Gradio app: the public `qa` and `ingest` only
    6 app      qa/app/            CLI, bench, serve: the only floor that imports ui
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("qa", "ingest", "ui")
MAX_FILE_LINES, MAX_FUNCTION_LINES = 450, 80
MAX_CLASS_LINES = 220  # a class is read as one thing: more is two things, or a module's worth


PLEDGE_ROOM = {"qa.pledges.reading": 0, "qa.pledges.targets": 0, "qa.pledges.lookup": 1}


def floor(module: str) -> int:
    if module in PLEDGE_ROOM:
        return PLEDGE_ROOM[module]
    for prefix, n in (("qa.core", 0), ("qa.index", 1), ("qa.answer", 2), ("ingest", 2), ("qa.app", 6), ("ui", 5)):
        if module == prefix or module.startswith(prefix + "."):
            return n
    return 4 if module == "qa" else 3


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for f in (ROOT / pkg).rglob("*.py"):
            parts = f.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def _targets(node, module: str, is_pkg: bool, modules) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in modules]
    base = node.module or ""
    if node.level:
        parts = module.split(".") if is_pkg else module.split(".")[:-1]
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join(parts + ([base] if base else []))
    found = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
    return [t for t in found if t in modules]


def _graph():
    modules = _modules()
    edges, inner = {m: set() for m in modules}, []  # module → modules; (module, function, target)
    for m, f in modules.items():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        is_pkg = f.name == "__init__.py"
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges[m].update(t for t in _targets(node, m, is_pkg, modules) if t != m)
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        inner += [(m, fn.name, t) for t in _targets(node, m, is_pkg, modules)]
    return edges, inner


def test_no_import_cycles():
    edges, _ = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in edges[m]:
            if n.startswith(m + ".") or m.startswith(n + "."):
                continue  # a package and its own submodules
            if state.get(n) == 1:
                cycles.append(path[path.index(n):] + [n])
            elif n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in edges:
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_import_runs_up_a_floor_anywhere():
    edges, inner = _graph()
    every = [(m, "", t) for m, ts in edges.items() for t in ts] + inner
    assert [(m, fn, t) for m, fn, t in every if floor(t) > floor(m)] == []


def test_ui_and_ingest_use_the_faces_of_what_they_stand_on():
    edges, inner = _graph()
    every = [(m, t) for m, ts in edges.items() for t in ts] + [(m, t) for m, _, t in inner]
    wrong = [(m, t) for m, t in every if m.startswith("ui") and not t.startswith("ui") and t not in ("qa", "ingest")]
    wrong += [(m, t) for m, t in every if m.startswith("ingest")
              and not (t.startswith(("ingest", "qa.core", "qa.index")) or t == "qa.pledges.reading")]
    assert wrong == []


def test_no_file_or_function_is_too_long():
    long_files, long_functions = [], []
    for m, f in _modules().items():
        text = f.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_FILE_LINES:
            long_files.append((m, len(text.splitlines())))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long_functions.append((m, node.name, n))
    assert (long_files, long_functions) == ([], [])


def test_no_class_is_too_long():
    long_classes = [(m, node.name, node.end_lineno - node.lineno + 1) for m, f in _modules().items()
                    for node in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
                    if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES]
    assert long_classes == []


def test_the_pledge_room_holds_the_pledge_feature():
    """What a pledge is, its targets, follow-through, ledger and gold scorer live in qa/pledges, nowhere else; its
    package imports nothing, so ingest reading a pledge loads only the ground floor."""
    modules = _modules()
    assert {m for m in modules if m.startswith("qa.pledges.")} >= {
        "qa.pledges.reading", "qa.pledges.targets", "qa.pledges.lookup", "qa.pledges.follow", "qa.pledges.ledger",
        "qa.pledges.gold"}
    elsewhere = [m for m in modules if not m.startswith("qa.pledges") and m.rsplit(".", 1)[-1].lstrip("_") in
                 ("pledges", "follow", "follow_gold", "ledger", "targets")]
    assert elsewhere == []
    tree = ast.parse(modules["qa.pledges"].read_text(encoding="utf-8"))
    assert [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))] == []

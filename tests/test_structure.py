"""The project's shape: no import cycles between its modules, and no function-level import of project code that
exists to dodge one (the CLI's lazy loading of `ingest`, `ui` and the benchmark is the one allowed kind)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("qa", "ingest", "ui")
# Loaded lazily on purpose: `import qa` must not load the UI, ingest or the benchmark harness.
LAZY = {"ingest", "ui", "ui.app", "qa.bench"}


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
    edges, inner = {m: set() for m in modules}, []
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


def test_function_level_imports_are_only_the_lazy_ones():
    _, inner = _graph()
    assert [(m, fn, t) for m, fn, t in inner if t not in LAZY] == []

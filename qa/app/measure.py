"""`qa eval`, `qa fit` and `qa bench`: the answerer measured on a question set, its parameters fitted to sets, its
speed and quality on an archive scaled up. Each gives its result and how that reads as text, which `qa.app.cli`
shows; loaded only for these commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from qa.api import QA, get_qa
from qa.core.settings import load_settings
from qa.evaluate import check_effects, evaluate, format_report, load_set
from qa.fit import FIT_PARAMS, fit, format_fit, record

__all__ = ["MEASURES", "evaluation", "fitting", "benchmark"]


def evaluation(args) -> tuple[dict, Callable]:
    settings = load_settings()
    qa = get_qa(settings)
    items = load_set(Path(args.setfile), args.half)

    def read_doc(doc: str) -> str:
        from ingest import read_document

        return read_document(settings.corpus / doc, doc, settings)

    bar = tqdm(total=len(items), desc="评测", unit="题", file=sys.stderr, dynamic_ncols=True, disable=args.json)
    try:
        report = evaluate(qa, items, read_doc=read_doc, mode=args.mode, progress=lambda i, n: bar.update(1))
    finally:
        bar.close()
    if args.checks:
        report["checks"] = check_effects(qa, report, items, read_doc, args.mode)
    if args.half == "check":  # a check half is read as totals only: no item is shown
        report = {**report, "half": "check", "rows": []}
    elif args.half:
        report["half"] = args.half
    return report, format_report


def fitting(args) -> tuple[dict, Callable]:
    runs = [(Path(args.setfile), load_settings())]
    runs += [(Path(f), load_settings(home=Path(h), corpus=Path(c))) for f, h, c in args.other or []]
    sets, start = {}, None
    for path, settings in runs:
        qa = QA(settings)
        items = load_set(path)
        with tqdm(total=len(items), desc=f"记录 {path.name}", unit="题", file=sys.stderr, dynamic_ncols=True) as bar:
            sets[path.name] = record(qa, items, lambda i, n: bar.update(1))
        if start is None:
            start = {k: getattr(settings, k) for k in FIT_PARAMS}
            start["unrelated_similarity"] = qa.index.unrelated_similarity or 0.0
    fitted = fit(sets, start, args.wrong_cost, min_items=args.min_items)
    return {"start": start, "fitted": fitted}, lambda _: format_fit(sets, start, fitted)


def benchmark(args) -> tuple[dict, Callable]:
    from ingest import ingest, read_document, read_paragraphs
    from qa.app.bench import format_bench, run_bench

    settings = load_settings()
    set_file = Path(args.set) if args.set else None
    if set_file is None:
        for candidate in (Path("../shared/eval/dev.jsonl"), Path("tests/data/dev.jsonl")):
            if candidate.exists():
                set_file = candidate
                break

    def progress(msg: str) -> None:
        print(f"… {msg}", file=sys.stderr, flush=True)

    result = run_bench(settings, set_file, args.scale, args.users, ingest, read_document,
                       lambda p: read_paragraphs(p, settings), progress, quality=not args.no_quality)
    return result, format_bench


MEASURES = {"eval": evaluation, "fit": fitting, "bench": benchmark}

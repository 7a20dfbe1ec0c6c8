"""The web app's lists at archive size: `python -m qa.app.bench.ui_scale QA_HOME CORPUS [COPIES]`.

Loads an index, inflates it in memory to COPIES × its documents (real text; doc ids made unique; pledges copied up to
12,000 or more) and times what the 讲话 and 承诺 tabs do on each change of a filter. Nothing is written."""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from pathlib import Path

from qa import QA, Settings
from ui import Choices, pledges_html


def main(home: str, corpus: str, copies: int = 25) -> None:
    qa = QA(Settings(home=Path(home), corpus=Path(corpus)))
    qa.documents()
    table = qa.index.table
    docs, pledges = list(table.docs.values()), list(table.pledges)
    for k in range(1, copies):
        for d in docs:
            table.docs[f"copy{k}/{d.doc}"] = dataclasses.replace(d, doc=f"copy{k}/{d.doc}")
        if len(table.pledges) < 12000:
            table.pledges += [dataclasses.replace(p, doc=f"copy{k}/{p.doc}") for p in pledges]
    print(f"documents {len(table.docs)}, pledges {len(table.pledges)}")
    choices = Choices(qa)

    def timed(name: str, fn, n: int = 7) -> None:
        times = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        print(f"{name}: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")

    years = [y for _, y in choices.years() if y and y != "?"]
    year = years[0] if years else ""  # the newest year any speech is dated
    timed("speeches tab: first page, no filter", lambda: choices.page())
    timed("speeches tab: by speaker", lambda: choices.page(speaker=docs[-1].speaker or ""))
    timed(f"speeches tab: type 报告 + year {year or '(none dated)'}", lambda: choices.page(kind="报告", year=year))
    timed("speeches tab: words, page 9", lambda: choices.page(text="报告", page=9))
    timed("speeches tab: lists on page load", lambda: (choices.speakers(), choices.years(), choices.types()))
    timed("pledges tab: all (first 100 rendered)", lambda: pledges_html(qa.pledges()))
    if year:
        timed(f"pledges tab: year {year}", lambda: pledges_html(qa.pledges(since=year, until=year)))
    timed("pledges tab: by words and meaning", lambda: pledges_html(qa.pledges(query="稳就业")), n=3)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(x) for x in sys.argv[3:4]))

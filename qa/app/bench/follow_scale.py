"""落实追踪 at archive size: `python -m qa.app.bench.follow_scale QA_HOME CORPUS [COPIES]`.

Loads an index, inflates it in memory to COPIES × its documents (real text and pledges; each copy's speakers and
bodies renamed, so a copy is another government with the same reports) and times `qa follow` for one speaker with no
cache, then again from the cache, then for every pledge. The cache is written to a temporary folder; the index is
not changed."""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from qa import QA, Settings
from qa.pledges.follow import Follower


class _Inflated:
    """What `Follower` reads of an index, COPIES times over: copy k of a document reads the original's passages."""

    def __init__(self, index, copies: int, home: Path) -> None:
        self._index = index
        self.bm25, self.table = index.bm25, SimpleNamespace(pipeline=index.table.pipeline)
        self.settings = index.settings.model_copy(update={"home": home})
        self.docs = dict(index.docs)
        self.pledges = list(index.pledges)
        names = {n: i for i, n in enumerate(sorted({d.speaker or "" for d in index.docs.values()}))}
        for k in range(1, copies):
            def renamed(name: str | None, k: int = k) -> str | None:
                return f"甲{k}乙{names.get(name or '', 0)}丙" if name else name

            for d in index.docs.values():
                self.docs[f"copy{k}/{d.doc}"] = dataclasses.replace(d, doc=f"copy{k}/{d.doc}", speaker=renamed(d.speaker),
                                                                     aliases=[])
            self.pledges += [dataclasses.replace(p, doc=f"copy{k}/{p.doc}", speaker=renamed(p.speaker))
                             for p in index.pledges]

    def lines(self, doc: str):
        return self._index.lines(doc.split("/", 1)[1] if doc.startswith("copy") else doc)


def main(home: str, corpus: str, copies: int = 25) -> None:
    qa = QA(Settings(home=Path(home), corpus=Path(corpus)))
    qa.documents()
    with tempfile.TemporaryDirectory() as tmp:
        big = _Inflated(qa.index, copies, Path(tmp))
        speaker = max((d.speaker for d in qa.index.docs.values() if d.date and d.speaker),
                      key=lambda s: sum(d.speaker == s for d in qa.index.docs.values()))
        mine = [p for p in big.pledges if p.speaker == speaker or (big.docs[p.doc].speaker == speaker)]
        print(f"documents {len(big.docs)}, pledges {len(big.pledges)}; speaker {speaker}: "
              f"{len({p.doc for p in mine})} documents, {len(mine)} pledges")
        for label, follower in (("one speaker, no cache", Follower(big)), ("one speaker, cached", Follower(big))):
            t = time.perf_counter()
            report = follower.follow(mine)
            print(f"{label}: {time.perf_counter() - t:.1f} s, {len(report.followups)} targets")
        t = time.perf_counter()
        report = Follower(big).follow(big.pledges)
        print(f"every pledge (the rest with no cache): {time.perf_counter() - t:.1f} s, {len(report.followups)} targets")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(x) for x in sys.argv[3:4]))

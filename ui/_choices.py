"""What the drop-downs and the speeches table list, read fresh from the index each time."""

from __future__ import annotations

import json

from qa import QA, QAError, display_date, speaker_docs

__all__ = ["Choices", "SPEECHES_PAGE", "working"]

SPEECHES_PAGE = 50  # rows of the speeches table per page


class Choices:
    """What the drop-downs and the speeches table list, read fresh from the index each time."""

    def __init__(self, qa: QA) -> None:
        self.qa = qa

    def _docs(self):
        try:
            return self.qa.documents()
        except QAError:
            return []

    def docs(self) -> list[tuple[str, str]]:
        return [("全部讲话", "")] + [((d.title or d.doc) + ("（标题为摘取）" if d.title_derived else ""), d.doc)
                                   for d in self._docs()]

    def speakers(self) -> list[tuple[str, str]]:
        """One entry per speaker or body: names that find the same speeches (工信局长, 市工信局局长) are one entry,
        shown by the speaker's own name (else the shortest alias); typing any alias elsewhere still works."""
        docs = self._docs()
        by_doc = {d.doc: d for d in docs}
        names = sorted({d.speaker for d in docs if d.speaker})
        groups: dict[frozenset, list[str]] = {}
        for name in names + sorted({a for d in docs for a in d.aliases} - set(names)):
            groups.setdefault(frozenset(speaker_docs(by_doc, name)), []).append(name)
        shown = sorted((min((n for n in group if n in names), default=min(group, key=len)) for group in groups.values()),
                       key=lambda n: (n not in names, n))
        return [("全部讲话人", "")] + [(n, n) for n in shown]

    def types(self) -> list[tuple[str, str]]:
        return [("全部类型", "")] + [(t, t) for t in sorted({d.type for d in self._docs() if d.type})] + [("未知", "?")]

    def years(self) -> list[tuple[str, str]]:
        years = sorted({d.date[:4] for d in self._docs() if d.date}, reverse=True)
        return [("全部年份", "")] + [(f"{y}年", y) for y in years] + [("日期未知", "?")]

    def filtered(self, text: str = "", speaker: str = "", kind: str = "", year: str = "", docs: list | None = None) -> list:
        """Speeches (of `docs`, default all) matching the 讲话 tab's filters: words in file name, title, speaker or
        occasion; a speaker or body (any of its names); a type; a year ("?": unknown type or date)."""
        docs = self._docs() if docs is None else docs
        words = (text or "").split()
        if speaker:
            found = speaker_docs({d.doc: d for d in docs}, speaker)
            docs = [d for d in docs if d.doc in found]
        if kind:
            docs = [d for d in docs if (d.type or "?") == kind]
        if year:
            docs = [d for d in docs if (d.date[:4] if d.date else "?") == year]
        if words:
            docs = [d for d in docs
                    if all(w in " ".join(filter(None, (d.doc, d.title, d.speaker, d.occasion, *d.aliases))) for w in words)]
        return docs

    @staticmethod
    def rows(docs: list) -> list[list]:
        return [[d.doc, d.title or "", "是" if d.title_derived else "", d.speaker or "未知", display_date(d.date) or "未知",
                 d.type or "未知", d.occasion or "未知", d.chars] for d in docs]  # (the index's 段落块 mean nothing to staff)

    def page(self, text: str = "", speaker: str = "", kind: str = "", year: str = "", page: int = 1):
        """(table rows, "第 n / N 页…", the page's speeches for the reader, the page shown) of the filtered list."""
        every = self._docs()
        docs = self.filtered(text, speaker, kind, year, every)
        pages = max(1, -(-len(docs) // SPEECHES_PAGE))
        page = min(max(1, int(page or 1)), pages)
        shown = docs[(page - 1) * SPEECHES_PAGE : page * SPEECHES_PAGE]
        total = len(every)
        info = (f"共 {len(docs)} 篇" + (f"（全部 {total} 篇中符合条件的）" if len(docs) != total else "")
                + f"，第 {page} / {pages} 页")
        return self.rows(shown), info, [((d.title or d.doc), d.doc) for d in shown], page


def working(trigger, fn, inputs, outputs: list, note: str) -> None:
    """Run `fn` on `trigger`, first saying `note` (正在生成摘编……) in the first output at once, in the browser:
    Gradio's own progress text (“processing | 2.1s”, “queue: 1/3”) is English, so it is hidden."""
    shown = json.dumps(f'<div class="qa-count">{note}</div>', ensure_ascii=False)
    trigger(None, None, outputs[0], js=f"() => {shown}", api_visibility="private").then(
        fn, inputs, outputs, show_progress="hidden", api_visibility="private")

"""Documents a question names as an archive of yearly reports and congress reports is asked about: by year and kind
("2019年政府工作报告") or by the numbered party congress it was given at ("党的十八大报告"). One reading, used by the
answer pipeline's scope (the answer comes from them) and by the retriever (their passages rank first)."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from qa.answer.constraints import CONGRESS_NUMBER, congress_named, year_forms
from qa.answer.constraints import number as _number
from qa.answer.question import asks_giver, documents_in
from qa.core.dates import years_in
from qa.core.records import Document

if TYPE_CHECKING:
    from qa.index.store import Index

__all__ = ["DocumentRules", "HEADER_CHARS", "Rules", "documents_named", "of_kind", "of_year"]

HEADER_CHARS = 300  # a header (title, dateline, speaker) lies within a document's first lines


class Rules(Protocol):
    """Switches and counts rules by name (the answer judge)."""

    def allows(self, rule: str) -> bool: ...

    def count(self, rule: str) -> None: ...


def of_kind(d: Document, kind: str) -> bool:
    """`d` is a document of `kind` (政府工作报告, 报告, 讲话…): its title says so, or its type is that kind. A type
    that is only the kind's last noun (报告) does not make a congress report a 政府工作报告."""
    return kind in (d.title or "") or d.type == kind


def of_year(d: Document, year: str) -> bool:
    return (d.date or "")[:4] == year or f"{year}年" in (d.title or "")


def documents_named(pairs: Iterable[tuple[str, str]], congress: int | None, docs: Mapping[str, Document],
                    head: Callable[[str], str] | None = None, rules: Rules | None = None) -> frozenset[str] | None:
    """The documents named by year and kind (`pairs`: ("2019", "政府工作报告")), or by the numbered congress they were
    given at ("党的十八大报告", rule `congress_document`; `head(doc)`: its opening text, read when its title and occasion
    do not say the congress); None when the text names none, or none of them is held."""
    found = {d.doc for year, kind in pairs for d in docs.values() if of_kind(d, kind) and of_year(d, year)}
    if not found and (rules is None or rules.allows("congress_document")) and congress is not None:
        found = {d.doc for d in docs.values() if _congress_of(d, head) == congress}
        if found and rules is not None:
            rules.count("congress_document")
    return frozenset(found) if found else None


# A congress as a document's occasion or title says it ("中国共产党第十八次全国代表大会", "(十八大)"); the one a
# question names is read with its constraints (`qa.answer.constraints.congress_named`).
_CONGRESS_SAID = re.compile(rf"第({CONGRESS_NUMBER})次全国代表大会|[（(]({CONGRESS_NUMBER})大[）)]")


def _congress_of(d: Document, head: Callable[[str], str] | None) -> int | None:
    """The congress `d` was given at, as its occasion, its title ("(十八大)") or its opening lines say it."""
    for text in (d.occasion, d.title, head(d.doc)[:HEADER_CHARS] if head else None):
        if text and (m := _CONGRESS_SAID.search(text)):
            return _number(next(g for g in m.groups() if g))
    return None


class DocumentRules:
    """The retriever's rules for documents a question names (`RETRIEVAL_RULES`, switched off by name with
    `QA_RETRIEVAL_OFF`), each counted in `fired` when it shapes a ranking."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.fired: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _rule(self, name: str) -> bool:
        return name not in self.index.settings.retrieval_rules_off()

    def _count(self, name: str) -> None:
        with self._lock:
            self.fired[name] += 1

    def favour(self, fused: dict[str, float], query: str, titled: set[str], first: float) -> None:
        """Raise, in `fused` (passage → fused score; `first`: a first rank's share), the passages of the named
        documents that say the question's year (`year_written`) and, when who gave one or where is asked, their
        header above all of theirs (`document_header`: as if ranked first three more times)."""
        for cid in self.saying_year(query, titled):
            if cid in fused:
                fused[cid] += first
        for cid in self.header_passages(query, titled):
            fused[cid] = fused.get(cid, first) + 3 * first

    def named(self, query: str, allowed: set[str] | None) -> set[str]:
        """Rule `named_document`: the documents a question names as an archive is asked about, by year and kind
        (“2003年政府工作报告”) or by the numbered congress they were given at (“党的十八大报告”, whose title says
        “(十八大)” or whose opening says “第十八次全国代表大会”). Neither is a speaker, a meeting held as metadata or a
        phrase of the title, so nothing else finds them; in an archive of forty long reports that share the question's
        words (国内生产总值, 目标, 2020年), their passages rank first and compete among themselves."""
        if not self._rule("named_document"):
            return set()
        heads = self.index.table.heads
        found = set(documents_named(documents_in(query), congress_named(query), self.index.docs, lambda d: heads.get(d, "")) or ())
        found = found if allowed is None else found & allowed
        if found:
            self._count("named_document")
        return found

    def header_passages(self, query: str, named: set[str]) -> set[str]:
        """Rule `document_header`: a question asking who gave a document it names, when or at which meeting (“1957年的
        政府工作报告是谁作的？”) is answered by the document's header — its title, dateline and the speaker's name on a
        line of their own, within its first lines — which shares no word with the question but 报告: those passages
        rank first."""
        if not named or not asks_giver(query) or not self._rule("document_header"):
            return set()
        ids: set[str] = set()
        for d in named:
            for cid in self.index.table.doc_chunk_ids(d):
                c = self.index.chunk(cid)
                if c.start >= HEADER_CHARS:
                    break
                if re.search(r"\w", c.text):  # not a blank line
                    ids.add(cid)
                if _SALUTATION.search(c.text):  # 各位代表： / 同志们： opens the body
                    break
        if ids:
            self._count("document_header")
        return ids

    def saying_year(self, query: str, titled: set[str]) -> set[str]:
        """Rule `year_written`: the passages of the documents a question names that say a year it names, however the
        document writes it — in figures (2020年) or, as congress reports do, in Chinese numerals with any zero
        (二〇二〇年, 二０二０年, 二0二0年), which jieba cuts into single characters no search matches. Not the
        document's own year nor the one before it, which a yearly report says as 今年, 去年 or 过去一年."""
        if not titled or not self._rule("year_written"):
            return set()
        ids: set[str] = set()
        for d in titled:
            own = int((self.index.docs[d].date or "0")[:4] or 0)
            forms = [f for y in years_in(query) if y not in (own, own - 1) for f in (x + "年" for x in year_forms(str(y)))]
            if forms:
                ids |= {cid for cid in self.index.table.doc_chunk_ids(d)
                        if any(f in self.index.chunk(cid).text for f in forms)}
        if ids:
            self._count("year_written")
        return ids


_SALUTATION = re.compile(r"(?m)^[^\n，。]{2,10}[：:]\s*$")  # a line that addresses the audience: the body begins

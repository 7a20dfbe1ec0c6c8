"""What each stage of the answer pipeline hands to the next, each made once and never changed:

    question text ─analyse→ Question ─scope→ Scope ─retrieve→ Evidence ─select→ Selection ─judge→ Verdict | None
                                                                                             └─compose→ Answer

The judge (`judge.py`) looks at the Scope before any search, at the Evidence, and at the Selection; the first of its
checks that fires decides a "none" or "related" outcome. The extractive composer and a chat model's are the two
ends of the same pipe: both start from the same Selection once the judge has let it through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from qa.answer.hybrid import Retrieval
from qa.answer.question import Question
from qa.answer.sentences import Candidate
from qa.answer.terms import Forms
from qa.core.records import Citation, Pledge

__all__ = ["Scope", "Evidence", "Selection", "Verdict"]


@dataclass(frozen=True)
class Scope:
    """What the question is about, before any search."""

    question: Question  # the analysis of `text` (its subject left to the speaker rules when it names a speaker)
    text: str  # the question as it stands on its own (a follow-up rewritten)
    docs: frozenset[str] | None  # the speeches the question names or the pledge route allows (None: any)
    speakers: tuple[str, ...]  # the speakers of `docs`, for messages
    apart: tuple[frozenset[str], ...]  # each speaker the question names separately: their speeches
    prefer: tuple[Pledge, ...]  # pledges the answer should quote first (a question asking for commitments)
    filtered: bool  # the user chose a speaker or a speech: the question's own names do not narrow further
    pledge_question: bool  # it asks what someone committed to (answered from pledges first)
    documents: frozenset[str] | None = None  # the documents it names by year and kind ("2019年政府工作报告")


@dataclass(frozen=True)
class Evidence:
    """The passages read for the answer, and how close each of their sentences is to the question in meaning."""

    retrieval: Retrieval
    similarity: Mapping[str, float]  # sentence text → cosine similarity to the question (empty: no vectors)

    @property
    def closest(self) -> float | None:
        return max(self.similarity.values()) if self.similarity else None


@dataclass(frozen=True)
class Selection:
    """The sentences that would answer: `pool` every candidate, best first; `chosen` those to quote."""

    pool: tuple[Candidate, ...]
    chosen: tuple[Candidate, ...]
    terms: Mapping[str, float]  # the question's key terms and their weights
    forms: Forms  # the words that say each key term
    coverage: float  # the weighted share of the key terms the chosen sentences say
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """A check that fired: `outcome` "none" (nothing is quoted but `citations`, which explain the refusal) or
    "related" (the closest sentences are quoted under a plain statement that they do not answer directly)."""

    outcome: str
    check: str
    text: str  # what the user reads: the refusal, or for "related" the reason
    citations: tuple[Citation, ...] = ()

"""What each stage of the answer pipeline hands to the next, each made once and never changed:

    Ask ─understand→ text ─scope→ Scope ─read→ Evidence ─select→ Selection ─compose→ Answer ─write→ the model's Answer
                                  └judge       └judge            └judge

`Answerer.STAGES` runs them in that order over a `Walk`: the judge after each of scope, read and select (a Verdict,
or None), and after scope a named document's giver told from its header. Each stage hands on a new Walk with what it
found; one that settles the answer (a refusal, a document's header, a verdict, the model's answer) ends the walk. The
judge (`judge.py`) looks at the Scope before any search, at the Evidence, and at the Selection; the first of its
checks that fires decides a "none" or "related" outcome. The extractive composer and a chat model's are the two ends
of the same pipe: both start from the same Selection once the judge has let it through."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from qa.answer.hybrid import Retrieval
from qa.answer.question import Question
from qa.answer.sentences import Candidate
from qa.answer.terms import Forms
from qa.core.records import Answer, AnswerEvent, Chunk, Citation, Document, Pledge
from qa.core.settings import Settings

__all__ = ["Ask", "Walk", "Case", "Scope", "Evidence", "Selection", "Verdict"]


@dataclass(frozen=True)
class Ask:
    """A question as the user asked it: the backend that writes the answer (`model` None: extractive) and the
    user's filters."""

    question: str
    label: str = "extractive"  # the backend's name, shown with the answer
    model: Any = None
    speaker: str | None = None
    doc: str | None = None
    mode: str | None = None
    history: list | None = None  # earlier turns, for a follow-up
    stream: bool = True
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class Walk:
    """A question on its way down the stages: the question as it stands on its own, what the judge reads (the Case:
    scope, evidence, selection so far), and the answer, `settled` once no later stage may change it; `written`: the
    model's answer as it arrives (its events, ending in AnswerDone)."""

    ask: Ask
    text: str = ""  # the question as it stands on its own (a follow-up rewritten)
    case: Case | None = None
    answer: Answer | None = None
    written: Iterator[AnswerEvent] | None = None
    settled: bool = False

    def settle(self, answer: Answer) -> Walk:
        return replace(self, answer=answer, settled=True)


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


@dataclass(frozen=True)
class Case:
    """What the checks of one question read: the stage records so far and the index they come from."""

    scope: Scope
    docs: Mapping[str, Document]
    said: Callable[[], list[str]]  # every speech's text
    pool: Callable[[], list[Chunk]]  # the passages of the speeches the question is about (read only when needed)
    settings: Settings
    floor: float | None = None  # the calibrated similarity below which nothing read is about the question
    evidence: Evidence | None = None
    selection: Selection | None = None

    @property
    def q(self) -> Question:
        return self.scope.question

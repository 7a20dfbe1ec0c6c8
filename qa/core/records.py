"""Typed records passed between packages. `to_dict()` gives the JSON shapes of the public contract."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

__all__ = ["Span", "Chunk", "Document", "Hit", "Citation", "Answer", "OUTCOMES", "SearchResult", "Pledge", "AnswerDelta",
           "AnswerReset", "AnswerDone", "AnswerEvent"]


@dataclass(slots=True)
class Span:
    """A piece of a decoded file: `text == decoded[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Document:
    doc: str  # path relative to the corpus folder
    title: str | None
    title_derived: bool  # True when the file has no title line and `title` was made from its opening words
    speaker: str | None
    occasion: str | None
    hash: str
    chars: int
    chunks: int = 0
    aliases: list[str] = field(default_factory=list)  # other names staff use for the speaker or their body
    date: str | None = None  # when it was given: ISO at the precision known (2023 / 2023-03 / 2023-03-05)
    type: str | None = None  # 讲话 / 报告 / 发言 / 新闻 / 通知 …
    edits: dict[str, str | None] = field(default_factory=dict)  # fields set by the corpus's metadata.csv
    ocr: bool = False  # some of its text was read from a scan by OCR
    text_hash: str | None = None  # what its text says, whitespace aside (ingest's duplicates by text)
    number: str | None = None  # an official document's 文号 ("青档〔2023〕12号"); None for speeches and news

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Chunk:
    id: str
    doc: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int  # 1-based number of the body paragraph the chunk starts in (0 = title line)
    section: str | None
    title: str | None
    speaker: str | None
    occasion: str | None
    date: str | None = None
    ocr: bool | None = None  # the text was read from a scan by OCR (it may hold misread characters)

    def context(self) -> str:
        """What is embedded and indexed lexically: metadata lines, then the verbatim text."""
        head = [x for x in (self.title, self.speaker, self.section) if x]
        return "\n".join([*head, self.text])


@dataclass(slots=True)
class Hit:
    rank: int
    doc: str
    title: str | None
    speaker: str | None
    text: str
    start: int
    end: int
    score: float
    id: str = ""
    paragraph: int = 0
    section: str | None = None
    occasion: str | None = None
    date: str | None = None
    ocr: bool = False  # read from a scan by OCR: a character may be misread

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class SearchResult:
    query: str
    results: list[Hit]

    def to_dict(self) -> dict:
        return {"query": self.query, "results": [h.to_dict() for h in self.results]}


@dataclass(slots=True, frozen=True)
class Citation:
    """A passage an answer cites, as number `n` of its sources; made once (what is marked in it makes a new one)."""

    n: int
    doc: str
    title: str | None
    speaker: str | None
    text: str  # the whole cited passage, verbatim
    start: int
    end: int
    paragraph: int = 0
    section: str | None = None
    occasion: str | None = None
    date: str | None = None
    # offsets (into the decoded file) of the sentences the answer quotes from this passage
    highlights: tuple[tuple[int, int], ...] = ()
    ocr: bool = False  # read from a scan by OCR: a character may be misread

    @classmethod
    def of(cls, n: int, passage: Chunk | Citation, highlights: Iterable[tuple[int, int]] = ()) -> Citation:
        """Citation number `n` of a passage (a chunk, or another citation) marking `highlights` (none: none yet)."""
        return cls(n=n, doc=passage.doc, title=passage.title, speaker=passage.speaker, text=passage.text,
                   start=passage.start, end=passage.end, paragraph=passage.paragraph, section=passage.section,
                   occasion=passage.occasion, date=passage.date, highlights=tuple(tuple(h) for h in highlights),
                   ocr=bool(passage.ocr))

    def to_dict(self) -> dict:
        return {**asdict(self), "highlights": [list(h) for h in self.highlights]}


OUTCOMES = ("answer", "related", "none")


@dataclass(slots=True, frozen=True)
class Answer:
    """`outcome`: "answer" (found, quoted, cited), "related" (not answered directly; the closest sentences are quoted
    and cited so staff can judge) or "none" (positive evidence that the speeches do not hold it; nothing quoted,
    except a passage that explains why). `found` is `outcome == "answer"`. `check`: the judge's check that decided a
    "related" or "none" (not part of the JSON contract); `signals`: what the judge measured, for `qa fit`. Made once:
    what is added later (a note, the signals, a quotation's context) makes a new Answer."""

    question: str
    answer: str
    found: bool
    citations: tuple[Citation, ...]
    backend: str
    warnings: tuple[str, ...] = ()
    outcome: str = ""
    check: str | None = None
    signals: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.outcome:
            object.__setattr__(self, "outcome", "answer" if self.found else "none")  # frozen: set once, here
        if self.outcome not in OUTCOMES or self.found != (self.outcome == "answer"):
            raise ValueError(f"outcome {self.outcome!r} with found={self.found}")

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "outcome": self.outcome,
            "citations": [c.to_dict() for c in self.citations],
            "backend": self.backend,
            "warnings": list(self.warnings),
        }


@dataclass(slots=True)
class Pledge:
    """A sentence (or clause) in which the speaker, or the body they speak for, commits to act."""

    speaker: str | None
    doc: str
    title: str | None
    text: str
    start: int
    end: int
    paragraph: int
    topic: str | None
    concrete: bool  # names a programme, a number, a target or a deadline
    date: str | None = None  # the document's date
    lead: str = ""  # the responsible unit, where the text names one (牵头/责任单位)
    deadline: str = ""  # the time limit, where the text states one (年底前, 到2025年)

    def to_dict(self) -> dict:
        return asdict(self)


# What `ask_stream` yields while an answer is produced.
@dataclass(slots=True, frozen=True)
class AnswerDelta:
    """The next piece of the answer text."""

    text: str


@dataclass(slots=True, frozen=True)
class AnswerReset:
    """The model failed: discard what was shown; the extractive answer follows as new deltas."""

    warning: str


@dataclass(slots=True, frozen=True)
class AnswerDone:
    """The finished, checked answer (always the last event)."""

    answer: Answer


AnswerEvent = AnswerDelta | AnswerReset | AnswerDone

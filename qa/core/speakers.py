"""Who spoke: the names staff type (aliases, abbreviations, a body for its head) matched to the indexed speeches,
and the speaker-like names of a question that no speech in the index has.

Every function takes the index's documents (`doc id → Document`), so retrieval, pledges and answering share one
definition without depending on each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from qa.core.errors import InputError
from qa.core.records import Document
from qa.core.text import tagged_words

__all__ = ["normalize_name", "speaker_docs", "require_speaker_docs", "known_speakers", "mentioned_speakers",
           "mentioned_occasions", "unknown_speaker_in", "without_title", "TITLED_NAME"]

Docs = Mapping[str, Document]

# Official abbreviations: staff write 工信局 as often as 工业和信息化局.
_ABBREVIATIONS = {"工业和信息化": "工信", "发展和改革": "发改", "人力资源和社会保障": "人社", "住房和城乡建设": "住建",
                  "自然资源和规划": "自然资源", "中国共产党": "", "委员会": "委"}
# A speaker-like name in a question: 省长, 市委书记, 区发改委, 市人社局 …
TITLED_NAME = re.compile(
    r"(?:[\u4e00-\u9fff]{0,4}?)(?:书记|市长|省长|区长|县长|镇长|局长|主任|部长|厅长|主席|委员|总理|党组|[^\s，。？]{1,4}局|[^\s，。？]{1,4}委|[^\s，。？]{1,2}政协|[^\s，。？]{1,2}人大)"
)


# What follows a name that is the question's subject.
_SUBJECT_VERB = re.compile(r"^(?:在|对|就|的|讲|说|提|强调|要求|部署|表示|认为|发言|讲话)")


def normalize_name(name: str) -> str:
    out = name.strip()
    for long, short in _ABBREVIATIONS.items():
        out = out.replace(long, short)
    return re.sub(r"\s+", "", out)


def _names(d: Document) -> list[str]:
    return [normalize_name(n) for n in ([d.speaker] if d.speaker else []) + list(d.aliases)]


def speaker_docs(docs: Docs, who: str) -> set[str]:
    """Speeches of a speaker or body, matched by name, alias or (for a body) the occasion it convened."""
    w = normalize_name(who)
    if not w:
        return set()

    def same(n: str) -> bool:  # 工信局长 ~ 市工信局局长; 市工信局 ~ 工信局; not 市工信局 ~ 市工信局党组理论学习中心组
        longer = len(n) >= 3 and n in w and len(w) - len(n) <= 2 and not w[len(n):].endswith(("长", "书记", "主任"))
        return w == n or (len(w) >= 3 and w in n) or longer

    found = {d.doc for d in docs.values() if any(same(n) for n in _names(d))}
    if not found:  # "工信局党组" convened the meeting at which an unnamed member spoke
        found = {d.doc for d in docs.values() if d.occasion and len(w) >= 3 and w in normalize_name(d.occasion)}
    return found


def known_speakers(docs: Docs) -> list[str]:
    return sorted({d.speaker for d in docs.values() if d.speaker})


def require_speaker_docs(docs: Docs, who: str) -> set[str]:
    """`speaker_docs`, or an InputError that lists the speakers the index knows."""
    found = speaker_docs(docs, who)
    if not found:
        raise InputError(f"索引中没有“{who}”的讲话。已知讲话人：{'、'.join(known_speakers(docs)) or '（无）'}")
    return found


_TITLES = ("书记", "局长", "市长", "主任", "部长", "厅长", "主席", "区长", "县长", "镇长", "省长", "委员", "总理")


def without_title(name: str) -> str:
    """A speaker-like name without the title it ends in: 服务中心主任 → 服务中心 (the body)."""
    return next((name[: -len(t)] for t in _TITLES if name.endswith(t)), name)


def mentioned_speakers(docs: Docs, question: str) -> set[str]:
    """Speeches whose speaker (or an alias) the question names; or, when it names none, whose speaker alone bears
    the bare title it uses ("书记说…" of the one 市委书记; not "总书记", a leader quoted, nor a title two bear)."""
    q = normalize_name(question)
    found = {d.doc for d in docs.values() if any(len(n) >= 2 and n in q for n in _names(d))}
    if found:
        return found
    for title in _TITLES:
        if re.search(rf"(?<![总副省市区县镇委局]){title}", q):
            bearers = {d.speaker for d in docs.values() if d.speaker and d.speaker.endswith(title)}
            if len(bearers) == 1:
                return {d.doc for d in docs.values() if d.speaker in bearers}
    return set()


def part_of_named_speaker(docs: Docs, question: str, word: str) -> bool:
    """Whether `word` is part of a speaker's name the question says ("工信" of "工信局长和市委书记…")."""
    w = normalize_name(word)
    return any(w in n for d in mentioned_speakers(docs, question) for n in _names(docs[d]))


def named_apart(docs: Docs, question: str) -> list[set[str]]:
    """The speeches of each speaker the question names separately ("工信局长和市委书记都…" → two groups). Names
    that overlap in the question are one mention: "市工信局" names the bureau and its director alike."""
    q = normalize_name(question)
    found: list[tuple[int, int, str]] = []
    for d in docs.values():
        spans = [(m.start(), m.start() + len(n)) for n in _names(d) if len(n) >= 2 for m in re.finditer(re.escape(n), q)]
        found += [(s, e, d.doc) for s, e in spans]
    groups: list[tuple[int, int, set[str]]] = []
    for s, e, doc in sorted(found):
        if groups and s < groups[-1][1]:
            groups[-1] = (groups[-1][0], max(e, groups[-1][1]), groups[-1][2] | {doc})
        else:
            groups.append((s, e, {doc}))
    merged: list[set[str]] = []
    for _, _, g in groups:  # the same speaker named twice is still one speaker
        if (same := next((m for m in merged if m & g), None)) is not None:
            same |= g
        else:
            merged.append(g)
    return merged


_CONGRESS = re.compile(r"第([一二三四五六七八九十]+)次全国代表大会")


def _occasion_names(occasion: str) -> list[str]:
    """An occasion as staff name it: in full, and a party congress as 十九大."""
    names = [normalize_name(occasion)]
    if m := _CONGRESS.search(occasion):
        names.append(f"{m.group(1)}大")
    return [n for n in names if len(n) >= 3]


def mentioned_occasions(docs: Docs, question: str) -> set[str]:
    """Speeches given at a meeting the question names ("在第十四届全国人民代表大会第一次会议上", "十九大报告")."""
    q = normalize_name(question)
    return {d.doc for d in docs.values() if d.occasion and any(n in q for n in _occasion_names(d.occasion))}


# A name is the run of nouns that ends the match: not the preposition, locative, time word, particle or verb the
# pattern took along before it ("在书记看来", "对工信局来说", "研讨会上市长", "讲的主导产业布局"); and nouns that end
# like a body are no body (布局, 大局).
_NOT_IN_NAME = ("p", "f", "t", "u", "v", "c", "d", "r", "m", "q", "y")
_NOT_BODIES = frozenset({"布局", "格局", "大局", "全局", "开局", "结局", "时局", "当局", "残局", "骗局", "棋局", "饭局",
                         "变局", "新局", "僵局", "终局", "定局", "败局", "胜局", "委托", "委屈", "委婉", "委派"})


def _as_name(found: str) -> str | None:
    """The speaker-like name a match of TITLED_NAME stands for, or None when it is no name (see above)."""
    kept: list[str] = []
    for w, flag in reversed(tagged_words(found)):
        if flag.startswith(_NOT_IN_NAME) and flag != "vn" and kept:
            break
        kept.insert(0, w)
    name = "".join(kept)
    if len(name) < 2 or name[-2:] in _NOT_BODIES:
        return None
    return name


def unknown_speaker_in(docs: Docs, question: str, subject_only: bool = False) -> str | None:
    """A speaker-like name in the question that matches no speech in the index, e.g. 省长; with `subject_only`,
    only one the question is about ("省长在讲话里…", "市政协就…提了"), not one it merely mentions."""
    for m in TITLED_NAME.finditer(question):
        name = _as_name(m.group(0))
        if name is None or (subject_only and m.start() > 2 and not _SUBJECT_VERB.match(question[m.end():])):
            continue
        if not speaker_docs(docs, name) and not any(name in normalize_name(d.title or "") for d in docs.values()):
            return name
    return None

"""HTML and Markdown for answers, sources, pledges and speeches. Every piece of speech text is escaped here."""

from __future__ import annotations

import html
import re
from collections import OrderedDict

from qa import (
    UNDATED,
    VERDICT_LABELS,
    Answer,
    Citation,
    Comparison,
    Digest,
    FollowUp,
    Pledge,
    QAError,
    QuoteCheck,
    QuoteMatch,
    Trend,
    citation_note,
    describe_diff,
    display_date,
    paragraph_label,
    quoted,
)

__all__ = ["answer_html", "answer_markdown", "answer_text",
           "pledges_html", "pledges_markdown", "speech_html", "card_head", "esc", "md",
           "plain_text",
           "quote_html", "compare_html", "digest_html", "trend_html",
           "backend_label"]


def backend_label(name: str) -> str:
    """How staff see an answer backend: 摘录原文（不用模型）, or 模型：<name>."""
    return "摘录原文（不用模型）" if name == "extractive" else f"模型：{name}"


def plain_text(content: str) -> str:
    """HTML as text: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", content))


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def drawn(write, found, path) -> tuple[str | None, str]:
    """(the chart's file, "") or, where it cannot be drawn (a machine without a Chinese font, nothing to draw),
    (None, the reason as a warning): the figures beside it stand without it."""
    try:
        return str(write(found, path)), ""
    except QAError as e:
        return None, f'<div class="qa-warn">{esc(str(e))}</div>'


def md(text: str | None) -> str:
    """Text for a Markdown export, one line: what could become an HTML tag or a link in a Markdown viewer (a speech
    or a question holding `<img onerror=…>` or `[x](javascript:…)`) is escaped; everything else stays as it reads,
    since staff paste the export into briefings."""
    text = re.sub(r"\s*\n\s*", " ", text or "")
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return text.replace("](", "]\\(")


def card_head(c: Citation | QuoteMatch) -> str:
    """《标题》 · 讲话人 · 场合 · 第n段 of a citation, or of a quote check's match (which names no occasion)."""
    parts = [f"《{c.title}》" if c.title else "（无标题）", c.speaker or "讲话人未知", display_date(getattr(c, "date", None)),
             getattr(c, "occasion", None),
             paragraph_label(c), "扫描件文字识别" if getattr(c, "ocr", False) else None]
    return " · ".join(p for p in parts if p)


def _highlighted(c: Citation) -> str:
    out, pos = [], c.start
    for s, e in sorted(c.highlights):
        if s < pos:
            continue
        out.append(esc(c.text[pos - c.start : s - c.start]))
        out.append(f"<mark>{esc(c.text[s - c.start : e - c.start])}</mark>")
        pos = e
    out.append(esc(c.text[pos - c.start :]))
    return "".join(out)


def answer_html(ans: Answer, turn: str) -> str:
    """The answer with each [n] linking to its source card, visible warnings, then the numbered cards. The three
    outcomes look apart: an answer (green), related passages not vouched for (amber, badged 相关原文), none (grey,
    badged 未找到)."""
    text = re.sub(r"\[(\d+)\]", lambda m: f'<a class="qa-cite" href="#src-{turn}-{m.group(1)}">[{m.group(1)}]</a>',
                  esc(ans.answer))
    if ans.outcome == "none":
        body = f'<div class="qa-answer qa-notfound"><span class="qa-badge">未找到</span> {text}</div>'
    elif ans.outcome == "related":
        body = f'<div class="qa-answer qa-related"><span class="qa-badge">相关原文，未直接回答</span> {text}</div>'
    else:
        body = f'<div class="qa-answer qa-found">{text}</div>'
    warns = "".join(f'<div class="qa-warn">⚠ {esc(w)}</div>' for w in ans.warnings)
    cards = "".join(
        f'<div class="qa-card" id="src-{turn}-{c.n}"><div class="qa-card-head"><b>[{c.n}]</b> {esc(card_head(c))}</div>'
        f'<div class="qa-quote">{_highlighted(c)}</div>'
        f'<div class="qa-card-doc">{esc(c.doc)} · 字符 {c.start}–{c.end}</div></div>'
        for c in ans.citations
    )
    sources = f'<div class="qa-sources"><div class="qa-sources-title">出处</div>{cards}</div>' if cards else ""
    backend = f'<div class="qa-backend">回答方式：{esc(backend_label(ans.backend))}</div>'
    return body + warns + sources + backend


def answer_markdown(ans: Answer) -> str:
    """For pasting into a briefing: the answer, then each source as an office cites a speech."""
    lines = [f"**问：** {md(ans.question)}", "", f"**答：** {md(ans.answer)}"]
    if ans.citations:
        lines += ["", "**出处：**", ""]
    for c in ans.citations:
        lines.append(f"[{c.n}] {md(citation_note(c))}：“{md(quoted(c))}”")
    if ans.warnings:
        lines += ["", *[f"> 注意：{md(w)}" for w in ans.warnings]]
    return "\n".join(lines) + "\n"


def answer_text(ans: Answer) -> str:
    """The same as plain text, for the copy box: what staff paste into a Word briefing carries no Markdown marks."""
    lines = [f"问：{plain_line(ans.question)}", f"答：{plain_line(ans.answer)}"]
    if ans.citations:
        lines.append("出处：")
    for c in ans.citations:
        lines.append(f"[{c.n}] {plain_line(citation_note(c))}：“{plain_line(quoted(c))}”")
    lines += [f"注意：{plain_line(w)}" for w in ans.warnings]
    return "\n".join(lines) + "\n"


def plain_line(text: str | None) -> str:
    return re.sub(r"\s*\n\s*", " ", text or "").strip()


def _grouped(pledges: list[Pledge]) -> OrderedDict[str, list[Pledge]]:
    groups: OrderedDict[str, list[Pledge]] = OrderedDict()
    for p in pledges:
        groups.setdefault(p.topic or "其他", []).append(p)
    return groups


PLEDGES_SHOWN = 100  # cards rendered at once; the rest are a narrower filter or the download away


def _follow_html(followed: list[FollowUp]) -> str:
    """Under a pledge card: each target's 落实情况 badge, its reason, and the later passage it rests on."""
    out = []
    for f in followed:
        target = f"<b>{esc(f.target.text)}</b>：" if len(followed) > 1 else ""
        out.append(f'<div class="qa-follow qa-follow-{f.status}"><span class="qa-badge">{esc(f.label)}</span> '
                   f"{target}{esc(f.reason)}")
        for a in f.accounts[:1]:
            when = f" · {display_date(a.date)}" if a.date else ""
            out.append(f'<div class="qa-card-doc">{"后文" if a.kind == "account" else "再次部署"}：《{esc(a.title or a.doc)}》'
                       f"{when} · {esc(a.doc)} 字符 {a.start}–{a.end}</div>")
        out.append("</div>")
    return "".join(out)


def pledges_html(pledges: list[Pledge], limit: int = PLEDGES_SHOWN,
                 followed: dict[tuple[str, int], list[FollowUp]] | None = None, note: str = "",
                 latest: set[str] | frozenset[str] = frozenset()) -> str:
    """`followed`: (doc, start) of a pledge → what `qa follow` found of its targets, shown under its card; `latest`:
    documents with nothing after them yet to account for their pledges."""
    if not pledges:
        return ('<div class="qa-answer qa-notfound"><span class="qa-badge">未找到</span> 没有符合条件的承诺。</div>'
                + (f'<div class="qa-count">{esc(note)}</div>' if note else ""))
    more = (f"，下面显示前 {limit} 条：请选讲话人、年份或输入查找词缩小范围，或下载清单看全部"
            if len(pledges) > limit else "")
    out = [f'<div class="qa-count">共 {len(pledges)} 条承诺{more}（★ 具体承诺：写明了数字、时限、具名的项目/文件/行动或责任单位）</div>']
    if note:
        out.append(f'<div class="qa-count">{esc(note)}</div>')
    for topic, items in _grouped(pledges[:limit]).items():
        out.append(f'<div class="qa-topic">{esc(topic)}</div>')
        for p in items:
            star = "★ " if p.concrete else ""
            follow = _follow_html((followed or {}).get((p.doc, p.start), []))
            if p.doc in latest:
                follow = '<div class="qa-follow"><span class="qa-badge">暂无后文</span> 此后还没有同一讲话人或单位的文件可对照</div>'

            out.append(
                f'<div class="qa-card"><div class="qa-quote">{star}{esc(p.text)}</div>'
                f'<div class="qa-card-doc">{esc(p.speaker or "讲话人未知")} · 《{esc(p.title)}》'
                f'{" · " + display_date(p.date) if p.date else ""} · 第{p.paragraph}段 · '
                f'{esc(p.doc)} 字符 {p.start}–{p.end}</div>{follow}</div>'
            )
    return "".join(out)


def pledges_markdown(pledges: list[Pledge], who: str) -> str:
    lines = [f"# {md(who or '全部讲话人')}的承诺", ""]
    for topic, items in _grouped(pledges).items():
        lines += [f"## {md(topic)}", ""]
        for p in items:
            when = f"，{display_date(p.date)}" if p.date else ""
            lines.append(f"- “{md(p.text)}”（{md(p.speaker or '讲话人未知')}，《{md(p.title)}》{when}，第{p.paragraph}段）")
        lines.append("")
    return "\n".join(lines)


def speech_html(title: str | None, paragraphs: list[tuple[int, str]]) -> str:
    rows = "".join(
        f'<div class="qa-para"><span class="qa-pno">{"标题" if n == 0 else f"第{n}段"}</span><span>{esc(t)}</span></div>'
        for n, t in paragraphs
    )
    return f'<div class="qa-speech"><div class="qa-speech-title">{esc(title or "")}</div>{rows}</div>'


def quote_html(check: QuoteCheck) -> str:
    """The 原话核对 verdict: a badge, then per part where it was said, the original and the changes."""
    colour = {"exact": "qa-found", "close": "qa-close", "not found": "qa-notfound"}
    out = [f'<div class="qa-answer {colour[check.verdict]}"><span class="qa-badge">{VERDICT_LABELS[check.verdict]}'
           "</span></div>"]
    for i, p in enumerate(check.parts, 1):
        label = f"第{i}部分 · {VERDICT_LABELS[p.verdict]}" if len(check.parts) > 1 else "引文"
        body = [f'<div class="qa-card-head"><b>{esc(label)}</b>：“{esc(p.text)}”</div>']
        if p.match is not None:
            m = p.match
            body.append(f'<div class="qa-card-head">出处：{esc(card_head(m))}</div>')
            body.append(f'<div class="qa-quote">原文：<mark>{esc(m.text)}</mark></div>')
            if p.verdict == "close":
                body.append(f'<div class="qa-warn">改动：{esc(describe_diff(m.diff))}（相似度 {m.similarity:.0%}）</div>')
                if m.ocr:
                    body.append(f'<div class="qa-warn">{esc(m.ocr_note)}</div>')
            body.append(f'<div class="qa-card-doc">{esc(m.doc)} · 字符 {m.start}–{m.end}</div>')
            body += [f'<div class="qa-card-doc">也见于：{esc(card_head(c))}（{esc(c.doc)}）</div>' for c in p.candidates]
        elif p.candidates:
            body.append('<div class="qa-card-head">资料中没有这句话。最接近的几处：</div>')
            body += [f'<div class="qa-quote">· {esc(card_head(c))}（相似度 {c.similarity:.0%}）：{esc(c.text)}</div>'
                     for c in p.candidates]
        else:
            body.append('<div class="qa-card-head">资料中没有相近的话。</div>')
        out.append(f'<div class="qa-card">{"".join(body)}</div>')
    return "".join(out)


def compare_html(cmp: Comparison) -> str:
    """One column per speaker: their sentences on the topic, verbatim, each with its source; or that they are silent."""
    cols = []
    for v in cmp.speakers:
        if v.silent:
            body = f'<div class="qa-notfound">资料中没有谈及“{esc(cmp.topic)}”的内容。</div>'
        else:
            cites = {c.n: c for c in v.citations}
            body = "".join(
                f'<div class="qa-card"><div class="qa-quote">{esc(x["text"])}</div>'
                f'<div class="qa-card-doc">{esc(card_head(cites[x["citation"]]))} · 字符 {x["start"]}–{x["end"]}</div></div>'
                for x in v.sentences())
        cols.append(f'<div class="qa-compare-col"><div class="qa-topic">{esc(v.speaker)}</div>{body}</div>')
    return f'<div class="qa-compare">{"".join(cols)}</div>'


def digest_html(d: Digest, limit: int = 200) -> str:
    """The 摘编 as it will print: the 说明, then per year or speaker the excerpts with their sources."""
    out = [f'<div class="qa-count">{esc(d.explanation())}</div>']
    if not d.excerpts:
        out.append(f'<div class="qa-answer qa-notfound"><span class="qa-badge">未找到</span> 资料中没有谈及“{esc(d.topic)}”的内容。</div>')
    shown = 0
    for heading, items in d.groups:
        if shown >= limit:
            shown += len(items)
            continue
        out.append(f'<div class="qa-topic">{esc(heading)}</div>')
        for e in items[: limit - shown]:
            meaning = '<span class="qa-badge">按意思收录</span> ' if e.how == "meaning" else ""
            also = f" · 又见{esc('；'.join(e.also_notes))}" if e.also else ""
            out.append(f'<div class="qa-card"><div class="qa-quote">{meaning}{esc(e.text)}</div>'
                       f'<div class="qa-card-doc">{esc(e.note())}{also} · {esc(e.doc)} 字符 {e.start}–{e.end}</div></div>')
        shown += len(items)
    if shown > limit:
        out.append(f'<div class="qa-count">页面只显示前 {limit} 段，全部 {shown} 段请下载 Word 或 Markdown。</div>')
    return "".join(out)


def trend_html(t: Trend) -> str:
    """Per term: the counts by year (or speaker), the first use cited, the neighbouring formulations."""
    keys, empty = t.columns(), {y for y, n in t.span() if not n}
    label = (lambda k: f"{k}年" if k != UNDATED else k) if t.by == "year" else (lambda k: k)
    head = "".join(f"<th>{esc(label(k))}</th>" for k in keys)
    rows = []
    for tt in t.terms:
        counts = {b.key: b for b in tt.buckets}
        cells = "".join("<td>无文件</td>" if k in empty else f"<td>{counts[k].passages} 段 / {counts[k].documents} 篇</td>"
                        if k in counts else "<td>0</td>" if t.by == "year" else "<td>—</td>" for k in keys)
        rows.append(f"<tr><th>{esc(tt.term)}</th>{cells}</tr>")
    out = [f'<div class="qa-count">{esc(t.note)}共读 {t.documents} 篇文件'
           + (f"，其中 {t.undated} 篇没有日期，单列为“{UNDATED}”，不画入按年份的图" if t.undated and t.by == "year" else "")
           + f'。{esc(t.gap_note())}</div>', f'<div class="qa-trend-table"><table><tr><th>提法</th>{head}</tr>{"".join(rows)}</table></div>']
    for tt in t.terms:
        if tt.first:
            f = tt.first
            out.append(f'<div class="qa-card"><div class="qa-quote"><b>“{esc(tt.term)}”最早见于</b>：{esc(f["text"])}</div>'
                       f'<div class="qa-card-doc">《{esc(f["title"] or f["doc"])}》 · {esc(f["speaker"] or "讲话人未知")} · '
                       f'{display_date(f["date"])} · 第{f["paragraph"]}段 · {esc(f["doc"])} 字符 {f["start"]}–{f["end"]}</div></div>')
        elif not tt.buckets:
            out.append(f'<div class="qa-answer qa-notfound">资料中没有“{esc(tt.term)}”这个提法。</div>')
        if tt.variants:
            items = "；".join(f"{esc(v.phrase)}（{v.documents} 篇{'，始于' + v.first[:4] + '年' if v.first else ''}）"
                             for v in tt.variants)
            out.append(f'<div class="qa-count">与“{esc(tt.term)}”相关的提法：{items}</div>')
    return "".join(out)

"""The `qa` command line. Every failure the user can cause reaches them as one line, never a traceback."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from qa.compare import format_comparison
from qa.core.dates import display_date
from qa.core.errors import ConfigError, InputError, QAError
from qa.core.files import atomic_write, corpus_problem
from qa.core.records import AnswerDelta, AnswerDone, AnswerReset
from qa.core.settings import load_settings
from qa.digest import digest_markdown, format_digest
from qa.exports import paragraph_label, write_digest_docx, write_trend_png, write_trend_xlsx
from qa.pledges.follow import STATUS_LABELS, FollowReport
from qa.pledges.gold import load_gold, score_gold
from qa.pledges.ledger import write_docx, write_xlsx
from qa.trend import format_trend

from .parser import build_parser


def _questions(arg: str) -> Iterator[str | InputError]:
    """The question, or with "-" one per line of standard input (UTF-8; for a line that is not, an InputError)."""
    if arg != "-":
        yield arg
        return
    lines = getattr(sys.stdin, "buffer", sys.stdin)  # bytes from a real stdin; text from a stand-in
    for n, raw in enumerate(lines, 1):
        try:
            line = (raw.decode("utf-8-sig" if n == 1 else "utf-8") if isinstance(raw, bytes) else raw).strip()
        except UnicodeDecodeError:
            yield InputError(f"标准输入第 {n} 行不是 UTF-8 编码的文字，已跳过（GBK 文件可先用 "
                             "`iconv -f GBK -t UTF-8` 转换）。")
            continue
        if line:
            yield line


def _each(args, answer: Callable[[str], None]) -> int:
    """Run `answer` on every question; from standard input a question that cannot be asked (too long, empty) is
    reported and the rest still answered. Returns the exit code."""
    failed = 0
    for q in _questions(args.question):
        try:
            if isinstance(q, InputError):
                raise q
            answer(q)
        except InputError as e:
            if args.question != "-":
                raise
            failed += 1
            print(f"错误：{e}", file=sys.stderr, flush=True)
    return 1 if failed else 0


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def _show(args, result, as_text: Callable) -> int:
    """A result (a record, or a dict) as JSON (`--json`) or as text for a person."""
    if args.json:
        _print_json(result.to_dict() if hasattr(result, "to_dict") else result)
    else:
        print(as_text(result))
    return 0


def _qa():
    """The shared QA on the environment's settings: the answer path is loaded by the commands that use it."""
    from qa.api import get_qa

    return get_qa(load_settings())


def cmd_ingest(args) -> int:
    from ingest import ingest

    settings = load_settings()
    if not args.paths and not settings.corpus.is_dir():  # a wrong QA_CORPUS: name the folder really read
        raise InputError(f"无法导入：{corpus_problem(settings.corpus)}。")
    report = ingest([Path(p) for p in args.paths] or None, settings, rebuild=args.rebuild, progress=not args.quiet)
    if not args.paths and not report.documents and (problem := corpus_problem(settings.corpus)):
        report.warnings.append(f"索引中没有讲话：{problem}。")
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.summary())
    return 0


def _source_line(n: int, c) -> str:
    where = "、".join(x for x in (f"《{c.title}》" if c.title else None, c.speaker, display_date(c.date),
                                  paragraph_label(c),
                                  "扫描件文字识别" if c.ocr else None) if x)
    return f"[{n}] {where}（{c.doc}，字符 {c.start}–{c.end}）\n    {c.text}"


def cmd_search(args) -> int:
    qa = _qa()

    def one(q: str) -> None:
        result = qa.search(q, k=args.k, speaker=args.speaker, doc=args.doc, mode=args.mode, since=args.since,
                           until=args.until)
        if args.json:
            _print_json(result.to_dict())
            return
        print(f"检索：{q}")
        if not result.results:
            print("  （没有结果）")
        for h in result.results:
            print(_source_line(h.rank, h))  # the score is for scripts: --json

    return _each(args, one)


def _print_answer_tail(ans) -> None:
    for w in ans.warnings:
        print(f"注意：{w}")
    if ans.citations:
        print("出处：")
        for c in ans.citations:
            print(_source_line(c.n, c))
    print(flush=True)


def _stream_answer(qa, q: str, args, history=None):
    """Print the answer as it arrives, then its sources; returns the final Answer."""
    print("答：", end="", flush=True)
    ans = None
    for event in qa.ask_stream(q, speaker=args.speaker, doc=args.doc, llm=args.llm, history=history,
                               since=args.since, until=args.until):
        if isinstance(event, AnswerDelta):
            print(event.text, end="", flush=True)
        elif isinstance(event, AnswerReset):
            print(f"\n〔{event.warning}〕\n答：", end="", flush=True)
        elif isinstance(event, AnswerDone):
            ans = event.answer
    print()
    return ans


def cmd_ask(args) -> int:
    qa = _qa()

    def one(q: str) -> None:
        if args.stream and not args.json:
            print(f"问：{q}")
            _print_answer_tail(_stream_answer(qa, q, args))
            return
        ans = qa.ask(q, speaker=args.speaker, doc=args.doc, llm=args.llm, mode=args.mode, since=args.since,
                     until=args.until)
        if args.json:
            _print_json(ans.to_dict())
            return
        print(f"问：{q}\n答：{ans.answer}")
        _print_answer_tail(ans)

    return _each(args, one)


def cmd_chat(args) -> int:
    qa = _qa()
    history: list[tuple[str, str]] = []
    print("讲话材料问答（可以追问；输入空行或“退出”结束）")
    while True:
        try:
            q = input("问：").strip()
        except EOFError:
            break
        if not q or q in ("退出", "exit", "quit"):
            break
        try:
            ans = _stream_answer(qa, q, args, history)
        except QAError as e:
            print(f"错误：{e}")
            continue
        _print_answer_tail(ans)
        history.append((q, ans.answer))
    return 0


def cmd_docs(args) -> int:
    docs = _qa().documents(since=args.since, until=args.until)
    if args.json:
        _print_json({"documents": [d.to_dict() for d in docs]})
        return 0
    for d in docs:
        title = f"{d.title}（标题为摘取开头，原文无标题）" if d.title_derived else (d.title or "（无标题）")
        print(f"{d.doc}\t{title}\t讲话人：{d.speaker or '未知'}\t日期：{display_date(d.date) or '未知'}\t"
              f"场合：{d.occasion or '未知'}\t类型：{d.type or '未知'}\t{d.chunks} 块")
    return 0


def cmd_pledges(args) -> int:
    found = _qa().pledges(speaker=args.speaker, topic=args.topic, query=args.query, doc=args.doc, since=args.since,
                          until=args.until)
    if args.json:
        keys = ("speaker", "doc", "title", "text", "start", "end", "paragraph", "topic", "concrete", "date", "lead",
                "deadline")
        _print_json({"pledges": [{k: p.to_dict()[k] for k in keys} for p in found]})
        return 0
    if not found:
        print("没有找到符合条件的承诺。")
    elif any(p.concrete for p in found):
        print("★ 具体承诺：写明了数字、时限、具名的项目/文件/行动或责任单位；· 其他承诺。")
    for p in found:
        mark = "★" if p.concrete else "·"
        when = f"（{display_date(p.date)}）" if p.date else ""
        print(f"{mark} {p.text}\n    —— {p.speaker or '讲话人未知'}，《{p.title}》{when}第{p.paragraph}段"
              f"（{p.doc}，字符 {p.start}–{p.end}）{'；主题：' + p.topic if p.topic else ''}")
    return 0


def cmd_follow(args) -> int:
    if args.gold:
        return _follow_gold(args)
    report = _qa().follow(speaker=args.speaker, doc=args.doc, since=args.since, until=args.until, status=args.status)
    if args.json:
        _print_json(report.to_dict())
        return 0
    print(format_follow(report))
    return 0


def _follow_gold(args) -> int:
    """Link precision/recall and status accuracy on a labelled set; rows one by one only outside the check half."""
    qa = _qa()
    pairs = {x.strip() for x in args.pairs.split(",") if x.strip()} if args.pairs else None
    gold = load_gold(Path(args.gold), args.half, pairs)
    if not gold:
        raise InputError("标注集中没有符合条件的目标。")
    qa._ready()
    if missing := sorted({g.plan_doc for g in gold} - set(qa.index.docs)):
        raise InputError(f"索引中没有标注集用到的文件：{'、'.join(missing)}")
    report = qa.follower.follow([p for p in qa.index.pledges if p.doc in {g.plan_doc for g in gold}])
    scored = score_gold(gold, report.followups)
    if args.half == "check":
        scored.pop("rows")
    if args.json:
        _print_json(scored)
        return 0
    print("，".join(f"{k} {v}" for k, v in scored.items() if k != "rows"))
    for r in scored.get("rows", []):
        mark = "✓" if r["link_right"] else ("✗" if r["link"] else "·")
        print(f"{r['id']}\t{r['gold']} → {r['given']}\t链接{mark}\t{(r['link_text'] or '')[:60]}")
    return 0


def cmd_digest(args) -> int:
    found = _qa().digest(args.topic, speakers=args.speaker, since=args.since, until=args.until, by=args.by,
                         passing=not args.lists_in_body)
    if args.json:
        _print_json(found.to_dict())
        return 0
    for path, write in ((args.docx, write_digest_docx), (args.md, None)):
        if path:
            done = write(found, Path(path)) if write else atomic_write(Path(path), digest_markdown(found))
            print(f"已写入 {done}（{len(found.excerpts)} 段）")
    if not (args.docx or args.md):
        print(format_digest(found))
    return 0


def cmd_trend(args) -> int:
    found = _qa().trend(args.terms, by=args.by)
    if args.json:
        _print_json(found.to_dict())
        return 0
    print(format_trend(found))
    for path, write in ((args.png, write_trend_png), (args.xlsx, write_trend_xlsx)):
        if path:
            print(f"已写入 {write(found, Path(path))}")
    return 0


def cmd_targets(args) -> int:
    from qa.pledges.table_files import format_table, write_table_png, write_table_xlsx

    found = _qa().targets(args.terms, speaker=args.speaker, since=args.since, until=args.until)
    if args.json:
        _print_json(found.to_dict())
        return 0
    print(format_table(found))
    for path, write in ((args.png, write_table_png), (args.xlsx, write_table_xlsx)):
        if path:
            print(f"已写入 {write(found, Path(path))}")
    return 0


def format_follow(report: FollowReport) -> str:
    """The text `qa follow` prints: counts, then per target its status, the pledge's source, the reason and the
    later passage with its source and offsets."""
    counts = report.counts()
    lines = ["落实情况：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items() if n) if report.followups
             else "没有找到符合条件的承诺目标。"]
    if report.latest:
        lines.append(f"另有 {len(report.latest)} 份文件之后还没有同一讲话人或单位的文件，其承诺暂无从核对："
                     + "、".join(report.latest[:5]) + ("等" if len(report.latest) > 5 else ""))
    if report.undated:
        lines.append(f"另有 {len(report.undated)} 份没有日期的文件未追踪（落实追踪需要知道哪份文件在后）："
                     + "、".join(report.undated[:5]) + ("等" if len(report.undated) > 5 else ""))
    for f in report.followups:
        p, t = f.pledge, f.target
        when = f"（{display_date(p.date)}）" if p.date else ""
        lines.append(f"\n[{f.label}] {t.text}")
        lines.append(f"    承诺：{p.speaker or '讲话人未知'}，《{p.title or p.doc}》{when}第{p.paragraph}段"
                     f"（{p.doc}，字符 {t.start}–{t.end}）")
        lines.append(f"    依据：{f.reason}")
        for a in f.accounts:
            when = f"（{display_date(a.date)}）" if a.date else ""
            lines.append(f"    {'后文' if a.kind == 'account' else '再次部署'}：《{a.title or a.doc}》{when}“{a.text}”"
                         f"（{a.doc}，字符 {a.start}–{a.end}）")
    return "\n".join(lines)


def cmd_ledger(args) -> int:
    rows = _qa().ledger(speaker=args.speaker, doc=args.doc, since=args.since, until=args.until)
    title = f"{args.speaker or '全部讲话人'}督办台账"
    if args.json:
        _print_json({"rows": [r.to_dict() for r in rows]})
        return 0
    if args.xlsx or args.docx:
        for path, write in ((args.xlsx, write_xlsx), (args.docx, write_docx)):
            if path:
                print(f"已写入 {write(rows, Path(path), title)}（{len(rows)} 项）")
        return 0
    if not rows:
        print("没有找到符合条件的承诺。")
    for r in rows:
        extra = "；".join(x for x in (f"牵头/责任单位：{r.lead}" if r.lead else "", f"时限：{r.deadline}" if r.deadline else "")
                         if x)
        print(f"{r.n}. {r.content}\n    —— {r.speaker}，{r.source}{'；专题：' + r.topic if r.topic else ''}"
              f"{'；' + extra if extra else ''}")
    return 0


def cmd_compare(args) -> int:
    speakers = [x for x in re.split(r"[,，、]", args.speakers or "") if x.strip()] or None
    return _show(args, _qa().compare(args.topic, speakers), format_comparison)


def cmd_quote(args) -> int:
    from qa.quotes import format_check

    text = sys.stdin.read() if args.text == "-" else args.text
    return _show(args, _qa().check_quote(text), format_check)


def cmd_measure(args) -> int:
    """`qa eval`, `qa fit` and `qa bench` (qa/app/measure.py): loaded only for these."""
    from .measure import MEASURES

    return _show(args, *MEASURES[args.command](args))


def cmd_serve(args) -> int:
    """`qa serve`, and `qa demo` (its own home, then served): the web app and ingest are loaded only for these."""
    if args.command == "demo":
        from .demo import cmd_demo
        return cmd_demo(args)
    from .serve import serve
    serve(host=args.host, port=args.port, settings=load_settings())
    return 0


COMMANDS = {"ingest": cmd_ingest, "search": cmd_search, "ask": cmd_ask, "chat": cmd_chat, "pledges": cmd_pledges,
            "follow": cmd_follow, "targets": cmd_targets, "digest": cmd_digest, "trend": cmd_trend, "ledger": cmd_ledger,
            "compare": cmd_compare, "quote": cmd_quote, "docs": cmd_docs, "eval": cmd_measure,
            "fit": cmd_measure, "bench": cmd_measure, "serve": cmd_serve, "demo": cmd_serve}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except QAError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: still one line for the user, the traceback only on request
        if _debug():
            raise
        print(f"内部错误：{type(e).__name__}: {e}（请报告此问题；设置 QA_DEBUG=1 可看到详细信息）", file=sys.stderr)
        return 2


def _debug() -> bool:
    try:
        return load_settings().debug
    except ConfigError:
        return False


if __name__ == "__main__":
    sys.exit(main())

"""The `qa` command line. Every failure the user can cause reaches them as one line, never a traceback."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .api import get_qa
from .compare import format_comparison
from .dates import display_date
from .errors import ConfigError, InputError, QAError
from .evaluate import evaluate, format_report, load_set
from .hybrid import check_k
from .ledger import write_docx, write_xlsx
from .quotes import format_check
from .records import AnswerDelta, AnswerDone, AnswerReset
from .settings import MAX_K, MODES, load_settings


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
    """A result as JSON (`--json`) or as text for a person."""
    if args.json:
        _print_json(result.to_dict())
    else:
        print(as_text(result))
    return 0


def _settings():
    return load_settings()


def _k(value: str) -> int:
    """argparse type of --k: the library's own check, reported the way argparse reports a bad value."""
    try:
        return check_k(int(value))
    except (ValueError, QAError):
        raise argparse.ArgumentTypeError(f"应为 1 到 {MAX_K} 之间的整数（收到 {value!r}）") from None


def cmd_ingest(args) -> int:
    from ingest import ingest

    report = ingest([Path(p) for p in args.paths] or None, _settings(), rebuild=args.rebuild, progress=not args.quiet)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.summary())
    return 0


def _source_line(n: int, c) -> str:
    where = "、".join(x for x in (f"《{c.title}》" if c.title else None, c.speaker, display_date(c.date),
                                  f"第{c.paragraph}段" if c.paragraph else "标题段") if x)
    return f"[{n}] {where}（{c.doc}，字符 {c.start}–{c.end}）\n    {c.text}"


def cmd_search(args) -> int:
    qa = get_qa(_settings())

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
            print(_source_line(h.rank, h) + f"\n    得分 {h.score:.4f}")

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
    qa = get_qa(_settings())

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
    qa = get_qa(_settings())
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
    docs = get_qa(_settings()).documents(since=args.since, until=args.until)
    if args.json:
        _print_json({"documents": [d.to_dict() for d in docs]})
        return 0
    for d in docs:
        title = f"{d.title}（标题为摘取开头，原文无标题）" if d.title_derived else (d.title or "（无标题）")
        print(f"{d.doc}\t{title}\t讲话人：{d.speaker or '未知'}\t日期：{display_date(d.date) or '未知'}\t"
              f"场合：{d.occasion or '未知'}\t类型：{d.type or '未知'}\t{d.chunks} 块")
    return 0


def cmd_pledges(args) -> int:
    found = get_qa(_settings()).pledges(speaker=args.speaker, topic=args.topic, query=args.query, doc=args.doc,
                                        since=args.since, until=args.until)
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


def cmd_ledger(args) -> int:
    rows = get_qa(_settings()).ledger(speaker=args.speaker, doc=args.doc, since=args.since, until=args.until)
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
    return _show(args, get_qa(_settings()).compare(args.topic, speakers), format_comparison)


def cmd_quote(args) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    return _show(args, get_qa(_settings()).check_quote(text), format_check)


def cmd_eval(args) -> int:
    settings = _settings()
    qa = get_qa(settings)
    items = load_set(Path(args.setfile))

    def read_doc(doc: str) -> str:
        from ingest import read_document

        return read_document(settings.corpus / doc, doc, settings)

    from tqdm import tqdm

    bar = tqdm(total=len(items), desc="评测", unit="题", file=sys.stderr, dynamic_ncols=True, disable=args.json)
    try:
        report = evaluate(qa, items, read_doc=read_doc, mode=args.mode, progress=lambda i, n: bar.update(1))
    finally:
        bar.close()
    if args.json:
        _print_json(report)
    else:
        print(format_report(report))
    return 0


def cmd_bench(args) -> int:
    from ingest import ingest, read_document, read_paragraphs

    from .bench import format_bench, run_bench

    settings = _settings()
    set_file = Path(args.set) if args.set else None
    if set_file is None:
        for candidate in (Path("../shared/eval/dev.jsonl"), Path("tests/data/dev.jsonl")):
            if candidate.exists():
                set_file = candidate
                break

    def progress(msg: str) -> None:
        print(f"… {msg}", file=sys.stderr, flush=True)

    result = run_bench(settings, set_file, args.scale, args.users, ingest, read_document,
                       lambda p: read_paragraphs(p, settings), progress, quality=not args.no_quality)
    if args.json:
        _print_json(result)
    else:
        print(format_bench(result))
    return 0


def cmd_serve(args) -> int:
    from ui.app import serve

    serve(host=args.host, port=args.port, settings=_settings())
    return 0


# argparse's own words (usage, headings, its error messages), said in Chinese: argparse looks each up through its
# module-level gettext function `_` at the moment it prints.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
}


def _chinese_argparse() -> None:
    english = getattr(argparse, "_qa_english", argparse._)
    argparse._qa_english = english
    argparse._ = lambda text: _ARGPARSE_ZH.get(text, english(text))


def _dates(s: argparse.ArgumentParser) -> None:
    s.add_argument("--since", default=None, metavar="日期", help="只看这天及以后的讲话，如 2023、2023-03、2023-03-05")
    s.add_argument("--until", default=None, metavar="日期", help="只看这天及以前的讲话（没有日期的讲话不在任何日期范围内）")


def build_parser() -> argparse.ArgumentParser:
    _chinese_argparse()
    p = argparse.ArgumentParser(prog="qa", description="讲话材料问答：带出处的回答与承诺查询。")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    s = sub.add_parser("ingest", help="把 corpus/ 中的讲话导入索引（只处理新增或改动的文件）")
    s.add_argument("paths", nargs="*", metavar="路径", help="文件或文件夹（默认 corpus/）")
    s.add_argument("--rebuild", action="store_true", help="清空索引后全部重建（更换向量模型后需要）")
    s.add_argument("--json", action="store_true", help="输出 JSON 摘要")
    s.add_argument("--quiet", action="store_true", help="不显示进度条")
    s.set_defaults(func=cmd_ingest)

    for name, helptext, func in (("search", "检索相关段落", cmd_search), ("ask", "提问，得到带出处的回答", cmd_ask)):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("question", metavar="问题", help="问题；写 - 则从标准输入每行读一个问题")
        if name == "search":
            s.add_argument("--k", type=_k, default=None, metavar="段数", help=f"返回几段（1–{MAX_K}，默认 5）")
        else:
            s.add_argument("--llm", default=None, metavar="后端", help="回答后端：extractive | openai:<模型> | ollama:<模型> | hf:<本地路径>")
            s.add_argument("--stream", action="store_true", help="边生成边显示回答")
        s.add_argument("--speaker", default=None, metavar="讲话人", help="只看这位讲话人的讲话")
        s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话（文件名或其开头）")
        _dates(s)
        s.add_argument("--mode", default=None, choices=MODES, help=argparse.SUPPRESS)
        s.add_argument("--json", action="store_true", help="输出 JSON（多个问题时每行一个）")
        s.set_defaults(func=func)

    s = sub.add_parser("chat", help="在终端里连续问答（支持追问）")
    s.add_argument("--llm", default=None, metavar="后端", help="回答后端（默认 extractive）")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="只看这位讲话人的讲话")
    s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话（文件名或其开头）")
    _dates(s)
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("pledges", help="查某位讲话人或某个单位的承诺（逐字引用，注明出处）")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="讲话人或单位，如 市委书记、工信局长、市工信局")
    s.add_argument("--topic", default=None, metavar="主题词", help="主题中的词，如 人才")
    s.add_argument("--query", default=None, metavar="查找内容", help="按意思和词语查找，如 稳就业")
    s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话")
    _dates(s)
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_pledges)

    s = sub.add_parser("ledger", help="督办台账：把承诺整理成任务清单，可导出 Excel 或 Word")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="讲话人或单位，如 市委书记")
    s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话")
    _dates(s)
    out = s.add_mutually_exclusive_group()
    out.add_argument("--xlsx", default=None, metavar="文件", help="写成 Excel 文件")
    out.add_argument("--docx", default=None, metavar="文件", help="写成 Word 文件")
    out.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_ledger)

    s = sub.add_parser("compare", help="对标比较：几位讲话人在同一主题上各说了什么（逐字引用）")
    s.add_argument("topic", metavar="主题", help="主题，如 营商环境、人才")
    s.add_argument("--speakers", default=None, metavar="讲话人", help="讲话人或单位（也可写讲话文件名，如 001），用逗号分隔，如 市委书记,工信局长（默认全部讲话人）")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_compare)

    s = sub.add_parser("quote", help="核对原话：一段引文是不是讲话原文、出自哪里、改了哪些字")
    s.add_argument("text", metavar="引文", help="要核对的引文（可含“……”省略；“-” 表示从标准输入读取）")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_quote)

    s = sub.add_parser("docs", help="列出已收录的讲话")
    _dates(s)
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("eval", help="在评测集上衡量检索与回答质量")
    s.add_argument("setfile", metavar="评测集", help="JSON Lines 评测集，如 ../shared/eval/dev.jsonl")
    s.add_argument("--mode", default=None, choices=MODES, metavar="方式", help=f"检索方式（用于对比：{' | '.join(MODES)}）")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("bench", help="基准测试：与常见流程对比质量，测速度、规模和并发")
    s.add_argument("--set", default=None, metavar="评测集", help="评测集（默认 ../shared/eval/dev.jsonl）")
    s.add_argument("--scale", type=int, nargs="*", default=[], metavar="块数", help="生成约这么多段落块的语料测规模，如 1000 10000 50000")
    s.add_argument("--users", type=int, default=20, metavar="人数", help="并发用户数（0 表示不测）")
    s.add_argument("--no-quality", action="store_true", help="不做各流程的质量对比（大语料上省去两次额外的向量化）")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_bench)

    s = sub.add_parser("serve", help="启动网页界面")
    s.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认只允许本机访问）")
    s.add_argument("--port", type=int, default=7860, metavar="端口", help="端口（默认 7860）")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
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

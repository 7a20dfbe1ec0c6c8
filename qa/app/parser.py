"""The `qa` command line's arguments and Chinese help; `qa.app.cli` runs the command they name."""

from __future__ import annotations

import argparse

from qa.core.errors import QAError
from qa.core.settings import MAX_K, MODES
from qa.pledges.follow import STATUS_LABELS

__all__ = ["build_parser"]


def _k(value: str) -> int:
    """argparse type of --k: the library's own check, reported the way argparse reports a bad value."""
    from qa.answer.hybrid import check_k  # the answer path, loaded only when --k is given

    try:
        return check_k(int(value))
    except (ValueError, QAError):
        raise argparse.ArgumentTypeError(f"应为 1 到 {MAX_K} 之间的整数（收到 {value!r}）") from None


def _status(value: str) -> str:
    """argparse type of `follow --status`: the Chinese label staff read (未见下文), or the key scripts use
    (no_account)."""
    text = value.strip()
    for key, label in STATUS_LABELS.items():
        if text in (key, label):
            return key
    raise argparse.ArgumentTypeError(f"应为{'、'.join(STATUS_LABELS.values())}之一（收到“{value}”）")


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

    for group in (_reading, _asking, _pledging, _compiling, _checking, _measuring):
        group(sub)
    return p


def _reading(sub) -> None:
    """ingest."""
    s = sub.add_parser("ingest", help="把语料文件夹（QA_CORPUS，默认 corpus/）中的讲话导入索引（只处理新增或改动的文件）")
    s.add_argument("paths", nargs="*", metavar="路径", help="文件或文件夹（默认整个语料文件夹：QA_CORPUS，未设置时为 corpus/）")
    s.add_argument("--rebuild", action="store_true", help="清空索引后全部重建（更换向量模型后需要）")
    s.add_argument("--json", action="store_true", help="输出 JSON 摘要")
    s.add_argument("--quiet", action="store_true", help="不显示进度条")


def _asking(sub) -> None:
    """search, ask, chat."""
    for name, helptext in (("search", "检索相关段落"), ("ask", "提问，得到带出处的回答")):
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

    s = sub.add_parser("chat", help="在终端里连续问答（支持追问）")
    s.add_argument("--llm", default=None, metavar="后端", help="回答后端（默认 extractive）")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="只看这位讲话人的讲话")
    s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话（文件名或其开头）")
    _dates(s)


def _pledging(sub) -> None:
    """pledges, follow, targets, ledger."""
    s = sub.add_parser("pledges", help="查某位讲话人或某个单位的承诺（逐字引用，注明出处）")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="讲话人或单位，如 市委书记、工信局长、市工信局")
    s.add_argument("--topic", default=None, metavar="主题词", help="主题中的词，如 人才")
    s.add_argument("--query", default=None, metavar="查找内容", help="按意思和词语查找，如 稳就业")
    s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话")
    _dates(s)
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("follow", help="落实追踪：每条承诺的目标，此后的报告或讲话说了什么（已落实/未落实/在推进/再次部署/未见下文）")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="讲话人或单位，如 国务院、市委书记")
    s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话或报告的承诺")
    _dates(s)
    s.add_argument("--status", default=None, type=_status, metavar="落实情况",
                   help=f"只看这种落实情况：{'、'.join(STATUS_LABELS.values())}，如 未见下文")
    s.add_argument("--gold", default=None, metavar="文件", help="用人工标注的目标集评分（如 tests/data/follow_gold.jsonl）")
    s.add_argument("--half", default=None, choices=["fit", "check"], help="评分时只用标注集的一半（按编号哈希）；check 只给总数")
    s.add_argument("--pairs", default=None, metavar="组", help="评分时只用这些报告对，逗号分隔，如 2004-2005")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("targets", help="主要目标完成情况：各项指标每年的预期目标与次年报告的实际数字（已实现/未实现），可出图和 Excel")
    s.add_argument("terms", nargs="+", metavar="指标", help="指标，如 经济增长 居民消费价格 城镇新增就业 城镇调查失业率 "
                   "城镇登记失业率；失业率 = 调查和登记两项；其他词（赤字率、能耗）按原文查找")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="只看这位讲话人或单位的报告，如 国务院")
    _dates(s)
    s.add_argument("--png", default=None, metavar="文件", help="把目标与实际对照图画到 PNG 文件")
    s.add_argument("--xlsx", default=None, metavar="文件", help="写成 Excel 文件（每项指标一张图）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("ledger", help="督办台账：把承诺整理成任务清单，可导出 Excel 或 Word")
    s.add_argument("--speaker", default=None, metavar="讲话人", help="讲话人或单位，如 市委书记")
    s.add_argument("--doc", default=None, metavar="讲话", help="只看这篇讲话")
    _dates(s)
    out = s.add_mutually_exclusive_group()
    out.add_argument("--xlsx", default=None, metavar="文件", help="写成 Excel 文件")
    out.add_argument("--docx", default=None, metavar="文件", help="写成 Word 文件")
    out.add_argument("--json", action="store_true", help="输出 JSON")


def _compiling(sub) -> None:
    """digest, trend."""
    s = sub.add_parser("digest", help="摘编：某个主题的全部论述，整句摘录，按年份或讲话人、按日期编排，注明出处，可出 Word")
    s.add_argument("topic", metavar="主题", help="主题，如 营商环境；几个说法用顿号隔开，如 人才、招商引资")
    s.add_argument("--speaker", action="append", default=None, metavar="讲话人", help="只收这位讲话人或单位（可写多次）")
    _dates(s)
    s.add_argument("--by", default=None, choices=["year", "speaker"], help="按年份（默认，有日期时）或按讲话人编排")
    s.add_argument("--lists-in-body", action="store_true", help="只在列举中提到主题的句子也编入正文（默认附在最后）")
    s.add_argument("--docx", default=None, metavar="文件", help="写成 Word 文件（仿宋/黑体，带页码）")
    s.add_argument("--md", default=None, metavar="文件", help="写成 Markdown 文件")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("trend", help="提法：一个或几个提法每年（或每位讲话人）用了多少、最早出自哪里、有哪些相关提法，可出图")
    s.add_argument("terms", nargs="+", metavar="提法", help="提法，如 高质量发展；几个提法一起比较：高质量发展 新质生产力")
    s.add_argument("--by", default="year", choices=["year", "speaker"], help="按年份（默认）或按讲话人统计")
    s.add_argument("--png", default=None, metavar="文件", help="把图画到 PNG 文件")
    s.add_argument("--xlsx", default=None, metavar="文件", help="把统计写成 Excel 文件（带折线图）")
    s.add_argument("--json", action="store_true", help="输出 JSON")


def _checking(sub) -> None:
    """compare, quote, docs."""
    s = sub.add_parser("compare", help="对标比较：几位讲话人在同一主题上各说了什么（逐字引用）")
    s.add_argument("topic", metavar="主题", help="主题，如 营商环境、人才")
    s.add_argument("--speakers", default=None, metavar="讲话人", help="讲话人或单位（也可写讲话文件名，如 001），用逗号分隔，如 市委书记,工信局长（默认全部讲话人）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("quote", help="核对原话：一段引文是不是讲话原文、出自哪里、改了哪些字")
    s.add_argument("text", metavar="引文", help="要核对的引文（可含“……”省略；“-” 表示从标准输入读取）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("docs", help="列出已收录的讲话")
    _dates(s)
    s.add_argument("--json", action="store_true", help="输出 JSON")


def _measuring(sub) -> None:
    """eval, bench, and serve and demo (the web app)."""
    s = sub.add_parser("eval", help="在评测集上衡量检索与回答质量")
    s.add_argument("setfile", metavar="评测集", help="JSON Lines 评测集，如 ../shared/eval/dev.jsonl")
    s.add_argument("--mode", default=None, choices=MODES, metavar="方式", help=f"检索方式（用于对比：{' | '.join(MODES)}）")
    s.add_argument("--half", default=None, choices=("fit", "check"), metavar="半集",
                   help="只评一半（按题目 id 的哈希固定划分）：fit 用于调参、逐题查看；check 只看总数")
    s.add_argument("--checks", action="store_true", help="列出回答判定的每项检查和规则（RULES）：判定或作用于几题，关闭它时的各项指标")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("fit", help="在评测集的 fit 半集上拟合回答判定的阈值，并给出 check 半集的总数")
    s.add_argument("setfile", metavar="评测集", help="JSON Lines 评测集（用当前索引）")
    s.add_argument("--with", dest="other", nargs=3, action="append", metavar=("评测集", "索引目录", "语料目录"),
                   help="另一个评测集及其索引（QA_HOME）与语料目录，可重复")
    s.add_argument("--wrong-cost", type=float, default=1.0, metavar="权重",
                   help="答错（回答了却没有引用证据）相对于答对的代价，默认 1")
    s.add_argument("--min-items", type=int, default=3, metavar="题数",
                   help="阈值只在 fit 半集上至少多答对这么多题时才改动（默认 3；一两题决定的改动是噪声）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    s = sub.add_parser("bench", help="基准测试：与常见流程对比质量，测速度、规模和并发")
    s.add_argument("--set", default=None, metavar="评测集", help="评测集（默认 ../shared/eval/dev.jsonl）")
    s.add_argument("--scale", type=int, nargs="*", default=[], metavar="块数", help="生成约这么多段落块的语料测规模，如 1000 10000 50000")
    s.add_argument("--users", type=int, default=20, metavar="人数", help="并发用户数（0 表示不测）")
    s.add_argument("--no-quality", action="store_true", help="不做各流程的质量对比（大语料上省去两次额外的向量化）")
    s.add_argument("--json", action="store_true", help="输出 JSON")

    for name in ("serve", "demo"):
        s = sub.add_parser(name, help="启动网页界面" if name == "serve" else
                           "演示：导入随附的带日期报告（demo/archive，2002—2005 与 2023 年政府工作报告）并启动网页界面，"
                           "一条命令试用落实追踪、摘编、提法")
        s.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听地址（默认只允许本机访问）")
        s.add_argument("--port", type=int, default=7860, metavar="端口", help="端口（默认 7860）")
    s.add_argument("--home", default=".qa-demo", metavar="目录",
                   help="演示用的索引目录（默认 .qa-demo；不用 QA_HOME，不影响您自己的索引和 corpus/）")
    s.add_argument("--no-serve", action="store_true", help="只导入并列出可以试的内容，不启动网页界面")
    s.add_argument("--quiet", action="store_true", help="不显示进度条")



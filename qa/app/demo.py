"""`qa demo` (`make demo`): the dated archive shipped in `demo/archive/` indexed into a home of its own and served,
so 落实追踪, 摘编 by year, 提法 and the target tables can be tried in one command.

The demo never touches the user's index or corpus: it reads `QA_*` settings from the environment like every other
command (the embedder, the answer backend …) but sets `home` to `--home` (default `.qa-demo`, not QA_HOME), the
corpus to `<home>/corpus` (a copy of the shipped files, so uploads and metadata edits in the demo web app never
write into the checkout) and the Chroma store to the embedded one in that home (never a shared server)."""

from __future__ import annotations

import filecmp
import shlex
import shutil
import sys
from pathlib import Path

from ingest import IngestReport, ingest
from qa.core.errors import InputError
from qa.core.settings import Settings, load_settings

__all__ = ["DEMO_ARCHIVE", "DEFAULT_HOME", "demo_settings", "prepare_demo", "what_to_try", "cmd_demo"]

DEMO_ARCHIVE = Path(__file__).resolve().parents[2] / "demo" / "archive"
DEFAULT_HOME = Path(".qa-demo")


def demo_settings(home: Path) -> Settings:
    """The environment's settings with the demo's own home, corpus and embedded store."""
    return load_settings(home=home, corpus=home / "corpus", chroma_url=None, chroma_token=None)


def _copy_archive(source: Path, corpus: Path) -> None:
    """The shipped files into the demo corpus (new or changed ones only; files added there are left alone)."""
    files = sorted(f for f in source.iterdir() if f.is_file() and not f.name.startswith("."))
    if not files:
        raise InputError(f"演示资料文件夹 {source} 中没有文件：请从代码仓库取回 demo/archive/。")
    corpus.mkdir(parents=True, exist_ok=True)
    for f in files:
        target = corpus / f.name
        if not (target.is_file() and filecmp.cmp(f, target, shallow=False)):
            shutil.copyfile(f, target)


def prepare_demo(home: Path = DEFAULT_HOME, progress: bool = True,
                 source: Path = DEMO_ARCHIVE) -> tuple[Settings, IngestReport]:
    """Copy the shipped archive into `<home>/corpus` and index it (only what is new or changed) into `home`."""
    if not source.is_dir():
        raise InputError(f"找不到演示资料文件夹 {source}：`qa demo` 需要代码仓库中的 demo/archive/（pip 安装的包不带它）。")
    settings = demo_settings(home)
    _copy_archive(source, settings.corpus)
    return settings, ingest(None, settings, progress=progress)


def what_to_try(settings: Settings, url: str | None = None) -> str:
    """What the demo holds and what to try on it, in the web app (when `url` is given) and on the command line."""
    qa = "qa" if shutil.which("qa") else shlex.quote(sys.argv[0])  # as the user can type it
    lines = [
        "演示资料：2002—2005 年（前后相接，可追踪落实）和 2023 年的国务院政府工作报告，共 5 篇，均带日期。",
        f"索引在 {settings.home.absolute()}，讲话文件在 {settings.corpus.absolute()}（不影响您自己的 corpus/ 和索引）。",
        "",
    ]
    if url:
        lines += [f"网页界面：{url}（按 Ctrl+C 停止）",
                  "  · “承诺”页：讲话人选 国务院，看每条承诺中每个目标的落实情况（已落实、在推进、再次部署、未见下文）和后文原话；",
                  "  · “督办台账”页：导出带“落实情况”“落实出处”的 Excel 或 Word；",
                  "  · “摘编”页：输入 科技创新，按年份编排，整句摘录、注明出处，可下载 Word；",
                  "  · “提法”页：输入 小康社会、科学发展观，看每年用了几次、最早出自哪篇；",
                  "  · 问答：2004年经济增长的预期目标是多少？", "",
                  "命令行（另开一个终端，先设好这两个变量，命令就读演示索引）："]
    else:
        lines.append("命令行（先设好这两个变量，命令就读演示索引；`qa demo` 不加 --no-serve 则启动网页界面）：")
    lines += [f"  export QA_HOME={shlex.quote(str(settings.home))} QA_CORPUS={shlex.quote(str(settings.corpus))}",
              f"  {qa} follow --doc gwr-national-2002.txt   # 落实追踪：2002 年报告的目标，2003、2004 年的报告怎么说",
              f"  {qa} follow --status met                  # 只看已落实的目标",
              f"  {qa} digest 科技创新 --by year            # 摘编：按年份编排，整句摘录",
              f"  {qa} trend 小康社会 科学发展观            # 提法：每年用了几次、最早出自哪篇",
              f"  {qa} ledger --xlsx 督办台账.xlsx          # 督办台账（含落实情况、落实出处）"]
    return "\n".join(lines)


def cmd_demo(args) -> int:
    """`qa demo [--home DIR] [--host H] [--port N] [--no-serve] [--quiet]`."""
    settings, report = prepare_demo(Path(args.home), progress=not args.quiet)
    print(report.summary())
    if report.errors or not report.documents:
        raise InputError(f"演示资料未能全部导入（{settings.corpus.absolute()}）：见上面的说明。")
    serving = not args.no_serve
    print("\n" + what_to_try(settings, f"http://{args.host}:{args.port}" if serving else None), flush=True)
    if serving:
        from .serve import serve

        serve(host=args.host, port=args.port, settings=settings)
    return 0

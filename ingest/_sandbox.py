"""Every program and parser that reads a file someone gave us runs bounded, outside the server, without the network.

- **No network.** LibreOffice, Tesseract, Poppler and the parser worker run in a network namespace of their own
  (`unshare --net`: only a loopback that is down), so no document can make them connect anywhere — a linked image
  in an .odt, an external picture in a .docx, HTML renamed .doc. Where namespaces cannot be made (no root and no
  user namespaces), LibreOffice gets a profile that sends every http/https/ftp request to a closed local port and
  blocks linked content (`network_isolation()` says which is in force; `qa serve` prints it).
- **Bounded.** Each runs under a CPU-time, an address-space and a file-size limit (`prlimit`, or Python's
  `resource` where it is missing), with a wall-clock timeout, in its own process group killed whole when it
  outlives it, its output in files (the server reads the result and the last 4 KB of errors, never all a crafted
  file makes a tool print), with a private temporary folder (its TMPDIR and HOME) removed afterwards, killed or
  not: LibreOffice's `lu*.tmp` folders go with it, and the `OSL_PIPE_*` socket it puts in /tmp whatever TMPDIR says
  is removed once nothing listens on it (`ingest._convert`).
- **Remembered.** A file refused for what it is (a limit, damage) raises `Refusal`; `ingest._reader` keeps the
  reason by the file's hash and the limits in force, so a second upload of it costs nothing.

The limits are `Limits` (from Settings: QA_PARSE_MEMORY_MB, QA_PARSE_CPU_S, QA_CONVERT_TIMEOUT, QA_FILE_SECONDS,
QA_MAX_PAGES, QA_MAX_SCAN_PAGES, QA_MAX_PIXELS, and QA_MAX_FILE_CHUNKS × QA_CHUNK_MAX characters of text)."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.core.errors import InputError

from ._parsers import MAX_PARAGRAPHS, MAX_UNPACKED

__all__ = ["Limits", "Refusal", "network_isolation", "run", "parse", "private_folder", "Deadline"]


class Refusal(InputError):
    """A file refused for what it is (over a limit, damaged): the same file is refused again without being read
    (`remember`), unless the refusal may be the machine's rather than the file's (a wall-clock limit on a busy
    machine)."""

    def __init__(self, message: str, remember: bool = True) -> None:
        super().__init__(message)
        self.remember = remember


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1024  # address space of one parser or converter process
    cpu_s: int = 60  # CPU seconds of one parser or converter process
    seconds: float = 120.0  # wall-clock seconds of one conversion, one page's rendering or OCR
    file_seconds: float = 600.0  # wall-clock seconds for all the reading of one file
    pages: int = 500  # pages of one PDF
    scan_pages: int = 100  # pages of one PDF read by OCR (blank pages not counted)
    pixels: int = 50_000_000  # pixels of one image or rendered page (A4 at 600 dpi is 35 million)
    chars: int = 600_000  # characters of text a parser hands back: more would make more passages than a file may

    @classmethod
    def of(cls, settings) -> Limits:
        return cls(settings.parse_memory_mb, settings.parse_cpu_s, settings.convert_timeout, settings.file_seconds,
                   settings.max_pages, settings.max_scan_pages, settings.max_pixels,
                   settings.max_file_chunks * settings.chunk_max)

    def key(self) -> str:
        """Names these limits in a remembered refusal: raising a limit reads the file again."""
        return "-".join(str(v) for v in (self.memory_mb, self.cpu_s, self.seconds, self.file_seconds, self.pages,
                                         self.scan_pages, self.pixels, self.chars))

    def message(self, code: str, detail: str, what: str) -> str:
        """The Chinese reason for a refusal code from the worker or from this module (`what`: the kind of file)."""
        lead = what.strip()
        texts = {
            "corrupt": f"无法打开{what}（文件已损坏、加密或不是这种格式）：{detail}",
            "image": f"无法打开图片（文件已损坏或不是图片）：{detail}",
            "unpacked": f"{lead}解压后超过 {MAX_UNPACKED // 1_000_000} MB，不像一篇讲话（可能是“压缩炸弹”），已拒绝",
            "paragraphs": f"{lead}含有 {detail} 个以上段落，超过上限 {MAX_PARAGRAPHS:,}，不像一篇讲话，已拒绝",
            "pages": f"{lead}共 {detail} 页，超过上限 {self.pages} 页（QA_MAX_PAGES）；请拆分后再导入",
            "scan_pages": f"{lead}有 {detail} 页需要文字识别，超过上限 {self.scan_pages} 页（QA_MAX_SCAN_PAGES）；"
                          "请拆分后再导入",
            "pixels": f"图片为 {detail} 像素，超过上限 {self.pixels / 1e6:g} 百万像素（QA_MAX_PIXELS）；"
                      "请以 300 dpi 左右重新扫描",
            "memory": f"读取{what}超过内存上限 {self.memory_mb} MB（QA_PARSE_MEMORY_MB），已停止",
            "cpu": f"读取{what}超过计算时间上限 {self.cpu_s} 秒（QA_PARSE_CPU_S），已停止",
            "killed": f"读取{what}的进程被终止（超过计算时间上限 {self.cpu_s} 秒或内存上限 {self.memory_mb} MB）",
            "crashed": f"读取{what}的程序异常退出（可能超过内存上限 {self.memory_mb} MB，或文件已损坏）",
            "output": f"读取{what}时写出的内容超过 {_OUTPUT_LIMIT // 2**20} MB，已停止",
            "chars": f"{lead}的文字超过 {detail} 字，太长（一篇讲话或一年的工作报告远少于此）；请拆分后再导入",
            "budget": f"读取整个文件超过 {self.file_seconds:g} 秒（QA_FILE_SECONDS），已停止（文件可能被做得很慢）",
        }
        return texts[code]


class Deadline:
    """The time left for one file's reading (`Limits.file_seconds`), shared by its steps."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.end = limits, time.monotonic() + limits.file_seconds

    def step(self) -> float:
        """Seconds the next step may take; a Refusal when the file's time is spent."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise Refusal(self.limits.message("budget", "", ""), remember=False)
        return min(self.limits.seconds, left)


@functools.cache
def _isolation() -> tuple[str, tuple[str, ...]]:
    """(the isolation in force, the command prefix that makes it), found once: later changes to PATH do not move
    the tools."""
    unshare = shutil.which("unshare")
    if unshare is not None:
        for flags, name in ((["--net"], "namespace"), (["--net", "--map-root-user"], "user-namespace")):
            prefix = (unshare, *flags, "--")
            try:
                if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                    return name, prefix
            except (OSError, subprocess.TimeoutExpired):
                pass
    return "settings", ()


@functools.cache
def _prlimit() -> str | None:
    return shutil.which("prlimit")


def network_isolation() -> str:
    """"namespace" (converters run in a network namespace of their own), "user-namespace" (the same, made as an
    unprivileged user), or "settings" (no namespace can be made here: LibreOffice's own settings refuse remote
    content; Tesseract and Poppler never open a connection)."""
    return _isolation()[0]


def isolation_note() -> str:
    """What keeps converters off the network, in a line for staff and operators."""
    return {"namespace": "文件转换和文字识别在独立的网络命名空间中运行（无法联网）",
            "user-namespace": "文件转换和文字识别在独立的网络命名空间中运行（无法联网，非 root 用户命名空间）",
            "settings": "本机无法创建网络命名空间：LibreOffice 以禁止远程链接和外部内容的设置运行"}[network_isolation()]


# Where `prlimit` is missing (util-linux is on every Debian, but not everywhere), Python sets the same limits.
_SETRLIMIT = ("import os, resource as r, sys; a, c, f = map(int, sys.argv[1:4]); r.setrlimit(r.RLIMIT_AS, (a, a)); "
              "r.setrlimit(r.RLIMIT_CPU, (c, c + 5)); r.setrlimit(r.RLIMIT_FSIZE, (f, f)); "
              "os.execvp(sys.argv[4], sys.argv[4:])")


def _bounded(cmd: list[str], memory_mb: int, cpu_s: int) -> list[str]:
    """`cmd` behind `unshare --net` (where namespaces can be made) and its limits: CPU seconds (then SIGXCPU),
    address space, the size of any file it writes (`prlimit`, or Python's `resource` where prlimit is missing)."""
    prefix = list(_isolation()[1])
    if (prlimit := _prlimit()) is not None:
        prefix += [prlimit, f"--as={memory_mb * 2**20}", f"--cpu={cpu_s}:{cpu_s + 5}", f"--fsize={_OUTPUT_LIMIT}", "--"]
    else:
        prefix += [sys.executable, "-I", "-S", "-c", _SETRLIMIT, str(memory_mb * 2**20), str(cpu_s), str(_OUTPUT_LIMIT)]
    return prefix + cmd


@contextlib.contextmanager
def private_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder of one conversion, removed with all it holds when the conversion ends, killed or not."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


_OUTPUT_LIMIT = 256 * 2**20  # bytes any file a bounded process writes may hold (RLIMIT_FSIZE): pages, a .docx
_STDERR_KEPT = 4096  # bytes of a tool's error output kept for its message (a crafted file can make it write GBs)
# How a bounded process that died of a signal is reported (the code for `Limits.message`).
_DIED = {signal.SIGXCPU: "cpu", signal.SIGKILL: "killed", signal.SIGSEGV: "crashed", signal.SIGABRT: "crashed",
         signal.SIGBUS: "crashed", signal.SIGXFSZ: "output"}


def run(cmd: list[str], timeout: float, what: str, folder: Path, limits: Limits, memory_mb: int | None = None,
        stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """`cmd` bounded (see the module docstring), with `folder` as its TMPDIR and HOME, in its own process group,
    killed whole (LibreOffice starts a child) when it outlives `timeout` (a Refusal not remembered: the machine may
    have been busy). Its output goes to files in `folder`, not into this process: stdout is read back (bounded by
    the file size limit), stderr's last 4 KB. A process stopped by a limit is a Refusal."""
    tmp = folder / "tmp"
    tmp.mkdir(exist_ok=True)
    (folder / "stdin").write_bytes(stdin or b"")
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(TMPDIR=str(tmp), TMP=str(tmp), TEMP=str(tmp), HOME=str(folder), OMP_THREAD_LIMIT="1")
    with open(folder / "stdin", "rb") as i, open(folder / "stdout", "wb") as o, open(folder / "stderr", "wb") as e:
        proc = subprocess.Popen(_bounded(cmd, memory_mb or limits.memory_mb, limits.cpu_s), stdin=i, stdout=o,
                                stderr=e, start_new_session=True, env=env, cwd=folder)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Refusal(f"{what}超过 {timeout:g} 秒仍未完成，已停止（文件可能损坏或被做得很慢）",
                          remember=False) from None
        finally:  # a timeout, Ctrl-C or any error: nothing of it outlives this call (it has its own session)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group, and a child left behind by a leader that exited
            proc.wait()
    if proc.returncode < 0 and (code := _DIED.get(-proc.returncode)) is not None:
        raise Refusal(limits.message(code, "", what))
    with open(folder / "stderr", "rb") as e:
        e.seek(max(0, (folder / "stderr").stat().st_size - _STDERR_KEPT))
        err = e.read()
    return subprocess.CompletedProcess(cmd, proc.returncode, (folder / "stdout").read_bytes(), err)


_WORKER = Path(__file__).with_name("_parsers.py")


def parse(op: str, request: dict, limits: Limits, timeout: float, what: str, folder: Path):
    """The result of `_parsers.py OP` run on `request` in a bounded worker process; a Refusal with the Chinese
    reason when the worker refuses the file, runs out of memory or of CPU time."""
    done = run([sys.executable, "-I", str(_WORKER), op], timeout, what, folder, limits,
               stdin=json.dumps(request).encode())
    try:
        reply = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        err = done.stderr.decode("utf-8", "replace")
        if "MemoryError" in err:
            raise Refusal(limits.message("memory", "", what)) from None
        tail = err.strip().splitlines()[-1:] or [f"退出码 {done.returncode}"]
        raise InputError(f"读取{what}时出错：{tail[0][:200]}") from None
    if "refused" in reply:
        raise Refusal(limits.message(reply["refused"], reply.get("detail", ""), what))
    return reply["ok"]

"""The folder a running `qa serve` owns: its exports (answers, ledgers, lists) and Gradio's cache (uploads and the
copies of downloads), in `QA_HOME/serve/run-<pid>-<n>/`.

It is removed when the server stops, and what a killed server left (its lock is no longer held: the OS drops a
`flock` with its process) is removed when the next one starts, so nothing piles up in the system's temp folder.
Two servers on one QA_HOME each own their own folder. Folders and files follow the umask (0755 and 0644 by default,
so that a colleague on a shared machine can open a ledger saved for them; `umask 027` keeps them to the group)."""

from __future__ import annotations

import atexit
import fcntl
import itertools
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from qa import UMASK, atomic_write

__all__ = ["RunFolder", "export_path", "export_file", "EXPORTS_KEPT", "run_folder", "use_run_folder"]

log = logging.getLogger("qa.ui")

EXPORTS_KEPT = 200  # downloads offered at once; older export files are deleted (Gradio keeps its own copy)
_names = itertools.count(1)


class RunFolder:
    """Claim with `RunFolder.claim(home)`; `close()` removes it (also at exit)."""

    def __init__(self, path: Path, lock) -> None:
        self.path, self._lock = path, lock
        self.exports = _mkdir(path / "exports")
        self.gradio = _mkdir(path / "gradio")
        self._closed = False
        atexit.register(self.close)

    @classmethod
    def claim(cls, home: Path) -> RunFolder:
        """Remove what stopped or killed servers left under `home/serve`, then make this process's folder."""
        base = _mkdir(Path(home) / "serve")
        with open(base / ".sweep.lock", "a") as sweep:  # one server sweeps or claims at a time
            fcntl.flock(sweep, fcntl.LOCK_EX)
            removed = _sweep(base)
            name = f"run-{os.getpid()}-{next(_names)}"
            lock = open(base / f"{name}.lock", "w")  # noqa: SIM115 - held for the life of the server
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            folder = cls(_mkdir(base / name), lock)
        if removed:
            log.info("已清理此前未正常退出的服务留下的临时文件夹 %d 个。", removed)
        return folder

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        shutil.rmtree(self.path, ignore_errors=True)
        Path(f"{self.path}.lock").unlink(missing_ok=True)
        self._lock.close()


def _mkdir(path: Path) -> Path:
    """A folder with the usual permissions (0777 less the umask: 0755 by default, 0750 under umask 027)."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o777 & ~UMASK)
    return path


def _sweep(base: Path) -> int:
    """Remove run folders whose lock no process holds, and folders without a lock (a claim cut short)."""
    removed = 0
    for lock_path in base.glob("run-*.lock"):
        with open(lock_path, "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a running server's
            shutil.rmtree(lock_path.with_suffix(""), ignore_errors=True)
            lock_path.unlink(missing_ok=True)
            removed += 1
    for folder in base.glob("run-*"):
        if folder.is_dir() and not Path(f"{folder}.lock").exists():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


_current: RunFolder | None = None
_fallback: Path | None = None
_lock = threading.Lock()


def use_run_folder(folder: RunFolder) -> None:
    """Exports of this process go to `folder` (set by `qa serve`)."""
    global _current
    _current = folder


def run_folder() -> RunFolder | None:
    return _current


def _exports() -> Path:
    """The export folder: the server's, or (the library used without a server) a temp folder removed at exit."""
    global _fallback
    if _current is not None:
        return _current.exports
    if _fallback is None:
        _fallback = _mkdir(Path(tempfile.mkdtemp(prefix="qa-export-")))
        atexit.register(shutil.rmtree, _fallback, True)
    return _fallback


def export_path(name: str) -> Path:
    """A fresh path for a download (only the newest `EXPORTS_KEPT` downloads are kept meanwhile)."""
    with _lock:
        folder = _exports()
        for old in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)[: -EXPORTS_KEPT + 1]:
            shutil.rmtree(old, ignore_errors=True)
        return _mkdir(Path(tempfile.mkdtemp(dir=folder))) / name


def export_file(name: str, text: str) -> str:
    """Write a text download (see `export_path`) and return its path."""
    return str(atomic_write(export_path(name), text))

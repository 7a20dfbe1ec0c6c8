"""Uploads: files a client sent are copied into `corpus/上传/` under safe names and indexed, one message per file.

Only files that arrived through this server's upload (they sit in Gradio's upload cache, which `qa serve` keeps in
its own run folder) are taken: an API call naming any other path on the server, absolute or relative, or a link out
of the cache, is refused and logged, so nobody can import a server file and read it back through search."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from ingest import ingest, why_not_read
from qa import QA, QAError, safe_name

from ._render import esc as _esc

__all__ = ["upload_files", "upload_root", "uploaded_path", "safe_name"]

log = logging.getLogger("qa.ui")


def upload_root() -> Path:
    """Where this server's uploads arrive (Gradio's upload cache; GRADIO_TEMP_DIR, set by `qa serve`)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def upload_files(qa: QA, files, progress=None) -> list[str]:
    """Copy uploads into corpus/上传/ under safe names and index them; one message per file. An import already
    running (another upload, a `qa ingest`) is waited for, not an error: every accepted file ends up indexed.
    A file that cannot be indexed is taken out of corpus/上传/ again, so the next ingest does not trip over it."""
    settings = qa.settings
    messages: list[str] = []
    saved: dict[str, Path] = {}
    created: set[Path] = set()
    target = settings.corpus / "上传"
    files = list(files or [])
    if len(files) > settings.max_upload_files:
        extra = files[settings.max_upload_files:]
        files = files[: settings.max_upload_files]
        messages.append(f"✗ 一次最多上传 {settings.max_upload_files} 个文件：以下 {len(extra)} 个没有导入，请再上传一次："
                        + "、".join(_esc(_given_name(f)) for f in extra))
    root = upload_root()
    for f in files:
        given = _given_name(f)
        src = uploaded_path(f, root)
        if src is None:
            messages.append(f"✗ {_esc(given)}：不是通过本服务上传的文件，拒绝导入")
            continue
        name = safe_name(given)
        if reason := why_not_read(name):
            messages.append(f"✗ {_esc(given)}：{reason}")
            continue
        size = src.stat().st_size
        if size > settings.max_file_mb * 1e6:
            messages.append(f"✗ {_esc(given)}：文件过大（{size / 1e6:.1f} MB，上限 {settings.max_file_mb:g} MB）")
            continue
        target.mkdir(parents=True, exist_ok=True)
        dest = target / name
        stem, ext, n = dest.stem, dest.suffix, 1
        while dest.exists() and dest.read_bytes() != src.read_bytes():
            dest, n = target / f"{stem}({n}){ext}", n + 1
        if not dest.resolve().is_relative_to(settings.corpus.resolve()):
            messages.append(f"✗ {_esc(given)}：文件名不安全")
            continue
        if not dest.exists():
            created.add(dest)
        shutil.copyfile(src, dest)
        saved[dest.relative_to(settings.corpus).as_posix()] = dest
    if not saved:
        return messages

    def waiting(_who: str) -> None:
        if progress is not None:
            progress(0, desc="另一个导入正在进行，本次上传已排队，轮到后自动导入…")

    if progress is not None:
        progress(0, desc="正在导入…")
    try:
        report = ingest(list(saved.values()), settings, progress=True, on_wait=waiting)
    except QAError as e:
        for path in created:
            path.unlink(missing_ok=True)
        return [*messages, f"✗ 导入失败，本次上传的文件没有保留，请稍后再试：{_esc(str(e))}"]
    failed = {e["path"]: e["error"] for e in report.errors}
    for doc, path in saved.items():
        if doc in failed:
            if path in created:
                path.unlink(missing_ok=True)  # keep the corpus free of files that cannot be read
            messages.append(f"✗ {_esc(path.name)}：{_esc(failed[doc])}")
        else:
            messages.append(f"✓ {_esc(path.name)}：已导入")
    return [*messages, f"索引中现有 {report.documents} 篇讲话。"]


def _given_name(f) -> str:
    """The name the user gave an upload (a path, a tempfile, or an API FileData dict)."""
    if isinstance(f, dict):
        return str(f.get("orig_name") or Path(str(f.get("path") or "")).name or "?")
    return Path(str(f if isinstance(f, str | Path) else getattr(f, "name", "?"))).name


def uploaded_path(f, root: Path) -> Path | None:
    """Where the upload lies, if it is a regular file inside this server's upload cache (symbolic links followed,
    hard links refused: an upload arrives as a new file with one name)."""
    raw = f.get("path") if isinstance(f, dict) else f if isinstance(f, str | Path) else getattr(f, "name", None)
    if not isinstance(raw, str | Path) or not str(raw):
        return None
    given = Path(raw)
    try:
        real = given.resolve(strict=True)
        single = real.stat().st_nlink == 1  # a hard link made in the cache could name any file of the server's
    except (OSError, RuntimeError, ValueError):  # no such file, a link loop, a NUL byte
        real, single = None, False
    if real is None or not single or not given.is_absolute() or not real.is_relative_to(root) or not real.is_file():
        log.warning("拒绝导入不在上传缓存中的文件：%r", str(raw)[:300])
        return None
    return real


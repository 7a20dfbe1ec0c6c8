"""Uploads: files a client sent are copied into `corpus/上传/` under safe names and indexed, one message per file.

Only files that arrived through this server's upload (they sit in Gradio's upload cache, which `qa serve` keeps in
its own run folder) are taken: an API call naming any other path on the server, absolute or relative, or a link out
of the cache, is refused and logged, so nobody can import a server file and read it back through search."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
import threading
from pathlib import Path

from ingest import Lanes, Seen, ingest, why_not_read
from qa import QA, QAError, safe_name

from ._render import esc as _esc

__all__ = ["upload_files", "upload_root", "uploaded_path", "safe_name", "lanes", "who", "import_lane"]

log = logging.getLogger("qa.ui")


def upload_root() -> Path:
    """Where this server's uploads arrive (Gradio's upload cache; GRADIO_TEMP_DIR, set by `qa serve`)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


_LANES: dict[int, Lanes] = {}
_LANES_GUARD = threading.Lock()


def lanes(qa: QA) -> Lanes:
    """The reading lanes of this server's uploads (one set per QA)."""
    with _LANES_GUARD:
        return _LANES.setdefault(id(qa), Lanes(qa.settings.import_readers))


def import_lane(settings) -> dict:
    """The web app's workers for uploads (the tab's and `/import`'s): twice the answer workers, as an upload
    mostly waits (for its reading slot or the index's lock) and one user holds at most one of them."""
    return {"concurrency_limit": 2 * settings.ui_concurrency, "concurrency_id": "import"}


def upload_files(qa: QA, files, progress=None, user: str = "") -> list[str]:
    """Copy uploads into corpus/上传/ under safe names, read them in `user`'s lane (see `ingest.Lanes`) and index
    them; one message per file. An import already running (another upload, a `qa ingest`) is waited for, not an
    error: every accepted file ends up indexed. A file that cannot be indexed is taken out of corpus/上传/ again, so
    the next ingest does not trip over it."""
    settings = qa.settings
    messages, saved, created = _save(qa, files)
    if not saved:
        return messages

    def waiting(what: str) -> None:
        if progress is not None:
            progress(0, desc=what)

    failed: dict[str, str] = {}
    report = None
    try:
        with lanes(qa).user(user or "?"):  # read before the index's lock: a colleague's import is not held up
            for doc, path in saved.items():
                if progress is not None:
                    progress(0, desc=f"正在读取 {path.name}…")
                if (reason := lanes(qa).preread(path, doc, settings, qa.index.embedder, waiting)) is not None:
                    failed[doc] = reason
        if progress is not None:
            progress(0, desc="正在导入…")
        if todo := [path for doc, path in saved.items() if doc not in failed]:
            report = ingest(todo, settings, progress=True,
                            on_wait=lambda _who: waiting("另一个导入正在进行，本次上传已排队，轮到后自动导入…"))
            failed |= {e["path"]: e["error"] for e in report.errors}
    except BaseException as e:  # nothing of a failed upload stays in the corpus
        for path in created:
            path.unlink(missing_ok=True)
        if not isinstance(e, QAError):
            raise
        return [*messages, f"✗ 本次上传的文件没有导入，也没有保留：{_esc(str(e))}"]
    for doc, path in saved.items():
        if doc in failed:
            if path in created:
                path.unlink(missing_ok=True)  # keep the corpus free of files that cannot be read
            messages.append(f"✗ {_esc(path.name)}：{_esc(failed[doc])}")
        else:
            messages.append(f"✓ {_esc(path.name)}：已导入")
    return [*messages, f"索引中现有 {report.documents if report else len(qa.index.docs)} 篇讲话。"]


def _save(qa: QA, files) -> tuple[list[str], dict[str, Path], set[Path]]:
    """(messages for the files refused, the files saved in corpus/上传/ by doc id, those that were not there
    before). Refused: more than QA_MAX_UPLOAD_FILES, not from this server's upload, a type ingest does not read or a
    lock file, too large, a byte-identical copy of an indexed speech."""
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
                        + "、".join(_esc(safe_name(_given_name(f))) for f in extra))
    root = upload_root()
    seen = _indexed(qa)
    for f in files:
        given = safe_name(_given_name(f))  # shown as saved: no control or bidirectional characters
        src = uploaded_path(f, root)
        if src is None:
            messages.append(f"✗ {_esc(given)}：不是通过本服务上传的文件，拒绝导入")
            continue
        if reason := why_not_read(_given_name(f)) or why_not_read(given):
            messages.append(f"✗ {_esc(given)}：{reason}")
            continue
        size = src.stat().st_size
        if size > settings.max_file_mb * 1e6:
            messages.append(f"✗ {_esc(given)}：文件过大（{size / 1e6:.1f} MB，上限 {settings.max_file_mb:g} MB）")
            continue
        data = src.read_bytes()
        if reason := seen.of_bytes(hashlib.sha256(data).hexdigest()):  # ingest's own decision, before any reading
            messages.append(f"✗ {_esc(given)}：{_esc(reason)}")
            continue
        target.mkdir(parents=True, exist_ok=True)
        dest = target / given
        stem, ext, n = dest.stem, dest.suffix, 1
        while dest.exists() and dest.read_bytes() != data:
            dest, n = target / f"{stem}({n}){ext}", n + 1
        if not dest.resolve().is_relative_to(settings.corpus.resolve()):
            messages.append(f"✗ {_esc(given)}：文件名不安全")
            continue
        if not dest.exists():
            created.add(dest)
        shutil.copyfile(src, dest)
        saved[dest.relative_to(settings.corpus).as_posix()] = dest
    return messages, saved, created


def who(request) -> str:
    """Whose upload this is, for its reading lane: the login name, else the browser session, else the address."""
    if request is None:
        return "?"
    return (getattr(request, "username", None) or getattr(request, "session_hash", None)
            or getattr(getattr(request, "client", None), "host", None) or "?")


def _indexed(qa: QA) -> Seen:
    """What the index holds, for ingest's decision on duplicates (nothing while there is no index yet)."""
    with contextlib.suppress(QAError):
        qa.documents()  # loads the index, or refreshes it after another process's ingest
    return Seen(qa.index, set(), qa.settings.duplicate_scan_similarity)


def _given_name(f) -> str:
    """The name the user gave an upload (a path, a tempfile, or an API FileData dict)."""
    if isinstance(f, dict):
        return str(f.get("orig_name") or Path(str(f.get("path") or "")).name or "?")
    return Path(str(f if isinstance(f, str | Path) else getattr(f, "name", "?"))).name


def uploaded_path(f, root: Path) -> Path | None:
    """Where the upload lies, if it is a regular file inside this server's upload cache (symbolic links followed,
    hard links refused: an upload arrives as a new file with one name). A relative path, as an older server on a
    relative QA_HOME returned, is taken from the server's working folder, and must land in the cache all the same."""
    raw = f.get("path") if isinstance(f, dict) else f if isinstance(f, str | Path) else getattr(f, "name", None)
    if not isinstance(raw, str | Path) or not str(raw):
        return None
    given = Path(raw)
    try:
        real = given.resolve(strict=True)
        single = real.stat().st_nlink == 1  # a hard link made in the cache could name any file of the server's
    except (OSError, RuntimeError, ValueError):  # no such file, a link loop, a NUL byte
        real, single = None, False
    if real is None or not single or not real.is_relative_to(root) or not real.is_file():
        log.warning("拒绝导入不在上传缓存中的文件：%r", str(raw)[:300])
        return None
    return real


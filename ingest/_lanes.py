"""Uploads are read before they take the index's lock, in lanes, so one user's long file never holds a colleague up.

Converting, OCR and embedding are the slow parts of an import; writing to the index is quick. `Lanes.preread`
reads, chunks and embeds an uploaded file first, outside `ingest_lock` (what it makes is kept: conversions, OCR and
what each file reads as by the file's hash in QA_HOME/converted, vectors in the embedding cache); the ingest that
follows, under the lock, finds it all ready and takes seconds. A file that may be slow — converted, scanned, a PDF,
a .docx, or text over `_SMALL` bytes — takes one of `Settings.import_readers` reading slots; a small text file needs
none. Each user has one upload being read at a time (their files are read one after another; a second upload
meanwhile is refused, not queued, so it holds none of the web app's workers). Who is a user: the login name, or,
without a login, the browser session (scripts without a login are each their own)."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from qa.core.errors import InputError
from qa.core.settings import Settings
from qa.index.embedcache import CachedEmbeddings

from ._pipeline import prepare
from ._reader import SLOW_TO_READ

__all__ = ["Lanes"]

_SMALL = 100_000  # bytes: a text file this small is read, chunked and embedded in a second or two


class Lanes:
    """Reading slots shared by a server's uploads (see the module docstring)."""

    def __init__(self, readers: int) -> None:
        self.readers = readers
        self._slots = threading.BoundedSemaphore(readers)
        self._users: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def user(self, who: str) -> Iterator[None]:
        """One upload of `who` at a time: a second one while the first is read is refused (`InputError`), so that
        it holds no worker of the web app while it waits."""
        with self._guard:
            lock = self._users.setdefault(who, threading.Lock())
        if not lock.acquire(blocking=False):
            raise InputError("您上一次上传的文件还在读取，请等它完成后再上传")
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def slot(self, path: Path, on_wait: Callable[[str], None]) -> Iterator[None]:
        """A reading slot for a file that may be slow (none for a small text file)."""
        if path.suffix.lower() not in (*SLOW_TO_READ, ".docx") and path.is_file() and path.stat().st_size <= _SMALL:
            yield
            return
        if not self._slots.acquire(blocking=False):
            on_wait(f"同时最多读取 {self.readers} 个较大的文件（转换、文字识别），本文件排队中…")
            self._slots.acquire()
        try:
            yield
        finally:
            self._slots.release()

    def preread(self, path: Path, doc: str, settings: Settings, embedder, on_wait: Callable[[str], None]) -> str | None:
        """Read, chunk and embed one corpus file ahead of its ingest, in a slot; the reason it cannot be indexed
        (the same words the ingest would give), or None."""
        with self.slot(path, on_wait):
            try:
                data_hash = hashlib.sha256(path.read_bytes()).hexdigest()
                _document, chunks, _pledges, _notes = prepare(path, doc, data_hash, settings)
            except InputError as e:
                return str(e)
            except OSError as e:
                return f"无法读取文件：{e.strerror}"
            cache = CachedEmbeddings(embedder, settings.home / "embedding-cache.sqlite", settings.embedding)
            try:
                batch = max(1, settings.embedding_batch)
                texts = [c.context() for c in chunks]
                for i in range(0, len(texts), batch):
                    cache.embed_documents(texts[i : i + batch])
            finally:
                cache.close()
        return None

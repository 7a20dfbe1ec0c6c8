"""Files the project writes for people and for itself: atomic writes with ordinary permissions, safe file names,
and spreadsheet cells that a spreadsheet shows as typed instead of running them."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from qa.core.errors import InputError

__all__ = ["UMASK", "atomic_write", "safe_name", "FORMULA_START", "to_cell", "from_cell", "corpus_problem"]

_NAME_BYTES = 200  # a file name's stem at most, in UTF-8 bytes: room for "(n)" and an extension within 255


def atomic_write(path: Path, data: str | bytes | Callable[[str], None], make_folder: bool = False) -> Path:
    """Write `data` (text, bytes, or a function that writes the file named) via a temporary file beside `path`,
    then rename it: a failed write leaves no half-written file. The file keeps the mode of the one it replaces;
    a new one gets the usual 0666 less the umask (0644), not the 0600 of a temporary file. A missing folder is
    an error (a mistyped export path) unless `make_folder`."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if make_folder:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise InputError(f"无法写入 {path}：文件夹 {folder} 不存在。")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=folder)
    except OSError as e:
        raise InputError(f"无法写入 {path}：{e.strerror}。") from None
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except OSError as e:
        raise InputError(f"无法写入 {path}：{e.strerror}。") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _read_umask() -> int:
    umask = os.umask(0)  # the only way to read it, and it briefly changes it: done once, at import
    os.umask(umask)
    return umask


UMASK = _read_umask()


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~UMASK


def safe_name(name: str, default: str = "upload") -> str:
    """A file name that cannot leave its folder, upset a shell or lie about itself: no separators, no control or
    shell characters, no invisible format characters (a right-to-left override shows `evil\u202etxt.doc` as
    `evilcod.txt`; zero-width spaces make two names look alike), and short enough (in bytes) for any file system."""
    name = unicodedata.normalize("NFC", Path(str(name).replace("\\", "/")).name)
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|$`;&!#'(){}\[\]~^%]", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext.encode()) > 10:
        stem, ext = name, ""
    stem = stem[:80].encode()[:_NAME_BYTES].decode("utf-8", "ignore").strip(" .") or default
    return f"{stem}.{ext.lower()}" if ext else stem


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (=HYPERLINK(…), @SUM(…)).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_cell(value: str) -> str:
    """A CSV cell for people: one a spreadsheet would run is written behind a `'`, which Excel and WPS show as
    text; a value that already starts with `'` before such a character gets one more, so `from_cell` is exact."""
    if value.startswith(FORMULA_START) or (value.startswith("'") and value[1:].startswith((*FORMULA_START, "'"))):
        return "'" + value
    return value


def text_cell(cell) -> None:
    """An openpyxl cell holding text stays text: openpyxl would store “=…” as a formula, and Excel shows a value
    starting with a formula character as typed only behind a quote prefix."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = cell.value.startswith(FORMULA_START)


def from_cell(cell: str) -> str:
    """What `to_cell` was given (a `'` typed by hand before a formula character is read the same way)."""
    if cell.startswith("'") and cell[1:].startswith((*FORMULA_START, "'")):
        return cell[1:]
    return cell


def corpus_problem(corpus: Path) -> str | None:
    """What is wrong with the corpus folder the settings name (QA_CORPUS, else corpus/), said with its real path:
    it does not exist, is not a folder, or holds no file; None when it holds files."""
    where = f"语料文件夹 {corpus.absolute()}"
    if not corpus.is_dir():
        return f"{where} {'不是文件夹' if corpus.exists() else '不存在'}，可用 QA_CORPUS 指定讲话所在的文件夹"
    files = (f for f in corpus.rglob("*") if f.is_file() and not any(x.startswith(".") for x in f.relative_to(corpus).parts))
    return None if next(files, None) else f"{where} 是空的，请把讲话文件放进去（或用 QA_CORPUS 指定讲话所在的文件夹）"

"""`metadata.csv` in the corpus folder: what staff know about a document better than its header does.

One row per file: `file` (its path inside the corpus folder, or just its name when that is unique), then any of
`speaker`, `date`, `occasion`, `type`, `title` (Chinese headers 文件/讲话人/日期/场合/类型/标题 work too). A filled
cell overrides what was read from the document; an empty cell keeps it; `未知` makes the field unknown. Excel's
UTF-8 (with BOM) and GBK files are read alike. A cell a spreadsheet would run as a formula (`=…`, `@…`) is written
behind a `'` and read back without it (`qa.core.files.to_cell`). Problems are reported by line and never stop an ingest: unknown
columns, a file that is not in the corpus, a second row for the same file (the later one wins), a date that cannot
be read or lies in the future (that cell is ignored).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from qa.core.dates import DateError, parse_date
from qa.core.errors import InputError
from qa.core.files import atomic_write, from_cell, to_cell

from ._reader import SUPPORTED, decode_bytes

__all__ = ["FILE_NAME", "FIELDS", "MAX_CELL", "MetadataFile", "read_metadata_file", "write_metadata_row", "UNKNOWN"]

FILE_NAME = "metadata.csv"
FIELDS = ("speaker", "date", "occasion", "type", "title")
UNKNOWN = "未知"
_HEADERS = {"file": "file", "文件": "file", "文件名": "file", "speaker": "speaker", "讲话人": "speaker",
            "date": "date", "日期": "date", "occasion": "occasion", "场合": "occasion", "type": "type", "类型": "type",
            "title": "title", "标题": "title"}
MAX_CELL = 200


@dataclass
class MetadataFile:
    rows: dict[str, dict[str, str | None]] = field(default_factory=dict)  # doc id → {field: value, None = unknown}
    problems: list[str] = field(default_factory=list)


def _corpus_files(corpus: Path) -> dict[str, list[str]]:
    """File name → doc ids, for rows that give only a name."""
    by_name: dict[str, list[str]] = {}
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if Path(name).suffix.lower() in SUPPORTED:
                doc = (Path(dirpath) / name).relative_to(corpus).as_posix()
                by_name.setdefault(name, []).append(doc)
    return by_name


def read_metadata_file(corpus: Path) -> MetadataFile:
    path = corpus / FILE_NAME
    out = MetadataFile()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return out
    except OSError as e:
        out.problems.append(f"{FILE_NAME}：无法读取（{e.strerror}），本次按文件内容识别元数据")
        return out
    try:
        text = decode_bytes(data)[0]
    except InputError as e:
        out.problems.append(f"{FILE_NAME}：{e}，本次按文件内容识别元数据")
        return out
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        return out
    columns = [_HEADERS.get(h.strip().lower()) for h in header]
    unknown = [h.strip() for h, c in zip(header, columns, strict=True) if c is None and h.strip()]
    if unknown:
        out.problems.append(f"{FILE_NAME} 第1行：不认识的列 {'、'.join(unknown)}，已忽略"
                            f"（可用的列：file、speaker、date、occasion、type、title）")
    if "file" not in columns:
        out.problems.append(f"{FILE_NAME} 第1行：缺少 file（文件）列，整个文件未采用")
        return out
    by_name: dict[str, list[str]] | None = None
    first_line: dict[str, int] = {}
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {c: from_cell(cells[i].strip()) for i, c in enumerate(columns) if c and i < len(cells)}
        name = values.pop("file", "").replace("\\", "/").strip("/")
        where = f"{FILE_NAME} 第{line_no}行"
        if not name:
            out.problems.append(f"{where}：没有写文件名，已跳过")
            continue
        doc = name
        if not (corpus / name).is_file():
            by_name = by_name if by_name is not None else _corpus_files(corpus)
            matches = by_name.get(Path(name).name, []) if "/" not in name else []
            if len(matches) != 1:
                out.problems.append(f"{where}：语料文件夹中{'有多个' if matches else '没有'}文件“{name}”，已跳过")
                continue
            doc = matches[0]
        row: dict[str, str | None] = {}
        for key in FIELDS:
            value = values.get(key, "")
            if not value:
                continue
            if value == UNKNOWN:
                row[key] = None
            elif len(value) > MAX_CELL:
                out.problems.append(f"{where}：{key} 超过 {MAX_CELL} 字，已忽略")
            elif key == "date":
                try:
                    row[key] = parse_date(value)
                except DateError as e:
                    out.problems.append(f"{where}：{e}，该日期已忽略")
            else:
                row[key] = value
        if doc in first_line:
            out.problems.append(f"{where}：与第{first_line[doc]}行是同一文件 {doc}，采用第{line_no}行")
        first_line[doc] = line_no
        out.rows[doc] = row
    return out


def write_metadata_row(corpus: Path, doc: str, values: dict[str, str | None]) -> None:
    """Set one file's row (the UI's edit form): other rows, and columns this version does not know, are kept."""
    path = corpus / FILE_NAME
    header: list[str] = ["file", *FIELDS]
    rows: list[dict[str, str]] = []
    if path.exists():
        text = decode_bytes(path.read_bytes())[0].lstrip("\ufeff")
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames:
            header = list(reader.fieldnames)
            rows = [{k: from_cell(v or "") for k, v in r.items() if k is not None} for r in reader]
    canon = {h: _HEADERS.get(h.strip().lower()) for h in header}
    for key in ("file", *FIELDS):
        if key not in canon.values():
            header.append(key)
            canon[key] = key
    column = {c: h for h, c in canon.items() if c}
    row = {column["file"]: doc}
    for key in FIELDS:
        value = values.get(key)
        row[column[key]] = UNKNOWN if value is None and key in values else (value or "")
    rows = [r for r in rows if (r.get(column["file"]) or "").replace("\\", "/").strip("/") not in (doc, Path(doc).name)]
    rows.append(row)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: to_cell(v) for k, v in r.items()} for r in rows)  # Excel shows "=…" as typed, never runs it
    atomic_write(path, "\ufeff" + buf.getvalue())  # with a BOM: Excel opens it as UTF-8

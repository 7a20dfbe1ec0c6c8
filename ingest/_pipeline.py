"""`qa ingest`: walk the corpus, read and chunk new or changed files, embed only chunks the store lacks."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.core.errors import InputError, QAError
from qa.core.outline import paragraph_numbers
from qa.core.records import Chunk, Document, Pledge
from qa.core.settings import Settings, load_settings
from qa.core.text import chunk_sentences, tokenize
from qa.index.embedcache import CachedEmbeddings
from qa.index.store import Index
from qa.pledges.reading import extract_pledges, speaker_aliases

from ._chunker import chunk_document
from ._clean import clean
from ._duplicates import Seen, text_signature
from ._metadata import SpeechMeta, extract_metadata, from_folders
from ._metafile import FILE_NAME as METADATA_FILE
from ._metafile import read_metadata_file
from ._reader import SLOW_TO_READ, read_text, why_not_read
from ._sandbox import Limits

__all__ = ["IngestReport", "ingest", "prepare", "read_document", "read_paragraphs", "ingest_lock"]

_SAVE_EVERY_S = 10.0
_LOCK_POLL_S = 0.5  # how often a queued ingest looks whether the running one has finished
# Bump when reading, cleaning, chunking or pledge rules change: every file is then read again on the next ingest
# (chunks whose text and offsets did not change keep their ids and are not embedded again).
PIPELINE_VERSION = "15"  # 15: 公文 header, title, 落款 and 文号; 14: scans read by bounded workers, blank pages not OCR'd; 13: plan figures and target lists are pledges; 12: scans, converted formats, footnotes, names and headers read (every file is re-read)


@dataclass
class IngestReport:
    documents: int = 0  # speeches in the index after the run
    chunks: int = 0  # chunks in the index after the run
    added: int = 0  # files new to the index or changed since the last run
    unchanged: int = 0  # files skipped because they did not change
    removed: int = 0  # files gone from the corpus whose chunks were removed
    embedded: int = 0  # chunks embedded in this run (0 on an unchanged corpus)
    from_cache: int = 0  # of those, how many vectors came from the embedding cache instead of the model
    sentences: int = 0  # sentences given a vector in this run (for matching questions to sentences by meaning)
    changed: int = 0  # of `added`, how many replaced an older version
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "documents": self.documents, "chunks": self.chunks, "added": self.added, "unchanged": self.unchanged,
            "removed": self.removed, "errors": self.errors, "embedded": self.embedded, "from_cache": self.from_cache,
            "changed": self.changed, "sentences": self.sentences,
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        lines = [
            f"索引中共 {self.documents} 篇讲话、{self.chunks} 个段落块。"
            f"本次新增或更新 {self.added} 篇，未变 {self.unchanged} 篇，移除 {self.removed} 篇，"
            + (f"向量化 {self.embedded} 个段落块" + (f"（其中 {self.from_cache} 个取自缓存）" if self.from_cache else "") + "。"
               if self.embedded else "没有需要向量化的内容。")
            + (f"为 {self.sentences} 个句子生成了句向量（用于按意思匹配问题和句子）。" if self.sentences else "")
        ]
        lines += [f"警告：{w}" for w in self.warnings]
        by_reason: dict[str, list[str]] = {}
        for e in self.errors:  # one line per reason: a missing converter is said once, not once per file
            by_reason.setdefault(e["error"], []).append(e["path"])
        for reason, paths in by_reason.items():
            shown = "、".join(paths[:5]) + (f" 等 {len(paths)} 个文件" if len(paths) > 5 else "")
            lines.append(f"跳过 {shown}：{reason}" if len(paths) == 1 else f"跳过 {len(paths)} 个文件（{shown}）：{reason}")
        return "\n".join(lines)


def _read(path: Path, settings: Settings) -> tuple[str, str]:
    """(text, how it was read): conversions and OCR kept in QA_HOME/converted by the file's hash."""
    return read_text(path, int(settings.max_file_mb * 1e6), cache=settings.home / "converted",
                     limits=Limits.of(settings))


def read_document(path: Path, doc: str, settings: Settings | None = None) -> str:
    """The decoded text of a corpus file: the string every `start`/`end` offset of `doc` points into."""
    return _read(path, settings or load_settings())[0]


def read_paragraphs(path: Path, settings: Settings | None = None) -> tuple[str | None, list[tuple[int, str]]]:
    """(title, [(paragraph number, text)]) of a speech as it is cited: junk left out, numbering as in citations."""
    text = _read(path, settings or load_settings())[0]
    paragraphs, _ = clean(text)
    meta = extract_metadata(paragraphs)
    numbers = paragraph_numbers(paragraphs, meta.title_span)
    return meta.title, [(n, p.text) for n, p in zip(numbers, paragraphs, strict=True)]


def prepare(path: Path, doc: str, data_hash: str, settings: Settings,
            edits: dict[str, str | None] | None = None) -> tuple[Document, list[Chunk], list[Pledge], list[str]]:
    """Read, clean, chunk and extract one file. `edits` is its row of metadata.csv. Returns the document, its
    chunks and pledges, and notes on header lines that looked like metadata but were not used."""
    text, how = _read(path, settings)
    paragraphs, _dropped = clean(text)
    if not paragraphs:
        raise InputError("清理后没有剩下讲话正文")
    meta = extract_metadata(paragraphs)
    from_folders(doc, meta)
    _apply_edits(meta, edits or {})
    chunks = chunk_document(
        doc, text, paragraphs, meta, target=settings.chunk_target, maximum=settings.chunk_max, overlap=settings.chunk_overlap,
    )
    if len(chunks) > settings.max_file_chunks:
        raise InputError(f"文件过长：切分后有 {len(chunks)} 个段落块，超过上限 {settings.max_file_chunks}"
                         "（一篇讲话或一年的工作报告通常不到 300 个）。请拆分文件，或调高 QA_MAX_FILE_CHUNKS 后重新导入")
    ocr = how in ("ocr", "pdf+ocr")
    if ocr:  # a passage read by OCR says so in search results and citations
        chunks = [replace(c, ocr=True) for c in chunks]
    pledges = extract_pledges(doc, text, paragraphs, meta)
    document = Document(doc, meta.title, meta.title_derived, meta.speaker, meta.occasion, data_hash, len(text),
                        len(chunks), speaker_aliases(meta, pledges), date=meta.date, type=meta.type,
                        edits=dict(edits or {}), ocr=ocr, text_hash=text_signature(text),
                        number=meta.number)
    return document, chunks, pledges, meta.notes


def _apply_edits(meta: SpeechMeta, edits: dict[str, str | None]) -> None:
    """What staff wrote in metadata.csv wins over what was read (None: they say it is unknown)."""
    for key, value in edits.items():
        setattr(meta, key, value)
        if key == "title":
            meta.title_derived = False
        if key == "speaker":
            meta.names = []  # the header's other names were for the speaker it named


@contextmanager
def ingest_lock(settings: Settings, on_wait: Callable[[str], None] | None = None):
    """One ingest at a time per QA_HOME. The OS drops the lock when its process dies, so it never goes stale.
    Without `on_wait` a running ingest is an error; with it, this waits its turn, calling `on_wait(who)` now and
    then (the web app queues uploads behind a CLI ingest this way)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / "ingest.lock"
    with open(path, "a+") as f:
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                f.seek(0)
                who = f.read().strip() or "另一个进程"
                if on_wait is None:
                    raise QAError(f"另一个导入正在进行（{who}）。请等它结束后再运行 `qa ingest`。") from None
                on_wait(who)
                time.sleep(_LOCK_POLL_S)
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}")
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _walk(paths: Iterable[Path], corpus: Path, report: IngestReport) -> tuple[dict[str, Path], list[str]]:
    """Files to consider, by doc id, and the doc-id prefixes whose missing files count as removed."""
    root = Path(os.path.abspath(corpus))
    real_root = root.resolve()

    def doc_id(path: Path) -> str | None:
        for base, candidate in ((root, Path(os.path.abspath(path))), (real_root, Path(os.path.abspath(path)).resolve())):
            if candidate.is_relative_to(base):
                return candidate.relative_to(base).as_posix()
        return None

    found: dict[str, Path] = {}
    scopes: list[str] = []
    for given in map(Path, paths):
        rel = doc_id(given)
        if rel is None:
            report.errors.append({"path": str(given), "error": f"不在语料文件夹 {root} 之内：请先把文件复制到该文件夹"})
            continue
        if given.is_dir():
            scopes.append("" if rel == "." else f"{rel}/")
            files = []
            for x in sorted(given.rglob("*")):
                if not (x.is_file() or x.is_symlink()) or any(p.startswith(".") for p in x.relative_to(given).parts):
                    continue  # folders, and hidden files (.DS_Store, .git): no one keeps a speech there
                if doc_id(x) == METADATA_FILE:
                    continue  # the corpus's own metadata, read apart
                if reason := why_not_read(x.name):  # nothing is left out in silence
                    report.errors.append({"path": doc_id(x) or str(x), "error": reason})
                    continue
                files.append(x)
        elif given.exists() or given.is_symlink():
            files = [given]
        else:
            report.errors.append({"path": str(given), "error": "文件不存在"})
            continue
        for f in files:
            doc = doc_id(f) if f != given else rel
            if not f.resolve().is_relative_to(real_root):
                report.errors.append({"path": doc, "error": "是指向语料文件夹之外的链接，出于安全不读取"})
                continue
            found[doc] = f
    return found, scopes


def ingest(paths: Iterable[Path] | None = None, settings: Settings | None = None, rebuild: bool = False,
           progress: bool = True, index: Index | None = None,
           on_wait: Callable[[str], None] | None = None) -> IngestReport:
    """Index `paths` (default: the whole corpus). Another ingest running on the same QA_HOME is an error, or,
    with `on_wait`, waited for (see `ingest_lock`)."""
    settings = settings or load_settings()
    paths = list(paths) if paths else [settings.corpus]
    report = IngestReport()
    with ingest_lock(settings, on_wait):
        if index is None:
            index = Index(settings)
            index.vectors.reopen()  # what this process read of the store earlier may predate another's ingest
        if rebuild:
            index.reset()
        index.load(required=False)
        index.follow_server(now=True)  # another machine may have changed a shared store: never undo its work
        report.warnings += index.warnings
        _reconcile(index, report)
        found, scopes = _walk(paths, settings.corpus, report)
        metadata = read_metadata_file(settings.corpus)
        report.warnings += metadata.problems
        todo = _changed(found, index, metadata.rows, report)
        gone = [d for d in index.docs if d not in found and any(d.startswith(s) for s in scopes)]
        seen = Seen(index, {doc for doc, _, _ in todo} | set(gone), settings.duplicate_scan_similarity)
        prepared = _prepare_all(todo, seen, settings, metadata.rows, report, progress)
        for doc in gone:
            index.remove_document(doc)
            report.removed += 1
        _store(prepared, index, settings, report, progress, whole_corpus="" in scopes)
        if settings.sentence_vectors and settings.sentence_vectors_at_ingest:
            report.sentences = _embed_sentences(index, max(1, settings.embedding_batch), progress)
        report.documents = len(index.docs)
        report.chunks = len(index.chunks)
        return report


def _changed(found: dict[str, Path], index: Index, edits: dict[str, dict], report: IngestReport
             ) -> list[tuple[str, Path, str]]:
    """1. What changed: (doc, path, content hash) of the files to read."""
    todo: list[tuple[str, Path, str]] = []
    for doc, path in found.items():
        try:
            data_hash = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            report.errors.append({"path": doc, "error": "文件在读取前已被移走或改名"})
            continue
        except OSError as e:
            report.errors.append({"path": doc, "error": f"无法读取文件：{e.strerror}"})
            continue
        known = index.docs.get(doc)
        if (known is not None and known.hash == data_hash and index.table.pipeline == PIPELINE_VERSION
                and known.edits == edits.get(doc, {})):
            report.unchanged += 1
            continue
        todo.append((doc, path, data_hash))
    return todo


def _prepare_all(todo: list[tuple[str, Path, str]], seen: Seen, settings: Settings,
                 edits: dict[str, dict], report: IngestReport,
                 progress: bool = False) -> list[tuple[Document, list[Chunk], list[Pledge]]]:
    """2. Read and chunk (fast, but for conversions and OCR: a bar shows those), refusing duplicates of what is
    indexed already or was read before in this run (`ingest._duplicates`)."""
    prepared: list[tuple[Document, list[Chunk], list[Pledge]]] = []
    slow = sum(1 for _, path, _ in todo if path.suffix.lower() in SLOW_TO_READ)
    bar = _bar(slow, progress, "转换与文字识别", "个文件")
    for doc, path, data_hash in todo:
        if bar is not None and path.suffix.lower() in SLOW_TO_READ:
            bar.set_postfix_str(doc[-30:], refresh=False)
            bar.update(1)
        if reason := seen.of_bytes(data_hash):
            report.errors.append({"path": doc, "error": reason})
            continue
        try:
            document, chunks, pledges, notes = prepare(path, doc, data_hash, settings, edits.get(doc))
        except InputError as e:
            report.errors.append({"path": doc, "error": str(e)})
            continue
        if reason := seen.of_text(document, chunks):
            report.errors.append({"path": doc, "error": reason})
            continue
        report.warnings += [f"{doc}：{note}" for note in notes]
        seen.add(document, chunks)
        prepared.append((document, chunks, pledges))
    if bar is not None:
        bar.close()
    return prepared


def _store(prepared: list[tuple[Document, list[Chunk], list[Pledge]]], index: Index, settings: Settings,
           report: IngestReport, progress: bool, whole_corpus: bool) -> None:
    """3. Embed what the store lacks in full batches across documents, then store each document whole: an
    interruption loses at most the documents of one batch."""
    have = {c.id for c in index.chunks}
    need = sum(1 for _, chunks, _ in prepared for c in chunks if c.id not in have)
    writer = _Writer(index, settings, report, _bar(need, progress))
    if need:  # open the store and load the tokenizer while the first batch is being embedded
        threading.Thread(target=_warm_up, args=(index,), daemon=True).start()
    try:
        for document, chunks, pledges in prepared:
            writer.add(document, chunks, pledges, [c for c in chunks if c.id not in have])
        writer.flush()
    finally:
        writer.close()
        if whole_corpus:  # the whole corpus was read under the current rules
            index.table.pipeline = PIPELINE_VERSION
        index.save()


class _Writer:
    """Collects documents until a batch of new chunks is due, embeds them (through the embedding cache) and stores
    each document; saves the table now and then (less often when saving is slow)."""

    def __init__(self, index: Index, settings: Settings, report: IngestReport, bar) -> None:
        self.index, self.report, self.bar = index, report, bar
        self.embedder = CachedEmbeddings(index.embedder, settings.home / "embedding-cache.sqlite", settings.embedding)
        self.batch = max(1, settings.embedding_batch)
        self.last_save, self.save_every = time.monotonic(), _SAVE_EVERY_S
        self.waiting: list[tuple[Document, list[Chunk], list[Pledge], list[Chunk]]] = []

    def add(self, document: Document, chunks: list[Chunk], pledges: list[Pledge], new: list[Chunk]) -> None:
        self.waiting.append((document, chunks, pledges, new))
        if sum(len(w[3]) for w in self.waiting) >= self.batch:
            self.flush()

    def flush(self) -> None:
        index, report = self.index, self.report
        fresh = [c for *_, f in self.waiting for c in f]
        vectors: dict[str, list[float]] = {}
        for i in range(0, len(fresh), self.batch):
            part = fresh[i : i + self.batch]
            for c, v in zip(part, self.embedder.embed_documents([c.context() for c in part]), strict=True):
                vectors[c.id] = v
            if self.bar is not None:
                self.bar.update(len(part))
        for document, chunks, pledges, new in self.waiting:
            replaces = document.doc in index.docs
            try:
                index.put_document(document, chunks, vectors, pledges, PIPELINE_VERSION)
            except QAError as e:  # this file is reported and left out; the others are still stored
                report.errors.append({"path": document.doc, "error": f"未能写入索引：{e}"})
                continue
            report.changed += replaces
            report.added += 1
            report.embedded += len(new)
        self.waiting.clear()
        if time.monotonic() - self.last_save > self.save_every:
            began = time.monotonic()
            index.save()
            self.last_save = time.monotonic()
            self.save_every = max(_SAVE_EVERY_S, 10 * (self.last_save - began))  # saving a big table is not free

    def close(self) -> None:
        self.report.from_cache = self.embedder.hits
        self.embedder.close()
        if self.bar is not None:
            self.bar.close()


def _embed_sentences(index: Index, batch: int, progress: bool) -> int:
    """Give every quotable sentence of the index a vector (questions are matched to sentences by meaning): new
    documents' sentences, and any an older index or a lost vector file lacks. Returns how many were embedded."""
    store = index.sentence_vectors
    todo = store.missing(list(dict.fromkeys(s.text for c in index.chunks for s in chunk_sentences(c))))
    bar = _bar(len(todo), progress, "句向量", "句")
    for i in range(0, len(todo), batch):
        store.embed_documents(todo[i : i + batch])
        if bar is not None:
            bar.update(len(todo[i : i + batch]))
    if bar is not None:
        bar.close()
    return len(todo)


def _warm_up(index: Index) -> None:
    try:
        index.vectors.passages(create=True)
        tokenize("预热")
    except QAError:
        pass  # the real call reports it


def _reconcile(index: Index, report: IngestReport) -> None:
    """After an interrupted run the store and the table can disagree: drop what only one side has."""
    if not index.chunks and not index.settings.chroma_url and not (index.settings.home / "chroma").exists():
        return
    stored = index.vectors.ids()
    table = {c.id for c in index.chunks}
    orphans = sorted(stored - table)
    if orphans:
        index.vectors.delete(orphans)
    missing_docs = {c.doc for c in index.chunks if c.id not in stored}
    for doc in missing_docs:
        index.remove_document(doc)  # re-read and re-embedded below, as if new
    if orphans or missing_docs:
        report.warnings.append("上次导入未完成，已清理不完整的部分并重新导入相关文件。")


def _bar(total: int, enabled: bool, desc: str = "向量化", unit: str = "块"):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)

"""`qa bench`: quality side by side with the pipelines users would otherwise build, speed, scale, concurrency.

Everything runs on this machine in one process run, each pipeline on the same corpus and gold set. Ingest and
document reading are passed in by the CLI (the library never imports `ingest`)."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.api import QA
from qa.app.bench.files import files_speed
from qa.core.settings import MODES, Settings
from qa.evaluate import covers, evaluate, gold_docs, load_set
from qa.index.embeddings import get_embedder
from qa.index.store import Index
from qa.index.vectors import ChromaEmbeddingFunction

__all__ = ["run_bench", "format_bench"]

Progress = Callable[[str], None]


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _latency(fn, questions: list[str], repeat: int = 3) -> dict:
    """Warm latency: each question once first (what a first reading computes and keeps is not timed), then timed."""
    for q in questions:
        fn(q)
    times = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(_pct(times, 50), 1), "p95_ms": round(_pct(times, 95), 1), "n": len(times)}


def _tutorial_pipeline(corpus: Path, items: list[dict], embedder, size: int, overlap: int) -> dict:
    """The LangChain tutorial: RecursiveCharacterTextSplitter over the raw files, the same embedder, Chroma, top-k."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_text_splitters import RecursiveCharacterTextSplitter


    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=overlap, add_start_index=True)
    docs = []
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for d in splitter.create_documents([text]):
            docs.append((path.relative_to(corpus).as_posix(), d.page_content))
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    name = f"tutorial-{size}-{overlap}-{time.monotonic_ns()}"
    col = client.create_collection(name, embedding_function=ChromaEmbeddingFunction(embedder, "bench"),
                                   configuration={"hnsw": {"space": "cosine"}})
    vectors = embedder.embed_documents([t for _, t in docs])
    col.add(ids=[str(i) for i in range(len(docs))], documents=[t for _, t in docs], embeddings=vectors,
            metadatas=[{"doc": d} for d, _ in docs])
    recall, rr, chars = [], [], []
    for item in items:
        got = col.query(query_embeddings=[embedder.embed_query(item["question"])], n_results=10, include=["documents", "metadatas"])
        hits = list(zip([m["doc"] for m in got["metadatas"][0]], got["documents"][0], strict=True))
        chars.append(sum(len(t) for _, t in hits[:5]))
        if item.get("type") == "negative":
            continue
        ev, gold = item.get("evidence") or [], gold_docs(item)
        recall.append(sum(any(covers(d, t, None, e, gold) for d, t in hits[:5]) for e in ev) / max(1, len(ev)))
        first = next((i for i, (d, t) in enumerate(hits, 1) if any(covers(d, t, None, e, gold) for e in ev)), None)
        rr.append(1 / first if first else 0.0)
    client.delete_collection(name)
    return {"recall@5": round(statistics.mean(recall), 4), "mrr@10": round(statistics.mean(rr), 4),
            "chars@5": round(statistics.mean(chars), 1), "chunks": len(docs)}


def _quotes(chunks: list) -> list[str]:
    """Quotes to check: verbatim stretches of passages across the corpus, and the same with one character changed."""
    picked = [c.text[5:40] for c in chunks[:: max(1, len(chunks) // 4)][:4] if len(c.text) >= 40]
    return picked + [q[:10] + "某" + q[11:] for q in picked]


def _quote_latency(qa: QA, chunks: list) -> dict:
    """Quote-check latency; the first check also builds the normalised corpus (timed apart)."""
    quotes = _quotes(chunks) or ["市委书记把2023年确立为什么年"]
    t = time.perf_counter()
    qa.check_quote(quotes[0])
    first = time.perf_counter() - t
    return {**_latency(qa.check_quote, quotes, repeat=2), "first_check_s": round(first, 2)}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def _generate_corpus(source: Path, target: Path, n_chunks: int, read_paragraphs) -> int:
    """Deterministic speeches recombined from the sample's paragraphs, with distinct titles; returns speeches written."""
    paragraphs = []
    for path in sorted(source.glob("*.txt")):
        _title, paras = read_paragraphs(path)
        paragraphs += [t for n, t in paras if n > 0 and len(t) > 60]
    if not paragraphs:
        raise ValueError(f"{source} has no paragraphs long enough to recombine")
    target.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261124)
    speakers = ["市委书记", "市长", "工信局长", "发改委主任", "市工信局", "区委书记", "县长", "人社局长"]
    written = approx = 0
    while approx < n_chunks:
        picks = rng.choice(len(paragraphs), size=min(6, len(paragraphs)), replace=False)
        body = "\n".join(paragraphs[i] for i in picks)
        title = f"{speakers[written % len(speakers)]}在第{written + 1}次专题会议上的讲话"
        (target / f"gen_{written:05d}.txt").write_text(f"{title}\n同志们：\n{body}\n", encoding="utf-8")
        approx += max(1, len(body) // 190)
        written += 1
    return written


class _ReusedVectors:
    """Embeddings for generated text at scale: each passage gets the cached vector of the sample passage it
    shares the most character bigrams with (no model call). Queries are embedded for real."""

    def __init__(self, real, sample_texts: list[str], sample_vectors: list[list[float]]) -> None:
        self.real = real
        self.vectors = np.asarray(sample_vectors, dtype=np.float32)
        self.grams = [{t[i : i + 2] for i in range(len(t) - 1)} for t in sample_texts]
        self.index: dict[str, list[int]] = {}
        for k, gs in enumerate(self.grams):
            for g in gs:
                self.index.setdefault(g, []).append(k)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out = []
        for t in texts:
            counts: dict[int, int] = {}
            for g in {t[i : i + 2] for i in range(len(t) - 1)}:
                for k in self.index.get(g, ()):
                    counts[k] = counts.get(k, 0) + 1
            best = max(counts, key=counts.get) if counts else 0
            out.append(self.vectors[best].tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


def run_bench(settings: Settings, set_file: Path | None, scales: list[int], users: int, ingest, read_document,
              read_paragraphs, progress: Progress = lambda s: None, scale_source: Path | None = None,
              quality: bool = True) -> dict:
    """`settings.corpus` is measured; generated scale corpora recombine `scale_source` (default: that corpus).
    `quality=False` skips the side-by-side comparison (it embeds the corpus twice more); the set's questions still
    time search and ask."""

    items = load_set(set_file) if set_file else []
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    out: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
                 "set": str(set_file) if set_file else None, "embedder": settings.embedding}
    try:
        embedder = get_embedder(settings.embedding, settings)
        questions = [i["question"] for i in items] or ["市委书记把2023年确立为什么年？"]
        fresh = settings.model_copy(update={"home": work / "speed"})
        out["speed"], index = _speed(fresh, embedder, questions, ingest, progress)
        out["files"] = _office_files(settings, ingest, read_document, read_paragraphs, progress)
        qa = QA(fresh)
        if items and quality:
            out["quality"] = _quality(qa, fresh, items, embedder, read_document, progress)
        out["scale"] = _scale(settings, index, embedder, scales, questions, work, ingest, read_paragraphs, progress,
                              scale_source or settings.corpus)
        if users:
            progress(f"并发：{users} 个用户同时提问")
            out["concurrency"] = _concurrency(fresh, questions, users)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _office_files(settings: Settings, ingest, read_document, read_paragraphs, progress: Progress) -> dict:
    """A speech of the corpus as a .doc and as scans (see `files.py`)."""
    first = next((p for p in sorted(settings.corpus.rglob("*.txt"))), None)
    if first is None:
        return {"missing": ["a .txt speech in the corpus"]}
    title, paragraphs = read_paragraphs(first)
    return files_speed(settings, title or first.stem, [t for n, t in paragraphs if n], ingest, read_document, progress)


def _speed(fresh: Settings, embedder, questions: list[str], ingest, progress: Progress) -> tuple[dict, Index]:
    """Ingest vs the bare embedder on the same texts, an unchanged re-ingest, and the latencies users feel."""
    progress("速度：导入与纯向量化吞吐")
    t = time.perf_counter()
    report = ingest(None, fresh, progress=False)
    ingest_s = time.perf_counter() - t
    index = Index(fresh).load()
    texts = [c.context() for c in index.chunks]
    t = time.perf_counter()
    for i in range(0, len(texts), fresh.embedding_batch):
        embedder.embed_documents(texts[i : i + fresh.embedding_batch])
    bare_s = time.perf_counter() - t
    t = time.perf_counter()
    again = ingest(None, fresh, progress=False)
    reingest_s = time.perf_counter() - t
    qa = QA(fresh)
    progress("速度：检索与回答延迟")
    speed = {
        "chunks": report.chunks,
        "ingest_chunks_per_s": round(report.chunks / ingest_s, 2),
        "bare_embedder_chunks_per_s": round(len(texts) / bare_s, 2),
        "ingest_vs_bare": round((report.chunks / ingest_s) / (len(texts) / bare_s), 3),
        "unchanged_reingest_s": round(reingest_s, 3),
        "unchanged_reingest_embedded": again.embedded,
        "search": _latency(qa.search, questions),
        "ask_extractive": _latency(qa.ask, questions),
        "quote_check": _quote_latency(qa, index.chunks),
    }
    env = {**os.environ, "QA_HOME": str(fresh.home), "QA_CORPUS": str(fresh.corpus)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qa.app.cli", "ask", questions[0], "--json"], env=env, check=True,
                   capture_output=True)
    speed["cold_ask_s"] = round(time.perf_counter() - t, 2)
    speed["serve_peak_rss_mb"] = _serve_rss(fresh, questions)
    return speed, index


def _quality(qa: QA, fresh: Settings, items: list[dict], embedder, read_document, progress: Progress) -> dict:
    """Our retrieval modes and the LangChain tutorial pipeline, side by side on the set."""
    progress("质量：对比各检索方式")
    corpus = fresh.corpus
    quality = {}
    for mode in MODES:
        r = evaluate(qa, items, read_doc=lambda d: read_document(corpus / d, d, fresh), mode=mode)
        quality[f"ours-{mode}"] = {k: r[k] for k in ("recall@5", "mrr@10", "chars@5", "keyword_hit",
                                                     "negative_rejection", "false_rejection")}
    for size, overlap in ((1000, 200), (300, 50)):
        progress(f"质量：LangChain 教程流程 {size}/{overlap}")
        quality[f"tutorial-{size}/{overlap}"] = _tutorial_pipeline(corpus, items, embedder, size, overlap)
    return quality


def _scale(settings: Settings, index: Index, embedder, scales: list[int], questions: list[str], work: Path, ingest,
           read_paragraphs, progress: Progress, source: Path) -> list[dict]:
    """Generated corpora of about `scales` passages each: build time, size, latencies, the server's memory."""
    sample_texts = [c.context() for c in index.chunks]
    sample_vectors = embedder.embed_documents(sample_texts) if scales else []
    rows = []
    for n in scales:
        progress(f"规模：约 {n} 个段落块")
        home, gen = work / f"scale-{n}" / "home", work / f"scale-{n}" / "corpus"
        speeches = _generate_corpus(source, gen, n, read_paragraphs)
        s = settings.model_copy(update={"home": home, "corpus": gen})
        reused = _ReusedVectors(embedder, sample_texts, sample_vectors)
        t = time.perf_counter()
        r = ingest(None, s, progress=False, index=Index(s, embedder=reused))
        build_s = time.perf_counter() - t
        big = QA(s, index=Index(s, embedder=embedder))
        row = {"target_chunks": n, "speeches": speeches, "chunks": r.chunks, "build_s": round(build_s, 1),
               "index_mb": _dir_mb(home), "search": _latency(big.search, questions, repeat=2),
               "ask_extractive": _latency(big.ask, questions, repeat=2),
               "quote_check": _quote_latency(big, big.index.load().chunks),
               "vectors": "reused from the sample corpus (nearest sample passage by shared bigrams), queries embedded for real"}
        row["serve_peak_rss_mb"] = _serve_rss(s, questions)
        rows.append(row)
        shutil.rmtree(work / f"scale-{n}", ignore_errors=True)
    return rows


def _serve(settings: Settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "QA_HOME": str(settings.home), "QA_CORPUS": str(settings.corpus)}
    proc = subprocess.Popen([sys.executable, "-m", "qa.app.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("qa serve did not start")


def _peak_rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _serve_rss(settings: Settings, questions: list[str]) -> float:
    from gradio_client import Client

    proc, url = _serve(settings)
    try:
        client = Client(url, verbose=False)
        for q in questions[:10]:
            client.predict(q, "", "", api_name="/ask")
        return _peak_rss(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _concurrency(settings: Settings, questions: list[str], users: int) -> dict:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    proc, url = _serve(settings)
    local = threading.local()  # one client per user thread, as M people each have their own browser
    try:
        asks = [questions[i % len(questions)] for i in range(users * 3)]

        def one(q):
            if not hasattr(local, "client"):
                local.client = Client(url, verbose=False)
            t = time.perf_counter()
            try:
                ok = local.client.predict(q, "", "", api_name="/ask")["question"] == q
            except Exception:
                ok = False
            return ok, (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        with ThreadPoolExecutor(max_workers=users) as pool:
            results = list(pool.map(one, asks))
        wall = time.perf_counter() - t
        times = [ms for _, ms in results]
        return {"users": users, "requests": len(results), "errors": sum(not ok for ok, _ in results),
                "answers_per_s": round(len(results) / wall, 2), "p50_ms": round(_pct(times, 50), 1),
                "p95_ms": round(_pct(times, 95), 1), "serve_peak_rss_mb": _peak_rss(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def format_bench(r: dict) -> str:
    lines = [f"机器：{r['machine']['cpus']} 核，Python {r['machine']['python']}，{r['machine']['platform']}；向量模型 {r['embedder']}"]
    if q := r.get("quality"):
        lines += ["", "质量（同一语料、同一评测集）", f"  {'流程':<22}{'召回@5':>9}{'MRR@10':>9}{'前5段字数':>11}"]
        for name, v in q.items():
            lines.append(f"  {name:<22}{v['recall@5']:>9}{v['mrr@10']:>9}{v['chars@5']:>11}")
    s = r["speed"]
    lines += ["", "速度",
              f"  导入 {s['ingest_chunks_per_s']} 块/秒，纯向量化 {s['bare_embedder_chunks_per_s']} 块/秒（比值 {s['ingest_vs_bare']}）",
              f"  无变化重导入 {s['unchanged_reingest_s']} 秒（向量化 {s['unchanged_reingest_embedded']} 块）",
              f"  检索 p50/p95 {s['search']['p50_ms']}/{s['search']['p95_ms']} ms；摘录式回答 p50/p95 "
              f"{s['ask_extractive']['p50_ms']}/{s['ask_extractive']['p95_ms']} ms；原话核对 p50/p95 "
              f"{s['quote_check']['p50_ms']}/{s['quote_check']['p95_ms']} ms；冷启动 qa ask {s['cold_ask_s']} 秒；"
              f"qa serve 峰值内存 {s['serve_peak_rss_mb']} MB"]
    if f := r.get("files"):
        lines.append(f"  旧格式与扫描件：缺少 {'、'.join(f['missing'])}，未测" if "missing" in f else
                     f"  .doc 转换 {f['doc_convert_s']} 秒/个；文字识别 {f['ocr_pages_per_s']} 页/秒，字符准确率 "
                     f"{f['ocr_accuracy']}；转换与识别占这些文件导入时间的 {f['convert_and_ocr_share_of_ingest']:.0%}")
    for row in r.get("scale", []):
        lines.append(f"  规模 {row['chunks']} 块（{row['speeches']} 篇）：检索 p50/p95 {row['search']['p50_ms']}/"
                     f"{row['search']['p95_ms']} ms，回答 p50/p95 {row['ask_extractive']['p50_ms']}/{row['ask_extractive']['p95_ms']} ms，"
                     f"原话核对 p50/p95 {row['quote_check']['p50_ms']}/{row['quote_check']['p95_ms']} ms"
                     f"（首次另需 {row['quote_check']['first_check_s']} 秒建立核对索引），"
                     f"索引 {row['index_mb']} MB，qa serve 峰值内存 {row['serve_peak_rss_mb']} MB，建库 {row['build_s']} 秒")
    if r.get("scale"):
        lines.append("  （规模测试的段落向量取自样例语料中最相近段落的缓存向量，未重新计算；问题向量实时计算）")
    if c := r.get("concurrency"):
        lines.append(f"  并发 {c['users']} 用户 {c['requests']} 次提问：{c['answers_per_s']} 答/秒，p50/p95 "
                     f"{c['p50_ms']}/{c['p95_ms']} ms，错误 {c['errors']}，峰值内存 {c['serve_peak_rss_mb']} MB")
    return "\n".join(lines)


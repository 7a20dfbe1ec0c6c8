"""The hostile-use probe of issue 36 against a running `qa serve`, over loopback only:
`python -m qa.app.bench.probe --url http://127.0.0.1:PORT/ --pid PID [--auth user:pw …] [--json OUT]`.

It uploads the files of `qa.app.bench.hostile` through the public API (`/import`, gradio_client sessions) and opens
the PDF of huge pages in the reader as the page does (its own 查找 and 阅读讲话 events, by their fn_index in GET
/config) in four sessions at once; the rows are listed in `Probe.run`, each with its wall time, peak VmRSS and the
server's reply (the first message of /import, or the error). Throughout it measures the server's memory (VmRSS of
--pid from /proc/PID/status every 0.2 s, VmHWM at the end); a colleague's fresh session asking `/ask` a question the
sample corpus answers every ~1 s (latencies: count, median, max, how many over 2 s); what its own loopback HTTP
listener receives, which row 2's remote links point at (it must be nothing); new entries in /tmp (OSL_PIPE*,
lu*.tmp, qa-*), each with the process tree that used it (the server's or another's). Problems are listed at the end
(exit status 1). With a login, give user B and the colleague logins of their own (`--auth` again)."""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import docx
import httpx
from gradio_client import Client, handle_file
from gradio_client.utils import Status

from qa.app.bench import hostile
from qa.app.bench.files import render_scan

QUESTION, TOPIC = "市委书记把2023年确立为什么年？", "高质量发展"
SLOW_S, B_WAIT_S, AGAIN_S = 2.0, 15.0, 10.0  # a colleague's question; B's two lines beside A's file; a refusal again
MEMORY_LIMIT_MB, ROW_TIMEOUT = 2048, 900.0  # the server reads one file for at most 600 s
WATCHED_TMP = re.compile(r"^(OSL_PIPE.*|lu.*\.tmp|qa-.*)$")
_CJK, _ENGLISH = re.compile(r"[\u3400-\u9fff]"), re.compile(r"[A-Za-z]{3,}(?:[\s,:;'-]+[A-Za-z]{2,}){2,}")
_ROW = ["idle"]  # the row running now, for the colleague's log


def _vm(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM … of a process in kB ({} once it is gone)."""
    try:
        pairs = (x.partition(":") for x in Path(f"/proc/{pid}/status").read_text().splitlines())
    except OSError:
        return {}
    return {k: int(v.split()[0]) for k, _, v in pairs if k.startswith("Vm") and v.split()}


def _users(root: int) -> dict[str, bool]:
    """The /tmp names processes use now (working folder, paths in the command line, lu<pid>… files, LibreOffice's pipe:
    an MD5 of its profile's URL in UTF-16), each with whether the server (`root`) or a process it started is one."""
    parent, about, out = {}, {}, {}
    for n in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat, cwd = Path(f"/proc/{n}/stat").read_text(), os.readlink(f"/proc/{n}/cwd")
            about[int(n)] = cwd + "\0" + Path(f"/proc/{n}/cmdline").read_text("utf-8", "replace")
            parent[int(n)] = int(stat[stat.rfind(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    for pid, text in about.items():
        p = pid
        while p in parent and p != root:
            p = parent[p]
        keys = [*re.findall(r"/tmp/([^/\0]+)", text), f"lu{pid}", *("".join(f"{b:x}" for b in hashlib.md5(
            u.encode("utf-16-le")).digest()) for u in re.findall(r"UserInstallation=(file://[^\0]+)", text))]
        out |= {k: out.get(k, False) or p == root for k in keys}
    return out


def _key(name: str) -> str:
    m = re.match(r"OSL_PIPE_\d+_SingleOfficeIPC_(\w+)$|(lu\d+)\w*\.tmp$", name)
    return (m[1] or m[2]) if m else name


class Sampler(threading.Thread):
    """VmRSS of the server every 0.2 s; the entries of /tmp, and who uses them, every second."""

    def __init__(self, pid: int, own: str) -> None:
        super().__init__(name="memory", daemon=True)
        self.pid, self.own, self.t0, self.done = pid, own, time.monotonic(), threading.Event()
        self.samples: list[tuple[float, int]] = []  # (seconds since start, VmRSS kB)
        self.gone_at, self.tmp_before, self.tmp_seen, self.owner, self.load = None, set(os.listdir("/tmp")), {}, {}, []

    def now(self) -> float:
        return time.monotonic() - self.t0

    def run(self) -> None:
        for tick in range(10**9):
            if self.done.wait(0 if tick == 0 else 0.2):
                return
            rss = _vm(self.pid).get("VmRSS")
            self.samples += [(self.now(), rss)] if rss else []
            self.gone_at = self.gone_at or (None if rss else round(self.now(), 1))
            if tick % 5 == 0:
                self.tmp()

    def tmp(self) -> None:
        self.owner |= {k: self.owner.get(k, False) or mine for k, mine in _users(self.pid).items()}
        self.load.append(os.getloadavg()[0])  # the machine's: other work on it slows the colleague too
        for n in set(os.listdir("/tmp")) - self.tmp_before - {self.own}:
            self.tmp_seen.setdefault(n, _ROW[0])  # the row it appeared in

    def peak_mb(self, since: float = 0.0) -> int:
        return max((kb for t, kb in self.samples if t >= since), default=self.samples[-1][1] if self.samples else 0) // 1024

    def summary(self) -> dict:
        vm, samples = _vm(self.pid), self.samples or [(0.0, 0)]
        top = max(samples, key=lambda s: s[1])
        return {"start_rss_mb": samples[0][1] // 1024, "max_rss_mb": top[1] // 1024, "max_at_s": round(top[0], 1),
                "end_rss_mb": vm.get("VmRSS", 0) // 1024, "vmhwm_mb": vm["VmHWM"] // 1024 if "VmHWM" in vm else None,
                "gone_at_s": self.gone_at, "samples": len(self.samples), "load_1min_max": round(max(self.load, default=0), 1),
                "series": [(round(t, 1), kb // 1024) for t, kb in samples[::5]]}


class Listener(BaseHTTPRequestHandler):
    """The loopback listener remote links point at: records every request in its server's `requests`, answers 404."""

    def log_request(self, code: Any = "-", size: Any = "-") -> None:  # every request answered, whatever its method
        self.server.requests.append({"at": time.strftime("%H:%M:%S"), "request": self.requestline[:300],
                                     "agent": (getattr(self, "headers", None) or {}).get("User-Agent", "")})

    def nothing(self) -> None:
        self.send_error(404)

    do_GET = do_HEAD = do_POST = do_PUT = do_OPTIONS = do_PROPFIND = nothing


class Server:
    """The server under test: gradio_client sessions, and raw queue calls for the page's own events."""

    def __init__(self, url: str, auths: list[tuple[str, str]]) -> None:
        self.url, self.auths = (url if url.endswith("/") else url + "/"), auths or [None]

    def client(self, who: int = 0):  # a new session: a reading lane of its own (with a login, the login's)
        return Client(self.url, verbose=False, auth=self.auths[min(who, len(self.auths) - 1)], download_files=False,
                      analytics_enabled=False, httpx_kwargs={"trust_env": False})

    def http(self, who: int = 0):
        http = httpx.Client(trust_env=False, timeout=httpx.Timeout(60.0))
        if (auth := self.auths[min(who, len(self.auths) - 1)]) is not None:
            http.post(self.url + "login", data={"username": auth[0], "password": auth[1]}).raise_for_status()
        return http

    def event(self, http, fn_index: int, data: list, trigger: int, session: str, timeout: float) -> dict:
        """A page's own event as the browser calls it: its `process_completed` message, or {"success": False, …}."""
        try:
            r = http.post(self.url + "gradio_api/queue/join", json={"data": data, "fn_index": fn_index,
                          "session_hash": session, "event_data": None, "trigger_id": trigger})
            if r.status_code != 200:
                return {"success": False, "error": f"HTTP {r.status_code}: {r.text[:300]}"}
            event, deadline = r.json().get("event_id"), time.monotonic() + timeout
            with http.stream("GET", self.url + "gradio_api/queue/data", params={"session_hash": session}) as s:
                for line in s.iter_lines():
                    msg = json.loads(line[5:]) if line.startswith("data:") else {}
                    if msg.get("msg") == "process_completed" and msg.get("event_id") == event:
                        return msg
                    if msg.get("msg") in ("unexpected_error", "server_stopped") or time.monotonic() > deadline:
                        return {"success": False, "error": msg.get("message") or f"no answer in {timeout:.0f} s"}
        except (httpx.HTTPError, ValueError) as e:
            return {"success": False, "error": f"{type(e).__name__}: {e}"}
        return {"success": False, "error": "the stream closed before the event completed"}


def _result(job, timeout: float = ROW_TIMEOUT, first: bool = False) -> tuple[Any, Any]:
    """(result, None) or (None, the error as the caller sees it); with `first`, (first message or error, result)."""
    try:
        result, error = job.result(timeout=timeout), None
    except concurrent.futures.TimeoutError:
        result, error = None, f"(no answer within {timeout:.0f} s)"
    except Exception as e:  # noqa: BLE001 - whatever the server answered is what is reported
        result, error = None, f"{type(e).__name__}: {e!s}" if str(e) in ("", "None") else str(e)
    return (error if error is not None else str(result[0]) if result else json.dumps(result), result) if first else (
        result, error)


def odd_reply(text: str | None) -> str | None:
    """Why a reply is not one a Chinese-speaking user can read (None when it is)."""
    if not text or text.strip() in ("None", "null") or ": None" in text or "(no answer" in text or re.search(
            r"['\"]error['\"]\s*:\s*(null|None)", text):
        return "empty error or no answer"
    return ("no Chinese" if not _CJK.search(body := text.split("：", 1)[-1]) else "English words" if _ENGLISH.search(body)
            else "traceback" if "Traceback" in text else None)


class Colleague(threading.Thread):
    """Every ~1 s a fresh session asks QUESTION; the answer's latency is recorded (the session's setup apart)."""

    def __init__(self, server: Server, sampler: Sampler) -> None:
        super().__init__(name="colleague", daemon=True)
        self.server, self.sampler, self.asks, self.done = server, sampler, [], threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            began = time.monotonic()
            entry: dict[str, Any] = {"t": round(self.sampler.now(), 1), "row": _ROW[0]}
            try:
                client = self.server.client(who=2)
                entry["connect"], asked = round(time.monotonic() - began, 2), time.monotonic()
                result, error = _result(client.submit(QUESTION, api_name="/ask"), 120)
                entry["latency"] = round(time.monotonic() - asked, 3)
                client.close()
            except Exception as e:  # noqa: BLE001 - a session that cannot be opened is a failure to report
                result, error = None, f"session: {type(e).__name__}: {str(e)[:200]}"
            entry |= {"error": error[:300]} if error else {"found": bool(isinstance(result, dict) and result.get(
                "found")), "answer": str(result.get("answer", ""))[:80] if isinstance(result, dict) else ""}
            self.asks.append(entry)
            self.done.wait(max(0.0, 1.0 - (time.monotonic() - began)))

    def summary(self) -> dict:
        lat = [a["latency"] for a in self.asks if "latency" in a and "error" not in a]
        return {"count": len(self.asks), "median_s": round(statistics.median(lat), 3) if lat else None, "asks": self.asks,
                "max_s": max(lat, default=None), "slow": [a for a in self.asks if a.get("latency", 0) > SLOW_S],
                "failures": [a for a in self.asks if "error" in a], "not_found": sum(a.get("found") is False for a in self.asks)}


def make_files(work: Path, listener: str, nonce: str) -> dict[str, Path]:
    """Every file of the probe, in `work`; remote links point at `listener`."""
    f = {k: work / n for k, n in (("huge", "大页面.pdf"), ("odt", "远程链接.odt"), ("docx_doc", "远程图片.doc"),
                                  ("html_doc", "网页.doc"), ("bomb", "炸弹.docx"), ("shared", "共享流.pdf"),
                                  ("blank", "空白.pdf"), ("png", "条纹.png"), ("random", "随机.doc"),
                                  ("planted", "高质量发展讲话.txt"), ("rtl", "evil\u202etxt.doc"),
                                  ("b5", "同事讲话5.txt"), ("b7", "同事讲话7.txt"))}
    render_scan(work / "scan.png", "在全市工作会议上的讲话", ["今年要新开工亿元以上项目五十个，确保规上工业增加值增长百分之八。"])
    hostile.huge_pages_pdf(f["huge"], work / "scan.png")
    for make, key, *more in ((hostile.odt_with_remote, "odt", listener), (hostile.docx_with_remote, "docx_doc", listener),
                             (hostile.zip_bomb_docx, "bomb"), (hostile.shared_stream_pdf, "shared"),
                             (hostile.blank_pdf, "blank"), (hostile.striped_png, "png"), (hostile.random_doc, "random")):
        make(f[key], *more)
    (d := docx.Document(f["docx_doc"])).add_paragraph(f"编号 {nonce}")  # else its text is the .odt's: a duplicate
    d.save(f["docx_doc"])
    f["html_doc"].write_text(f'<html><head><meta charset="utf-8"><link rel="stylesheet" href="{listener}/h.css"><script '
        f'src="{listener}/h.js"></script></head><body><p>市长在全市工作会议上的讲话</p><p>今年要新开工项目五十个。<img src="'
        f'{listener}/h.png"></p><iframe src="{listener}/h-frame"></iframe><object data="{listener}/h-obj"></object><p '
        f'style="background-image:url({listener}/h-bg.png)">网页 {nonce}</p></body></html>', "utf-8")
    f["planted"].write_text(hostile.planted_text(), encoding="utf-8")
    (d := docx.Document()).add_paragraph("区长在全区教育大会上的讲话")
    d.add_paragraph(f"今年要新建幼儿园五所。（{nonce}）")
    d.save(f["rtl"])
    for n in (5, 7):  # the colleague's two lines: distinct bytes each, or they are refused as duplicates
        f[f"b{n}"].write_text(f"区长在全区工作会议上的讲话（{nonce}-{n}）\n今年要新建学校{n}所。\n", encoding="utf-8")
    return f


class Probe:
    """The rows (see the module docstring), as users A and B (two sessions)."""

    def __init__(self, server: Server, sampler: Sampler, files: dict[str, Path]) -> None:
        self.server, self.sampler, self.f, self.rows = server, sampler, files, []
        self.a, self.b = server.client(0), server.client(1)

    def row(self, key: str, what: str, fn) -> None:
        _ROW[0], since, began = key, self.sampler.now(), time.monotonic()
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001 - a row that breaks is reported, the others still run
            out = {"reply": f"(the probe failed: {type(e).__name__}: {e})", "probe_error": True}
        entry = {"row": key, "what": what, "wall_s": round(time.monotonic() - began, 2), **out,
                 "peak_rss_mb": self.sampler.peak_mb(since)}
        slow = key.startswith("10") and entry["wall_s"] > AGAIN_S  # a refusal remembered is near instant
        entry["flags"] = ([out["flag"]] if out.get("flag") else []) + [f"not remembered: {entry['wall_s']} s"] * slow + [
            f"{said}: {why}: {str(entry[said])[:200]}" for said in ("reply", "b_reply", "digest_reply")
            if said in entry and not (said == "reply" and out.get("own_reply")) and (why := odd_reply(entry[said]))]
        self.rows.append(entry)
        print(f"{key:<4} {what[:40]:<40} {entry['wall_s']:7.1f} s  {entry.get('reply', '')[:90]}", file=sys.stderr, flush=True)

    def upload(self, path: Path, timeout: float = ROW_TIMEOUT) -> dict:
        reply, result = _result(self.a.submit([handle_file(str(path))], api_name="/import"), timeout, first=True)
        return {"reply": reply, "messages": result}

    def reader(self) -> dict:
        """Four sessions at once: 查找 the file (the page's list of speeches), then open it in the reader."""
        with self.server.http() as http:
            config = http.get(self.server.url + "config").json()
        comps, deps = {c["id"]: c for c in config["components"]}, config["dependencies"]
        elem = {(c.get("props") or {}).get("elem_id"): i for i, c in comps.items()}
        doc_dd, find = elem["qa-reader-doc"], elem["qa-docs-find"]
        gallery = {i for i, c in comps.items() if c.get("type") == "gallery"}
        opener = next(d for d in deps if doc_dd in d["inputs"] and gallery & set(d["outputs"]))
        finder = next(d for d in deps if doc_dd in d["outputs"] and [find, "submit"] in map(list, d.get("targets", [])))
        shown_at = opener["outputs"].index(next(iter(gallery & set(opener["outputs"]))))
        name, results = self.f["huge"].name, [{} for _ in range(4)]

        def session(i: int) -> None:
            with self.server.http() as http:
                sid = uuid.uuid4().hex[:11]
                found = self.server.event(http, finder["id"], [Path(name).stem] + [""] * (len(finder["inputs"]) - 1),
                                          find, sid, 120)
                listed = ((found.get("output") or {}).get("data") or [{}] * 9)[finder["outputs"].index(doc_dd)] or {}
                doc = next((c[1] for c in listed.get("choices", []) if str(c[1]).endswith(name)), None)
                began = time.monotonic()
                results[i] = {"msg": self.server.event(http, opener["id"], [doc], doc_dd, sid, 600) if doc else {
                    "success": False, "error": f"not in the page's list after 查找: {found.get('error') or listed}"}}
                results[i]["s"] = round(time.monotonic() - began, 2)

        with concurrent.futures.ThreadPoolExecutor(4) as pool:  # four people at once
            list(pool.map(session, range(4)))
        msgs = [r.get("msg") or {"error": "no answer"} for r in results]
        errors = [str(m.get("error") or m.get("output"))[:300] for m in msgs if not m.get("success")]
        shown = [m["output"]["data"][shown_at] for m in msgs if m.get("success")]
        images = [(v.get("value") if isinstance(v, dict) else v) or [] for v in shown]
        return {"reply": f"{len(images)}/4 sessions shown {[len(x) for x in images]} pages, each "
                         f"{[r.get('s') for r in results]} s" + (f"; errors: {errors}" if errors else ""),
                "own_reply": True, "fn_index": {"find": finder["id"], "open": opener["id"]},
                "flag": "the reader failed" if errors or len(images) < 4 or not all(images) else None}

    def beside(self, hostile: Path, small: Path) -> dict:
        """User A uploads `hostile`; once it is being read, user B uploads `small`: B's wait."""
        job, deadline = self.a.submit([handle_file(str(hostile))], api_name="/import"), time.monotonic() + 120
        started = (Status.PROCESSING, Status.PROGRESS, Status.ITERATING, Status.LOG, Status.FINISHED)
        while job.status().code not in started and not job.done() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # copied, and in its reading lane
        began = time.monotonic()
        b_reply = _result(self.b.submit([handle_file(str(small))], api_name="/import"), 300, first=True)[0]
        wait, busy = round(time.monotonic() - began, 2), not job.done()
        return {"reply": _result(job, first=True)[0], "b_wait_s": wait, "b_reply": b_reply, "a_busy_when_b_done": busy,
                "flag": f"B waited {wait} s (> {B_WAIT_S:g} s)" if wait > B_WAIT_S else None,
                "detail": f"B waited {wait} s (A still reading then: {busy}): {b_reply[:80]}"}

    def digest(self) -> dict:
        out, began = self.upload(self.f["planted"]), time.monotonic()
        result, error = _result(self.a.submit(TOPIC, api_name="/digest"), 300)
        out["digest_s"] = round(time.monotonic() - began, 2)
        excerpts = [e for g in (result or {}).get("groups", []) for e in g.get("excerpts", [])]
        said, longest = error or str(result.get("explanation", "")), max((len(e.get("text", "")) for e in excerpts), default=0)
        return out | {"digest_reply": said[:300], "detail": f"/digest {out['digest_s']} s, {len(excerpts)} excerpts, "
                                                          f"longest {longest} characters: {said[:90]}"}

    def rtl(self) -> dict:
        out = self.upload(self.f["rtl"])
        m = re.match(r"^[✓✗]\s*(.*?)：", out["reply"])
        out["detail"] = f"name shown: {m and m.group(1)!r}"
        return out | {"flag": "no name in the reply" if m is None else "\u202e in the reply" * ("\u202e" in out["reply"])}

    def run(self) -> None:
        f, up = self.f, self.upload
        for key, what, fn in (
                ("1a", "PDF: a scan + 9 pages of 9000×9000 pt", lambda: up(f["huge"])),
                ("1b", "  the same, opened in the reader by 4 sessions", self.reader),
                ("2a", ".odt: remote draw:image, draw:object", lambda: up(f["odt"])),
                ("2b", ".docx with an external image, as .doc", lambda: up(f["docx_doc"])),
                ("2c", "HTML: remote img/css/script/frame, as .doc", lambda: up(f["html_doc"])),
                ("3", "docx zip bomb (18 KB)", lambda: up(f["bomb"])),
                ("4", "PDF: 8 pages sharing a 6 MB stream", lambda: up(f["shared"])),
                ("5", "500 blank PDF pages (A) + 2-line .txt (B)", lambda: self.beside(f["blank"], f["b5"])),
                ("6", "PNG 13000×13000, stripes", lambda: up(f["png"])),
                ("7", "random 10 MB .doc (A) + 2-line .txt (B)", lambda: self.beside(f["random"], f["b7"])),
                ("8", "planted_text .txt, then /digest 高质量发展", self.digest),
                ("9", "name evil\\u202etxt.doc", self.rtl),
                *((k, f"again: {f[n].name}", lambda n=n: up(f[n], timeout=300))
                  for k, n in (("10a", "bomb"), ("10b", "shared"), ("10c", "random")))):
            self.row(key, what, fn)


def problems_of(rep: dict) -> list[str]:
    mem, col, reqs, left = rep["memory"], rep["colleague"], rep["listener"]["requests"], rep["tmp"]["left"]
    return ([f"server memory over 2 GB: max VmRSS {mem['max_rss_mb']} MB, VmHWM {mem['vmhwm_mb']} MB, gone at "
             f"{mem['gone_at_s']} s"] * (max(mem["max_rss_mb"], mem["vmhwm_mb"] or 0) > MEMORY_LIMIT_MB or bool(mem["gone_at_s"]))
        + [f"{len(col['slow'])} colleague questions over {SLOW_S:g} s: " + "; ".join(
            f"{a['latency']} s at {a['t']} s (row {a['row']})" for a in col["slow"][:12])] * bool(col["slow"])
        + [f"{len(col['failures'])} colleague questions failed: " + "; ".join(
            f"{a['t']} s: {a['error'][:150]}" for a in col["failures"][:5])] * bool(col["failures"])
        + [f"{col['not_found']} colleague questions found no answer"] * bool(col["not_found"])
        + [f"the listener received {len(reqs)} requests: " + "; ".join(r["request"] for r in reqs[:10])] * bool(reqs)
        + [f"left in /tmp: {', '.join(f'{n} ({who})' for n, who in left.items() if 'others' not in who)}"] * any(
            "others" not in who for who in left.values())
        + [f"row {r['row']}: {x}" for r in rep["rows"] for x in r["flags"]]
        + [f"row {r['row']}: the probe itself failed" for r in rep["rows"] if r.get("probe_error")])


def print_report(rep: dict) -> None:
    mem, col, lst, tmp = rep["memory"], rep["colleague"], rep["listener"], rep["tmp"]
    print(f"\nHostile-use probe of {rep['url']} (pid {rep['pid']})\n{'row':<4} {'what':<46} {'wall s':>7} {'peak MB':>7}  reply")
    for r in rep["rows"]:
        print(f"{r['row']:<4} {r['what'][:46]:<46} {r['wall_s']:>7.1f} {r['peak_rss_mb']:>7}  "
              f"{r.get('reply', '').replace(chr(10), ' ')[:150]}")
        if r.get("detail"):
            print(f"{'':<68}↳ {r['detail']}")
    print(f"\nserver memory: start {mem['start_rss_mb']} MB, max VmRSS {mem['max_rss_mb']} MB at {mem['max_at_s']} s, "
          f"VmHWM {mem['vmhwm_mb']} MB, end {mem['end_rss_mb']} MB ({mem['samples']} samples); machine load (1 min) up to "
          f"{mem['load_1min_max']} on {os.cpu_count()} CPUs\n"
          f"colleague /ask: {col['count']} asked, median {col['median_s']} s, max {col['max_s']} s, over {SLOW_S:g} s: "
          f"{len(col['slow'])}, failed {len(col['failures'])}, no answer found {col['not_found']}\n"
          f"listener {lst['url']}: {len(lst['requests'])} requests"
          + "".join(f"\n  {r['at']} {r['request']} ({r['agent']})" for r in lst["requests"])
          + f"\n/tmp (OSL_PIPE*, lu*.tmp, qa-*): {len(tmp['appeared'])} appeared, by process tree "
          f"{dict(collections.Counter(w.split(',')[0] for w in tmp['appeared'].values()))}; left at the end: "
          + (", ".join(f"{n} ({w})" for n, w in tmp["left"].items()) or "none") + "\nproblems:"
          + ("".join(f"\n  - {p}" for p in rep["problems"]) or " none"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m qa.app.bench.probe", description="The hostile-use probe (issue 36).")
    p.add_argument("--url", required=True, help="the running qa serve, on loopback")
    p.add_argument("--pid", type=int, required=True, help="its process id (memory from /proc/PID/status)")
    p.add_argument("--auth", action="append", default=[], help="user:password (again: user B's, the colleague's)")
    p.add_argument("--json", type=Path, help="write the whole report here")
    args = p.parse_args(argv)
    if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"错误：--url 必须是本机回环地址（如 http://127.0.0.1:7860/），收到 {args.url}")
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # else each gradio_client session reports to a telemetry host
    server = Server(args.url, [tuple(a.split(":", 1)) for a in args.auth])
    work, nonce, listener = Path(tempfile.mkdtemp(prefix="hostile-probe-")), uuid.uuid4().hex[:12], ThreadingHTTPServer(
        ("127.0.0.1", 0), Listener)
    listener.requests, listener.daemon_threads, url = [], True, f"http://127.0.0.1:{listener.server_address[1]}"
    threading.Thread(target=listener.serve_forever, name="listener", daemon=True).start()
    sampler = Sampler(args.pid, work.name)
    colleague, probe = Colleague(server, sampler), Probe(server, sampler, make_files(work, url, nonce))
    try:
        sampler.start()
        colleague.start()
        time.sleep(5)  # the colleague's baseline
        probe.run()
        _ROW[0] = "after"
        time.sleep(5)  # late fetches, late leftovers
    finally:
        for thread in (colleague, sampler):
            thread.done.set()
            thread.join(150)
        sampler.tmp()
        listener.shutdown()
        probe.a.close()
        probe.b.close()
        shutil.rmtree(work, ignore_errors=True)
    now, whose = set(os.listdir("/tmp")), {True: "server", False: "others"}
    seen = {n: f"{whose.get(sampler.owner.get(_key(n)), 'unknown')}, row {row}" for n, row in sorted(sampler.tmp_seen.items())
            if WATCHED_TMP.match(n)}
    rep = {"url": server.url, "pid": args.pid, "nonce": nonce, "rows": probe.rows, "memory": sampler.summary(),
           "colleague": colleague.summary(), "listener": {"url": url, "requests": listener.requests},
           "tmp": {"appeared": seen, "left": {n: who for n, who in seen.items() if n in now}}}
    rep["problems"] = problems_of(rep)
    print_report(rep)
    if args.json:
        args.json.write_text(json.dumps(rep, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 1 if rep["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""The web API under hostile use, through raw HTTP as an attacker sends it (not only gradio_client): server files
named as uploads, links out of the upload cache, wrong types, extra arguments, unknown endpoints and functions, a
file too long to index, names too long for a file system, and what a stopped or killed server leaves behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SAMPLE_CORPUS, wait_for_port

from .conftest import running_server

SECRET = "机密：服务器上的这份文件不属于语料库。"
SPEECH = "市长在全市工作会议上的讲话\n同志们：\n今年我们要建成第{n}号创新平台。\n"


@pytest.fixture(scope="module")
def served(sample_settings, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("guard")
    secret = tmp / "secret" / "机密.md"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    with running_server(sample_settings, tmp, QA_MAX_FILE_CHUNKS="100") as (url, _port, corpus):
        yield url + "gradio_api/", corpus, secret, tmp


def _call(api: str, endpoint: str, body: dict, named: bool = False) -> tuple[int, object]:
    """POST /call[/v2]/ENDPOINT, then read the event stream: (HTTP status, the result or the refusal's JSON)."""
    r = httpx.post(f"{api}call/{'v2/' if named else ''}{endpoint}", json=body, timeout=60)
    if r.status_code != 200:
        return r.status_code, r.json()
    stream = httpx.get(f"{api}call/{'v2/' if named else ''}{endpoint}/{r.json()['event_id']}", timeout=300).text
    event, data = [line.split(": ", 1)[1] for line in stream.splitlines() if line.startswith(("event:", "data:"))][-2:]
    return 200, {"event": event, "data": json.loads(data)}


def _upload(api: str, path: Path, name: str | None = None) -> str:
    with path.open("rb") as f:
        r = httpx.post(f"{api}upload", files={"files": (name or path.name, f, "text/plain")}, timeout=60)
    r.raise_for_status()
    return r.json()[0]


def _searchable(api: str, text: str) -> bool:
    status, got = _call(api, "search", {"data": [text, 5]})
    return status == 200 and any(text in r["text"] for r in got["data"][0]["results"])


def test_server_files_cannot_be_imported_by_path(served):
    api, corpus, secret, tmp = served
    relative = os.path.relpath(secret, ROOT)  # the server runs in the checkout
    for files in ([str(secret)], [relative], [{"path": str(secret), "meta": {"_type": "gradio.FileData"}}]):
        status, got = _call(api, "import", {"files": files}, named=True)
        assert status == 422 and "不是通过本服务上传的文件" in got["detail"], (files, got)
        status, got = _call(api, "import", {"data": [files]})
        assert status == 422 and got["detail"].startswith("错误："), got
    # links placed in the upload cache, pointing out of it (a symbolic link; a hard link, by anyone who can write there)
    cached = Path(_upload(api, tmp / "secret" / "机密.md"))
    (cached.parent / "链接.md").symlink_to(secret)
    os.link(secret, cached.parent / "硬链接.md")
    for name in ("链接.md", "硬链接.md"):
        status, got = _call(api, "import", {"files": [{"path": str(cached.parent / name), "orig_name": name}]},
                            named=True)
        assert status == 422 and "不是通过本服务上传的文件" in got["detail"], name
    assert not (corpus / "上传").exists() or not list((corpus / "上传").iterdir())
    assert not _searchable(api, "服务器上的这份文件")
    log = (tmp / "serve.log").read_text()
    assert "拒绝导入不在上传缓存中的文件" in log and "Traceback" not in log


def test_a_real_upload_with_a_255_byte_name_is_imported_under_a_shorter_one(served):
    api, corpus, _secret, tmp = served
    name = "讲" * 83 + ".txt"  # 253 bytes, and the "(1)" of a second copy would pass 255
    assert len(name.encode()) > 250
    src = tmp / "长名.txt"
    src.write_text(SPEECH.format(n=7), encoding="utf-8")
    status, got = _call(api, "import", {"files": [{"path": _upload(api, src, name), "orig_name": name}]}, named=True)
    assert status == 200 and got["data"][0][0].startswith("✓ 讲讲"), got
    (saved,) = [p for p in (corpus / "上传").iterdir() if p.name.startswith("讲讲")]
    assert len(saved.name.encode()) <= 210
    assert _searchable(api, "第7号创新平台")


def test_office_files_and_scans_upload_like_they_ingest(served):
    """Issue 29: the upload reads what `qa ingest` reads and says of the rest what `qa ingest` says."""
    import docx

    from qa.app.bench.files import render_scan

    api, corpus, _secret, tmp = served
    work = tmp / "office-upload"
    work.mkdir()
    d = docx.Document()
    for line in ("在全市外贸工作会议上的讲话", "同志们：", "今年要新培育外贸主体三百家。"):
        d.add_paragraph(line)
    d.save(work / "外贸.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--convert-to",
                    "doc", "--outdir", str(work), str(work / "外贸.docx")], check=True, capture_output=True, timeout=120)
    render_scan(work / "扫描.png", "在全市物流工作会议上的讲话", ["同志们：", "今年要建成冷链物流中心两个。"])
    (work / "坏图.png").write_bytes(b"\x89PNG\r\n broken")
    (work / "备忘.xyz").write_text("不是讲话", encoding="utf-8")
    files = [{"path": _upload(api, work / n, n), "orig_name": n} for n in ("外贸.doc", "扫描.png", "坏图.png", "备忘.xyz")]
    status, got = _call(api, "import", {"files": files}, named=True)
    said = {m.split("：", 1)[0]: m for m in got["data"][0]}  # one message per file
    assert status == 200 and said["✓ 外贸.doc"] == "✓ 外贸.doc：已导入" and said["✓ 扫描.png"] == "✓ 扫描.png：已导入", said
    assert said["✗ 坏图.png"].startswith("✗ 坏图.png：无法打开图片")
    assert said["✗ 备忘.xyz"].startswith("✗ 备忘.xyz：不支持的文件类型 .xyz")
    assert _searchable(api, "新培育外贸主体三百家") and _searchable(api, "冷链物流中心")


@pytest.mark.parametrize(("endpoint", "body", "status", "says"), [
    ("search", {"data": ["主题教育", "abc"]}, 422, "k 应为整数"),
    ("search", {"data": ["主题教育", None]}, 422, "k 应为整数"),
    ("search", {"data": ["主题教育", [5]]}, 422, "k 应为整数"),
    ("search", {"data": ["主题教育", float("nan")]}, 422, "k 应为整数"),
    ("search", {"data": [123]}, 422, "question 应为文字"),
    ("ask", {"data": [["市委书记", "稳就业"]]}, 422, "question 应为文字"),
    ("quote", {"data": [5]}, 422, "quote 应为文字"),
    ("search", {"data": ["主题教育", 3, "", "", "", "", "多余"]}, 422, "最多接受 6 个参数"),
    ("ask", {"data": []}, 422, "缺少参数 question"),
    ("nope", {"data": ["x"]}, 404, "没有接口 /nope"),
    ("quote", {"data": ["\ud800abc"]}, 422, "quote 应为文字"),  # a lone surrogate: no text of ours holds one
    ("search", {"data": ["主题教育", 5, "讲" * 200_000]}, 422, "speaker 太长"),
    ("import", {"data": [["/etc/passwd\u0000.txt"]]}, 422, "不是通过本服务上传的文件"),
])
def test_wrong_calls_get_a_chinese_message_and_a_4xx(served, endpoint, body, status, says):
    api, *_ = served
    r = httpx.post(f"{api}call/{endpoint}", content=json.dumps(body, allow_nan=True),
                   headers={"content-type": "application/json"}, timeout=60)
    assert r.status_code == status and r.json()["detail"].startswith("错误：") and says in r.json()["detail"], r.text


def test_wrong_named_arguments_functions_and_bodies_are_4xx(served):
    api, _corpus, secret, tmp = served
    deep = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    r = httpx.post(f"{api}call/ask", content=deep, headers={"content-type": "application/json"}, timeout=60)
    assert r.status_code == 400 and r.json()["detail"].startswith("错误：")
    r = httpx.post(f"{api}stream/abc", json={"data": [[str(secret)]], "fn_index": 0, "session_hash": "x"}, timeout=30)
    assert r.status_code == 404 and r.json()["detail"].startswith("错误：")  # no way around the checks
    r = httpx.post(f"{api}call/search", content=json.dumps({"data": ["主题教育", 3]}), timeout=30,
                   headers={"content-type": "text/plain"})
    assert r.status_code == 200 and "event_id" in r.json()  # JSON is JSON, whatever the client calls it
    status, got = _call(api, "search", {"question": "主题教育", "kk": 3}, named=True)
    assert status == 422 and "没有参数 kk" in got["detail"]
    r = httpx.post(f"{api}queue/join", json={"data": [], "fn_index": 999, "session_hash": "x"}, timeout=30)
    assert r.status_code == 400 and "fn_index" in r.json()["detail"]
    r = httpx.post(f"{api}queue/join", json={"data": "x", "fn_index": 0, "session_hash": "x"}, timeout=30)
    assert r.status_code == 422 and r.json()["detail"].startswith("错误：")  # the page's own events too
    for route, body in (("run/quote", {"data": ["x"], "fn_index": 3}), ("api/search", {"data": ["主题教育", 3]})):
        r = httpx.post(f"{api}{route}", json=body, timeout=30)  # past the queue, or to a function by number
        assert r.status_code == 404 and r.json()["detail"].startswith("错误："), route
    r = httpx.post(f"{api}call/quote", json={"data": ["x"], "fn_index": 3}, timeout=30)
    assert r.status_code == 400 and "fn_index" in r.json()["detail"]
    r = httpx.post(f"{api}call/search", content=b"{not json", headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 400 and r.json()["detail"].startswith("错误：")
    # an error of the library is one line in the log, not a traceback
    status, got = _call(api, "search", {"data": ["主题教育", 10**9]})
    assert got["event"] == "error" and got["data"]["error"].startswith("错误：") and "返回段数 k" in got["data"]["error"]
    # optional arguments left out take their defaults; gradio_client is served as before
    status, got = _call(api, "search", {"data": ["主题教育"]})
    assert status == 200 and got["event"] == "complete" and got["data"][0]["results"]
    from gradio_client import Client

    assert Client(api[: -len("gradio_api/")], verbose=False).predict("主题教育", 3, api_name="/search")["results"]
    log = (tmp / "serve.log").read_text()
    assert "Traceback" not in log and "接口调用被拒绝" in log


def test_a_file_too_long_to_index_is_refused_and_not_kept(served):
    api, corpus, _secret, tmp = served
    big, ok = tmp / "超长.txt", tmp / "正常.txt"
    big.write_text("今年我们要完成重点工程建设任务，力争年底前建成创新平台。\n" * 400, encoding="utf-8")
    ok.write_text(SPEECH.format(n=9), encoding="utf-8")
    status, got = _call(api, "import", {"files": [_upload(api, big), _upload(api, ok)]}, named=True)
    messages = got["data"][0]
    assert messages[0].startswith("✗ 超长.txt：文件过长") and messages[1] == "✓ 正常.txt：已导入", messages
    assert not (corpus / "上传" / "超长.txt").exists() and (corpus / "上传" / "正常.txt").exists()
    env = {**os.environ, "QA_HOME": str(tmp / "home"), "QA_CORPUS": str(corpus)}
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "qa"), "ingest", "--json", "--quiet"],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and json.loads(run.stdout)["errors"] == []


def test_uploads_and_exports_live_in_the_servers_folder_and_go_with_it(sample_settings, tmp_path):
    killed = tmp_path / "killed"
    with running_server(sample_settings, killed) as (url, port, _corpus):
        path = Path(_upload(url + "gradio_api/", SAMPLE_CORPUS / "000_03004420b872a5dd.txt"))
        home = killed / "home"
        assert path.is_relative_to(home / "serve")
        pid = int(next((home / "serve").glob("run-*.lock")).name.split("-")[1])
        os.kill(pid, signal.SIGKILL)
        wait_for_port(port, open_=False)
    assert path.exists()  # a killed server cannot clean up: the next start does
    with running_server(sample_settings, tmp_path / "next") as (_url, _port, _corpus):
        pass
    stopped = tmp_path / "next" / "home" / "serve"
    assert not list(stopped.glob("run-*"))  # a clean stop removes its own folder
    # the killed server's home, started again
    proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "python"), "-c",
                             "import sys; from ui._rundir import RunFolder; RunFolder.claim(sys.argv[1]); print('ok')",
                             str(home)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.communicate(timeout=60)[0].strip() == "ok"
    assert not path.exists() and not list((home / "serve").glob("run-*"))


def test_exports_and_saved_files_are_readable_by_colleagues(tmp_path):
    script = ("import os, stat, sys; os.umask(0o022); from ui._rundir import export_file, export_path;"
              "from qa.core.files import atomic_write;"
              "p = export_file('回答.md', 'x'); q = atomic_write(export_path('台账.docx'), lambda t: open(t, 'w').close());"
              "print(oct(stat.S_IMODE(os.stat(p).st_mode)), oct(stat.S_IMODE(os.stat(q).st_mode)),"
              "oct(stat.S_IMODE(os.stat(os.path.dirname(p)).st_mode)))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["0o644", "0o644", "0o755"], out.stderr

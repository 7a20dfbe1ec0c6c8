"""`qa serve` under hostile and concurrent use, through real HTTP on loopback and real processes: huge questions,
oversized uploads, many uploads at once (and beside a CLI ingest), another process changing the index, an import
cut short by a crash, password guessing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from qa import QA
from tests.conftest import ROOT, make_settings
from ui._security import Throttle

from .conftest import running_server

QA_BIN = os.path.join(os.path.dirname(sys.executable), "qa")
SPEECH = "{who}在第{n}次全市工作会议上的讲话\n同志们：\n今年我们要完成第{n}号重点工程，力争年底前建成{n}个创新平台。\n"


def _client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def _speech(folder: Path, n: int, who: str = "市长") -> Path:
    path = folder / f"第{n}号讲话.txt"
    path.write_text(SPEECH.format(who=who, n=n), encoding="utf-8")
    return path


def _docs(corpus: Path) -> set[str]:
    """The documents the index holds, read by a separate process's view (a fresh QA on the same QA_HOME)."""
    settings = make_settings(corpus.parent, corpus)
    return {d.doc for d in QA(settings).documents()}


def test_a_maximal_question_is_refused_at_once_while_a_normal_one_is_answered(sample_settings, tmp_path):
    with running_server(sample_settings, tmp_path) as (url, _port, _corpus):
        client = _client(url)
        with ThreadPoolExecutor(3) as pool:
            huge = [pool.submit(client.predict, "稳就业" * size, "", "", api_name="/ask") for size in (33_000, 330_000)]
            normal = pool.submit(client.predict, "市委书记把2023年确立为什么年？", "", "", api_name="/ask")
            answer = normal.result(timeout=120)
            for f in huge:
                with pytest.raises(Exception, match="问题太长"):
                    f.result(timeout=120)
        assert answer["found"] and "项目攻坚突破年" in answer["answer"]
        with pytest.raises(Exception, match="返回段数 k"):
            client.predict("主题教育", 10**9, "", "", api_name="/search")


def test_uploads_beyond_the_file_limit_are_refused_by_the_server(sample_settings, tmp_path):
    with running_server(sample_settings, tmp_path, QA_MAX_FILE_MB="0.05") as (url, _port, corpus):
        big = tmp_path / "大文件.txt"
        big.write_bytes("讲话".encode() * 20_000)  # 120 kB
        with big.open("rb") as f:
            r = httpx.post(url + "gradio_api/upload", files={"files": ("大文件.txt", f, "text/plain")}, timeout=60)
        assert r.status_code == 413
        ok = _speech(tmp_path, 1)
        with pytest.raises(Exception):  # noqa: B017 - gradio_client surfaces the 413 in its own way
            _client(url).predict([_handle(big)], api_name="/import")
        assert _client(url).predict([_handle(ok)], api_name="/import")[0] == "✓ 第1号讲话.txt：已导入"
        assert not (corpus / "上传" / "大文件.txt").exists()


def _handle(path: Path):
    from gradio_client import handle_file

    return handle_file(str(path))


def test_eight_uploads_at_once_beside_a_cli_ingest_are_all_indexed(sample_settings, tmp_path):
    with running_server(sample_settings, tmp_path) as (url, _port, corpus):
        files = [_speech(tmp_path, n) for n in range(1, 9)]
        home = corpus.parent / "home"
        # a CLI ingest of the same QA_HOME is running: it holds the ingest lock until told to finish
        holder = subprocess.Popen(
            [sys.executable, "-c", "import sys; from ingest import ingest_lock; "
             "from qa import Settings; s = Settings(home=sys.argv[1]);\n"
             "with ingest_lock(s):\n    print('locked', flush=True); sys.stdin.readline()", str(home)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "locked"
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(lambda f: _client(url).predict([_handle(f)], api_name="/import"), f) for f in files]
            # the first upload has reached the lock (its file is copied before the import waits): all wait their turn
            deadline = time.time() + 120
            while not (corpus / "上传").is_dir() or not list((corpus / "上传").iterdir()):
                assert time.time() < deadline, "no upload reached the import"
                time.sleep(0.1)
            assert not any(f.done() for f in futures) and not {f"上传/{f.name}" for f in files} & _docs(corpus)
            holder.stdin.write("done\n")
            holder.stdin.close()
            results = [f.result(timeout=300) for f in futures]
        holder.wait(timeout=30)
        for f, messages in zip(files, results, strict=True):
            assert messages[0] == f"✓ {f.name}：已导入", messages
            assert not any("qa ingest" in m or "pid" in m for m in messages)
        assert {f"上传/{f.name}" for f in files} <= _docs(corpus)


def test_another_process_ingest_is_seen_everywhere_without_a_restart(sample_settings, tmp_path):
    with running_server(sample_settings, tmp_path) as (url, _port, corpus):
        client = _client(url)
        assert client.predict("主题教育", 3, "市委书记", "", api_name="/search")["results"]  # the server has read its store
        _speech(corpus, 41, who="区长")
        env = {**os.environ, "QA_HOME": str(corpus.parent / "home"), "QA_CORPUS": str(corpus)}
        subprocess.run([QA_BIN, "ingest"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
        for speaker, doc in (("", "第41号讲话.txt"), ("区长", ""), ("市委书记", "")):
            res = client.predict("重点工程", 3, speaker, doc, api_name="/search")
            assert res["results"], (speaker, doc)
        ans = client.predict("区长要建成几个创新平台？", "区长", "", api_name="/ask")
        assert ans["found"] and "41个创新平台" in ans["answer"]


def test_an_import_cut_short_is_finished_when_the_server_starts(sample_settings, tmp_path):
    """A `kill -9` during an upload leaves files in corpus/上传/ that were never indexed."""
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_settings.corpus, corpus)
    (corpus / "上传").mkdir()
    left = [_speech(corpus / "上传", n) for n in (51, 52)]
    settings = make_settings(tmp_path, corpus)
    shutil.copytree(sample_settings.home, settings.home)
    with running_server(settings, tmp_path / "run") as (url, _port, _served):
        client = _client(url)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if all(client.predict("重点工程", 1, "", f"上传/{p.name}", api_name="/search")["results"] for p in left):
                    break
            except Exception:  # noqa: BLE001 - "no such speech" until the start-up import has reached it
                pass
            time.sleep(1)
        else:
            raise AssertionError("the files left by the interrupted upload were not indexed")


def test_password_guessing_is_throttled_and_user_names_compare_exactly(sample_settings, tmp_path):
    with running_server(sample_settings, tmp_path, QA_UI_AUTH="staff:正确的口令1", QA_LOGIN_ATTEMPTS="5",
                        QA_LOGIN_LOCKOUT="600") as (url, _port, _corpus):
        def login(user: str, password: str) -> int:
            return httpx.post(url + "login", data={"username": user, "password": password}, timeout=30).status_code

        assert login("staff ", "正确的口令1") == 400  # Gradio alone would strip the name and let it in
        assert login("Staff", "正确的口令1") == 400
        assert login("staff", "正确的口令1") == 200  # a success clears the count
        codes = [login("staff", f"guess{i}") for i in range(50)]
        assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}
        assert login("staff", "正确的口令1") == 429  # locked out: the right password waits too
        r = httpx.post(url + "login", data={"username": "staff", "password": "x"}, timeout=30)
        assert "秒后再试" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
    log = (tmp_path / "serve.log").read_text()
    assert "登录失败" in log and "正确的口令1" not in log and "guess1" not in log
    assert "讲话材料问答已启动：http://127.0.0.1:" in log and "public link" not in log  # no hint at share links


def test_throttle_lock_out_grows_and_expires():
    now = [0.0]
    t = Throttle(attempts=3, lockout=10, address_attempts=50, clock=lambda: now[0])
    for _ in range(2):
        t.failed("staff", "10.0.0.1")
    assert t.wait("staff", "10.0.0.2") == 0
    t.failed("staff", "10.0.0.1")
    assert t.wait("staff", "10.0.0.2") == 10  # the user name is locked, from any address
    assert t.wait("other", "10.0.0.1") == 0  # a name that never failed is not, even from the same address
    t.failed("staff", "10.0.0.1")
    assert t.wait("staff", "10.0.0.9") == 20
    now[0] = 25.0
    assert t.wait("staff", "10.0.0.1") == 0
    t.succeeded("staff", "10.0.0.1")
    t.failed("staff", "10.0.0.1")
    assert t.wait("staff", "10.0.0.1") == 0


def test_an_address_trying_many_names_is_stopped_for_names_that_failed_but_not_for_colleagues():
    now = [0.0]
    t = Throttle(attempts=5, lockout=10, address_attempts=20, clock=lambda: now[0])
    for i in range(20):  # 20 failures spread over 10 names: no name reaches 5
        t.failed(f"user{i % 10}", "10.0.0.1")
    assert t.wait("user3", "10.0.0.1") == 10  # the address is locked for names that failed from it
    assert t.wait("user3", "10.0.0.2") == 0  # not from elsewhere
    assert t.wait("colleague", "10.0.0.1") == 0  # and a colleague behind the same proxy who never failed logs in
    t.succeeded("colleague", "10.0.0.1")  # a login from that address does not reset the guesser's count
    assert t.wait("user3", "10.0.0.1") == 10
    t.succeeded("user3", "10.0.0.1")  # user3's own login clears user3's record: the address lock no longer holds it
    assert t.wait("user3", "10.0.0.1") == 0 and t.wait("user4", "10.0.0.1") == 10
    now[0] = 11.0
    assert t.wait("user4", "10.0.0.1") == 0


def test_the_throttle_forgets_the_oldest_names_past_its_bound():
    from ui._security import MAX_TRACKED

    t = Throttle(attempts=3, lockout=10, address_attempts=10**9)
    for i in range(MAX_TRACKED + 50):
        t.failed(f"guess{i}", "10.0.0.1")
    assert len(t._failures) <= MAX_TRACKED and ("user", f"guess{MAX_TRACKED + 49}") in t._failures


def test_a_locked_name_does_not_lock_out_colleagues_and_a_spoofed_header_lifts_nothing(sample_settings, tmp_path):
    with running_server(sample_settings, tmp_path, QA_UI_AUTH="staff:口令一,wang:口令二,li:口令三",
                        QA_LOGIN_ATTEMPTS="5", QA_LOGIN_LOCKOUT="600") as (url, _port, _corpus):
        def login(user: str, password: str, **headers: str) -> int:
            return httpx.post(url + "login", data={"username": user, "password": password}, headers=headers,
                              timeout=30).status_code

        assert set(login("staff", f"guess{i}") for i in range(50)) == {400, 429}
        assert login("staff", "口令一") == 429
        assert login("staff", "口令一", **{"X-Forwarded-For": "10.1.2.3"}) == 429  # a header proves nothing
        assert login("staff", "口令一", **{"X-Forwarded-For": "127.0.0.10, 8.8.8.8"}) == 429
        r = httpx.post(url + "login", content=b"--x\r\n", timeout=30,
                       headers={"content-type": "multipart/form-data"})  # no boundary: not a form anyone sends
        assert r.status_code == 400
        assert login("名" * 5000, "x") == 400  # not counted, not logged whole
        # before logging in, the API tells nothing: not its endpoints, not its parameters
        for body, endpoint in (({"data": ["x"]}, "nope"), ({"data": ["主题教育", "abc"]}, "search")):
            r = httpx.post(url + f"gradio_api/call/{endpoint}", json=body, timeout=30)
            assert r.status_code == 401 and "可用" not in r.text and "应为" not in r.text, r.text
        assert login("wang", "口令二") == 200  # a colleague who never failed, from the same address
        for i in range(20):  # 20 failures spread over 10 names (two of them real)
            login(["wang", "li", *[f"name{n}" for n in range(8)]][i % 10], f"typo{i}")
        assert login("wang", "口令二") == 200 and login("li", "口令三") == 200
    log = (tmp_path / "serve.log").read_text()
    assert "来自 127.0.0.1（请求头 X-Forwarded-For 称 '10.1.2.3'，未采信）" in log
    assert "称 '127.0.0.10, 8.8.8.8'，未采信" in log
    assert "口令" not in log and "typo" not in log and "名" * 200 not in log


def test_x_forwarded_for_is_believed_from_a_proxy_the_operator_names(sample_settings, tmp_path):
    with running_server(sample_settings, tmp_path, QA_UI_AUTH="staff:口令一", QA_LOGIN_ATTEMPTS="2",
                        QA_LOGIN_LOCKOUT="600", QA_LOGIN_ADDRESS_ATTEMPTS="3",
                        QA_TRUSTED_PROXIES="127.0.0.1") as (url, _port, _corpus):
        def login(user: str, password: str, client: str) -> int:
            return httpx.post(url + "login", data={"username": user, "password": password},
                              headers={"X-Forwarded-For": client}, timeout=30).status_code

        for i in range(3):  # a guesser at 10.0.0.66 locks its own address (for names that failed), nobody else's
            login(f"x{i}", "guess", "10.0.0.66")
        assert login("staff", "wrong", "10.0.0.66") == 400
        assert login("staff", "口令一", "10.0.0.66") == 429
        assert login("staff", "口令一", "10.0.0.7") == 200
    log = (tmp_path / "serve.log").read_text()
    assert "来自 10.0.0.66" in log and "未采信" not in log

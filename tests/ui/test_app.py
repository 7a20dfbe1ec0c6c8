"""The served app on loopback, driven through gradio_client as a real client would."""

import os
import socket
import subprocess
import sys
import time

import pytest

from qa import Answer, Citation
from tests.conftest import ROOT
from ui.app import render_answer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_settings):
    port = _free_port()
    env = {**os.environ, "QA_HOME": str(sample_settings.home), "QA_CORPUS": str(sample_settings.corpus)}
    qa_bin = os.path.join(os.path.dirname(sys.executable), "qa")
    proc = subprocess.Popen([qa_bin, "serve", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.3)
    yield url, port
    proc.terminate()
    proc.wait(timeout=20)


def test_page_answers_with_a_citation_to_speech_004(server):
    from gradio_client import Client

    url, _ = server
    client = Client(url, verbose=False)
    reply = client.predict("市委书记把2023年确立为什么年？", "", "", api_name="/chat")
    assert "项目攻坚突破年" in reply
    assert "004_333b86c7d610c3e1.txt" in reply and "[1]" in reply.replace("\\", "")


def test_not_found_answers_look_different(server):
    from gradio_client import Client

    reply = Client(server[0], verbose=False).predict("市委书记讲话中提到全市常住人口有多少万？", "", "", api_name="/chat")
    assert reply.startswith("**未找到**") and "出处" not in reply


def test_listens_on_loopback_only(server):
    _, port = server
    addrs = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for addr in addrs:
        with pytest.raises(OSError):
            socket.create_connection((addr, port), timeout=1).close()


def test_rendering_escapes_speech_text_and_highlights_the_quote():
    text = "全市GDP突破****亿元。我们要办好<b>十件</b>实事。"
    c = Citation(n=1, doc="x.txt", title="标题", speaker="市长", text=text, start=10, end=10 + len(text),
                 paragraph=3, highlights=[[10 + text.index("我们"), 10 + len(text)]])
    md = render_answer(Answer("问", "我们要办好<b>十件</b>实事。[1]", True, [c], "extractive"))
    assert "\\*\\*\\*\\*" in md and "<b>" not in md
    assert "**我们要办好" in md and "第3段" in md

"""More than one machine: several `qa serve` processes (each with its own QA_HOME, as on separate machines) share
one Chroma server and one corpus folder; an ingest from a third place is seen by all of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, TINY_A, TINY_B, free_port, wait_for_port

QA_BIN = os.path.join(os.path.dirname(sys.executable), "qa")
NEW = "县长在全县秸秆综合利用会议上的讲话\n\n同志们：\n\n我们要在年底前建成12个秸秆收储中心，秸秆综合利用率达到95%。\n"


def _env(home: Path, corpus: Path, url: str) -> dict:
    return {**os.environ, "QA_HOME": str(home), "QA_CORPUS": str(corpus), "QA_CHROMA_URL": url}


def test_two_servers_on_one_chroma_server_see_another_machines_ingest(tmp_path, chroma_server):
    from gradio_client import Client

    chroma = chroma_server[1]
    corpus = tmp_path / "share" / "corpus"  # the shared drive every machine mounts
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text(TINY_A, encoding="utf-8")
    (corpus / "b.txt").write_text(TINY_B, encoding="utf-8")
    subprocess.run([QA_BIN, "ingest", "--quiet"], env=_env(tmp_path / "office", corpus, chroma), check=True,
                   capture_output=True, timeout=300)
    servers, clients = [], []
    try:
        for name in ("machine1", "machine2"):  # no index of their own: they read the server's
            port = free_port()
            log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed below
            # they ask the store for changes at every request (QA_SERVER_CHECK_S=0), not every 2 s: no waiting
            env = {**_env(tmp_path / name, corpus, chroma), "QA_SERVER_CHECK_S": "0"}
            servers.append((subprocess.Popen([QA_BIN, "serve", "--port", str(port)], cwd=ROOT, stdout=log,
                                             stderr=subprocess.STDOUT, env=env), log))
            wait_for_port(port, servers[-1][0], timeout=120)
            clients.append(Client(f"http://127.0.0.1:{port}/", verbose=False))
        for client in clients:
            assert client.predict("高标准农田", 1, "", "", api_name="/search")["results"][0]["doc"] == "b.txt"

        # the office adds a speech: both servers find it, by words (their own lexical table) and by speaker
        (corpus / "c.txt").write_text(NEW, encoding="utf-8")
        subprocess.run([QA_BIN, "ingest", "--quiet"], env=_env(tmp_path / "office", corpus, chroma), check=True,
                       capture_output=True, timeout=300)
        for client in clients:
            res = client.predict("秸秆收储中心", 3, "县长", "", api_name="/search")
            assert [r["doc"] for r in res["results"]][:1] == ["c.txt"]
            ans = client.predict("县长要在年底前建成多少个秸秆收储中心？", "", "", api_name="/ask")
            assert ans["found"] and "12个" in ans["answer"] and ans["citations"][0]["doc"] == "c.txt"
        # a machine's own ingest never removes what another machine added
        report = subprocess.run([QA_BIN, "ingest", "--json"], env=_env(tmp_path / "machine1", corpus, chroma),
                                check=True, capture_output=True, text=True, timeout=300)
        assert '"removed": 0' in report.stdout and '"documents": 3' in report.stdout
    finally:
        for proc, log in servers:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()

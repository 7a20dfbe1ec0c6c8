"""Bounded work and careful inputs at the library and CLI level (issue: hostile and concurrent use)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from qa import QA, InputError
from qa.index.embeddings import get_embedder
from tests.conftest import ROOT, indexed

QA_BIN = os.path.join(os.path.dirname(sys.executable), "qa")


class CountingEmbedder:
    """The real bundled embedder, counting the questions it is given."""

    def __init__(self, settings) -> None:
        self.inner, self.queries = get_embedder(settings.embedding, settings), 0

    def embed_query(self, text: str) -> list[float]:
        self.queries += 1
        return self.inner.embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)


def test_a_question_over_the_cap_is_refused_before_any_embedding(sample_settings):
    embedder = CountingEmbedder(sample_settings)
    qa = QA(sample_settings, embedder=embedder)
    cap = sample_settings.max_question_chars
    long = "市委书记在稳就业方面承诺了什么？" * 200  # a pasted document: 3,200 characters
    for call in (lambda: qa.ask(long), lambda: qa.search(long), lambda: qa.pledges(query=long),
                 lambda: list(qa.ask_stream(long))):
        with pytest.raises(InputError, match=f"太长（{len(long)} 字，最多 {cap} 字）"):
            call()
    assert embedder.queries == 0
    at_cap = ("市委书记在稳就业方面承诺了什么" + "，" * cap)[: cap - 1] + "？"
    assert len(at_cap) == cap and qa.ask(at_cap).question == at_cap  # the cap itself is accepted
    assert embedder.queries > 0


def test_search_k_is_bounded(sample_qa):
    for k in (-1, 0, 10**9):
        with pytest.raises(InputError, match="返回段数 k"):
            sample_qa.search("主题教育", k=k)


def test_stdin_that_is_not_utf8_is_one_error_line_and_the_other_questions_are_answered(sample_settings):
    env = {**os.environ, "QA_HOME": str(sample_settings.home), "QA_CORPUS": str(sample_settings.corpus)}
    stdin = "问题".encode("gbk") + "\n市委书记把2023年确立为什么年？\n".encode()
    out = subprocess.run([QA_BIN, "ask", "-"], input=stdin, env=env, cwd=ROOT, capture_output=True, timeout=300)
    err = out.stderr.decode()
    assert out.returncode == 1 and "内部错误" not in err and "Traceback" not in err
    assert "错误：标准输入第 1 行不是 UTF-8" in err
    assert "项目攻坚突破年" in out.stdout.decode()


def test_a_sentence_in_near_identical_files_is_quoted_once(tmp_path):
    speech = ("市长在全市招商引资工作会议上的讲话\n同志们：\n今年我们要把招商引资作为一号工程。"
              "全市要新引进亿元以上项目50个，确保年底前全部开工。\n我们将设立专项基金，重点支持新能源汽车产业链。\n")
    settings = indexed(tmp_path, {"a.txt": speech, "a（转发）.txt": speech + "（来源：市政府网站）\n",
                                  "a 副本.txt": speech.replace("同志们：", "同志们:")})
    ans = QA(settings).ask("全市要新引进多少个亿元以上项目？")
    assert ans.found
    assert ans.answer.count("新引进亿元以上项目50个") == 1

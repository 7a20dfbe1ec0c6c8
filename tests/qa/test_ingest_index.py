"""Ingest into the real Chroma with the real bundled embedder: idempotency, changes, deletions, bad files."""

import json
import shutil

import pytest

from ingest import ingest
from ingest._pipeline import ingest_lock
from qa import QA, Index, QAError
from qa.core.errors import IndexStateError
from tests.conftest import TINY_A, make_settings


def _store_ids(settings):
    return set(Index(settings).vectors.ids())


def test_first_ingest_then_unchanged_rerun_embeds_nothing(tiny_settings):
    first = ingest(settings=tiny_settings, progress=False)
    assert (first.documents, first.added, first.unchanged, first.removed, first.errors) == (2, 2, 0, 0, [])
    assert first.embedded == first.chunks > 0
    ids = _store_ids(tiny_settings)
    assert len(ids) == first.chunks

    again = ingest(settings=tiny_settings, progress=False)
    assert (again.added, again.unchanged, again.embedded, again.removed) == (0, 2, 0, 0)
    assert "没有需要向量化的内容" in again.summary()
    assert _store_ids(tiny_settings) == ids


def test_changed_file_replaces_its_chunks_and_deleted_file_loses_them(tiny_settings, tiny_corpus):
    ingest(settings=tiny_settings, progress=False)
    before = Index(tiny_settings).load()
    old_a = {c.id for c in before.chunks if c.doc == "a.txt"}
    old_b = {c.id for c in before.chunks if c.doc == "b.txt"}

    (tiny_corpus / "a.txt").write_text(TINY_A.replace("50个", "80个"), encoding="utf-8")
    (tiny_corpus / "b.txt").unlink()
    report = ingest(settings=tiny_settings, progress=False)
    assert (report.added, report.changed, report.removed, report.documents) == (1, 1, 1, 1)
    # only the chunk whose text changed is embedded again
    assert 1 <= report.embedded < len(old_a) + 1

    after = Index(tiny_settings).load()
    ids = _store_ids(tiny_settings)
    assert ids == {c.id for c in after.chunks}
    assert not (old_b & ids)
    assert any("80个" in c.text for c in after.chunks) and not any("50个" in c.text for c in after.chunks)
    hits = QA(tiny_settings).search("乡村振兴 高标准农田").results
    assert all(h.doc == "a.txt" for h in hits)


def test_bad_files_are_reported_and_the_rest_is_indexed(tiny_settings, tiny_corpus):
    (tiny_corpus / "empty.txt").write_bytes(b"")
    (tiny_corpus / "noise.txt").write_bytes(bytes(range(256)) * 8)
    (tiny_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (tiny_corpus / "copy of a.txt").write_text(TINY_A, encoding="utf-8")
    (tiny_corpus / "gbk.txt").write_bytes("县长在全县植树节上的讲话\n我们要种树一万棵。".encode("gbk"))
    report = ingest(settings=tiny_settings, progress=False)
    errors = {e["path"]: e["error"] for e in report.errors}
    assert set(errors) == {"empty.txt", "noise.txt", "broken.pdf", "copy of a.txt"}
    assert "为空" in errors["empty.txt"] and "二进制" in errors["noise.txt"] and "PDF" in errors["broken.pdf"]
    assert "a.txt" in errors["copy of a.txt"] and "重复" in errors["copy of a.txt"]
    assert report.documents == 3
    assert QA(tiny_settings).search("种树").results[0].doc == "gbk.txt"


def test_symlink_out_of_the_corpus_is_not_read(tiny_settings, tiny_corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密文件：密码是123456。", encoding="utf-8")
    (tiny_corpus / "link.txt").symlink_to(secret)
    report = ingest(settings=tiny_settings, progress=False)
    assert [e["path"] for e in report.errors] == ["link.txt"]
    assert not any("机密" in c.text for c in Index(tiny_settings).load().chunks)


def test_another_embedder_is_refused_with_the_rebuild_instruction(tiny_settings, tmp_path):
    ingest(settings=tiny_settings, progress=False)
    other = tiny_settings.model_copy(update={"embedding": "st:/nonexistent"})
    with pytest.raises(IndexStateError, match="qa ingest --rebuild"):
        QA(other).search("招商引资")
    with pytest.raises(IndexStateError, match="qa ingest --rebuild"):
        ingest(settings=other, progress=False)


def test_search_before_any_ingest_says_to_ingest(tmp_path):
    with pytest.raises(IndexStateError, match="qa ingest"):
        QA(make_settings(tmp_path)).search("招商引资")


def test_a_second_ingest_is_refused_while_one_runs(tiny_settings):
    with ingest_lock(tiny_settings):
        with pytest.raises(QAError, match="另一个导入正在进行"):
            ingest(settings=tiny_settings, progress=False)
    assert ingest(settings=tiny_settings, progress=False).documents == 2


def test_lost_lexical_table_is_rebuilt_from_the_store(tiny_settings):
    ingest(settings=tiny_settings, progress=False)
    table = Index(tiny_settings).table_path
    expected = json.loads(table.read_text(encoding="utf-8"))["chunks"]
    table.write_text("{not json", encoding="utf-8")
    index = Index(tiny_settings).load()
    assert any("重建" in w for w in index.warnings)
    assert sorted(c.id for c in index.chunks) == sorted(row[0] for row in expected)
    assert QA(tiny_settings).search("高标准农田").results[0].doc == "b.txt"


def test_rebuild_starts_from_scratch(tiny_settings):
    ingest(settings=tiny_settings, progress=False)
    report = ingest(settings=tiny_settings, progress=False, rebuild=True)
    assert report.embedded == report.chunks and report.added == 2


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_rebuilt_table_keeps_documents_and_pledges(sample_settings, tmp_path, damage):
    """The table is only a mirror: lost or damaged, it comes back from the store with the same pledges, and the
    next ingest has nothing to re-read."""
    home = tmp_path / "home"
    shutil.copytree(sample_settings.home, home)
    settings = sample_settings.model_copy(update={"home": home})
    before_pledges = [p.to_dict() for p in QA(settings).pledges()]
    before_docs = [d.to_dict() for d in QA(settings).documents()]
    table = Index(settings).table_path
    if damage == "missing":
        table.unlink()
    else:
        table.write_text('{"format": 3, "chunks": [[1, 2]]}', encoding="utf-8")
    qa = QA(settings)
    assert [p.to_dict() for p in qa.pledges()] == before_pledges and len(before_pledges) > 50
    assert [d.to_dict() for d in qa.documents()] == before_docs
    assert any("重建" in w for w in qa.index.warnings)
    assert ingest(settings=settings, progress=False).unchanged == 5


def test_library_users_pass_their_own_chat_model_and_embedder(tiny_settings):
    """The seams: a LangChain chat model and Embeddings object given to QA are the ones used."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from qa.index.embeddings import E5Embeddings

    class CountingEmbeddings(E5Embeddings):
        queries = 0

        def embed_query(self, text):
            type(self).queries += 1
            return super().embed_query(text)

    ingest(settings=tiny_settings, progress=False)
    model = GenericFakeChatModel(messages=iter([AIMessage("要建设高标准农田两万亩[1]。")]))
    qa = QA(tiny_settings, chat_model=model, embedder=CountingEmbeddings())
    ans = qa.ask("要建设多少亩高标准农田？")
    assert ans.found and ans.answer == "要建设高标准农田两万亩[1]。" and ans.citations[0].doc == "b.txt"
    assert ans.backend == "GenericFakeChatModel" and CountingEmbeddings.queries == 1
    assert qa.ask("要建设多少亩高标准农田？", llm="extractive").backend == "extractive"

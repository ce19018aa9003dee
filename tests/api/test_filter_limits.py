"""List filters are bounded before they reach Chroma (issue 18, defect 2): a request with 10,000
document sets once segfaulted the API process; now it is a 422 and the next request is served."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.errors import InvalidRequestError
from assistant.index import Index
from assistant.index.chroma_metadata import MAX_WHERE_TERMS, where_clause
from assistant.types import MAX_FILTER_VALUES, Chunk, DocumentRecord, SearchFilters
from tests.api.conftest import Keys, copy_corpus_index, make_keys
from tests.fakes.api_process import ApiProcess

QUESTION = "Wie viel spart Kessbach mit openDesk?"


@pytest.mark.slow
def test_huge_filter_lists_are_refused_and_the_server_survives(
    corpus_index_template: Path, tmp_path: Path
) -> None:
    settings = Settings(data_dir=copy_corpus_index(corpus_index_template, tmp_path), index_name="corpus")
    keys = make_keys(settings)
    env = {
        "ASSISTANT_DATA_DIR": str(settings.data_dir),
        "ASSISTANT_INDEX_NAME": "corpus",
        "ASSISTANT_API_RATE_LIMIT_PER_MINUTE": "0",
    }
    many = [f"menge-{i}" for i in range(10_000)]
    with ApiProcess(env, tmp_path / "api.log") as api, httpx.Client(base_url=api.url, timeout=60) as client:
        admin = Keys.header(keys.admin)
        for path, body in (
            ("/api/v1/ask", {"question": QUESTION, "filters": {"doc_sets": many}}),
            ("/api/v1/search", {"query": QUESTION, "filters": {"doc_sets": many}}),
            ("/api/v1/search", {"query": QUESTION, "filters": {"doc_ids": many}}),
            ("/api/v1/ask/stream", {"question": QUESTION, "filters": {"doc_ids": many[:1000]}}),
        ):
            response = client.post(path, json=body, headers=admin)
            assert response.status_code == 422, (path, response.status_code, response.text[:300])
            problem = response.json()
            assert problem["code"] == "invalid_request" and "filters.doc_" in problem["detail"], problem
            assert "Höchstens 100" in problem["detail"]
        assert api.alive(), api.output()
        # The process still answers, and a filter at the limit is served.
        at_limit = many[: MAX_FILTER_VALUES - 1] + ["oeffentlich"]
        response = client.post(
            "/api/v1/search", json={"query": QUESTION, "filters": {"doc_sets": at_limit}}, headers=admin
        )
        assert response.status_code == 200, response.text
        assert response.json()["results"]
        assert client.post("/api/v1/ask", json={"question": QUESTION}, headers=admin).status_code == 200


def test_filters_dedupe_and_cap_their_lists() -> None:
    assert SearchFilters(doc_sets=["a", " a ", "b", ""]).doc_sets == ["a", "b"]
    with pytest.raises(ValueError, match="Höchstens 100"):
        SearchFilters(doc_ids=[str(i) for i in range(MAX_FILTER_VALUES + 1)])


def _index_with_one_chunk(tmp_path: Path) -> Index:
    settings = Settings(data_dir=tmp_path, index_name="where", sparse_weight=0)
    index = Index(settings, HashingEmbedder(), write=True)
    chunk = Chunk(
        chunk_id="d::0000::x",
        doc_id="d",
        text="Parkraum im Zentrum.",
        title="T",
        source="d.txt",
        doc_sets=["s7"],
    )
    record = DocumentRecord(
        doc_id="d", source="d.txt", path=str(tmp_path / "d.txt"), title="T", doc_type="other",
        content_hash="h", chunk_count=1, status="ready", ingested_at="now", doc_sets=["s7"],
    )  # fmt: skip
    index.write_document(record, [chunk])
    return index


def test_the_index_layer_refuses_what_chroma_cannot_run(tmp_path: Path) -> None:
    """``model_copy`` skips the model's validators: the index checks again before Chroma sees it."""
    with _index_with_one_chunk(tmp_path) as index:
        sets = [f"s{i}" for i in range(900)]  # 900 terms: probed to still run in Chroma
        # Up to the limit the real Chroma query runs and finds the chunk in set s7.
        within = SearchFilters().model_copy(update={"doc_sets": sets[:MAX_WHERE_TERMS]})
        assert [p.chunk.doc_id for p in index.dense_search("Parkraum", 3, within)] == ["d"]
        too_many = SearchFilters().model_copy(update={"doc_sets": [f"x{i}" for i in range(10_000)]})
        with pytest.raises(InvalidRequestError, match="Zu viele Dokumentmengen"):
            index.dense_search("Parkraum", 3, too_many)
        with pytest.raises(InvalidRequestError):
            where_clause(too_many)


def test_chroma_still_runs_the_largest_allowed_expression_with_margin(tmp_path: Path) -> None:
    """The limit's margin: Chroma (1.5.9) runs 900 ``$or`` terms; ~1,000 fail inside its SQLite."""
    with _index_with_one_chunk(tmp_path) as index:
        where = {"$or": [{f"set_s{i}": True} for i in range(900)]}
        found = index.chroma.collection.query(
            query_embeddings=[index.embedder.embed_query("Parkraum").tolist()], n_results=1, where=where
        )
        assert found["ids"][0] == ["d::0000::x"]

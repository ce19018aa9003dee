"""The draft eval in LLM mode, against a local OpenAI-compatible server that writes from the evidence.

No real model is measured here: the fake's "prose" is the first sentence of each source it is
given, cited with that source's number, plus one citation to a source that does not exist, so
the citation check has something to remove.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.drafting.llm import draft_system_prompt
from evals.draft_eval import DEFAULT_DRAFTS, run_draft_eval
from evals.draft_eval_table import citations_cell
from tests.fakes import FakeOpenAIServer
from tests.fakes.openai_server import ScriptedResponse

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE = re.compile(r'<quelle nr="(\d+)"[^>]*>\s*(.*?)\s*</quelle>', re.DOTALL)
INVALID = 99


class EvidenceWriter(FakeOpenAIServer):
    """Answers each chat request with text built from the sources in its prompt."""

    def _next(self) -> ScriptedResponse:
        with self._lock:
            prompt = self.requests[-1].user_text
        paragraphs = []
        for n, text in SOURCE.findall(prompt):
            first = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))[0].rstrip(".!?")
            paragraphs.append(f"{first} [{n}].")
        if paragraphs:
            paragraphs[0] += f" Das bestätigt auch eine weitere Stelle [{INVALID}]."
        return ScriptedResponse(text="\n\n".join(paragraphs) or "OK")


def corpus_requests(tmp_path: Path, doc_ids: set[str], count: int = 2) -> Path:
    """The first ``count`` requests of the team's draft set whose points all lie in corpus/."""
    rows = [json.loads(line) for line in DEFAULT_DRAFTS.read_text(encoding="utf-8").splitlines() if line]
    chosen = [r for r in rows if {m["doc_id"] for m in r["must_cover"]} <= doc_ids][:count]
    assert len(chosen) == count, "the draft set has requests over corpus/ alone"
    path = tmp_path / "drafts.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    return path


def corpus_doc_ids(settings: Settings) -> set[str]:
    from assistant.embeddings import create_embedder
    from assistant.index import Index

    with Index(settings, create_embedder(settings), write=False, purpose="test") as index:
        return {d.doc_id for d in index.manifest.documents()}


def test_llm_draft_eval_reports_coverage_and_the_citation_check(
    corpus_settings: Settings, tmp_path: Path
) -> None:
    dataset = corpus_requests(tmp_path, corpus_doc_ids(corpus_settings))
    with EvidenceWriter() as server:
        report: dict[str, Any] = run_draft_eval(
            dataset,
            roots=(REPO_ROOT / "corpus",),
            llm_base_url=server.base_url,
            llm_model="test-model",
            index_settings=corpus_settings,
        )
        requests = server.chat_requests

    assert report["mode"] == "llm"
    assert report["llm"] == {"base_url": server.base_url, "model": "test-model"}
    assert requests and all(r.system_prompt == draft_system_prompt() for r in requests)
    assert all(r.body["model"] == "test-model" for r in requests)
    assert not report["refused"] and not report["unknown_doc_ids"]
    assert len(report["requests"]) == 2
    for result in report["requests"]:
        assert result["mode"] == "llm"
        assert 0.0 <= result["coverage"] <= 1.0
        assert result["coverage"] == round(result["covered"] / result["points"], 4)
        assert result["covered"] + len(result["missing"]) == result["points"]
        check = result["citation_check"]
        # The check ran: the invented source was removed in every part the model wrote, and no
        # number is left in the text without a listed source.
        assert check["blocks"] > 0
        assert check["removed"] and set(check["removed"]) == {INVALID}
        assert check["unresolved"] == []
        assert check["cited_blocks"] == check["blocks"]
        assert "entfernt" in citations_cell(check)
    # Prose from the sources cites them: some must-cover points are covered.
    assert report["covered"] > 0
    assert report["mean_coverage"] == round(
        sum(r["coverage"] for r in report["requests"]) / len(report["requests"]), 4
    )

"""End to end through a real small LLM: ``llama_cpp.server`` on 127.0.0.1 with Qwen2.5-Coder-1.5B.

Opt-in: runs only when ``E2E_LLM_MODEL`` names the GGUF file (``make e2e-llm`` prepares the
model and sets it); plain ``pytest`` skips this module. The model is a small test fixture, so
the checks are loose on purpose: German text, every [n] points to a listed source, streaming
delivers several pieces before the final answer. What the model answered and how long it took
is printed (run with ``-s``) and written to ``.cache/e2e-llm/last-run.json``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

MODEL_ENV = "E2E_LLM_MODEL"
MODEL = os.environ.get(MODEL_ENV, "")
if not MODEL:
    pytest.skip(f"{MODEL_ENV} not set: run `make e2e-llm`", allow_module_level=True)

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import create_embedder  # noqa: E402
from assistant.index import Index  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.types import Answer  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
SMOKE_SET = REPO_ROOT / "evals" / "datasets" / "smoke_de.jsonl"
RUN_LOG = REPO_ROOT / ".cache" / "e2e-llm" / "last-run.json"
STARTUP_TIMEOUT_S = 300
# Words that make up a large share of any German sentence and rarely appear in English.
GERMAN_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "der die das und ist sind für mit von zu den dem des ein eine einer einen nicht auf im in wird"
        " werden bei als auch sich oder wie nach zur zum über durch"
    ).split()
)
ENGLISH_WORDS = frozenset("the and is are of to in for with on by this that from be it as at".split())  # noqa: SIM905
CITATION = re.compile(r"\[(\d+)\]")

_run_log: list[dict[str, object]] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llm_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``llama_cpp.server`` for the module, stopped afterwards."""
    model = Path(MODEL)
    assert model.is_file(), f"{MODEL_ENV}={MODEL} is not a file"
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
        "--port", str(port), "--n_ctx", "8192", "--n_threads", "2",
    ]  # fmt: skip
    started = time.perf_counter()
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"llama_cpp.server exited with {server.returncode}:\n{log_path.read_text()[-3000:]}"
                )
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > STARTUP_TIMEOUT_S:
                pytest.fail(
                    f"llama_cpp.server not ready after {STARTUP_TIMEOUT_S} s:\n{log_path.read_text()[-3000:]}"
                )
            time.sleep(1)
        _run_log.append({"event": "server ready", "seconds": round(time.perf_counter() - started, 1)})
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        RUN_LOG.parent.mkdir(parents=True, exist_ok=True)
        RUN_LOG.write_text(json.dumps(_run_log, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture
def assistant(
    corpus_settings: Settings, llm_base_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Assistant]:
    """The product's Assistant configured for the LLM the way a deployment does: ASSISTANT_ env vars."""
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", llm_base_url)
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", Path(MODEL).name)
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT_S", "900")  # 2 shared cores: prompt processing is slow
    monkeypatch.setenv("ASSISTANT_LLM_FALLBACK_EXTRACTIVE", "false")  # an outage must fail, not hide
    settings = Settings(data_dir=corpus_settings.data_dir, index_name=corpus_settings.index_name)
    assert settings.llm_base_url == llm_base_url
    with Index(settings, create_embedder(settings)) as index:
        yield Assistant(index, settings)


def answerable_questions(count: int) -> list[str]:
    rows = [json.loads(line) for line in SMOKE_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["question"] for row in rows if not row.get("unanswerable")][:count]


def words(text: str) -> list[str]:
    return re.findall(r"[a-zäöüß]+", text.lower())


def share(text: str, vocabulary: frozenset[str]) -> float:
    """Share of the words of ``text`` that are in ``vocabulary`` (German prose: roughly 0.2-0.4)."""
    found = words(text)
    return sum(1 for w in found if w in vocabulary) / max(len(found), 1)


def check_cited_german(text: str, source_numbers: set[int]) -> None:
    """Not English; German when long enough to tell (a terse "2024-2027 [3]" is neither); valid [n]."""
    assert share(text, ENGLISH_WORDS) <= share(text, GERMAN_WORDS), f"reads as English: {text!r}"
    if len(words(text)) >= 6:
        assert share(text, GERMAN_WORDS) >= 0.1, f"does not read as German: {text!r}"
    cited = {int(n) for n in CITATION.findall(text)}
    assert cited, f"no [n] citation in {text!r}"
    assert cited <= source_numbers, (
        f"citations {sorted(cited)} but sources {sorted(source_numbers)}: {text!r}"
    )


def record(kind: str, question: str, answer: Answer | object, seconds: float) -> None:
    text = getattr(answer, "answer", None) or getattr(answer, "markdown", "")
    entry = {
        "kind": kind,
        "question": question,
        "seconds": round(seconds, 1),
        "mode": answer.mode,
        "text": text,
    }
    entry["warnings"] = getattr(answer, "warnings", [])
    entry["timings"] = getattr(answer, "timings", {})
    _run_log.append(entry)
    print(f"\n--- {kind} ({seconds:.1f} s, mode {answer.mode}): {question}\n{text}")


def test_asks_get_cited_german_answers_from_the_llm(assistant: Assistant) -> None:
    answered, prose = 0, ""
    for question in answerable_questions(3):
        started = time.perf_counter()
        answer = assistant.ask(question)
        record("ask", question, answer, time.perf_counter() - started)
        assert answer.mode == "llm"
        if answer.abstained:
            continue  # the evidence check or the model may abstain; most must not
        answered += 1
        prose += " " + answer.answer
        check_cited_german(answer.answer, {s.n for s in answer.sources})
        assert {c.n for c in answer.citations} <= {s.n for s in answer.sources}
    assert answered >= 2, "the LLM answered fewer than 2 of 3 answerable questions"
    assert len(words(prose)) >= 6 and share(prose, GERMAN_WORDS) >= 0.1, f"answers not German: {prose!r}"


def test_answer_streams_in_pieces(assistant: Assistant) -> None:
    question = answerable_questions(4)[3]
    started = time.perf_counter()
    pieces: list[str] = []
    final: Answer | None = None
    first_piece_s: float | None = None
    for item in assistant.ask_stream(question):
        if isinstance(item, Answer):
            final = item
        elif item:
            first_piece_s = first_piece_s or time.perf_counter() - started
            pieces.append(item)
    assert final is not None and final.mode == "llm"
    record("ask_stream", question, final, time.perf_counter() - started)
    _run_log[-1]["pieces"] = len(pieces)
    _run_log[-1]["first_piece_s"] = round(first_piece_s or 0.0, 1)
    if final.abstained:
        pytest.skip("the model abstained on this question; nothing to stream-check")
    assert len(pieces) >= 5, f"expected a streamed answer in many pieces, got {len(pieces)}"
    check_cited_german(final.answer, {s.n for s in final.sources})
    streamed = "".join(pieces)
    # The final answer is the checked version of what was streamed: same citations at most.
    assert set(CITATION.findall(final.answer)) <= set(CITATION.findall(streamed))


def test_draft_through_the_llm(assistant: Assistant) -> None:
    if not hasattr(Assistant, "draft"):
        pytest.skip("Assistant.draft does not exist yet")
    from assistant.drafting import parse_request

    text = "Entwurf für das Kapitel Bürgerbeteiligung der Digitalstrategie, Stadt mit 40.000 Einwohnern, kurz"
    request = parse_request(text)
    started = time.perf_counter()
    draft = assistant.draft(request)
    record("draft", text, draft, time.perf_counter() - started)
    assert draft.mode == "llm", f"draft fell back to {draft.mode}: {draft.warnings}"
    assert draft.sources, "a draft over the sample corpus must cite sources"
    check_cited_german(draft.markdown, {s.n for s in draft.sources})
    assert {c.n for c in draft.citations} <= {s.n for s in draft.sources}

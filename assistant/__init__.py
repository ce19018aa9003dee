"""Cited German knowledge assistant for municipal smart-city and digital-strategy work.

The core package: settings, domain types, errors, embeddings, the index and retrieval.
It never imports ``ingestion``, ``bots`` or ``evals``.
"""

__version__ = "0.1.0"

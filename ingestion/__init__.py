"""Ingestion: load, clean, chunk and tag a municipality's documents into the index."""

"""Benchmarks: scripts that print numbers (see bench/RESULTS.md). Not tests."""

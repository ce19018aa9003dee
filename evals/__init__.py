"""Retrieval and answer evaluations: datasets, relevance judging, metrics, runners and reports.

Run ``python -m evals --help`` (or ``python -m assistant eval`` once registered).
"""

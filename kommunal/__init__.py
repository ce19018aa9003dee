"""Delivery: the command line (:mod:`kommunal.cli`) and the HTTP API (:mod:`kommunal.api`).

Both assemble the core (:mod:`assistant`) with ingestion, the bots and the evals; the core
imports nothing from here.
"""

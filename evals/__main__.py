"""``python -m evals``: the eval command without the assistant CLI."""

from evals.cli import main

main()

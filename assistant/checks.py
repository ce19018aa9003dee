"""Argument checks of the core's constructors: one wording for a number out of its range.

These guard programming errors (a caller passing ``k=0``), so they raise ``ValueError`` in
English; what users type is validated with German messages where it enters (settings, requests).
"""

from __future__ import annotations


def check_bounds(
    name: str, value: float, *, gt: float | None = None, ge: float | None = None, le: float | None = None
) -> None:
    """A ``ValueError`` naming ``name`` and ``value`` unless ``value`` is within the bounds
    (named as pydantic names them: greater than, greater or equal, less or equal)."""
    if (gt is None or value > gt) and (ge is None or value >= ge) and (le is None or value <= le):
        return
    if ge is not None and le is not None:
        bound = f"between {ge:g} and {le:g}"
    elif gt is not None:
        bound = f"greater than {gt:g}"
    elif ge is not None:
        bound = f"at least {ge:g}"
    else:
        bound = f"at most {le:g}"
    raise ValueError(f"{name} must be {bound}. Currently, it is {value}.")

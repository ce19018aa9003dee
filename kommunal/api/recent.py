"""A bounded memory of recent answers and drafts, per process.

Feedback then only needs the ``answer_id``: question, answer and cited sources are filled in
from here, so negative feedback becomes a complete eval candidate. Drafts are kept so their
DOCX can be downloaded after the JSON. Entries belong to the key that created them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


class RecentItems(Generic[T]):
    """Least-recently-used map of id -> (owner key id, item)."""

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[str, T]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, item_id: str, owner: str, item: T) -> None:
        with self._lock:
            self._items[item_id] = (owner, item)
            self._items.move_to_end(item_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, item_id: str, owner: str) -> T | None:
        """The item if it exists and belongs to ``owner``."""
        with self._lock:
            entry = self._items.get(item_id)
        if entry is None or entry[0] != owner:
            return None
        return entry[1]

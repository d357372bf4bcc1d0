"""Rendered bytes kept for the requests that come back: a bounded, thread-safe LRU.

Some answers are pure functions of a few request values and expensive to render: an embedding
of 1,536 floats hashed, mixed and written as JSON (about 0.6 ms), a picture drawn and
PNG-compressed (40 ms for 1024x1024). Clients send the same requests again and again (a test
suite, a RAG index rebuilt, a query embedded on every call, a demo prompt), so the rendered
bytes are kept here and the next request with the same key gets them without the work. Nothing
here depends on settings or state: a memo, shared by every app in the process like
`functools.lru_cache`, and bounded by the bytes it holds (keys included, as the caller weighs
them), not by a count, since one 3,072-float vector weighs as much as a hundred short ones.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

# An entry larger than this share of the budget is not kept: one huge answer must not flush
# the ones that come back.
LARGEST_SHARE = 16


class ByteCache(Generic[K]):
    """Key -> bytes, least recently used dropped first, at most `budget_bytes` held."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self._items: OrderedDict[K, tuple[bytes, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # renders run in worker threads too

    @property
    def bytes_held(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> bytes | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            self._items.move_to_end(key)
            return entry[0]

    def put(self, key: K, value: bytes, key_bytes: int = 0) -> None:
        """Keep `value` under `key`; `key_bytes` is what the key itself weighs."""
        weight = len(value) + key_bytes
        if weight > self.budget_bytes // LARGEST_SHARE:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, weight)
            self._bytes += weight
            while self._bytes > self.budget_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

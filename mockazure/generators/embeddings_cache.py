"""Rendered embeddings, kept for the texts that come back: a bounded, thread-safe LRU.

A generated vector is a pure function of (model, native size, `dimensions`, encoding, text), and
rendering it is most of an embeddings request's cost (1,536 floats hashed, mixed and written
as JSON: about 0.6 ms). Clients send the same texts again and again (a test suite, a RAG index
rebuilt, a query embedded on every call), so the `embedding` member is kept here as the bytes
the response model renders for it, and the next request with the same key splices those bytes
in. Nothing here depends on settings or state: a memo, shared by every app in the process like
`functools.lru_cache`, and bounded by the bytes it holds (its keys' texts included), not by a
count, since one 3,072-float vector weighs as much as a hundred short ones.
"""

import threading
from collections import OrderedDict

# (model, native size, dimensions, base64?, text)
Key = tuple[str, int, int | None, bool, str]

CACHE_BYTES = 8 * 1024 * 1024
# An entry larger than this share of the budget is not kept: one huge text must not flush the
# vectors that come back.
LARGEST_SHARE = 16


def _weight(key: Key, value: bytes) -> int:
    return len(value) + len(key[4]) + len(key[0])


class RenderedVectors:
    """Key -> rendered `embedding` member, least recently used dropped first."""

    def __init__(self, budget_bytes: int = CACHE_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._items: OrderedDict[Key, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # embeddings of many inputs are made in worker threads

    @property
    def bytes_held(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Key) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Key, value: bytes) -> None:
        weight = _weight(key, value)
        if weight > self.budget_bytes // LARGEST_SHARE:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= _weight(key, old)
            self._items[key] = value
            self._bytes += weight
            while self._bytes > self.budget_bytes:
                dropped, gone = self._items.popitem(last=False)
                self._bytes -= _weight(dropped, gone)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


RENDERED = RenderedVectors()

"""Azure's rate-limit arithmetic: requests per 10-second window, tokens per minute.

azure-surface.md §8: RPM is enforced per 10-second window (6 RPM per 1,000 TPM), so with 120 RPM
`x-ratelimit-remaining-requests` reads 19 after one call. Counting is always on (the headers are
always present); refusing with 429 is a separate decision made by the caller.

The windows live in the store (namespace "rates") so every worker counts against the same
budget. A window starts with the first request after the previous one ended.
"""

import math
from dataclasses import dataclass

from mockazure.store.memory import Store

NAMESPACE = "rates"
REQUEST_WINDOW_S = 10.0
TOKEN_WINDOW_S = 60.0


@dataclass(frozen=True)
class Remaining:
    requests: int
    tokens: int
    retry_after_s: float  # until the exhausted window resets (0 when nothing is exhausted)
    exceeded: str | None  # None, "requests" or "tokens"


class RateCounter:
    """`request_window_s` is Azure's 10 s; tests shrink it (the token window stays 6x longer)."""

    def __init__(self, store: Store, request_window_s: float = REQUEST_WINDOW_S) -> None:
        self._store = store
        self.request_window_s = request_window_s
        self.token_window_s = request_window_s * TOKEN_WINDOW_S / REQUEST_WINDOW_S

    def reset(self) -> None:
        self._store.clear(NAMESPACE)

    def _window(self, key: str, now: float, length: float) -> tuple[str, float]:
        """The counter key and start time of the window that holds `now` (opened atomically in
        the store, so processes sharing it count against one window)."""
        start = self._store.window(NAMESPACE, f"{key}:start", now, length)
        return f"{key}:{start}", float(start)

    def take(self, deployment: str, *, rpm: int, tpm: int, tokens: int, now: float) -> Remaining:
        """Count one request costing `tokens`; report what is left (never below zero)."""
        per_window = max(1, math.ceil(rpm * self.request_window_s / 60.0))
        req_key, req_start = self._window(f"{deployment}:req", now, self.request_window_s)
        tok_key, tok_start = self._window(f"{deployment}:tok", now, self.token_window_s)
        used_req = self._store.incr(NAMESPACE, req_key, 1, self.request_window_s)
        used_tok = self._store.incr(NAMESPACE, tok_key, tokens, self.token_window_s)
        exceeded = None
        if used_req > per_window:
            exceeded = "requests"
        elif used_tok > tpm:
            exceeded = "tokens"
        if exceeded is not None:  # a refused request costs nothing: give both back
            used_req = self._store.incr(NAMESPACE, req_key, -1, self.request_window_s)
            used_tok = self._store.incr(NAMESPACE, tok_key, -tokens, self.token_window_s)
        if exceeded == "requests":
            retry = max(0.0, req_start + self.request_window_s - now)
        elif exceeded == "tokens":
            retry = max(0.0, tok_start + self.token_window_s - now)
        else:
            retry = 0.0
        return Remaining(
            requests=max(0, per_window - used_req),
            tokens=max(0, tpm - used_tok),
            retry_after_s=retry,
            exceeded=exceeded,
        )

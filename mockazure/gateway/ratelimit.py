"""Azure's rate-limit arithmetic: requests per 10-second window, tokens per minute.

azure-surface.md §8: RPM is enforced per 10-second window (6 RPM per 1,000 TPM), so with 120 RPM
`x-ratelimit-remaining-requests` reads 19 after one call. Counting is always on (the headers are
always present); refusing with 429 is a separate decision made by the caller.

The windows live in the store (namespace "rates") so every worker counts against the same
budget. A window starts with the first request after the previous one ended.
"""

import math
from dataclasses import dataclass

from mockazure.store.counters import Counted, Counter
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
        """Blocking: `MockState.reset`, from the pytest fixture's thread (the loop: `areset`)."""
        self._store.clear(NAMESPACE)

    def _counters(self, deployment: str, rpm: int, tpm: int, tokens: int) -> list[Counter]:
        per_window = max(1, math.ceil(rpm * self.request_window_s / 60.0))
        return [
            Counter(f"{deployment}:req", 1, self.request_window_s, per_window),
            Counter(f"{deployment}:tok", tokens, self.token_window_s, tpm),
        ]

    def take(self, deployment: str, *, rpm: int, tpm: int, tokens: int, now: float) -> Remaining:
        """Count one request costing `tokens`; report what is left (never below zero), blocking
        (off the loop; requests and Realtime sessions use `atake`). Both
        windows and both counters move in one atomic step of the store (one round trip), and
        a refused request gives its counts back in the same step."""
        counters = self._counters(deployment, rpm, tpm, tokens)
        return _remaining(counters, self._store.count(NAMESPACE, counters, now), now)

    async def atake(
        self, deployment: str, *, rpm: int, tpm: int, tokens: int, now: float
    ) -> Remaining:
        """`take` on the event loop (never blocks it)."""
        counters = self._counters(deployment, rpm, tpm, tokens)
        return _remaining(counters, await self._store.acount(NAMESPACE, counters, now), now)


def _remaining(counters: list[Counter], counted: Counted, now: float) -> Remaining:
    requests, tokens = counters
    exceeded = counted.exceeded
    retry = 0.0
    if exceeded is not None:
        retry = max(0.0, counted.starts[exceeded] + counters[exceeded].length_s - now)
    return Remaining(
        requests=max(0, requests.limit - counted.used[0]),
        tokens=max(0, tokens.limit - counted.used[1]),
        retry_after_s=retry,
        exceeded=None if exceeded is None else ("requests", "tokens")[exceeded],
    )

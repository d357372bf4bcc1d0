"""Azure's rate-limit arithmetic: requests per 10-second window, tokens per minute.

azure-surface.md §8: RPM is enforced per 10-second window (6 RPM per 1,000 TPM), so with 120 RPM
`x-ratelimit-remaining-requests` reads 19 after one call. Counting is always on (the headers are
always present); refusing with 429 is a separate decision made by the caller.
"""

import math
import threading
from dataclasses import dataclass

REQUEST_WINDOW_S = 10.0
TOKEN_WINDOW_S = 60.0


@dataclass(frozen=True)
class Remaining:
    requests: int
    tokens: int
    retry_after_s: float  # until the exhausted window resets (0 when nothing is exhausted)
    exceeded: str | None  # None, "requests" or "tokens"


@dataclass
class _Window:
    start: float = 0.0
    used: int = 0

    def roll(self, now: float, length: float) -> None:
        if now - self.start >= length:
            self.start = now - (now - self.start) % length if self.start else now
            self.used = 0


class RateCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], _Window] = {}

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def take(self, deployment: str, *, rpm: int, tpm: int, tokens: int, now: float) -> Remaining:
        """Count one request costing `tokens`; report what is left (never below zero)."""
        per_window = max(1, math.ceil(rpm * REQUEST_WINDOW_S / 60.0))
        with self._lock:
            req = self._windows.setdefault((deployment, "req"), _Window(start=now))
            tok = self._windows.setdefault((deployment, "tok"), _Window(start=now))
            req.roll(now, REQUEST_WINDOW_S)
            tok.roll(now, TOKEN_WINDOW_S)
            exceeded = None
            if req.used + 1 > per_window:
                exceeded = "requests"
            elif tok.used + tokens > tpm:
                exceeded = "tokens"
            if exceeded is None:
                req.used += 1
                tok.used += tokens
            window, length = (
                (req, REQUEST_WINDOW_S) if exceeded == "requests" else (tok, TOKEN_WINDOW_S)
            )
            retry = max(0.0, window.start + length - now) if exceeded else 0.0
            return Remaining(
                requests=max(0, per_window - req.used),
                tokens=max(0, tpm - tok.used),
                retry_after_s=retry,
                exceeded=exceeded,
            )

"""`gateway/ratelimit.RateCounter`: Azure's windows (azure-surface.md §8) on the store."""

from mockazure.clock import FrozenClock
from mockazure.gateway.ratelimit import RateCounter
from mockazure.store.memory import MemoryStore


def _counter(window_s: float = 10.0) -> RateCounter:
    return RateCounter(MemoryStore(FrozenClock(1_000.0)), window_s)


def test_rate_counter_counts_requests_per_ten_second_window() -> None:
    counter = _counter()
    # 60 RPM -> 10 requests per 10-second window.
    left = [counter.take("d", rpm=60, tpm=10_000, tokens=1, now=1_000.0) for _ in range(10)]
    assert [r.requests for r in left] == list(range(9, -1, -1))
    assert all(r.exceeded is None for r in left)
    refused = counter.take("d", rpm=60, tpm=10_000, tokens=1, now=1_004.0)
    assert refused.exceeded == "requests"
    assert refused.retry_after_s == 6.0


def test_rate_counter_refused_request_costs_nothing() -> None:
    counter = _counter()
    for _ in range(10):
        counter.take("d", rpm=60, tpm=10_000, tokens=5, now=1_000.0)
    counter.take("d", rpm=60, tpm=10_000, tokens=5, now=1_000.0)  # refused
    after = counter.take("d", rpm=60, tpm=10_000, tokens=5, now=1_010.0)  # next window
    assert after.exceeded is None
    assert after.tokens == 10_000 - 55  # the refused request's tokens were given back


def test_rate_counter_refuses_tokens_over_the_minute_budget() -> None:
    counter = _counter()
    ok = counter.take("d", rpm=600, tpm=1_000, tokens=900, now=1_000.0)
    assert (ok.exceeded, ok.tokens) == (None, 100)
    over = counter.take("d", rpm=600, tpm=1_000, tokens=200, now=1_030.0)
    assert over.exceeded == "tokens"
    assert over.retry_after_s == 30.0  # the token window is 60 s


def test_rate_counter_windows_are_per_deployment_and_reset() -> None:
    counter = _counter()
    for _ in range(10):
        counter.take("a", rpm=60, tpm=10_000, tokens=1, now=1_000.0)
    assert counter.take("b", rpm=60, tpm=10_000, tokens=1, now=1_000.0).exceeded is None
    counter.reset()
    assert counter.take("a", rpm=60, tpm=10_000, tokens=1, now=1_000.0).requests == 9


def test_rate_counter_new_window_starts_on_the_grid() -> None:
    counter = _counter()
    counter.take("d", rpm=60, tpm=10_000, tokens=1, now=1_000.0)
    # 25 s later: the window that holds it started at 1,020 (grid of 10 s), so 5 s remain.
    for _ in range(10):
        counter.take("d", rpm=60, tpm=10_000, tokens=1, now=1_025.0)
    assert counter.take("d", rpm=60, tpm=10_000, tokens=1, now=1_025.0).retry_after_s == 5.0

"""Prometheus metrics of the Azure calls (`GET /_mock/metrics`), with prometheus-client.

Per deployment and operation: requests by status, 429s, prompt and completion tokens (from the
`usage` the client was sent: every JSON answer, and streams that carry a usage chunk), latency
and, for streams, the time to the first content token. The gateway's ASGI layer
(`gateway/layer.py`) only watches messages: per request it touches a few cached label children
and searches the last body chunks for `usage` (no JSON parsing).

With `--workers N` the CLI points `PROMETHEUS_MULTIPROC_DIR` at a fresh folder before the
workers start; prometheus-client then keeps each worker's values in memory-mapped files there,
and the scrape sums them over every worker (its documented multiprocess mode).
"""

import os
import re
import time
from typing import Any
from urllib.parse import parse_qsl

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockazure.gateway.notes import notes_of
from mockazure.operations import describe

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
MAX_DEPLOYMENT_LABELS = 200  # names come from URLs: past this many, "_other" (bounded series)
_TAIL_BYTES = 4096
_DESCRIBED_CACHE = 1024  # (method, path) -> (operation, deployment); the table's regex scan once
_USAGE = re.compile(rb'"usage"\s*:\s*\{')
_PROMPT = re.compile(rb'"prompt_tokens"\s*:\s*(\d+)')
_COMPLETION = re.compile(rb'"completion_tokens"\s*:\s*(\d+)')
_FIRST_TOKEN = re.compile(rb'"(?:content|text|delta)"\s*:\s*"(?!")')

Labels = tuple[str, str]


class Metrics:
    """The metric families of one app (their own registry: several apps share a test process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        names = ("deployment", "operation")
        self.requests = Counter(
            "mockazure_requests",
            "Azure calls answered, by status code",
            [*names, "status"],
            registry=self.registry,
        )
        self.throttled = Counter(
            "mockazure_throttled_requests", "Calls answered 429", names, registry=self.registry
        )
        self.tokens = Counter(
            "mockazure_tokens",
            "Tokens in the usage the client was sent",
            [*names, "kind"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mockazure_request_duration_seconds",
            "From the request's arrival to its last byte",
            names,
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.first_token = Histogram(
            "mockazure_stream_first_token_seconds",
            "Streams: from the request's arrival to the first content token",
            names,
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.realtime_sessions = Counter(
            "mockazure_realtime_sessions",
            "Realtime WebSocket sessions accepted",
            names,
            registry=self.registry,
        )
        self.realtime_open = Gauge(
            "mockazure_realtime_sessions_open",
            "Realtime WebSocket sessions open now",
            names,
            registry=self.registry,
            multiprocess_mode="livesum",  # summed over the live workers
        )
        self._deployments: set[str] = set()
        self._described: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}

    def child(self, family: Counter | Histogram, *values: str) -> Any:
        """`family.labels(*values)`, remembered: prometheus-client checks the values and takes
        its lock on every `labels` call, a third of counting a call. The label sets are bounded
        (deployments by `MAX_DEPLOYMENT_LABELS`, the operation table, statuses), and a child,
        once made, is never removed, so the remembered one is the one `labels` returns."""
        key = (id(family), values)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = family.labels(*values)
        return found

    def labels(self, scope: Scope) -> Labels:
        key = (scope["method"], scope["path"])
        described = self._described.get(key)
        if described is None:
            if len(self._described) >= _DESCRIBED_CACHE:
                self._described.clear()
            described = self._described[key] = describe(*key)
        operation, deployment = described
        name = notes_of(scope).deployment or deployment or _query_deployment(scope)
        if name not in self._deployments:
            if len(self._deployments) >= MAX_DEPLOYMENT_LABELS:
                name = "_other"
            else:
                self._deployments.add(name)
        return name, operation or "other"

    def exposition(self) -> bytes:
        """The text format; summed over every worker's files in multiprocess mode."""
        if os.environ.get(MULTIPROC_ENV):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)


class Watch:
    """What one call's messages tell the metrics: status, first token, the body's tail."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.status = "dropped"
        self.stream = False
        self.first_token_s: float | None = None
        self.tail = b""

    def start(self, message: Message) -> None:
        self.status = str(message["status"])
        for name, value in message.get("headers", []):
            if name.lower() == b"content-type":
                self.stream = value.startswith(b"text/event-stream")

    def body(self, chunk: bytes) -> None:
        if self.stream and self.first_token_s is None and _FIRST_TOKEN.search(chunk):
            self.first_token_s = time.perf_counter() - self.started
        self.tail = (self.tail + chunk)[-_TAIL_BYTES:] if chunk else self.tail


def usage_of(tail: bytes) -> tuple[int, int] | None:
    """(prompt, completion) tokens of the last `usage` object in `tail`, if there is one."""
    found, end = None, len(tail)
    while found is None:  # the last match, found from the end (matches cannot overlap)
        end = tail.rfind(b'"usage"', 0, end)
        if end < 0:
            return None
        found = _USAGE.match(tail, end)
    rest = tail[found.end() :]
    prompt, completion = _PROMPT.search(rest), _COMPLETION.search(rest)
    return (int(prompt[1]) if prompt else 0), (int(completion[1]) if completion else 0)


def count_call(metrics: Metrics, scope: Scope, watch: "Watch") -> None:
    """Count one finished Azure call (the gateway layer calls it as the call ends)."""
    m, labels = metrics, metrics.labels(scope)
    m.child(m.requests, *labels, watch.status).inc()
    m.child(m.latency, *labels).observe(time.perf_counter() - watch.started)
    if watch.status == "429":
        m.child(m.throttled, *labels).inc()
    if watch.first_token_s is not None:
        m.child(m.first_token, *labels).observe(watch.first_token_s)
    usage = usage_of(watch.tail) if watch.status == "200" else None
    if usage is not None:
        m.child(m.tokens, *labels, "prompt").inc(usage[0])
        m.child(m.tokens, *labels, "completion").inc(usage[1])


async def watch_session(
    metrics: Metrics, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Realtime: sessions accepted, and open now (refused upgrades count as neither)."""
    labels: Labels | None = None

    async def send_watched(message: Message) -> None:
        nonlocal labels
        await send(message)
        if message["type"] == "websocket.accept" and labels is None:
            labels = metrics.labels({**scope, "method": "GET"})
            metrics.realtime_sessions.labels(*labels).inc()
            metrics.realtime_open.labels(*labels).inc()

    try:
        await app(scope, receive, send_watched)
    finally:
        if labels is not None:
            metrics.realtime_open.labels(*labels).dec()


def _query_deployment(scope: Scope) -> str:
    """Realtime names its deployment in the query (`?deployment=` preview, `?model=` on v1)."""
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    return query.get("deployment") or query.get("model") or ""

"""From the raw results of one run to the rows of the table (bench/report.py), with the targets
of issue 16. Missing parts (an endpoint not served, a peer skipped) give no row; the run's notes
say why."""

from typing import Any

from bench.report import Row, growth, ratio_of_ratios, row

FAMILIES = {
    "chat_tools": "tool-call chat (required tool) req/s",
    "responses": "Responses (non-streamed) req/s",
    "embeddings_1": "embeddings, 1 input req/s",
    "embeddings_16x1536_b64": "embeddings, 16 x 1536 base64 req/s",
    "dalle3_b64": "DALL-E 3 b64_json images/s",
    "transcription_1mb_wav": "transcription, 1 MB wav req/s",
}
TARGETS = {"embeddings_1": "ratio >= 0.5"}


def _rps(
    name: str, ours: dict[str, Any], base: dict[str, Any], label: str, target: str | None = None
) -> Row:
    if not (ours["requests"] and base["requests"]):
        return row(name, 0.0, "req/s", baseline=f"{label}: a run completed nothing")
    return row(
        name,
        ours["rps"],
        "req/s",
        cpu_us=ours.get("cpu_us"),
        baseline=label,
        of=base["rps"],
        of_cpu_us=base.get("cpu_us"),
        target=target,
    )


def _ms(
    name: str,
    key: str,
    ours: dict[str, Any],
    base: dict[str, Any],
    label: str,
    target: str | None = None,
) -> Row:
    """A latency percentile (`p50_us` / `p99_us`) in ms against the baseline's."""
    return row(name, ours[key] / 1000, "ms", baseline=label, of=base[key] / 1000, target=target)


def chat_rows(mock: dict[str, Any], base: dict[str, Any]) -> list[Row]:
    fastapi, raw = base["fastapi_app"], base["raw_app"]
    rows = [_rps("bare FastAPI+pydantic chat-shaped req/s", fastapi, raw, "raw ASGI")]
    if "chat" not in mock:
        return rows
    chat = mock["chat"]
    spread = chat["p99_us"] / chat["p50_us"] if chat["p50_us"] else 0.0
    base_spread = fastapi["p99_us"] / fastapi["p50_us"] if fastapi["p50_us"] else 0.0
    rows += [
        _rps("chat (generated) req/s", chat, fastapi, "bare FastAPI", "ratio >= 0.8"),
        _rps("chat vs raw ASGI", chat, raw, "raw ASGI"),
        _ms("chat p50 @ 32 connections", "p50_us", chat, fastapi, "bare FastAPI"),
        _ms("chat p99 @ 32 connections", "p99_us", chat, fastapi, "bare FastAPI"),
        row("chat p99 / p50 @ 32 connections", spread, "x", baseline="bare FastAPI p99 / p50",
            of=base_spread, target="value <= 3"),
    ]  # fmt: skip
    seq, base_seq = mock.get("chat_sequential"), base.get("fastapi_sequential")
    if seq and base_seq:
        p50 = _ms("sequential chat p50 (1 keep-alive client)", "p50_us", seq, base_seq,
                  "bare FastAPI", "ratio <= 1.2")  # fmt: skip
        p50 |= {"cpu_us": seq.get("cpu_us"), "baseline_cpu_us": base_seq.get("cpu_us")}
        p99 = _ms(
            "sequential chat p99 (1 keep-alive client)", "p99_us", seq, base_seq, "bare FastAPI"
        )
        rows += [p50, p99]
    return rows


def stream_rows(mock: dict[str, Any], base: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    sse = base.get("sse_app")
    if "chat_stream" in mock and sse:
        stream, chunks = mock["chat_stream"], mock["stream_chunks_per_stream"]
        rows += [
            row(
                "streamed chat chunks/s",
                stream["rps"] * chunks,
                "chunks/s",
                cpu_us=stream.get("cpu_us"),
                baseline="bare sse-starlette, same chunks",
                of=sse["rps"] * chunks,
                of_cpu_us=sse.get("cpu_us"),
                target="ratio >= 1.0",
            ),
            row(
                "streamed chat p99 @ 32 connections",
                stream["p99_us"] / 1000,
                "ms",
                baseline="bare sse-starlette",
                of=sse["p99_us"] / 1000,
            ),
        ]
    if "responses_stream" in mock and sse:
        stream, events = mock["responses_stream"], mock["responses_events_per_stream"]
        chunks = mock.get("stream_chunks_per_stream", 0)
        rows.append(
            row(
                "streamed Responses events/s",
                stream["rps"] * events,
                "events/s",
                cpu_us=stream.get("cpu_us"),
                baseline="bare sse-starlette chunks/s",
                of=sse["rps"] * chunks,
                of_cpu_us=sse.get("cpu_us"),
            )
        )
    return rows


def family_rows(mock: dict[str, Any], base: dict[str, Any]) -> list[Row]:
    fastapi = base["fastapi_app"]
    return [
        _rps(label, mock[key], fastapi, "bare FastAPI chat", TARGETS.get(key))
        for key, label in FAMILIES.items()
        if key in mock
    ]


def peer_rows(peers: dict[str, Any]) -> list[Row]:
    """mockazure's stubbed (canned) chat and stream against aimock's fixture replay."""
    if "aimock_chat" not in peers or "stub_chat" not in peers:
        return []
    stub, theirs = peers["stub_stream"], peers["aimock_stream"]
    ours_events, their_events = peers["stub_events_per_stream"], peers["aimock_events_per_stream"]
    return [
        _rps(
            "stubbed chat req/s",
            peers["stub_chat"],
            peers["aimock_chat"],
            "aimock fixture replay",
            "ratio >= 0.5",
        ),
        row(
            "stubbed chat p99 @ 32 connections",
            peers["stub_chat"]["p99_us"] / 1000,
            "ms",
            baseline="aimock",
            of=peers["aimock_chat"]["p99_us"] / 1000,
        ),
        row(
            "stubbed streamed chat events/s",
            stub["rps"] * ours_events,
            "events/s",
            cpu_us=stub.get("cpu_us"),
            baseline="aimock fixture replay",
            of=theirs["rps"] * their_events,
            of_cpu_us=theirs.get("cpu_us"),
        ),
    ]


def process_rows(run: dict[str, Any]) -> list[Row]:
    """Start-up, import time, the pytest plugin."""
    start, imports, plugin = run["startup"], run["imports"], run["plugin"]
    rows = [
        row("process start -> first chat 200 (median)", start["mockazure"]["median_s"], "s",
            baseline="bare FastAPI", of=start["fastapi"]["median_s"], target="value <= 0.4"),
    ]  # fmt: skip
    if "aimock" in start:
        rows.append(row("aimock start -> first chat 200", start["aimock"]["median_s"], "s"))
    for module in ("mockazure.clock", "mockazure.pytest_plugin", "mockazure.app"):
        rows.append(
            row(f"import {module}", imports[module], "s", baseline="python -c pass",
                of=imports["python"])
        )  # fmt: skip
    rows.append(
        row("pytest, unrelated test, plugin on", plugin["with_plugin"], "s",
            baseline="plugin off (-p no:mockazure)", of=plugin["without_plugin"])
    )  # fmt: skip
    return rows


def memory_rows(mock: dict[str, Any]) -> list[Row]:
    """RSS idle, after the first chat, after the load, and over the `--rss-requests` soak."""
    idle = mock["rss_idle_mb"]
    rows = [
        row("RSS idle (1 s after ready)", idle, "MB", target="value <= 80"),
        row("RSS after the first chat", mock["rss_first_chat_mb"], "MB", baseline="RSS idle",
            of=idle),
        row("RSS after the load above", mock["rss_after_load_mb"], "MB", baseline="RSS idle",
            of=idle),
    ]  # fmt: skip
    series = mock.get("rss_series") or []
    if (rise := growth(series)) is not None:
        label = f"RSS last / first over {series[-1][0]:,} requests"
        rows.append(row(label, rise, "x", target="value <= 1.05"))
    return rows


def scale_rows(scale: dict[str, Any]) -> list[Row]:
    if "redis_1w" not in scale:
        return []
    memory, fastapi = scale["memory_1w"], scale["fastapi_1w"]
    one, two, fastapi_two = scale["redis_1w"], scale["redis_2w"], scale["fastapi_2w"]
    rows = [
        _rps("chat, 1 worker on Redis req/s", one, memory, "1 worker in memory", "ratio >= 0.8"),
        _rps("chat, 2 workers on Redis req/s", two, memory, "1 worker in memory", "ratio >= 1.6"),
        _rps("bare FastAPI, 2 workers req/s", fastapi_two, fastapi, "bare FastAPI, 1 worker"),
    ]
    both = ratio_of_ratios(
        "2-worker scaling, mockazure (Redis) / FastAPI",
        (two["rps"], memory["rps"]),
        (fastapi_two["rps"], fastapi["rps"]),
    )
    return rows + ([both] if both else [])


def empty_runs(raw: Any, path: str = "") -> list[str]:
    """Every wrk result in `raw` (nested dicts) that completed no request: its requests each
    took longer than the run (a loaded machine, or a run too short, e.g. with `--quick`)."""
    if not isinstance(raw, dict):
        return []
    if "requests" in raw and "rps" in raw:
        return [f"{path}: no request completed within the run"] if not raw["requests"] else []
    found: list[str] = []
    for key, value in raw.items():
        found += empty_runs(value, f"{path}.{key}" if path else str(key))
    return found


def all_rows(run: dict[str, Any]) -> list[Row]:
    mock, base = run["mockazure"], run["baselines"]
    return [
        *chat_rows(mock, base),
        *stream_rows(mock, base),
        *family_rows(mock, base),
        *peer_rows(run.get("peers", {})),
        *scale_rows(run.get("scale", {})),
        *process_rows(run),
        *memory_rows(mock),
    ]

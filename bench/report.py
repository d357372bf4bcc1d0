"""Turn raw results into figures with their baselines and ratios; print a table."""

from typing import Any

LABELS = {
    "chat": "chat (non-streamed) req/s",
    "embeddings_1": "embeddings, 1 input req/s",
    "embeddings_16x1536_b64": "embeddings, 16 x 1536 base64 req/s",
    "dalle3_b64": "DALL-E 3 b64_json images/s",
    "transcription_1mb_wav": "transcription, 1 MB wav req/s",
}


def figures(mock: dict[str, Any], base: dict[str, Any], startup: list[float]) -> list[dict]:
    rows: list[dict] = []

    def add(name: str, value: float, unit: str, baseline: str = "", of: float = 0.0) -> None:
        ratio = round(value / of, 3) if of else None
        rows.append(
            {
                "figure": name,
                "value": round(value, 3),
                "unit": unit,
                "baseline": baseline,
                "baseline_value": round(of, 3) if of else None,
                "ratio": ratio,
            }
        )

    fastapi, raw = base["fastapi_app"], base["raw_app"]
    add("bare FastAPI+pydantic chat-shaped req/s", fastapi["rps"], "req/s", "raw ASGI", raw["rps"])
    if "chat" in mock:
        chat = mock["chat"]
        add(LABELS["chat"], chat["rps"], "req/s", "bare FastAPI", fastapi["rps"])
        add("chat vs raw ASGI", chat["rps"], "req/s", "raw ASGI", raw["rps"])
        add(
            "chat p50 @ connections",
            chat["p50_us"] / 1000,
            "ms",
            "bare FastAPI",
            fastapi["p50_us"] / 1000,
        )
        add(
            "chat p99 @ connections",
            chat["p99_us"] / 1000,
            "ms",
            "bare FastAPI",
            fastapi["p99_us"] / 1000,
        )
    if "chat_stream" in mock and "sse_app" in base:
        stream, sse = mock["chat_stream"], base["sse_app"]
        chunks = mock["stream_chunks_per_stream"] - 1  # the data events before [DONE]
        add("streamed chat streams/s", stream["rps"], "streams/s", "bare sse-starlette", sse["rps"])
        add(
            "streamed chat chunks/s",
            stream["rps"] * chunks,
            "chunks/s",
            "bare sse-starlette",
            sse["rps"] * chunks,
        )
        add(
            "stream p99 @ connections",
            stream["p99_us"] / 1000,
            "ms",
            "bare sse-starlette",
            sse["p99_us"] / 1000,
        )
    for key, label in LABELS.items():
        if key != "chat" and key in mock:
            add(label, mock[key]["rps"], "req/s", "bare FastAPI chat", fastapi["rps"])
            add(f"{key} p99", mock[key]["p99_us"] / 1000, "ms")
    add("start-up to first 200 (median)", sorted(startup)[len(startup) // 2], "s", "target", 1.0)
    add("RSS idle", mock["rss_idle_mb"], "MB", "target", 80.0)
    add("RSS after load", mock["rss_after_load_mb"], "MB", "RSS idle", mock["rss_idle_mb"])
    return rows


def table(rows: list[dict]) -> str:
    head = f"{'figure':<44} {'value':>12} {'unit':<10} {'baseline':<20} {'base':>12} {'ratio':>7}"
    lines = [head, "-" * len(head)]
    for r in rows:
        base = "" if r["baseline_value"] is None else f"{r['baseline_value']:>12,.1f}"
        ratio = "" if r["ratio"] is None else f"{r['ratio']:>7.2f}"
        lines.append(
            f"{r['figure']:<44} {r['value']:>12,.2f} {r['unit']:<10} {r['baseline']:<20} "
            f"{base:>12} {ratio:>7}"
        )
    return "\n".join(lines)


def extra_figures(
    mock: dict[str, Any], imports: dict[str, float], plugin: dict[str, float]
) -> list[dict]:
    """Import time, the pytest plugin's cost, and the Redis store against the memory store."""
    rows: list[dict] = []

    def add(name: str, value: float, unit: str, baseline: str, of: float) -> None:
        rows.append(
            {
                "figure": name,
                "value": round(value, 3),
                "unit": unit,
                "baseline": baseline,
                "baseline_value": round(of, 3),
                "ratio": round(value / of, 3) if of else None,
            }
        )

    for module in ("mockazure.clock", "mockazure.pytest_plugin", "mockazure.app"):
        add(f"import {module}", imports[module], "s", "python -c pass", imports["python"])
    add(
        "pytest run, unrelated test, plugin on",
        plugin["with_plugin"],
        "s",
        "plugin off",
        plugin["without_plugin"],
    )
    redis = mock.get("redis_chat", {})
    if "rps" in redis and "chat" in mock:
        add("chat req/s, Redis store", redis["rps"], "req/s", "memory store", mock["chat"]["rps"])
    return rows

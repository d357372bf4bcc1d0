"""Run the benchmarks: `python -m bench [--duration S] [--json FILE] [--rss-requests N]`.

Every mockazure figure is printed next to a baseline measured in the same run on the same
machine, under the same uvicorn, with the server pinned to core 0 and wrk to core 1:
- chat: a bare FastAPI + pydantic endpoint of the same shape, and a raw ASGI app;
- streamed chat: a bare sse-starlette stream of the very chunks mockazure sent.
Endpoints that this checkout does not serve yet are skipped with a note.
"""

import argparse
from pathlib import Path
from typing import Any

import httpx

from bench.bodies import Body, all_bodies, write
from bench.servers import Server, baseline, mockazure, wrk

TARGETS = {"chat_vs_fastapi": 0.8, "stream_chunks_vs_sse": 0.8, "startup_s": 1.0, "rss_idle_mb": 80}


def probe(server: Server, body: Body) -> httpx.Response:
    headers = {"content-type": body.content_type, "api-key": "bench"}
    return httpx.post(server.url + body.path, content=body.data, headers=headers, timeout=60)


def sse_data_lines(text: str) -> list[str]:
    return [line[6:] for line in text.split("\n") if line.startswith("data: ")]


def measure(server: Server, body: Body, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    path = write(body, folder)
    result = wrk(server.url + body.path, path, body.content_type, args.duration, args.connections)
    return {k: result[k] for k in ("rps", "p50_us", "p99_us", "requests", "non2xx")} | {
        "socket_errors": result["socket_errors"]
    }


def startup_times(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with mockazure() as server:
            times.append(server.startup_s)
    return times


def bench_mockazure(folder: Path, args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    results: dict[str, Any] = {}
    notes: list[str] = []
    with mockazure() as server:
        results["rss_idle_mb"] = server.rss_mb()
        served = 0
        for name, body in all_bodies().items():
            reply = probe(server, body)
            if reply.status_code != 200:
                notes.append(f"{name}: skipped, this checkout answers {reply.status_code}")
                continue
            if name == "chat_stream":
                chunks = sse_data_lines(reply.text)
                results["stream_chunks_per_stream"] = len(chunks)
                (folder / "chunks.txt").write_text("\n".join(chunks[:-1]))  # without [DONE]
            if name == "responses_stream":
                results["responses_events_per_stream"] = len(sse_data_lines(reply.text))
            results[name] = measure(server, body, folder, args)
            served += results[name]["requests"]
        results["rss_after_load_mb"] = server.rss_mb()
        results["rss_series"] = rss_soak(server, folder, args, served)
    return results, notes


def rss_soak(server: Server, folder: Path, args: argparse.Namespace, served: int) -> list[Any]:
    """RSS after rounds of chat load until `--rss-requests` requests were served in all."""
    series = [[served, round(server.rss_mb(), 1)]]
    body = all_bodies()["chat"]
    while served < args.rss_requests:
        served += measure(server, body, folder, args)["requests"]
        series.append([served, round(server.rss_mb(), 1)])
    return series


def bench_baselines(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    chat = all_bodies()["chat"]
    results: dict[str, Any] = {}
    for app in ("fastapi_app", "raw_app"):
        with baseline(app) as server:
            results[app] = measure(server, chat, folder, args)
    if (folder / "chunks.txt").exists():
        env = {"BENCH_SSE_CHUNKS": str(folder / "chunks.txt")}
        with baseline("sse_app", env) as server:
            results["sse_app"] = measure(server, all_bodies()["chat_stream"], folder, args)
    return results

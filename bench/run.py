"""The measuring parts of `python -m bench`, each giving one part of the raw results.

Every mockazure figure has a baseline measured in the same run on the same machine, under the
same uvicorn, the server pinned to core 0 and wrk to core 1 (bench/servers.py, bench/load.py):
- chat: a bare FastAPI + pydantic endpoint of the same shape, and a raw ASGI app;
- streamed chat: a bare sse-starlette stream of the very chunks mockazure sent;
- every other family against the bare FastAPI chat endpoint;
- the stubbed chat and stream against aimock's fixture replay (bench/peers.py).
Endpoints that this checkout does not serve yet are skipped with a note.
"""

import time
from pathlib import Path
from typing import Any

import httpx

from bench.bodies import Body, all_bodies
from bench.load import measure
from bench.peers import CANNED, aimock, aimock_argv, install_aimock, write_fixtures
from bench.servers import ROOT, Server, baseline, baseline_argv, mockazure, mockazure_argv
from bench.startup import median_first_200_s

IDLE_SETTLE_S = 1.0


def probe(server: Server, body: Body) -> httpx.Response:
    headers = {"content-type": body.content_type, "api-key": "bench"}
    return httpx.post(server.url + body.path, content=body.data, headers=headers, timeout=60)


def sse_data_lines(text: str) -> list[str]:
    """The `data:` payloads of an SSE body, in order (`[DONE]` included)."""
    return [line[5:].lstrip(" ") for line in text.split("\n") if line.startswith("data:")]


def events_in(text: str) -> int:
    """Data events of a stream, not counting the `[DONE]` sentinel."""
    return sum(1 for data in sse_data_lines(text) if data != "[DONE]")


def _sequential(server: Server, body: Body, folder: Path, args: Any) -> dict[str, Any]:
    """One keep-alive connection sending one request after another (wrk -c1)."""
    return measure(server, body, folder, args, connections=1)


def bench_mockazure(folder: Path, args: Any) -> tuple[dict[str, Any], list[str]]:
    results: dict[str, Any] = {}
    notes: list[str] = []
    with mockazure() as server:
        time.sleep(IDLE_SETTLE_S)  # what start-up still loads in the background
        results["rss_idle_mb"] = server.rss_mb()
        probe(server, all_bodies()["chat"])
        results["rss_first_chat_mb"] = server.rss_mb()
        served = 0
        for name, body in all_bodies().items():
            reply = probe(server, body)
            if reply.status_code != 200:
                notes.append(f"{name}: skipped, this checkout answers {reply.status_code}")
                continue
            if name == "chat_stream":
                chunks = sse_data_lines(reply.text)
                results["stream_chunks_per_stream"] = events_in(reply.text)
                (folder / "chunks.txt").write_text("\n".join(c for c in chunks if c != "[DONE]"))
            if name == "responses_stream":
                results["responses_events_per_stream"] = events_in(reply.text)
            results[name] = measure(server, body, folder, args)
            served += results[name]["requests"]
        if "chat" in results:
            results["chat_sequential"] = _sequential(server, all_bodies()["chat"], folder, args)
        results["rss_after_load_mb"] = server.rss_mb()
        results["rss_series"] = rss_soak(server, folder, args, served)
    return results, notes


def rss_soak(server: Server, folder: Path, args: Any, served: int) -> list[list[float]]:
    """RSS after rounds of chat load until `--rss-requests` requests were served in all."""
    series: list[list[float]] = [[served, round(server.rss_mb(), 1)]]
    body = all_bodies()["chat"]
    while served < args.rss_requests:
        done = measure(server, body, folder, args)["requests"]
        if not done:
            break
        served += done
        series.append([served, round(server.rss_mb(), 1)])
    return series


def bench_baselines(folder: Path, args: Any) -> dict[str, Any]:
    chat = all_bodies()["chat"]
    results: dict[str, Any] = {}
    for app in ("fastapi_app", "raw_app"):
        with baseline(app) as server:
            results[app] = measure(server, chat, folder, args)
            if app == "fastapi_app":
                results["fastapi_sequential"] = _sequential(server, chat, folder, args)
    if (folder / "chunks.txt").exists():
        env = {"BENCH_SSE_CHUNKS": str(folder / "chunks.txt")}
        with baseline("sse_app", env) as server:
            results["sse_app"] = measure(server, all_bodies()["chat_stream"], folder, args)
    return results


def _stream_run(server: Server, body: Body, folder: Path, args: Any) -> tuple[dict[str, Any], int]:
    reply = probe(server, body)
    if reply.status_code != 200:
        raise RuntimeError(f"{server.url}: {reply.status_code} {reply.text[:300]}")
    return measure(server, body, folder, args), events_in(reply.text)


def bench_peers(folder: Path, args: Any) -> tuple[dict[str, Any], list[str]]:
    """mockazure's stubbed chat (plain and streamed) and aimock's fixture replay of it."""
    fixture, stubs = write_fixtures(folder)
    bodies = all_bodies()
    out: dict[str, Any] = {}
    with mockazure(extra=("--fixtures", str(stubs))) as server:
        answer = probe(server, bodies["chat"]).json()["choices"][0]["message"]["content"]
        if answer != CANNED:
            raise RuntimeError(f"the bench stub rule did not answer: {answer!r}")
        out["stub_chat"] = measure(server, bodies["chat"], folder, args)
        out["stub_stream"], out["stub_events_per_stream"] = _stream_run(
            server, bodies["chat_stream"], folder, args
        )
    cli, why = install_aimock() if not args.no_peers else (None, "aimock skipped: --no-peers")
    if cli is None:
        return out, [why]
    out["aimock_cli"] = str(cli)
    with aimock(cli, fixture) as server:
        if probe(server, bodies["chat"]).status_code != 200:
            raise RuntimeError("aimock did not answer the bench chat from its fixture")
        out["aimock_chat"] = measure(server, bodies["chat"], folder, args)
        out["aimock_stream"], out["aimock_events_per_stream"] = _stream_run(
            server, bodies["chat_stream"], folder, args
        )
    return out, []


def bench_startup(folder: Path, runs: int, aimock_cli: str | None) -> dict[str, Any]:
    """Process start to the first chat 200 for mockazure, bare FastAPI and aimock."""
    chat = all_bodies()["chat"]
    out = {
        "mockazure": median_first_200_s(mockazure_argv(), chat, runs),
        "fastapi": median_first_200_s(baseline_argv("fastapi_app"), chat, runs, ROOT),
    }
    if aimock_cli:
        fixture = folder / "aimock-fixture.json"
        argv = aimock_argv(Path(aimock_cli), fixture)
        out["aimock"] = median_first_200_s(argv, chat, runs, folder)
    return out

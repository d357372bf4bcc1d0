"""`python -m bench.batch`: how long a chat batch takes, from upload to the last output line,
against a live server (`jobs_instant`, so the time is the emulator's work: the upload check,
every line answered by the chat serving code behind the create, the output file read back),
and what a chat request sees meanwhile (the lines are answered in bounded slices off the event
loop, so other clients are slowed, never stalled).

Prints a small table and, with `--json FILE`, the figures as JSON."""

import argparse
import json
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from mockazure import Settings, create_app
from mockazure.testing import live_server

HEADERS = {"api-key": "bench"}
PARAMS = {"api-version": "2024-10-21"}
TERMINAL = {"completed", "failed", "expired", "cancelled"}
CHAT = {"messages": [{"role": "user", "content": "Hello there."}], "max_tokens": 20}


def batch_file(lines: int) -> bytes:
    rows = []
    for i in range(lines):
        body = {
            "model": "gpt-4o-batch",
            "messages": [{"role": "user", "content": f"Summarise item {i} of the catalogue."}],
            "max_tokens": 60,
        }
        rows.append(
            {"custom_id": f"item-{i}", "method": "POST", "url": "/chat/completions", "body": body}
        )
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def _chat_latencies(url: str, stop: threading.Event, found: list[float]) -> None:
    """Chat requests, one after another, while the batch runs: each one's latency."""
    with httpx.Client(base_url=url, headers=HEADERS, params=PARAMS, timeout=600) as http:
        while not stop.is_set():
            started = time.perf_counter()
            http.post("/openai/deployments/gpt-4o/chat/completions", json=CHAT)
            found.append(time.perf_counter() - started)


def one_run(http: httpx.Client, content: bytes, url: str) -> dict[str, float]:
    started = time.perf_counter()
    upload = http.post(
        "/openai/files", data={"purpose": "batch"}, files={"file": ("b.jsonl", content)}
    )
    uploaded = time.perf_counter()
    body = {
        "input_file_id": upload.json()["id"],
        "endpoint": "/chat/completions",
        "completion_window": "24h",
    }
    stop, latencies = threading.Event(), list[float]()
    chatter = threading.Thread(target=_chat_latencies, args=(url, stop, latencies))
    chatter.start()
    batch = http.post("/openai/batches", json=body).json()
    created = time.perf_counter()
    polls = 0
    while (done := http.get(f"/openai/batches/{batch['id']}").json())["status"] not in TERMINAL:
        polls += 1
    answered = time.perf_counter()
    stop.set()
    chatter.join()
    output = http.get(f"/openai/files/{done['output_file_id']}/content").text
    finished = time.perf_counter()
    assert done["request_counts"]["completed"] == len(output.splitlines())
    return {
        "upload_s": uploaded - started,
        "create_s": created - uploaded,
        "answered_s": answered - created,
        "total_s": finished - started,
        "polls": polls + 1,
        "chat_requests": len(latencies),
        "chat_p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
        "chat_max_ms": 1000 * max(latencies) if latencies else 0.0,
    }


def run(lines: int, repeats: int) -> dict[str, Any]:
    content = batch_file(lines)
    app = create_app(Settings(jobs_instant=True))
    with (
        live_server(app) as server,
        httpx.Client(base_url=server.url, headers=HEADERS, params=PARAMS, timeout=600) as http,
    ):
        one_run(http, batch_file(5), server.url)  # loads the tokenizer once, as a server has
        runs = [one_run(http, content, server.url) for _ in range(repeats)]
    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    return {
        "lines": lines,
        "bytes": len(content),
        "repeats": repeats,
        "median": medians,
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.batch", description=__doc__)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    report = run(args.lines, args.repeats)
    median = report["median"]
    print(f"batch of {args.lines} chat lines ({report['bytes']} bytes), median of {args.repeats}:")  # noqa: T201
    for key in ("upload_s", "create_s", "answered_s", "total_s"):
        print(f"  {key:<11} {median[key]:8.3f} s")  # noqa: T201
    print(f"  lines/s     {args.lines / median['answered_s']:8.0f}")  # noqa: T201
    print(  # noqa: T201
        f"  chat meanwhile: {median['chat_requests']:.0f} requests, "
        f"p50 {median['chat_p50_ms']:.1f} ms, max {median['chat_max_ms']:.1f} ms"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

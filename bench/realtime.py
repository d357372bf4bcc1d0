"""Realtime benchmarks: `python -m bench.realtime [--levels 25,50,100] [--json FILE]`.

The server runs pinned to core 0 (as the HTTP benchmarks); the load is one asyncio process of
`websockets` clients pinned to core 1. Two figures:

* audio real-time factor: with `--realtime-audio-pace 0`, seconds of speech one session's
  responses carry per second of wall time (how much faster than real time audio is made);
* concurrent sessions held: with pacing at real time (the default), N sessions each ask for a
  spoken answer at once; a level is held when every session's audio arrived within 1.25x its
  own duration (the slowest session's lag is reported per level).
"""

import argparse
import asyncio
import base64
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bench.servers import LOAD_CORE, mockazure

HELD_LAG = 1.25
ITEM = {
    "type": "conversation.item.create",
    "item": {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "Describe the harbour of Lisbon at dawn."}],
    },
}


async def _one_response(ws: Any) -> float:
    """Ask for an answer; the seconds of 24 kHz PCM16 audio it carried."""
    await ws.send(json.dumps(ITEM))
    await ws.send(json.dumps({"type": "response.create"}))
    audio = 0
    while True:
        event = json.loads(await ws.recv())
        if event["type"] == "response.output_audio.delta":
            audio += len(base64.b64decode(event["delta"]))
        if event["type"] == "response.done":
            return audio / 48_000


async def _session(url: str, responses: int) -> tuple[float, float]:
    """(audio seconds, wall seconds) for `responses` answers in one session."""
    async with connect(url, additional_headers={"api-key": "bench"}, max_size=None) as ws:
        await ws.recv()  # session.created
        started, audio = time.perf_counter(), 0.0
        for _ in range(responses):
            audio += await _one_response(ws)
        return audio, time.perf_counter() - started


def ws_url(http_url: str) -> str:
    return "ws" + http_url.removeprefix("http") + "/openai/v1/realtime?model=gpt-realtime"


def real_time_factor(responses: int) -> dict[str, float]:
    with mockazure({"MOCKAZURE_REALTIME_AUDIO_PACE": "0"}) as server:
        audio, wall = asyncio.run(_session(ws_url(server.url), responses))
    return {"audio_s": round(audio, 2), "wall_s": round(wall, 3), "rtf": round(audio / wall, 1)}


async def _level(url: str, sessions: int) -> dict[str, Any]:
    results = await asyncio.gather(*(_session(url, 1) for _ in range(sessions)))
    lags = [wall / audio for audio, wall in results if audio]
    worst = max(lags) if lags else float("inf")
    return {"sessions": sessions, "worst_lag": round(worst, 3), "held": worst <= HELD_LAG}


def sessions_held(levels: list[int]) -> list[dict[str, Any]]:
    found = []
    with mockazure() as server:
        for sessions in levels:
            level = asyncio.run(_level(ws_url(server.url), sessions))
            found.append(level)
            if not level["held"]:
                break
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realtime", description=__doc__)
    parser.add_argument("--levels", default="25,50,100,200", help="concurrent sessions to try")
    parser.add_argument("--responses", type=int, default=5, help="answers for the RTF figure")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(LOAD_CORE)})
    levels = [int(n) for n in args.levels.split(",")]
    report: dict[str, Any] = {
        "python": sys.version.split()[0],
        "audio_real_time_factor": real_time_factor(args.responses),
        "sessions": sessions_held(levels),
    }
    held = [level["sessions"] for level in report["sessions"] if level["held"]]
    report["concurrent_sessions_held"] = max(held, default=0)
    text = json.dumps(report, indent=1)
    print(text)  # noqa: T201
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

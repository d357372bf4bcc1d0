"""CPU time per request in process: `python -m bench.cpu BODY [N]` prints one JSON line.

The app is called through httpx's ASGI transport (no sockets, no uvicorn), and only this
process's CPU time is counted (`time.process_time`), so the figure holds on a loaded machine
where wrk's req/s does not. `bench.compare --cpu` runs it for two source trees.
"""

import asyncio
import json
import os
import sys
import time

import httpx

from bench.bodies import all_bodies


async def _run(name: str, count: int) -> dict[str, float | str]:
    if os.environ.get("BENCH_SOURCE"):  # another commit's tree, ahead of this checkout
        sys.path.insert(0, os.environ["BENCH_SOURCE"])
    from mockazure import Settings, create_app

    body = all_bodies()[name]
    transport = httpx.ASGITransport(app=create_app(Settings()))
    headers = {"content-type": body.content_type, "api-key": "bench"}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(max(20, count // 10)):  # warm-up: tokenizers, caches, imports
            await client.post(body.path, content=body.data, headers=headers)
        started = time.process_time()
        for _ in range(count):
            reply = await client.post(body.path, content=body.data, headers=headers)
            if reply.status_code != 200:
                raise SystemExit(f"{name}: {reply.status_code} {reply.text[:200]}")
        spent = time.process_time() - started
    source = sys.modules["mockazure"].__file__ or ""
    return {
        "cpu_us_per_request": spent / count * 1e6,
        "req_per_cpu_s": count / spent,
        "source": source,
    }


def main() -> None:
    name, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    print(json.dumps(asyncio.run(_run(name, count))))  # noqa: T201


if __name__ == "__main__":
    main()

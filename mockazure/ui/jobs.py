"""The inspector's Jobs view: batches with their progress and videos with theirs, as a poll at
this moment sees them (the lifecycles of serving/batches.py and serving/videos.py)."""

from typing import Any

import anyio.to_thread

from mockazure.serving.batch_pump import pump_of
from mockazure.serving.batches import all_batches, batch_view
from mockazure.serving.videos import all_videos
from mockazure.state import MockState

SHOWN = 50  # newest first


async def jobs_overview(state: MockState) -> dict[str, Any]:
    """The records read on the loop; each batch's progress (blocking reads of its slices) in
    a worker thread, as `GET /openai/batches` does."""
    now = state.clock.now()
    batches = []
    pump = pump_of(state)
    records = (await all_batches(state))[:SHOWN]
    progress = await anyio.to_thread.run_sync(lambda: [pump.progress(r, now) for r in records])
    for record, shown in zip(records, progress, strict=True):
        view = batch_view(record, shown, now)
        counts = view.request_counts
        done = counts.completed + counts.failed
        batches.append(
            {
                "id": view.id,
                "status": view.status,
                "endpoint": view.endpoint,
                "total": counts.total,
                "completed": counts.completed,
                "failed": counts.failed,
                "percent": round(100 * done / counts.total) if counts.total else 0,
                "created_at": view.created_at,
            }
        )
    videos = []
    for kind in ("video", "job"):
        for video in (await all_videos(state, kind))[:SHOWN]:
            videos.append(
                {
                    "id": video.id,
                    "kind": "Sora 2" if kind == "video" else "Sora 1",
                    "status": video.phase(now),
                    "percent": video.progress(now),
                    "size": f"{video.width}x{video.height}",
                    "seconds": video.seconds,
                    "prompt": video.prompt[:200],
                    "created_at": video.created_at,
                }
            )
    return {"batches": batches, "videos": videos}

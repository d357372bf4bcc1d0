"""Video jobs in the store (Sora 2 videos and Sora 1 generation jobs share the record) and
their lifecycle, a pure function of the app clock: `queued` for `video_queued_s`, then in
progress for `video_in_progress_s` (`progress` 0-100 moves with it), then done, or failed when
the prompt carries an output-stage content-filter trigger (the image triggers, README). The
MP4 (and thumbnail, spritesheet) are rendered on first download, off the event loop, and kept
with the job until it expires (`video_ttl_s`, Azure: 24 h)."""

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

import anyio

from mockazure.config import Settings
from mockazure.errors import VideoNotFound
from mockazure.generators.videos import render_mp4, render_spritesheet, render_thumbnail
from mockazure.state import MockState

NAMESPACE = "videos"
ASSETS = "video-assets"
MEDIA_TYPES = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}
# What a failed job reports (the image operations' wording; Sora's own is not public).
FILTERED = {
    "code": "moderation_blocked",
    "message": "Your task failed as a result of our safety system.",
}


@dataclass
class VideoRecord:
    id: str
    kind: str  # "video" (Sora 2) or "job" (Sora 1)
    deployment: str
    model: str
    prompt: str
    width: int
    height: int
    seconds: int
    created_at: int
    started: float
    queued_s: float
    running_s: float
    failed: bool = False
    remixed_from: str | None = None
    generations: tuple[str, ...] = ()  # Sora 1 generation ids, one per variant

    def dumps(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "VideoRecord":
        data = json.loads(raw)
        data["generations"] = tuple(data["generations"])
        return cls(**data)

    @property
    def done_at(self) -> float:
        return self.started + self.queued_s + self.running_s

    def progress(self, now: float) -> int:
        """0 while queued, 0-99 while running, 100 when done."""
        if now >= self.done_at:
            return 100
        running = now - self.started - self.queued_s
        if running <= 0:
            return 0
        return min(99, math.floor(100 * running / self.running_s))

    def phase(self, now: float) -> str:
        """ "queued", "running", "done" or "failed"."""
        if now >= self.done_at:
            return "failed" if self.failed else "done"
        return "queued" if now < self.started + self.queued_s else "running"


def timing(settings: Settings) -> tuple[float, float]:
    if settings.jobs_instant:
        return 0.0, 0.0
    return settings.video_queued_s, settings.video_in_progress_s


async def save_video(state: MockState, record: VideoRecord) -> None:
    await state.store.aput(NAMESPACE, record.id, record.dumps(), ttl_s=state.settings.video_ttl_s)


async def load_video(state: MockState, video_id: str, kind: str) -> VideoRecord:
    raw = await state.store.aget(NAMESPACE, video_id)
    record = None if raw is None else VideoRecord.loads(raw)
    if record is None or record.kind != kind:
        raise VideoNotFound(video_id)
    return record


async def all_videos(state: MockState, kind: str) -> list[VideoRecord]:
    raws = [await state.store.aget(NAMESPACE, key) for key in await state.store.akeys(NAMESPACE)]
    records = [VideoRecord.loads(raw) for raw in raws if raw is not None]
    chosen = [r for r in records if r.kind == kind]
    return sorted(chosen, key=lambda r: (-r.started, r.id))


async def delete_video(state: MockState, record: VideoRecord) -> None:
    for key in (record.id, *record.generations):
        for variant in MEDIA_TYPES:
            await state.store.adelete(ASSETS, f"{key}:{variant}")
    await state.store.adelete(NAMESPACE, record.id)


def _renderer(record: VideoRecord, variant: str, seed: int) -> Callable[[], bytes]:
    args = (record.prompt, record.width, record.height)
    if variant == "thumbnail":
        return lambda: render_thumbnail(*args, seed=seed)
    if variant == "spritesheet":
        return lambda: render_spritesheet(*args, record.seconds, seed=seed)
    return lambda: render_mp4(*args, record.seconds, seed=seed)


async def asset(state: MockState, record: VideoRecord, key: str, variant: str, seed: int) -> bytes:
    """The rendered asset, from the store or rendered now in a worker thread (deterministic:
    a second replica rendering it at the same moment writes the same bytes)."""
    cached = await state.store.aget(ASSETS, f"{key}:{variant}")
    if cached is not None:
        return cached
    blob = await anyio.to_thread.run_sync(_renderer(record, variant, state.seed + seed))
    ttl = max(1.0, record.started + state.settings.video_ttl_s - state.clock.now())
    await state.store.aput(ASSETS, f"{key}:{variant}", blob, ttl_s=ttl)
    return blob

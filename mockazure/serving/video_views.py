"""How a video job reads at a moment: Sora 2's `Video` and Sora 1's `video.generation.job`,
from one record and the clock (serving/videos.py)."""

from mockazure.protocol.videos import Video, VideoError, VideoGeneration, VideoGenerationJob
from mockazure.serving.videos import FILTERED, VideoRecord

STATUS = {"queued": "queued", "running": "in_progress", "done": "completed", "failed": "failed"}


def video_view(record: VideoRecord, now: float, ttl_s: float) -> Video:
    phase = record.phase(now)
    ended = phase in ("done", "failed")
    return Video(
        id=record.id,
        model=record.model,
        status=STATUS[phase],
        progress=record.progress(now),
        created_at=record.created_at,
        completed_at=int(record.done_at) if ended else None,
        expires_at=record.created_at + int(ttl_s),
        prompt=record.prompt,
        size=f"{record.width}x{record.height}",
        seconds=str(record.seconds),
        remixed_from_video_id=record.remixed_from,
        error=VideoError(**FILTERED) if phase == "failed" else None,
    )


def job_view(record: VideoRecord, now: float, ttl_s: float) -> VideoGenerationJob:
    phase = record.phase(now)
    progress = record.progress(now)
    status = {"queued": "queued", "done": "succeeded", "failed": "failed"}.get(phase)
    if status is None:
        status = ("preprocessing", "running", "processing")[min(2, progress * 3 // 100)]
    done = phase == "done"
    generations = [
        VideoGeneration(
            id=gen_id,
            job_id=record.id,
            created_at=int(record.done_at),
            width=record.width,
            height=record.height,
            n_seconds=record.seconds,
            prompt=record.prompt,
        )
        for gen_id in record.generations
    ]
    return VideoGenerationJob(
        id=record.id,
        status=status,
        created_at=record.created_at,
        finished_at=int(record.done_at) if phase in ("done", "failed") else None,
        expires_at=int(record.started + ttl_s) if done else None,
        generations=generations if done else [],
        prompt=record.prompt,
        model=record.model,
        n_variants=len(record.generations),
        n_seconds=record.seconds,
        height=record.height,
        width=record.width,
        failure_reason="moderation_blocked" if phase == "failed" else None,
    )

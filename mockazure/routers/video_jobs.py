"""Sora 1 on Azure (preview; shapes from Learn's Sora quickstart and clients' code, reference
§5): `POST /openai/v1/video/generations/jobs?api-version=preview` `{model, prompt, width,
height, n_seconds, n_variants}`, `GET`/`DELETE …/jobs/{id}`, `GET …/jobs`, and
`GET /openai/v1/video/generations/{generation_id}/content/video` (or `/thumbnail`)."""

from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response

from mockazure.errors import InvalidRequest
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.responses import json_response
from mockazure.protocol.videos import VideoGeneration, VideoGenerationJob, VideoGenerationJobList
from mockazure.serving.access import require_access
from mockazure.serving.paging import page_of
from mockazure.serving.video_create import new_record
from mockazure.serving.videos import (
    NAMESPACE,
    VideoNotFound,
    VideoNotReady,
    VideoRecord,
    all_videos,
    asset,
    delete_video,
    load_video,
    save_video,
)

router = APIRouter(prefix="/openai/v1/video/generations", tags=["videos"])
# Learn's Sora page: these resolutions, 1 to 20 seconds; variants bounded by the mock **(inference)**.
SIZES = frozenset(
    {
        (480, 480),
        (480, 854),
        (854, 480),
        (720, 720),
        (720, 1280),
        (1280, 720),
        (1080, 1080),
        (1080, 1920),
        (1920, 1080),
    }
)
MAX_SECONDS = 20
MAX_VARIANTS = 5


def _int(data: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequest(
            f"Invalid '{name}': expected an integer between {low} and {high}.",
            param=name,
            code="invalid_value",
        )
    return value


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


def _view(request: Request, record: VideoRecord, *, created: bool = False) -> VideoGenerationJob:
    """`created`: the create answer, always `queued` (see routers/videos.py)."""
    state = request.app.state.mock
    now = record.started - 1e-6 if created else state.clock.now()
    return job_view(record, now, state.settings.video_ttl_s)


@router.post("/jobs", status_code=201, response_model=VideoGenerationJob)
async def create_video_job(request: Request) -> Response:
    access = require_access(request, "video_jobs_create")
    data = await read_json_object(request)
    size = (_int(data, "width", 480, 1, 1920), _int(data, "height", 480, 1, 1920))
    if size not in SIZES:
        raise InvalidRequest(
            f"Unsupported resolution {size[0]}x{size[1]}. Supported resolutions: "
            + ", ".join(f"{w}x{h}" for w, h in sorted(SIZES))
            + ".",
            param="width",
            code="invalid_value",
        )
    seconds = _int(data, "n_seconds", 5, 1, MAX_SECONDS)
    variants = _int(data, "n_variants", 1, 1, MAX_VARIANTS)
    record = new_record(access, data, "job", size, seconds)
    ids = access.state.ids
    record.id = "task_" + ids.token("", 26).lower()
    record.generations = tuple("gen_" + ids.token("", 26).lower() for _ in range(variants))
    save_video(access.state, record)
    return json_response(_view(request, record, created=True), status_code=201)


@router.get("/jobs", response_model=VideoGenerationJobList)
async def list_video_jobs(
    request: Request, after: str | None = None, limit: int = Query(default=20, ge=1, le=100)
) -> Response:
    access = require_access(request, "video_jobs_list")
    views = [_view(request, r) for r in all_videos(access.state, "job")]
    page, has_more = page_of(views, after, limit)
    first, last = (page[0].id, page[-1].id) if page else (None, None)
    body = VideoGenerationJobList(data=page, first_id=first, last_id=last, has_more=has_more)
    return json_response(body)


@router.get("/jobs/{job_id}", response_model=VideoGenerationJob)
async def get_video_job(request: Request, job_id: str) -> Response:
    access = require_access(request, "video_jobs_get")
    return json_response(_view(request, load_video(access.state, job_id, "job")))


@router.delete("/jobs/{job_id}", status_code=204)
async def delete_video_job(request: Request, job_id: str) -> Response:
    access = require_access(request, "video_jobs_delete")
    delete_video(access.state, load_video(access.state, job_id, "job"))
    return Response(status_code=204)


def _job_of(request: Request, generation_id: str) -> VideoRecord:
    state = request.app.state.mock
    for key in state.store.keys(NAMESPACE):
        raw = state.store.get(NAMESPACE, key)
        record = VideoRecord.loads(raw) if raw is not None else None
        if record is not None and generation_id in record.generations:
            return record
    raise VideoNotFound(generation_id)


@router.get("/{generation_id}/content/{variant}")
async def get_video_generation_content(
    request: Request, generation_id: str, variant: Literal["video", "thumbnail"]
) -> Response:
    access = require_access(request, "video_generation_content")
    record = _job_of(request, generation_id)
    phase = record.phase(access.state.clock.now())
    if phase != "done":
        raise VideoNotReady(record.id, phase)
    index = record.generations.index(generation_id)
    blob = await asset(access.state, record, generation_id, variant, index)
    return Response(blob, media_type="video/mp4" if variant == "video" else "image/webp")

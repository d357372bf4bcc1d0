"""Sora 1 on Azure (preview; shapes from Learn's Sora quickstart and clients' code, reference
§5): `POST /openai/v1/video/generations/jobs?api-version=preview` `{model, prompt, width,
height, n_seconds, n_variants}`, `GET`/`DELETE …/jobs/{id}`, `GET …/jobs`, and
`GET /openai/v1/video/generations/{generation_id}/content/video` (or `/thumbnail`)."""

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from mockazure.errors import VideoNotFound, VideoNotReady
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.responses import json_response
from mockazure.protocol.videos import VideoGenerationJob, VideoGenerationJobList
from mockazure.serving.access import require_access
from mockazure.serving.paging import page_of
from mockazure.serving.video_create import create_job
from mockazure.serving.video_views import job_view
from mockazure.serving.videos import (
    NAMESPACE,
    VideoRecord,
    all_videos,
    asset,
    delete_video,
    load_video,
)

router = APIRouter(prefix="/openai/v1/video/generations", tags=["videos"])


def _view(request: Request, record: VideoRecord, *, created: bool = False) -> VideoGenerationJob:
    """`created`: the create answer, always `queued` (see routers/videos.py)."""
    state = request.app.state.mock
    now = record.started - 1e-6 if created else state.clock.now()
    return job_view(record, now, state.settings.video_ttl_s)


@router.post("/jobs", status_code=201, response_model=VideoGenerationJob)
async def create_video_job(request: Request) -> Response:
    access = require_access(request, "video_jobs_create")
    data = await read_json_object(request)
    record = create_job(access, data)
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

"""Sora 1 on Azure (preview; shapes from Learn's Sora quickstart and clients' code, reference
§5): `POST /openai/v1/video/generations/jobs?api-version=preview` `{model, prompt, width,
height, n_seconds, n_variants}`, `GET`/`DELETE …/jobs/{id}`, `GET …/jobs`, and
`GET /openai/v1/video/generations/{generation_id}/content/video` (or `/thumbnail`), on the
paths of their rows in the operation table."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from mockazure.errors import VideoNotFound, VideoNotReady
from mockazure.gateway.responses import json_response
from mockazure.protocol.videos import VideoGenerationJob, VideoGenerationJobList
from mockazure.routers.table import add_operation_routes
from mockazure.serving.access import JobCall, access_of, job_gate
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

router = APIRouter(tags=["videos"])

CreateCall = Annotated[JobCall, Depends(job_gate("video_jobs_create"))]
ListCall = Annotated[JobCall, Depends(job_gate("video_jobs_list"))]
GetCall = Annotated[JobCall, Depends(job_gate("video_jobs_get"))]
DeleteCall = Annotated[JobCall, Depends(job_gate("video_jobs_delete"))]
ContentCall = Annotated[JobCall, Depends(job_gate("video_generation_content"))]


def _view(call: JobCall, record: VideoRecord, *, created: bool = False) -> VideoGenerationJob:
    """`created`: the create answer, always `queued` (see routers/videos.py)."""
    state = call.state
    now = record.started - 1e-6 if created else state.clock.now()
    return job_view(record, now, state.settings.video_ttl_s)


async def create_video_job(call: CreateCall) -> Response:
    record = await create_job(access_of(call), call.raw)
    return json_response(_view(call, record, created=True), status_code=201)


async def list_video_jobs(
    call: ListCall, after: str | None = None, limit: int = Query(default=20, ge=1, le=100)
) -> Response:
    views = [_view(call, r) for r in await all_videos(call.state, "job")]
    page, has_more = page_of(views, after, limit)
    first, last = (page[0].id, page[-1].id) if page else (None, None)
    body = VideoGenerationJobList(data=page, first_id=first, last_id=last, has_more=has_more)
    return json_response(body)


async def get_video_job(call: GetCall, job_id: str) -> Response:
    return json_response(_view(call, await load_video(call.state, job_id, "job")))


async def delete_video_job(call: DeleteCall, job_id: str) -> Response:
    await delete_video(call.state, await load_video(call.state, job_id, "job"))
    return Response(status_code=204)


async def _job_of(call: JobCall, generation_id: str) -> VideoRecord:
    state = call.state
    for key in await state.store.akeys(NAMESPACE):
        raw = await state.store.aget(NAMESPACE, key)
        record = VideoRecord.loads(raw) if raw is not None else None
        if record is not None and generation_id in record.generations:
            return record
    raise VideoNotFound(generation_id)


async def get_video_generation_content(
    call: ContentCall, generation_id: str, variant: Literal["video", "thumbnail"]
) -> Response:
    record = await _job_of(call, generation_id)
    phase = record.phase(call.state.clock.now())
    if phase != "done":
        raise VideoNotReady(record.id, phase)
    index = record.generations.index(generation_id)
    blob = await asset(call.state, record, generation_id, variant, index)
    return Response(blob, media_type="video/mp4" if variant == "video" else "image/webp")


add_operation_routes(
    router,
    "video_jobs_create",
    create_video_job,
    status_code=201,
    response_model=VideoGenerationJob,
)
add_operation_routes(
    router, "video_jobs_list", list_video_jobs, response_model=VideoGenerationJobList
)
add_operation_routes(router, "video_jobs_get", get_video_job, response_model=VideoGenerationJob)
add_operation_routes(router, "video_jobs_delete", delete_video_job, status_code=204)
add_operation_routes(router, "video_generation_content", get_video_generation_content)

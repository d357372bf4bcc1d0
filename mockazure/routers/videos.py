"""Sora 2 on v1 (`/openai/v1/videos`, Azure video concept page; OpenAI's shapes): create,
get, list, delete, content (`variant` video | thumbnail | spritesheet), remix."""

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from mockazure.errors import VideoNotReady
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.responses import json_response
from mockazure.protocol.videos import Video, VideoDeleted, VideoList
from mockazure.serving.access import require_access
from mockazure.serving.paging import page_of
from mockazure.serving.video_create import check_prompt, create_video, read_video_body
from mockazure.serving.video_views import STATUS, video_view
from mockazure.serving.videos import (
    MEDIA_TYPES,
    VideoRecord,
    all_videos,
    asset,
    delete_video,
    load_video,
)

router = APIRouter(prefix="/openai/v1/videos", tags=["videos"])


def _view(request: Request, record: VideoRecord, *, created: bool = False) -> Response:
    """`created`: the create answer, always `queued` (as the service answers), even when the
    job is done at once (`jobs_instant`)."""
    state = request.app.state.mock
    now = record.started - 1e-6 if created else state.clock.now()
    return json_response(video_view(record, now, state.settings.video_ttl_s))


@router.post("", response_model=Video)
async def create_video_route(request: Request) -> Response:
    access = require_access(request, "videos_create")
    data = await read_video_body(request)
    remix = data.get("remix_video_id")
    if isinstance(remix, str) and remix:
        load_video(access.state, remix, "video")
    record = create_video(access, data, remix if isinstance(remix, str) else None)
    return _view(request, record, created=True)


@router.get("", response_model=VideoList)
async def list_videos(
    request: Request,
    after: str | None = None,
    limit: int = Query(default=20, ge=0, le=100),
    order: Literal["asc", "desc"] = "desc",
) -> Response:
    access = require_access(request, "videos_list")
    state = access.state
    records = all_videos(state, "video")
    if order == "asc":
        records.reverse()
    views = [video_view(r, state.clock.now(), state.settings.video_ttl_s) for r in records]
    page, has_more = page_of(views, after, limit)
    first, last = (page[0].id, page[-1].id) if page else (None, None)
    return json_response(VideoList(data=page, first_id=first, last_id=last, has_more=has_more))


@router.get("/{video_id}", response_model=Video)
async def retrieve_video(request: Request, video_id: str) -> Response:
    access = require_access(request, "videos_get")
    return _view(request, load_video(access.state, video_id, "video"))


@router.delete("/{video_id}", response_model=VideoDeleted)
async def delete_video_route(request: Request, video_id: str) -> Response:
    access = require_access(request, "videos_delete")
    delete_video(access.state, load_video(access.state, video_id, "video"))
    return json_response(VideoDeleted(id=video_id))


@router.get("/{video_id}/content")
async def download_video_content(
    request: Request,
    video_id: str,
    variant: Literal["video", "thumbnail", "spritesheet"] = "video",
) -> Response:
    access = require_access(request, "videos_content")
    record = load_video(access.state, video_id, "video")
    phase = record.phase(access.state.clock.now())
    if phase != "done":
        raise VideoNotReady(video_id, STATUS[phase])
    blob = await asset(access.state, record, record.id, variant, 0)
    return Response(blob, media_type=MEDIA_TYPES[variant])


@router.post("/{video_id}/remix", response_model=Video)
async def remix_video(request: Request, video_id: str) -> Response:
    access = require_access(request, "videos_remix")
    source = load_video(access.state, video_id, "video")
    data = await read_json_object(request)
    check_prompt(data)
    fields = {
        "model": source.deployment,
        "prompt": data["prompt"],
        "size": f"{source.width}x{source.height}",
        "seconds": str(source.seconds),
    }
    return _view(request, create_video(access, fields, video_id), created=True)

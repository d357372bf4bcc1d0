"""Sora 2 on v1 (`/openai/v1/videos`, Azure video concept page; OpenAI's shapes): create,
get, list, delete, content (`variant` video | thumbnail | spritesheet), remix, on the paths of
their rows in the operation table."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from mockazure.errors import VideoNotReady
from mockazure.gateway.responses import json_response
from mockazure.protocol.videos import Video, VideoDeleted, VideoList
from mockazure.routers.table import add_operation_routes
from mockazure.serving.access import JobCall, access_of, job_gate
from mockazure.serving.paging import page_of
from mockazure.serving.video_create import (
    CREATE_FIELDS,
    REMIX_FIELDS,
    check_fields,
    check_prompt,
    create_video,
    read_video_body,
)
from mockazure.serving.video_views import STATUS, video_view
from mockazure.serving.videos import (
    MEDIA_TYPES,
    VideoRecord,
    all_videos,
    asset,
    delete_video,
    load_video,
)

router = APIRouter(tags=["videos"])

CreateCall = Annotated[JobCall, Depends(job_gate("videos_create", read_video_body))]
ListCall = Annotated[JobCall, Depends(job_gate("videos_list"))]
GetCall = Annotated[JobCall, Depends(job_gate("videos_get"))]
DeleteCall = Annotated[JobCall, Depends(job_gate("videos_delete"))]
ContentCall = Annotated[JobCall, Depends(job_gate("videos_content"))]
RemixCall = Annotated[JobCall, Depends(job_gate("videos_remix"))]


def _view(call: JobCall, record: VideoRecord, *, created: bool = False) -> Response:
    """`created`: the create answer, always `queued` (as the service answers), even when the
    job is done at once (`jobs_instant`)."""
    state = call.state
    now = record.started - 1e-6 if created else state.clock.now()
    return json_response(video_view(record, now, state.settings.video_ttl_s))


async def create_video_route(call: CreateCall) -> Response:
    access = access_of(call)
    data = call.raw
    check_fields(data, CREATE_FIELDS)
    remix = data.get("remix_video_id")
    if isinstance(remix, str) and remix:
        await load_video(access.state, remix, "video")
    record = await create_video(access, data, remix if isinstance(remix, str) else None)
    return _view(call, record, created=True)


async def list_videos(
    call: ListCall,
    after: str | None = None,
    limit: int = Query(default=20, ge=0, le=100),
    order: Literal["asc", "desc"] = "desc",
) -> Response:
    state = call.state
    records = await all_videos(state, "video")
    if order == "asc":
        records.reverse()
    views = [video_view(r, state.clock.now(), state.settings.video_ttl_s) for r in records]
    page, has_more = page_of(views, after, limit)
    first, last = (page[0].id, page[-1].id) if page else (None, None)
    return json_response(VideoList(data=page, first_id=first, last_id=last, has_more=has_more))


async def retrieve_video(call: GetCall, video_id: str) -> Response:
    return _view(call, await load_video(call.state, video_id, "video"))


async def delete_video_route(call: DeleteCall, video_id: str) -> Response:
    await delete_video(call.state, await load_video(call.state, video_id, "video"))
    return json_response(VideoDeleted(id=video_id))


async def download_video_content(
    call: ContentCall,
    video_id: str,
    variant: Literal["video", "thumbnail", "spritesheet"] = "video",
) -> Response:
    record = await load_video(call.state, video_id, "video")
    phase = record.phase(call.state.clock.now())
    if phase != "done":
        raise VideoNotReady(video_id, STATUS[phase])
    blob = await asset(call.state, record, record.id, variant, 0)
    return Response(blob, media_type=MEDIA_TYPES[variant])


async def remix_video(call: RemixCall, video_id: str) -> Response:
    access = access_of(call)
    data = call.raw
    check_fields(data, REMIX_FIELDS)  # the body's 400 before the lookup's 404
    source = await load_video(call.state, video_id, "video")
    check_prompt(data)
    fields = {
        "model": source.deployment,
        "prompt": data["prompt"],
        "size": f"{source.width}x{source.height}",
        "seconds": str(source.seconds),
    }
    return _view(call, await create_video(access, fields, video_id), created=True)


add_operation_routes(router, "videos_create", create_video_route, response_model=Video)
add_operation_routes(router, "videos_list", list_videos, response_model=VideoList)
add_operation_routes(router, "videos_get", retrieve_video, response_model=Video)
add_operation_routes(router, "videos_delete", delete_video_route, response_model=VideoDeleted)
add_operation_routes(router, "videos_content", download_video_content)
add_operation_routes(router, "videos_remix", remix_video, response_model=Video)

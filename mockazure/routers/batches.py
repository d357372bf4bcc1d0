"""Batches, dated (`/openai/batches?api-version=…`, authoring specs 2024-07-01-preview …) and
v1 (`/openai/v1/batches`, Learn batch how-to): create, get, list, cancel (serving/batches.py)."""

from fastapi import APIRouter, Query, Request, Response

from mockazure.errors import BatchConflict
from mockazure.gateway.responses import json_response
from mockazure.protocol.batches import Batch, BatchList
from mockazure.serving.access import require_access
from mockazure.serving.batch_create import create_batch, stored_lines
from mockazure.serving.batches import (
    TERMINAL,
    all_batches,
    batch_view,
    load_batch,
    save_batch,
    write_results,
)
from mockazure.serving.paging import page_of

router = APIRouter(tags=["batches"])
PATHS = ("/openai/batches", "/openai/v1/batches")


@router.post(PATHS[0], response_model=Batch)
@router.post(PATHS[1], response_model=Batch, include_in_schema=False)
async def create_batch_route(request: Request) -> Response:
    access = require_access(request, "batches_create")
    record = await create_batch(request, access)
    return json_response(batch_view(record, access.state.clock.now(), created=True))


@router.get(PATHS[0], response_model=BatchList)
@router.get(PATHS[1], response_model=BatchList, include_in_schema=False)
async def list_batches(
    request: Request, after: str | None = None, limit: int = Query(default=20, ge=1, le=100)
) -> Response:
    access = require_access(request, "batches_list")
    now = access.state.clock.now()
    views = [batch_view(r, now) for r in all_batches(access.state)]
    page, has_more = page_of(views, after, limit)
    first, last = (page[0].id, page[-1].id) if page else (None, None)
    return json_response(BatchList(data=page, first_id=first, last_id=last, has_more=has_more))


@router.get(PATHS[0] + "/{batch_id}", response_model=Batch)
@router.get(PATHS[1] + "/{batch_id}", response_model=Batch, include_in_schema=False)
async def retrieve_batch(request: Request, batch_id: str) -> Response:
    access = require_access(request, "batches_get")
    record = load_batch(access.state, batch_id)
    return json_response(batch_view(record, access.state.clock.now()))


@router.post(PATHS[0] + "/{batch_id}/cancel", response_model=Batch)
@router.post(PATHS[1] + "/{batch_id}/cancel", response_model=Batch, include_in_schema=False)
async def cancel_batch(request: Request, batch_id: str) -> Response:
    access = require_access(request, "batches_cancel")
    state = access.state
    record = load_batch(state, batch_id)
    now = state.clock.now()
    status = record.status(now)
    if status in ("cancelling", "cancelled"):
        return json_response(batch_view(record, now))
    if status in TERMINAL:
        raise BatchConflict(batch_id, status)
    record.cancelled = now
    write_results(state, record, stored_lines(access, record))
    save_batch(state, record)
    return json_response(batch_view(record, now))

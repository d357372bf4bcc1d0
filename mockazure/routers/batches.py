"""Batches, dated (`/openai/batches?api-version=…`, authoring specs 2024-07-01-preview …) and
v1 (`/openai/v1/batches`, Learn batch how-to): create, get, list, cancel (serving/batches.py),
on every path of their rows in the operation table."""

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Query, Response

from mockazure.errors import BatchConflict
from mockazure.gateway.responses import json_response
from mockazure.protocol.batches import Batch, BatchList
from mockazure.routers.table import add_operation_routes
from mockazure.serving.access import JobCall, access_of, job_gate
from mockazure.serving.batch_create import create_batch
from mockazure.serving.batch_pump import keep_working, pump_of
from mockazure.serving.batches import (
    TERMINAL,
    Progress,
    all_batches,
    batch_view,
    load_batch,
    save_batch,
)
from mockazure.serving.paging import page_of

router = APIRouter(tags=["batches"])

CreateCall = Annotated[JobCall, Depends(job_gate("batches_create"))]
ListCall = Annotated[JobCall, Depends(job_gate("batches_list"))]
GetCall = Annotated[JobCall, Depends(job_gate("batches_get"))]
CancelCall = Annotated[JobCall, Depends(job_gate("batches_cancel"))]


async def create_batch_route(call: CreateCall) -> Response:
    headers = [(k, v) for k, v in call.request.headers.items()]
    record = await create_batch(access_of(call), call.raw, headers)
    now = call.state.clock.now()
    return json_response(batch_view(record, Progress(None), now, created=True))


async def list_batches(
    call: ListCall, after: str | None = None, limit: int = Query(default=20, ge=1, le=100)
) -> Response:
    """As far as the work has got (a list does not wait for it)."""
    now = call.state.clock.now()
    pump = pump_of(call.state)
    records = await all_batches(call.state)
    progress = await anyio.to_thread.run_sync(lambda: [pump.progress(r, now) for r in records])
    views = [batch_view(r, p, now) for r, p in zip(records, progress, strict=True)]
    keep_working(call.state, [view.id for view in views if view.status not in TERMINAL])
    page, has_more = page_of(views, after, limit)
    first, last = (page[0].id, page[-1].id) if page else (None, None)
    return json_response(BatchList(data=page, first_id=first, last_id=last, has_more=has_more))


async def retrieve_batch(call: GetCall, batch_id: str) -> Response:
    record = await load_batch(call.state, batch_id)
    now = call.state.clock.now()
    progress = await pump_of(call.state).caught_up(record, now, call.state.settings.batch_wait_s)
    return json_response(batch_view(record, progress, now))


async def cancel_batch(call: CancelCall, batch_id: str) -> Response:
    state = call.state
    pump = pump_of(state)
    record = await load_batch(state, batch_id)
    now = state.clock.now()
    view = batch_view(record, await pump.caught_up(record, now, state.settings.batch_wait_s), now)
    if view.status in ("cancelling", "cancelled"):
        return json_response(view)
    if view.status in TERMINAL:
        raise BatchConflict(batch_id, view.status)
    record.cancelled = now
    await save_batch(state, record)
    pump.want(record.id)
    progress = await pump.caught_up(record, now, state.settings.batch_wait_s)
    return json_response(batch_view(record, progress, now))


add_operation_routes(router, "batches_create", create_batch_route, response_model=Batch)
add_operation_routes(router, "batches_list", list_batches, response_model=BatchList)
add_operation_routes(router, "batches_get", retrieve_batch, response_model=Batch)
add_operation_routes(router, "batches_cancel", cancel_batch, response_model=Batch)

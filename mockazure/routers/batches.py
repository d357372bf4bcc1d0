"""Batches, dated (`/openai/batches?api-version=…`, authoring specs 2024-07-01-preview …) and
v1 (`/openai/v1/batches`, Learn batch how-to): create, get, list, cancel (serving/batches.py),
on every path of their rows in the operation table."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from mockazure.errors import BatchConflict
from mockazure.gateway.responses import json_response
from mockazure.protocol.batches import Batch, BatchList
from mockazure.routers.table import add_operation_routes
from mockazure.serving.access import JobCall, access_of, job_gate
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

CreateCall = Annotated[JobCall, Depends(job_gate("batches_create"))]
ListCall = Annotated[JobCall, Depends(job_gate("batches_list"))]
GetCall = Annotated[JobCall, Depends(job_gate("batches_get"))]
CancelCall = Annotated[JobCall, Depends(job_gate("batches_cancel"))]


async def create_batch_route(call: CreateCall) -> Response:
    record = await create_batch(call.request, access_of(call), call.raw)
    return json_response(batch_view(record, call.state.clock.now(), created=True))


async def list_batches(
    call: ListCall, after: str | None = None, limit: int = Query(default=20, ge=1, le=100)
) -> Response:
    now = call.state.clock.now()
    views = [batch_view(r, now) for r in all_batches(call.state)]
    page, has_more = page_of(views, after, limit)
    first, last = (page[0].id, page[-1].id) if page else (None, None)
    return json_response(BatchList(data=page, first_id=first, last_id=last, has_more=has_more))


async def retrieve_batch(call: GetCall, batch_id: str) -> Response:
    record = load_batch(call.state, batch_id)
    return json_response(batch_view(record, call.state.clock.now()))


async def cancel_batch(call: CancelCall, batch_id: str) -> Response:
    state = call.state
    record = load_batch(state, batch_id)
    now = state.clock.now()
    status = record.status(now)
    if status in ("cancelling", "cancelled"):
        return json_response(batch_view(record, now))
    if status in TERMINAL:
        raise BatchConflict(batch_id, status)
    record.cancelled = now
    write_results(state, record, stored_lines(access_of(call), record))
    save_batch(state, record)
    return json_response(batch_view(record, now))


add_operation_routes(router, "batches_create", create_batch_route, response_model=Batch)
add_operation_routes(router, "batches_list", list_batches, response_model=BatchList)
add_operation_routes(router, "batches_get", retrieve_batch, response_model=Batch)
add_operation_routes(router, "batches_cancel", cancel_batch, response_model=Batch)

"""`/_mock/stubs` and `/_mock/faults`: canned answers and injected faults at run time."""

import json
from typing import Any

from fastapi import APIRouter, Response
from pydantic import TypeAdapter, ValidationError

from mockazure.errors import InvalidRequest
from mockazure.faults.rules import Fault, aset_global_faults, fault_problem, global_faults
from mockazure.gateway.bodies import JSON_BODY_DOC, JsonBody
from mockazure.gateway.checks import StateDep
from mockazure.gateway.validation import to_invalid_request
from mockazure.stubs.book import StubBook
from mockazure.stubs.rules import StubRule

router = APIRouter()
_RULES = TypeAdapter(list[StubRule])


async def dump_rules(rules: list[StubRule], book: StubBook) -> list[dict[str, Any]]:
    return [
        {
            **json.loads(r.model_dump_json(exclude_defaults=True, by_alias=True)),
            "id": r.id,
            "source": r.source,
            "hits": await book.ahits(r.id or ""),
        }
        for r in rules
    ]


def _as_list(body: Any) -> list[Any]:
    if isinstance(body, dict) and "stubs" in body:
        body = body["stubs"]
    return body if isinstance(body, list) else [body]


@router.post("/stubs", status_code=201, openapi_extra=JSON_BODY_DOC)
async def create_stubs(state: StateDep, body: JsonBody) -> dict[str, Any]:
    """One rule, a list, or `{"stubs": [...]}`; returns them with their ids."""
    items = _as_list(body)
    try:
        rules = _RULES.validate_python(items)
    except ValidationError as exc:
        raise to_invalid_request(exc, {"stubs": items}) from exc
    added = [await state.stubs.aadd(rule) for rule in rules]
    return {"stubs": await dump_rules(added, state.stubs)}


@router.get("/stubs")
async def list_stubs(state: StateDep) -> dict[str, Any]:
    return {"stubs": await dump_rules(state.stubs.rules(), state.stubs)}


@router.delete("/stubs/{stub_id}", status_code=204)
async def delete_stub(stub_id: str, state: StateDep) -> Response:
    if not await state.stubs.adelete(stub_id):
        raise InvalidRequest(f"No run-time stub {stub_id!r}.", param="id", code="not_found")
    return Response(status_code=204)


@router.delete("/stubs", status_code=204)
async def delete_stubs(state: StateDep) -> Response:
    await state.stubs.aclear()
    return Response(status_code=204)


@router.put("/faults", openapi_extra=JSON_BODY_DOC)
async def put_faults(state: StateDep, body: JsonBody) -> dict[str, Any]:
    """Global faults (one or a list), tried in order for every Azure call."""
    items = body if isinstance(body, list) else [body]
    faults = []
    for index, item in enumerate(items):
        try:
            faults.append(Fault.model_validate(item))
        except ValidationError as exc:
            param, message = fault_problem(exc, f"faults[{index}]")
            raise InvalidRequest(message, param=param, code="invalid_value") from exc
    await aset_global_faults(state, faults)
    return {"faults": [f.model_dump(exclude_defaults=True) for f in faults]}


@router.get("/faults")
async def list_faults(state: StateDep) -> dict[str, Any]:
    return {"faults": [f.model_dump(exclude_defaults=True) for f in global_faults(state)]}


@router.delete("/faults", status_code=204)
async def delete_faults(state: StateDep) -> Response:
    await aset_global_faults(state, [])
    return Response(status_code=204)

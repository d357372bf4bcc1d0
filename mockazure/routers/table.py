"""Routes from the operation table: an endpoint is registered on every path of its row, so a
path family added to the table (the v1 API) reaches the same handler and the same gate."""

import inspect
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from mockazure.operations import operation_named
from mockazure.routers.direct import OperationRoute


def add_operation_routes(
    router: APIRouter,
    operation_name: str,
    endpoint: Callable[..., Any],
    *,
    document_body: bool = False,
    **options: Any,
) -> None:
    """`document_body`: put the row's body model into the OpenAPI document (`openapi.py`;
    JSON bodies parsed by the gate, which FastAPI cannot see). Plain endpoints are dispatched
    directly (`routers/direct.py`)."""
    operation = operation_named(operation_name)
    extra = dict(options.pop("openapi_extra", {}))
    if document_body and operation.body_model:
        extra |= {"x-body-model": operation.body_model, "x-operation": operation.name}
    taken = set(inspect.signature(endpoint).parameters)
    for route in operation.routes:
        router.add_api_route(
            route.path,
            endpoint,
            methods=[operation.method],
            openapi_extra=extra | _path_parameters(route.path, taken),
            route_class_override=OperationRoute,
            **options,
        )


def _path_parameters(path: str, taken: set[str]) -> dict[str, Any]:
    """The path's parameters the gate reads (FastAPI sees only the endpoint's own)."""
    names = [name for name in re.findall(r"\{(\w+)\}", path) if name not in taken]
    if not names:
        return {}
    schema = {"type": "string"}
    return {
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": schema} for name in names
        ]
    }

"""Routes from the operation table: an endpoint is registered on every path of its row, so a
path family added to the table (the v1 API) reaches the same handler and the same gate."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from mockazure.operations import operation_named


def add_operation_routes(
    router: APIRouter,
    operation_name: str,
    endpoint: Callable[..., Any],
    *,
    document_body: bool = False,
    **options: Any,
) -> None:
    """`document_body`: put the row's body model into the OpenAPI document (`openapi.py`;
    JSON bodies parsed by the gate, which FastAPI cannot see)."""
    operation = operation_named(operation_name)
    extra = dict(options.pop("openapi_extra", {}))
    if document_body and operation.body_model:
        extra |= {"x-body-model": operation.body_model, "x-operation": operation.name}
    for route in operation.routes:
        router.add_api_route(
            route.path,
            endpoint,
            methods=[operation.method],
            openapi_extra=extra,
            **options,
        )

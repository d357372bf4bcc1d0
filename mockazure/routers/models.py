"""The models listing (docs/v1-facts.md): `GET /openai/models[/{model-id}]?api-version=`
(authoring `Models_List`/`Models_Get`) and `GET /openai/v1/models[/{model}]` (v1 GA spec
`listModels`/`retrieveModel`), on every path of their rows in the operation table."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.gate import Call, NoBody, gate
from mockazure.routers.table import add_operation_routes
from mockazure.serving.models import get_model, list_models

router = APIRouter(tags=["models"])

ListCall = Annotated[Call[NoBody], Depends(gate(NoBody, "models_list"))]
GetCall = Annotated[Call[NoBody], Depends(gate(NoBody, "model_get"))]


async def list_base_models(call: ListCall) -> Response:
    return list_models(call)


async def get_base_model(call: GetCall, model_id: str) -> Response:
    return get_model(call, model_id)


add_operation_routes(router, "models_list", list_base_models, response_model=None)
add_operation_routes(router, "model_get", get_base_model, response_model=None)

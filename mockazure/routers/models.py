"""The models listing (docs/v1-facts.md): `GET /openai/v1/models[/{model}]` (v1 GA spec
`listModels`/`retrieveModel`) and `GET /openai/models[/{model-id}]?api-version=` (authoring
`Models_List`/`Models_Get`). Both list base models, not deployments."""

from fastapi import APIRouter, Request, Response

from mockazure.errors import ModelNotFound
from mockazure.gateway.checks import StateDep, require_api_key, require_api_version
from mockazure.gateway.responses import json_response
from mockazure.gateway.v1 import require_v1_api_version
from mockazure.generators.models import BaseModelFacts, base_models, dated_model, v1_model
from mockazure.protocol.models import AzureModelInfo, ListModelsResponse, Model, ModelList
from mockazure.state import MockState

router = APIRouter(prefix="/openai", tags=["models"])


def _find(state: MockState, model: str) -> BaseModelFacts:
    found = next((m for m in base_models(state.deployments.values()) if m.id == model), None)
    if found is None:
        raise ModelNotFound(model)
    return found


@router.get("/v1/models", response_model=ListModelsResponse)
async def list_models(request: Request, state: StateDep) -> Response:
    require_v1_api_version(request, "models_list")
    require_api_key(request, state)
    data = [v1_model(facts) for facts in base_models(state.deployments.values())]
    return json_response(ListModelsResponse(object="list", data=data))


@router.get("/v1/models/{model}", response_model=Model)
async def retrieve_model(request: Request, state: StateDep, model: str) -> Response:
    require_v1_api_version(request, "model_get")
    require_api_key(request, state)
    return json_response(v1_model(_find(state, model)))


@router.get("/models", response_model=ModelList)
async def list_base_models(request: Request, state: StateDep) -> Response:
    version = require_api_version(request, "models_list")
    require_api_key(request, state)
    facts = base_models(state.deployments.values())
    return json_response(
        ModelList(object="list", data=[dated_model(m, version.response) for m in facts])
    )


@router.get("/models/{model_id}", response_model=AzureModelInfo)
async def get_base_model(request: Request, state: StateDep, model_id: str) -> Response:
    version = require_api_version(request, "model_get")
    require_api_key(request, state)
    return json_response(dated_model(_find(state, model_id), version.response))

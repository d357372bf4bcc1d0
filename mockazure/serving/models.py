"""The models listing (docs/v1-facts.md, "Models listing"): base models, not deployments, in
the shape of the call's family (v1 `OpenAI.Model`) or api-version (the authoring `Model`)."""

from fastapi import Response

from mockazure.errors import ModelNotFound
from mockazure.gateway.gate import Call, NoBody
from mockazure.gateway.responses import json_response
from mockazure.generators.models import BaseModelFacts, base_models, dated_model, v1_model
from mockazure.protocol.models import ListModelsResponse, ModelList


def _catalogue(call: Call[NoBody]) -> list[BaseModelFacts]:
    return base_models(call.state.deployments.values())


def list_models(call: Call[NoBody]) -> Response:
    facts = _catalogue(call)
    if call.version.v1:
        return json_response(ListModelsResponse(object="list", data=[v1_model(m) for m in facts]))
    data = [dated_model(m, call.version.response) for m in facts]
    return json_response(ModelList(object="list", data=data))


def get_model(call: Call[NoBody], model_id: str) -> Response:
    found = next((m for m in _catalogue(call) if m.id == model_id), None)
    if found is None:
        raise ModelNotFound(model_id)
    if call.version.v1:
        return json_response(v1_model(found))
    return json_response(dated_model(found, call.version.response))

"""`POST /openai/deployments/{deployment-id}/embeddings` (azure-surface.md §4.2, §5.4)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.checks import Call, inference_call, meter
from mockazure.gateway.responses import json_response
from mockazure.generators.embeddings import embed
from mockazure.protocol.embeddings import CreateEmbeddingResponse, EmbeddingRequest
from mockazure.stubs.book import stub_for
from mockazure.stubs.embeddings import stubbed_vector

router = APIRouter(prefix="/openai/deployments/{deployment_id}", tags=["embeddings"])

EmbeddingCall = Annotated[
    Call[EmbeddingRequest], Depends(inference_call(EmbeddingRequest, "embeddings"))
]


@router.post(
    "/embeddings",
    response_model=CreateEmbeddingResponse,
    openapi_extra={"x-body-model": "EmbeddingRequest"},
)
async def create_embeddings(call: EmbeddingCall) -> Response:
    hit = stub_for(call)
    if hit is not None:
        hit.raise_error()
    fields = call.version.spec("embeddings").fields
    result = embed(call.body, call.deployment, fields, stubbed_vector(hit))
    meter(call, result.usage.prompt_tokens)
    return json_response(result)

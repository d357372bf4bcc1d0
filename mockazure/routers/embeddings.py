"""`POST /openai/deployments/{deployment-id}/embeddings` (azure-surface.md §4.2, §5.4)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.dependencies import Call, inference_call, meter
from mockazure.generators.embeddings import embed
from mockazure.protocol.embeddings import CreateEmbeddingResponse, EmbeddingRequest
from mockazure.responses import json_response

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
    result = embed(call.body, call.deployment, call.version.spec("embeddings").fields)
    meter(call, result.usage.prompt_tokens)
    return json_response(result)

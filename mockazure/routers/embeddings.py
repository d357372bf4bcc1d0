"""`POST /openai/deployments/{deployment-id}/embeddings` (azure-surface.md §4.2, §5.4)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.checks import Call, inference_call, meter
from mockazure.gateway.responses import json_response
from mockazure.protocol.embeddings import CreateEmbeddingResponse, EmbeddingRequest
from mockazure.serving.embeddings import answer_embeddings

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
    result = answer_embeddings(call)
    meter(call, result.usage.prompt_tokens)
    return json_response(result)

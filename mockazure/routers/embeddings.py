"""Embeddings (azure-surface.md §4.2): `POST …/embeddings` on every path of its row."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.gate import Call, gate
from mockazure.protocol.embeddings import CreateEmbeddingResponse, EmbeddingRequest
from mockazure.routers.table import add_operation_routes
from mockazure.serving.embeddings import serve_embeddings

router = APIRouter(tags=["embeddings"])

EmbeddingCall = Annotated[Call[EmbeddingRequest], Depends(gate(EmbeddingRequest, "embeddings"))]


async def create_embeddings(call: EmbeddingCall) -> Response:
    return await serve_embeddings(call)


add_operation_routes(
    router,
    "embeddings",
    create_embeddings,
    document_body=True,
    response_model=CreateEmbeddingResponse,
)

"""Embeddings between the gateway and the generator: stub → embed. Shared by the route and by
batch lines."""

from mockazure.gateway.checks import Call
from mockazure.generators.embeddings import embed
from mockazure.protocol.embeddings import CreateEmbeddingResponse, EmbeddingRequest
from mockazure.stubs.book import stub_for
from mockazure.stubs.embeddings import stubbed_vector


def answer_embeddings(call: Call[EmbeddingRequest]) -> CreateEmbeddingResponse:
    hit = stub_for(call)
    if hit is not None:
        hit.raise_error()
    fields = call.version.spec("embeddings").fields
    return embed(call.body, call.deployment, fields, stubbed_vector(hit))

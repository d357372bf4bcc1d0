"""Embeddings between the router and the generator (azure-surface.md §4.2, §5.4)."""

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.embeddings import embed, read_inputs
from mockazure.protocol.embeddings import EmbeddingRequest
from mockazure.serving.pipeline import Answer, Whole, is_heavy, off_loop, serve
from mockazure.stubs.book import StubHit
from mockazure.stubs.embeddings import stubbed_vector


async def serve_embeddings(call: Call[EmbeddingRequest]) -> Response:
    body, deployment = call.body, call.target
    fields = call.version.spec("embeddings").fields
    inputs: list[list[tuple[str, int]]] = []

    def cost() -> int:
        inputs.append(read_inputs(body, deployment))
        return sum(count for _, count in inputs[0])

    def vectors(hit: StubHit | None) -> Answer:
        read = inputs[0] if inputs else None
        return Whole(embed(body, deployment, fields, stubbed_vector(hit), inputs=read))

    async def generate(hit: StubHit | None) -> Answer:
        return await off_loop(is_heavy(call) or _many(body.input), lambda: vectors(hit))

    return await serve(call, cost=cost, generate=generate)


def _many(inputs: object) -> bool:
    """More than a handful of inputs: each is tokenized and projected."""
    return isinstance(inputs, list) and len(inputs) > 16

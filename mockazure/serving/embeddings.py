"""Embeddings between the router and the generator (azure-surface.md §4.2, §5.4). An HTTP
answer is rendered by the generator (`render`: the bytes the response model dumps, its
members cached per text); `embeddings_answer`, the model, is what a batch line runs
(serving/batch_run.py)."""

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.embeddings import embed, read_inputs, render
from mockazure.protocol.embeddings import CreateEmbeddingResponse, EmbeddingRequest
from mockazure.serving.pipeline import Answer, Whole, is_heavy, off_loop, serve
from mockazure.stubs.book import StubHit
from mockazure.stubs.embeddings import stubbed_vector


def embeddings_answer(
    call: Call[EmbeddingRequest],
    hit: StubHit | None,
    inputs: list[tuple[str, int]] | None = None,
) -> CreateEmbeddingResponse:
    fields = call.version.spec("embeddings").fields
    return embed(call.body, call.target, fields, stubbed_vector(hit), inputs=inputs)


async def serve_embeddings(call: Call[EmbeddingRequest]) -> Response:
    body, deployment = call.body, call.target
    inputs: list[list[tuple[str, int]]] = []

    def cost() -> int:
        inputs.append(read_inputs(body, deployment))
        return sum(count for _, count in inputs[0])

    def vectors(hit: StubHit | None) -> Answer:
        fields = call.version.spec("embeddings").fields
        read = inputs[0] if inputs else None
        return Whole(render(body, deployment, fields, stubbed_vector(hit), inputs=read))

    async def generate(hit: StubHit | None) -> Answer:
        return await off_loop(is_heavy(call) or _many(body.input), lambda: vectors(hit))

    return await serve(call, cost=cost, generate=generate)


def _many(inputs: object) -> bool:
    """More than a handful of inputs: each is tokenized and projected."""
    return isinstance(inputs, list) and len(inputs) > 16

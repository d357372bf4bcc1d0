"""Embeddings requests: the inputs read and counted, the answer built as a model (`embed`, for
batch lines) or rendered to the bytes that model dumps (`render`, for HTTP answers; generated
members come from a bounded cache, generators/byte_cache.py). The vectors themselves are
made in generators/embeddings_vectors.py (README "Embeddings")."""

from collections.abc import Callable
from dataclasses import dataclass

from mockazure.config import DeploymentSpec
from mockazure.errors import ContextLengthExceeded, InvalidRequest
from mockazure.generators.byte_cache import ByteCache
from mockazure.generators.embeddings_vectors import embed_text, shorten, to_base64
from mockazure.protocol.common import Usage
from mockazure.protocol.embeddings import CreateEmbeddingResponse, Embedding, EmbeddingRequest
from mockazure.tokens.tokenizers import Tokenizer, get_tokenizer


def _too_many(limit: int) -> InvalidRequest:
    # The wording Azure answers (langchain#9112, anything-llm#184; azure-surface.md §4.2).
    return InvalidRequest(
        f"Too many inputs. The max number of inputs is {limit}.  We hope to increase the "
        "number of inputs per request soon. Please contact us through an Azure support request "
        "at: https://go.microsoft.com/fwlink/?linkid=2213926 for further questions.",
        param="input",
    )


def read_inputs(body: EmbeddingRequest, deployment: DeploymentSpec) -> list[tuple[str, int]]:
    """Each input as text with its exact token count. Token ids are decoded with the
    deployment's tokenizer, so `[[15339, 1917]]` and `["hello world"]` embed alike."""
    tokenizer = get_tokenizer(deployment.tokenizer)
    raw = body.input
    rows: list[str | list[int]] = []
    if isinstance(raw, str):
        rows.append(raw)
    elif raw and isinstance(raw[0], int):
        rows.append([item for item in raw if isinstance(item, int)])
    else:
        rows.extend(item for item in raw if isinstance(item, (str, list)))
    if len(rows) > deployment.max_inputs:
        raise _too_many(deployment.max_inputs)
    inputs = []
    for row in rows:
        if isinstance(row, str):
            inputs.append((row, tokenizer.count(row)))
        else:
            inputs.append((_decode(row, tokenizer), len(row)))
    for _, tokens in inputs:
        if tokens > deployment.context_window:
            raise ContextLengthExceeded(deployment.context_window, tokens, None, "input")
    return inputs


def _decode(ids: list[int], tokenizer: Tokenizer) -> str:
    try:
        return tokenizer.decode(ids)
    except (KeyError, ValueError, OverflowError) as exc:
        raise InvalidRequest(
            "Invalid token in 'input': every token id must belong to the model's vocabulary.",
            param="input",
            code="invalid_value",
        ) from exc


def check_dimensions(dimensions: int | None, deployment: DeploymentSpec, native: int) -> None:
    if dimensions is None:
        return
    if not deployment.model.startswith("text-embedding-3"):
        # "Only supported in text-embedding-3 and later models" (§4.2); the message the
        # service answers for ada-002 (R2R#768, JMTEB#14).
        raise InvalidRequest(
            "This model does not support specifying dimensions.", param="dimensions"
        )
    if dimensions > native:
        raise InvalidRequest(
            f"Invalid 'dimensions': integer above maximum value. Expected a value <= {native}, "
            f"but got {dimensions} instead.",
            param="dimensions",
            code="integer_above_max_value",
        )


Fixed = Callable[[int], list[float]]  # the vector every input gets, given the expected size

# (model, native size, dimensions, base64?, text) -> the rendered `embedding` member
Key = tuple[str, int, int | None, bool, str]
RENDERED_BYTES = 8 * 1024 * 1024
RENDERED: ByteCache[Key] = ByteCache(RENDERED_BYTES)


@dataclass(frozen=True)
class _Shape:
    """What every member of one answer is: the deployment's model and native size, the
    `dimensions` asked for and whether it is base64 (both only where the version has them)."""

    model: str
    native: int
    dimensions: int | None
    as_base64: bool

    def value(self, text: str, stubbed: list[float] | None) -> list[float] | str:
        if stubbed is not None:
            vector = stubbed
        else:
            vector = shorten(embed_text(text, self.model, self.native), self.dimensions)
        return to_base64(vector) if self.as_base64 else vector

    def key(self, text: str) -> Key:
        return (self.model, self.native, self.dimensions, self.as_base64, text)


def _prepare(
    body: EmbeddingRequest,
    deployment: DeploymentSpec,
    fields: frozenset[str],
    fixed: Fixed | None,
    inputs: list[tuple[str, int]] | None,
) -> tuple[_Shape, list[tuple[str, int]], list[float] | None]:
    """The checks in Azure's order: `dimensions`, then the inputs, then a stub's size."""
    native = deployment.dimensions or 1536
    dimensions = body.dimensions if "dimensions" in fields else None
    check_dimensions(dimensions, deployment, native)
    as_base64 = "encoding_format" in fields and body.encoding_format == "base64"
    if inputs is None:
        inputs = read_inputs(body, deployment)
    stubbed = fixed(dimensions or native) if fixed is not None else None
    return _Shape(deployment.model, native, dimensions, as_base64), inputs, stubbed


def _answer(
    deployment: DeploymentSpec, inputs: list[tuple[str, int]], data: list[Embedding]
) -> CreateEmbeddingResponse:
    tokens = sum(count for _, count in inputs)
    return CreateEmbeddingResponse(
        object="list",
        data=data,
        model=deployment.model,
        usage=Usage(prompt_tokens=tokens, total_tokens=tokens),
    )


def embed(
    body: EmbeddingRequest,
    deployment: DeploymentSpec,
    fields: frozenset[str],
    fixed: Fixed | None = None,
    inputs: list[tuple[str, int]] | None = None,
) -> CreateEmbeddingResponse:
    """`encoding_format` and `dimensions` count only where the version defines them. `fixed`
    (a stub) gives the vector of every input instead of the generator, unchanged."""
    shape, inputs, stubbed = _prepare(body, deployment, fields, fixed, inputs)
    data = [
        Embedding(object="embedding", index=index, embedding=shape.value(text, stubbed))
        for index, (text, _) in enumerate(inputs)
    ]
    return _answer(deployment, inputs, data)


def render(
    body: EmbeddingRequest,
    deployment: DeploymentSpec,
    fields: frozenset[str],
    fixed: Fixed | None = None,
    inputs: list[tuple[str, int]] | None = None,
) -> bytes:
    """`embed(...).model_dump_json(exclude_unset=True)`, the same bytes: the answer without
    its members, and each member rendered by `Embedding` itself, its `embedding` value from
    the cache when the same text was embedded the same way before (not a stub's)."""
    shape, inputs, stubbed = _prepare(body, deployment, fields, fixed, inputs)
    members = [
        _member(index, _embedding_json(shape, text, stubbed))
        for index, (text, _) in enumerate(inputs)
    ]
    shell = _answer(deployment, inputs, []).model_dump_json(exclude_unset=True).encode()
    # The first `"data":[]` is the member list: a JSON string cannot hold an unescaped quote.
    at = shell.index(b'"data":[]') + len(b'"data":[')
    return shell[:at] + b",".join(members) + shell[at:]


_EMPTY = b'""}'  # the end of a member rendered with `embedding=""`


def _member(index: int, embedding: bytes) -> bytes:
    head = Embedding(object="embedding", index=index, embedding="").model_dump_json(
        exclude_unset=True
    )
    return head.encode()[: -len(_EMPTY)] + embedding + b"}"


def _embedding_json(shape: _Shape, text: str, stubbed: list[float] | None) -> bytes:
    if stubbed is not None:
        return _value_json(shape.value(text, stubbed))
    key = shape.key(text)
    rendered = RENDERED.get(key)
    if rendered is None:
        rendered = _value_json(shape.value(text, None))
        RENDERED.put(key, rendered, key_bytes=len(text) + len(shape.model))
    return rendered


def _value_json(value: list[float] | str) -> bytes:
    """`value` as the `embedding` member of `Embedding` renders it (its own serializer)."""
    whole = Embedding(object="embedding", index=0, embedding=value).model_dump_json(
        exclude_unset=True
    )
    head = '{"object":"embedding","index":0,"embedding":'
    assert whole.startswith(head)  # the model's field order; an object ends with "}"
    return whole[len(head) : -1].encode()

"""Deterministic, *semantic* embeddings without model weights (README "Embeddings").

Each text becomes a bag of weighted features: lower-cased, lightly stemmed words (stopwords
down-weighted), word bigrams and character trigrams of each word. Each feature is hashed
(BLAKE2b, salted with the model name) to a few signed positions of the native vector: a sparse
random projection, as in feature hashing. Summed and L2-normalised, texts that share words and
phrases point the same way, and a text reworded keeps most of its features. Positions are drawn
in bands (0-64, 64-256, 256-1024, 1024-native) so a vector shortened with `dimensions` (cut and
renormalised, like text-embedding-3's Matryoshka vectors) keeps every feature.
"""

import base64
import functools
import hashlib
import math
import re
import struct
from collections import defaultdict
from collections.abc import Callable

from mockazure.config import DeploymentSpec
from mockazure.errors import ContextLengthExceeded, InvalidRequest
from mockazure.generators.text import STOPWORDS
from mockazure.protocol.common import Usage
from mockazure.protocol.embeddings import CreateEmbeddingResponse, Embedding, EmbeddingRequest
from mockazure.tokens.tokenizers import Tokenizer, get_tokenizer

_WORD = re.compile(r"\w+")
_SUFFIXES = ("ingly", "ings", "ing", "edly", "ed", "es", "s", "ly")
_BANDS = (0, 64, 256, 1024)
_PER_BAND = 4
STOPWORD_WEIGHT = 0.15
BIGRAM_WEIGHT = 0.5
TRIGRAMS_WEIGHT = 0.6  # shared by all trigrams of one word


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def features(text: str) -> dict[str, float]:
    words = [word.casefold() for word in _WORD.findall(text)]
    bag: dict[str, float] = defaultdict(float)
    for word in words:
        bag[f"w:{_stem(word)}"] += STOPWORD_WEIGHT if word in STOPWORDS else 1.0
        padded = f"#{word}#"
        grams = [padded[i : i + 3] for i in range(len(padded) - 2)]
        for gram in grams:
            bag[f"c:{gram}"] += TRIGRAMS_WEIGHT / len(grams)
    content = [_stem(w) for w in words if w not in STOPWORDS]
    for first, second in zip(content, content[1:], strict=False):
        bag[f"b:{first} {second}"] += BIGRAM_WEIGHT
    if not bag:  # punctuation or symbols only: the characters themselves
        for char in text:
            bag[f"r:{char}"] += 1.0
    return bag


@functools.lru_cache(maxsize=65536)
def _projection(feature: str, salt: str, size: int) -> tuple[tuple[int, float], ...]:
    digest = hashlib.blake2b(f"{salt}\x00{feature}".encode(), digest_size=32).digest()
    values = struct.unpack("<16H", digest)
    bounds = [b for b in _BANDS if b < size] + [size]
    entries = []
    for band, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
        for value in values[band * _PER_BAND : (band + 1) * _PER_BAND]:
            entries.append((low + (value >> 1) % (high - low), 1.0 if value & 1 else -1.0))
    return tuple(entries)


def embed_text(text: str, model: str, native: int) -> list[float]:
    """A unit vector of `native` floats for `text` (same text and model, same vector)."""
    vector = [0.0] * native
    for feature, count in features(text).items():
        weight = 1.0 + math.log(count) if count > 1 else count
        for position, sign in _projection(feature, model, native):
            vector[position] += sign * weight
    return normalise(vector)


def normalise(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    if norm == 0.0:
        vector = [1.0] + [0.0] * (len(vector) - 1)
        norm = 1.0
    return [x / norm for x in vector]


def shorten(vector: list[float], dimensions: int | None) -> list[float]:
    if dimensions is None or dimensions >= len(vector):
        return vector
    return normalise(vector[:dimensions])


def to_base64(vector: list[float]) -> str:
    """Little-endian float32, as the openai SDKs decode it (clients.md §0.10)."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


# ---------------------------------------------------------------- requests


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


def embed(
    body: EmbeddingRequest,
    deployment: DeploymentSpec,
    fields: frozenset[str],
    fixed: Fixed | None = None,
    inputs: list[tuple[str, int]] | None = None,
) -> CreateEmbeddingResponse:
    """`encoding_format` and `dimensions` count only where the version defines them. `fixed`
    (a stub) gives the vector of every input instead of the generator, unchanged."""
    native = deployment.dimensions or 1536
    dimensions = body.dimensions if "dimensions" in fields else None
    check_dimensions(dimensions, deployment, native)
    as_base64 = "encoding_format" in fields and body.encoding_format == "base64"
    if inputs is None:
        inputs = read_inputs(body, deployment)
    stubbed = fixed(dimensions or native) if fixed is not None else None
    data = []
    for index, (text, _) in enumerate(inputs):
        if stubbed is not None:
            vector = stubbed
        else:
            vector = shorten(embed_text(text, deployment.model, native), dimensions)
        data.append(
            Embedding(
                object="embedding",
                index=index,
                embedding=to_base64(vector) if as_base64 else vector,
            )
        )
    tokens = sum(count for _, count in inputs)
    return CreateEmbeddingResponse(
        object="list",
        data=data,
        model=deployment.model,
        usage=Usage(prompt_tokens=tokens, total_tokens=tokens),
    )

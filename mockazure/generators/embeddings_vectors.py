"""Deterministic, *semantic* and *dense* embeddings without model weights (README "Embeddings").

Each text becomes a bag of weighted features: lower-cased, lightly stemmed words (stopwords
down-weighted), word bigrams and character trigrams of each word. Each feature is hashed
(BLAKE2b, salted with the model name) to three signed, weighted positions in every band of the
native vector (bands 0-64, 64-128, 128-256, ... doubling, the last one cut at the native size):
a sparse random projection, as in feature hashing, so texts that share words and phrases point
the same way. Each band is then mixed by a Walsh-Hadamard transform (orthogonal up to a scale of
sqrt(width) per band): within a band every inner product stays what the sparse vectors gave, and
every value of the vector is non-zero, as in real embeddings (sparse vectors give zero norms
after `dimensions` truncation and degenerate product-quantiser codebooks), with the same spread
in every coordinate. Summed and L2-normalised. Because every feature lands in every band, a
vector shortened with `dimensions` (cut and renormalised, like text-embedding-3's Matryoshka
vectors) keeps every feature.
"""

import base64
import functools
import hashlib
import math
import re
import struct
from collections import defaultdict
from typing import Any

from mockazure.generators.text import STOPWORDS

_WORD = re.compile(r"\w+")
_SUFFIXES = ("ingly", "ings", "ing", "edly", "ed", "es", "s", "ly")
STOPWORD_WEIGHT = 0.15
BIGRAM_WEIGHT = 0.5
TRIGRAMS_WEIGHT = 0.6  # shared by all trigrams of one word


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def features(text: str) -> dict[str, float]:
    bag: dict[str, float] = defaultdict(float)
    content: list[str] = []  # the stems of the words that are not stopwords, for bigrams
    for word in _WORD.findall(text):
        key, weight, grams, share, stem = _word(word)
        bag[key] += weight
        for gram in grams:
            bag[gram] += share
        if stem is not None:
            content.append(stem)
    for first, second in zip(content, content[1:], strict=False):
        bag[f"b:{first} {second}"] += BIGRAM_WEIGHT
    if not bag:  # punctuation or symbols only: the characters themselves
        for char in text:
            bag[f"r:{char}"] += 1.0
    return bag


@functools.lru_cache(maxsize=8192)
def _word(raw: str) -> tuple[str, float, tuple[str, ...], float, str | None]:
    """What one word adds to the bag: its stem's key and weight, its trigrams' keys and the
    share of TRIGRAMS_WEIGHT each gets, and its stem if it is a content word (else None).
    Remembered per word: a text's words are mostly words seen before."""
    word = raw.casefold()
    stop = word in STOPWORDS
    padded = f"#{word}#"
    grams = tuple(f"c:{padded[i : i + 3]}" for i in range(len(padded) - 2))
    stem = _stem(word)
    weight = STOPWORD_WEIGHT if stop else 1.0
    return f"w:{stem}", weight, grams, TRIGRAMS_WEIGHT / len(grams), None if stop else stem


FIRST_BAND = 64
PER_BAND = 3  # positions per feature in each band
_ENTRY_BYTES = 3  # 1 sign bit, 11 magnitude bits, 12 position bits


@functools.lru_cache(maxsize=64)
def bands(size: int) -> tuple[tuple[int, int], ...]:
    """[low, high) bands 0-64, 64-128, 128-256, ...: each a power of two but the last one."""
    edges = [0, FIRST_BAND]
    while edges[-1] < size:
        edges.append(edges[-1] * 2)
    edges = [min(edge, size) for edge in edges]
    return tuple((low, high) for low, high in zip(edges, edges[1:], strict=False) if high > low)


def _hash_bytes(key: str, size: int) -> bytes:
    digest = b""
    for block in range(-(-size // 64)):
        digest += hashlib.blake2b(f"{block}\x00{key}".encode(), digest_size=64).digest()
    return digest


@functools.lru_cache(maxsize=65536)
def _projection(feature: str, salt: str, size: int) -> bytes:
    """The feature's positions and signed weights, PER_BAND in each band; the magnitude in
    [0.5, 1.5] keeps the mixed sums from cancelling to exact zeros. Packed as `_row(size)`
    (int32 positions, then float64 weights): a text's projections are joined and read as one
    array, with no Python number made per entry."""
    layout = bands(size)
    digest = _hash_bytes(f"{salt}\x00{feature}", len(layout) * PER_BAND * _ENTRY_BYTES)
    positions, weights = [], []
    for band, (low, high) in enumerate(layout):
        for slot in range(PER_BAND):
            at = (band * PER_BAND + slot) * _ENTRY_BYTES
            value = int.from_bytes(digest[at : at + _ENTRY_BYTES], "little")
            positions.append(low + (value >> 12) % (high - low))
            magnitude = 0.5 + ((value >> 1) & 0x7FF) / 0x7FF
            weights.append(magnitude if value & 1 else -magnitude)
    return struct.pack(f"<{len(positions)}i{len(weights)}d", *positions, *weights)


@functools.lru_cache(maxsize=64)
def _row(size: int) -> Any:
    """The numpy record of one packed projection (`_projection`) for vectors of `size`."""
    import numpy as np

    entries = len(bands(size)) * PER_BAND
    return np.dtype([("at", "<i4", (entries,)), ("weight", "<f8", (entries,))])


def _block(width: int) -> int:
    """The largest power of two <= width: the Hadamard block a band is mixed in."""
    return 1 << (width.bit_length() - 1)


def embed_text(text: str, model: str, native: int) -> list[float]:
    """A dense unit vector of `native` floats for `text` (same text and model, same vector)."""
    import numpy as np  # imported on first use: embeddings alone need it (the idle-RSS target)

    packed: list[bytes] = []
    scales: list[float] = []
    for feature, count in features(text).items():
        packed.append(_projection(feature, model, native))
        scales.append(1.0 + math.log(count) if count > 1 else count)
    rows = np.frombuffer(b"".join(packed), dtype=_row(native))
    per_feature = len(bands(native)) * PER_BAND
    weights = rows["weight"].reshape(-1) * np.repeat(np.array(scales), per_feature)
    positions = rows["at"].reshape(-1).astype(np.intp)
    sparse = np.bincount(positions, weights=weights, minlength=native)
    return _unit(mix(sparse, native))


def _unit(vector: Any) -> list[float]:
    """`normalise(vector.tolist())` for a numpy vector: the same norm (`math.hypot` of the
    values), each value multiplied by its inverse in numpy, one IEEE double product each as
    Python's float multiplication gives, so the same bits."""
    values: list[float] = vector.tolist()
    norm = math.hypot(*values)
    if norm == 0.0:
        return normalise(values)
    scaled: list[float] = (vector * (1.0 / norm)).tolist()
    return scaled


def mix(vector: Any, size: int) -> Any:
    """Each band of a numpy vector through a Walsh-Hadamard transform, unnormalised: a band of
    width m is scaled by sqrt(m), so every coordinate has the same spread whatever its band
    (orthonormal bands would give the 64 first coordinates as much of the norm as the 512 last).

    The Sylvester-ordered fast transform: at the pass of distance h, every pair (j, j + h) of a
    2h-block becomes (sum, difference); H @ H = n I. Element-wise adds only, so the result is
    the same bit for bit on every machine. Bands that need a pass are run together (one slice
    per pass, not one per band). A band that is not a power of two (a custom native size) is
    mixed in its largest power-of-two block; the rest of it is kept as hashed."""
    import numpy as np

    values, spare = vector.copy(), np.empty_like(vector)
    for half, low, high in _passes(size):
        pairs, into = values[low:high].reshape(-1, 2, half), spare[low:high].reshape(-1, 2, half)
        np.add(pairs[:, 0], pairs[:, 1], out=into[:, 0])
        np.subtract(pairs[:, 0], pairs[:, 1], out=into[:, 1])
        values[low:high] = spare[low:high]
    return values


@functools.lru_cache(maxsize=64)
def _passes(size: int) -> tuple[tuple[int, int, int], ...]:
    """(h, low, high): the slices each pass runs on, contiguous bands merged. Band edges are
    multiples of every 2h a merged slice is run with, so its 2h-blocks never straddle bands."""
    blocks = [(low, low + _block(high - low)) for low, high in bands(size)]
    plan: list[tuple[int, int, int]] = []
    half = 1
    while any(high - low > half for low, high in blocks):
        merged: list[tuple[int, int]] = []
        for low, high in blocks:
            if high - low < 2 * half:
                continue
            if merged and merged[-1][1] == low:
                merged[-1] = (merged[-1][0], high)
            else:
                merged.append((low, high))
        plan += [(half, low, high) for low, high in merged]
        half *= 2
    return tuple(plan)


def normalise(vector: list[float]) -> list[float]:
    norm = math.hypot(*vector)  # C-level, and exact where a sum of squares could overflow
    if norm == 0.0:
        vector = [1.0] + [0.0] * (len(vector) - 1)
        norm = 1.0
    return list(map((1.0 / norm).__mul__, vector))


def shorten(vector: list[float], dimensions: int | None) -> list[float]:
    if dimensions is None or dimensions >= len(vector):
        return vector
    return normalise(vector[:dimensions])


def to_base64(vector: list[float]) -> str:
    """Little-endian float32, as the openai SDKs decode it (clients.md §0.10)."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))

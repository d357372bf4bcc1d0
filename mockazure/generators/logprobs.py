"""Token log-probabilities consistent with the text: the tokens join to the content, `bytes`
are each token's UTF-8 bytes, every logprob is <= 0, and `top_logprobs` are sorted."""

import random

from mockazure.protocol.chat import TokenLogprob, TopLogprob

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


def _top(piece: str, chosen: float, count: int, rng: random.Random) -> list[TopLogprob]:
    if count == 0:
        return []
    others = [alt for alt in _ALTERNATIVES if alt != piece]
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

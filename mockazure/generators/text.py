"""TEMPORARY stub (replaced by the tokens branch)."""

import random
from collections.abc import Sequence
from typing import Any


def salient_words(text: str, k: int) -> list[str]:
    # (length, word): a set iterates in hash order, which differs between processes
    return sorted({w.strip(".,?!") for w in text.split() if len(w) > 3}, key=lambda w: (len(w), w))[
        -k:
    ]


def compose_reply(
    prompt: str, rng: random.Random, *, min_words: int = 12, max_words: int = 60
) -> str:
    words = salient_words(prompt, 2) or ["that"]
    return f"Here is a short answer about {' and '.join(words)}. " + rng.choice(
        [
            "It depends on the context.",
            "There are several ways to look at it.",
            "Most people start with the basics.",
        ]
    )


def compose_tool_followup(tool_outputs: Sequence[str], rng: random.Random) -> str:
    return "The tool returned " + "; ".join(tool_outputs) + "."


def compose_completion(prompt: str, rng: random.Random, *, words: int) -> str:
    return " " + compose_reply(prompt, rng)


def extend_to_tokens(text: str, rng: random.Random, tokenizer: Any, min_tokens: int) -> str:
    while tokenizer.count(text) < min_tokens:
        text += " " + compose_reply(text[-40:], rng)
    return text

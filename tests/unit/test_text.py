import json
import random
import re

import pytest

from mockazure.generators import text
from mockazure.generators.text import (
    compose_completion,
    compose_reply,
    compose_tool_followup,
    extend_to_tokens,
    salient_words,
)
from mockazure.tokens.tokenizers import get_tokenizer

PROMPT = "How do transformers use attention to translate sentences?"
READABLE = re.compile(r"[A-Za-z ,.'\-]+")


def test_salient_words_prefer_long_non_stopwords_in_text_order() -> None:
    words = salient_words("What's the capital of France? Explain the history of Paris.", 3)
    assert words == ["capital", "France", "history"]


def test_salient_words_keep_casing_and_drop_duplicates() -> None:
    assert salient_words("NASA rockets and nasa ROCKETS", 5) == ["NASA", "rockets"]
    assert salient_words("the of and", 3) == []
    assert salient_words("anything", 0) == []


def test_template_bank_is_sizeable() -> None:
    assert len(text.OPENERS) + len(text.SENTENCES) + len(text.CLOSERS) >= 40


def test_compose_reply_is_deterministic() -> None:
    assert compose_reply(PROMPT, random.Random(7)) == compose_reply(PROMPT, random.Random(7))


def test_compose_reply_differs_between_seeds() -> None:
    replies = {compose_reply(PROMPT, random.Random(seed)) for seed in range(20)}
    assert len(replies) >= 18


@pytest.mark.parametrize("seed", range(25))
def test_compose_reply_is_readable_and_on_topic(seed: int) -> None:
    reply = compose_reply(PROMPT, random.Random(seed))
    assert any(word in reply for word in ("transformers", "attention", "translate", "sentences"))
    assert READABLE.fullmatch(reply), reply
    sentences = re.split(r"(?<=\.) ", reply)
    assert all(s[0].isupper() and s.endswith(".") for s in sentences), reply
    assert 12 <= len(reply.split()) <= 60


@pytest.mark.parametrize(("low", "high"), [(30, 40), (50, 80), (100, 100)])
def test_compose_reply_stays_within_word_bounds(low: int, high: int) -> None:
    longest = max(len(t.split()) for t in text.SENTENCES) + 4  # slots add a few words
    for seed in range(10):
        reply = compose_reply(PROMPT, random.Random(seed), min_words=low, max_words=high)
        assert low - longest <= len(reply.split()) <= high


def test_compose_reply_without_salient_words_still_reads_well() -> None:
    reply = compose_reply("?", random.Random(1))
    assert "your question" in reply
    assert reply.endswith(".")


def test_compose_tool_followup_mentions_json_values() -> None:
    output = json.dumps({"temperature": 21, "unit": "C", "location": {"city": "Paris"}})
    reply = compose_tool_followup([output], random.Random(3))
    assert "21" in reply
    assert "Paris" in reply
    assert "temperature" in reply
    assert reply.endswith(".")


def test_compose_tool_followup_quotes_plain_text_and_covers_every_output() -> None:
    reply = compose_tool_followup(["sunny and warm", "[1, 2, 3]"], random.Random(3))
    assert '"sunny and warm"' in reply
    assert "3 items" in reply
    assert "first" in reply
    assert "second" in reply


def test_compose_tool_followup_is_deterministic_and_handles_no_output() -> None:
    outputs = ['{"ok": true}']
    assert compose_tool_followup(outputs, random.Random(1)) == compose_tool_followup(
        outputs, random.Random(1)
    )
    assert compose_tool_followup([], random.Random(1))


@pytest.mark.parametrize(
    "prompt",
    ["Once upon a time in a quiet village", "Write a slogan.", "Q: why?\nA:", "line\n", ""],
)
def test_compose_completion_has_exact_word_count_and_leading_whitespace(prompt: str) -> None:
    completion = compose_completion(prompt, random.Random(4), words=17)
    assert completion[0] in " \n"
    assert len(completion.split()) == 17
    assert compose_completion(prompt, random.Random(4), words=17) == completion


def test_compose_completion_with_zero_words_is_empty() -> None:
    assert compose_completion("Hello", random.Random(0), words=0) == ""


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_extend_to_tokens_reaches_the_minimum(name: str) -> None:
    tokenizer = get_tokenizer(name)
    start = "A short answer about Paris."
    extended = extend_to_tokens(start, random.Random(2), tokenizer, 300)
    assert extended.startswith(start)
    assert tokenizer.count(extended) >= 300
    assert extended == extend_to_tokens(start, random.Random(2), tokenizer, 300)
    assert extend_to_tokens(start, random.Random(2), tokenizer, 3) == start


def test_compose_reply_opening_sentence_depends_on_prompt_only() -> None:
    first = {compose_reply(PROMPT, random.Random(seed)).split(". ")[0] for seed in range(10)}
    assert len(first) == 1


def test_salient_words_skip_runs_too_long_to_be_words() -> None:
    assert salient_words("a" * 600_000 + " Paris", 3) == ["Paris"]

"""Topics are noun-like words of the prompt, not its verbs or instruction words (issue 15 item 7)."""

import random

import pytest

from mockazure.generators.text import compose_reply, salient_words


@pytest.mark.parametrize(
    ("prompt", "topics"),
    [
        ("Stream the list of ships that sailed", ["ships"]),
        ("Summarize the following article about climate policy", ["article", "climate", "policy"]),
        ("Extract the names and return them", ["names"]),
        ("What is the speed of a red car?", ["speed", "red", "car"]),
        ("Tell me about Paris.", ["Paris"]),
    ],
)
def test_salient_words_skip_verbs_and_instruction_words(prompt: str, topics: list[str]) -> None:
    assert salient_words(prompt, 3) == topics


def test_reply_is_about_the_nouns_of_the_prompt() -> None:
    reply = compose_reply("Stream the list of ships that sailed", random.Random(1))
    assert "ships" in reply
    assert "Stream" not in reply
    assert "sailed" not in reply

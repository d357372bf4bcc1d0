"""The hot path's remembered results (issue 16): token counts per text, salient words per
prompt, pieces counted once, and the tokenizers warmed in the background."""

import pytest

from mockazure.budget import work
from mockazure.budget.work import _CURRENT, WorkBudgetExceeded, end_budget, start_budget
from mockazure.generators import text
from mockazure.operations import operation_of
from mockazure.tokens import tokenizers
from mockazure.tokens.tokenizers import get_tokenizer, warm_tokenizers

PROMPT = "Which croissants and baguettes should the bakery in Lyon prioritise next month?"


def test_a_remembered_count_is_the_count_and_still_charges_the_budget() -> None:
    tokenizer = get_tokenizer("o200k_base")
    fresh = len(tokenizer.encode(PROMPT))
    assert tokenizer.count(PROMPT) == fresh
    budget = start_budget()
    try:
        assert tokenizer.count(PROMPT) == fresh  # remembered now
        spent = _CURRENT.get()
        assert spent is not None
        assert spent.spent["tokenize"] == len(PROMPT)
    finally:
        end_budget(budget)


def test_an_over_budget_request_fails_whether_or_not_its_text_was_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tokenizer = get_tokenizer("cl100k_base")
    tokenizer.count(PROMPT)
    monkeypatch.setitem(work.LIMITS, "tokenize", 10)
    budget = start_budget()
    try:
        with pytest.raises(WorkBudgetExceeded):
            tokenizer.count(PROMPT)
    finally:
        end_budget(budget)


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    tokenizer = get_tokenizer("cl100k_base")
    monkeypatch.setattr(tokenizers, "_CACHE_SIZE", 3)
    for n in range(10):
        assert tokenizer.count(f"text number {n} of many") == len(
            tokenizer.encode(f"text number {n} of many")
        )
    assert len(tokenizer._counts) <= 3


def test_counted_pieces_are_the_pieces_and_the_token_count() -> None:
    tokenizer = get_tokenizer("o200k_base")
    sample = "Déjà vu: 東京 🍞 bakeries, 4,200 croissants."
    pieces, count = tokenizer.counted_pieces(sample)
    assert pieces == tokenizer.pieces(sample)
    assert count == len(tokenizer.encode(sample))


def test_salient_words_are_remembered_as_copies() -> None:
    first = text.salient_words(PROMPT, 3)
    first.append("changed")
    assert text.salient_words(PROMPT, 3) == first[:-1]
    assert text.salient_words(PROMPT, 3) == list(text._salient_words(PROMPT, 3))


def test_operation_of_is_remembered_and_unchanged() -> None:
    path = "/openai/deployments/gpt-4o/chat/completions"
    first = operation_of("POST", path)
    assert first is not None
    assert first.deployment == "gpt-4o"
    assert operation_of("POST", path) == first
    assert operation_of("POST", "/openai/" + "x" * 600) is None  # too long to remember


def test_warm_tokenizers_loads_them_in_the_background() -> None:
    thread = warm_tokenizers(("cl100k_base",))
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert get_tokenizer("cl100k_base").count("hello") == 1

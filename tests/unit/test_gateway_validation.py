"""`gateway/validation.param_path`: the parameter as a client names it."""

from typing import Any

import pytest

from mockazure.gateway.validation import param_path

DATA: dict[str, Any] = {"messages": [{"role": "user", "content": [{"type": "text"}]}], "n": 2}


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("n",), "n"),
        (("messages", 0, "content"), "messages[0].content"),
        (("messages", 0, "user", "content", 0, "text", "text"), "messages[0].content[0].text"),
        (("tools",), "tools"),
        (("messages", 0, "missing"), "messages[0].missing"),
    ],
)
def test_param_path_keeps_only_steps_in_the_input(loc: tuple[Any, ...], expected: str) -> None:
    assert param_path(loc, DATA) == expected

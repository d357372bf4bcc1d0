"""Stub helpers: JSONPath (RFC 9535, python-jsonpath) into request bodies, and template bounds."""

from typing import Any

import pytest

from mockazure.errors import InternalServerError
from mockazure.stubs.jsonpath import compile_path, path_matches
from mockazure.stubs.templating import (
    MAX_OUTPUT_CHARS,
    MAX_STEPS,
    check_template,
    compiled,
    render,
)

BODY: dict[str, Any] = {
    "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
    "input": ["a", "b"],
    "odd-key": {"x": 1},
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.messages[-1].content", "hi"),
        ("$.messages[0].role", "system"),
        ("$.input[0]", "a"),
        ("$['odd-key'].x", 1),
        ("messages[1].role", "user"),
        ("$.missing", None),
        ("$.input[9]", None),
        ("$.messages.content", None),
    ],
)
def test_json_path_finds_values_in_the_body(path: str, expected: Any) -> None:
    assert path_matches(BODY, path, expected)
    assert not path_matches(BODY, path, "something else")


@pytest.mark.parametrize("path", ["$[", "$.a[?@.b ==]", "$[?search(@, 'a+')]"])
def test_json_path_that_does_not_parse_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="invalid JSONPath"):
        compile_path(path)


def test_template_renders_the_request_context() -> None:
    assert render("{{ last_user | upper }}!", {"last_user": "paris"}) == "PARIS!"


@pytest.mark.parametrize(
    "text",
    ["{{ ''.__class__ }}", "{% for x in %}", "{{ cycler.__init__.__globals__ }}"],
)
def test_template_check_refuses_broken_or_escaping_templates(text: str) -> None:
    with pytest.raises(ValueError, match="template error"):
        check_template(text)


def test_template_loops_are_bounded() -> None:
    with pytest.raises(InternalServerError) as refused:
        render("{% for i in range(10) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", {})
    assert f"more than {MAX_STEPS} loop iterations" in refused.value.message


def test_template_output_is_bounded() -> None:
    with pytest.raises(InternalServerError) as refused:
        render("{% for i in range(99999) %}" + "x" * 100 + "{% endfor %}", {})
    assert f"longer than {MAX_OUTPUT_CHARS} characters" in refused.value.message


def test_a_template_compiles_once_and_renders_each_context() -> None:
    compiled.cache_clear()
    text = "{{ last_user }} again"
    assert [render(text, {"last_user": name}) for name in ("a", "b", "a")] == [
        "a again",
        "b again",
        "a again",
    ]
    assert compiled.cache_info().misses == 1


def test_a_cached_template_keeps_its_loop_bound() -> None:
    text = "{% for i in range(10) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    for _ in range(2):  # the second render runs the compiled template from the cache
        with pytest.raises(InternalServerError) as refused:
            render(text, {})
        assert f"more than {MAX_STEPS} loop iterations" in refused.value.message


def test_text_without_template_syntax_comes_back_unchanged() -> None:
    compiled.cache_clear()
    assert render("Paris.\n", {"last_user": "x"}) == "Paris.\n"
    assert compiled.cache_info().currsize == 0

"""The generator's schema algebra: merging constraints, JSON equality keys, local references."""

import pytest

from mockazure.jsonschema.merge import ALSO, UnsatisfiableSchema, json_key, merge, resolve_ref


def test_merge_narrows_bounds_types_and_required() -> None:
    merged = merge(
        {"type": ["integer", "string"], "minimum": 1, "maximum": 9, "required": ["a"]},
        {"type": "number", "minimum": 3, "maximum": 5, "required": ["b", "a"], "title": "t"},
    )
    assert merged["type"] == ["integer"]
    assert (merged["minimum"], merged["maximum"]) == (3, 5)
    assert merged["required"] == ["a", "b"]
    assert merged["title"] == "t"


def test_merge_combines_maps_subschemas_and_leaves_the_rest_for_later() -> None:
    merged = merge(
        {"properties": {"a": {"type": "string"}}, "items": {"minLength": 1}, "pattern": "^a"},
        {
            "properties": {"a": {"maxLength": 3}, "b": {}},
            "items": {"maxLength": 2},
            "pattern": "b$",
        },
    )
    assert merged["properties"]["a"] == {"allOf": [{"type": "string"}, {"maxLength": 3}]}
    assert merged["properties"]["b"] == {}
    assert merged["items"] == {"allOf": [{"minLength": 1}, {"maxLength": 2}]}
    assert merged[ALSO] == [{"pattern": "b$"}]
    assert merge({"additionalProperties": {}}, {"additionalProperties": False}) == {
        "additionalProperties": False
    }
    assert merge({"allOf": [{"a": 1}]}, {"allOf": [{"b": 2}]})["allOf"] == [{"a": 1}, {"b": 2}]


def test_json_key_is_json_equality() -> None:
    assert json_key(1) == json_key(1.0)
    assert json_key(True) != json_key(1)
    assert json_key({"b": [1.0], "a": None}) == json_key({"a": None, "b": [1]})


def test_resolve_ref_follows_pointers_and_refuses_others() -> None:
    root = {"$defs": {"a/b": {"items": [{"x": 1}]}, "t~": 2}}
    assert resolve_ref(root, "#/$defs/a~1b/items/0") == {"x": 1}
    assert resolve_ref(root, "#/$defs/t~0") == 2
    assert resolve_ref(root, "#") is root
    with pytest.raises(UnsatisfiableSchema, match="does not resolve"):
        resolve_ref(root, "#/$defs/missing")
    with pytest.raises(UnsatisfiableSchema, match="only local"):
        resolve_ref(root, "other.json#/x")

"""Optional properties are filled by default, arrays carry one to three items (issue 15 item 4);
`sparse=True` keeps the older by-chance behaviour."""

import random
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]

from mockazure.jsonschema.instances import instance_for

# instructor's create_iterable: the only property is optional.
ITERABLE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "tasks": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                "required": ["name", "age"],
            },
        }
    },
}
OPTIONALS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "a": {"type": "string"},
        "b": {"type": "integer"},
        "c": {"type": "array", "items": {"type": "string"}},
    },
}


def test_instance_fills_every_optional_property_by_default() -> None:
    for seed in range(30):
        value = instance_for(OPTIONALS, random.Random(seed))
        assert set(value) == {"a", "b", "c"}
        Draft202012Validator(OPTIONALS).validate(value)


def test_instance_arrays_hold_one_to_three_items_by_default() -> None:
    sizes = {len(instance_for(ITERABLE, random.Random(seed))["tasks"]) for seed in range(40)}
    assert sizes == {1, 2, 3}


def test_instance_arrays_respect_max_items_zero() -> None:
    schema = {"type": "array", "items": {"type": "string"}, "maxItems": 0}
    assert instance_for(schema, random.Random(1)) == []


def test_instance_is_deterministic_per_seed() -> None:
    assert instance_for(ITERABLE, random.Random(5)) == instance_for(ITERABLE, random.Random(5))


def test_sparse_instance_sometimes_omits_optional_properties() -> None:
    key_sets = {
        frozenset(instance_for(OPTIONALS, random.Random(seed), sparse=True)) for seed in range(30)
    }
    assert frozenset({"a", "b", "c"}) in key_sets
    assert any(len(keys) < 3 for keys in key_sets)
    sizes = {
        len(instance_for(ITERABLE, random.Random(seed), sparse=True).get("tasks", []))
        for seed in range(40)
    }
    assert 0 in sizes

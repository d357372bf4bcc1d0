"""Tests for mockazure.jsonschema.instances: every output must validate (Draft 2020-12)."""

import datetime as dt
import enum
import json
import random
import re
import uuid
from collections.abc import Mapping
from ipaddress import IPv4Address, IPv6Address
from typing import Annotated, Any, Literal

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from openai.lib._pydantic import to_strict_json_schema
from pydantic import AnyUrl, BaseModel, Field, conint, constr

from mockazure.jsonschema.instances import (
    UnsatisfiableSchema,
    instance_for,
    schema_problem,
)
from mockazure.jsonschema.regex import string_for_pattern

SEEDS = range(20)

# --- pydantic v2 models -----------------------------------------------------------------------


class Unit(enum.StrEnum):
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"


class Address(BaseModel):
    street: str
    city: str
    postcode: Annotated[str, Field(pattern=r"^\d{5}$")]
    country: str | None = None


class Person(BaseModel):
    name: str
    age: conint(ge=0, le=130)  # type: ignore[valid-type]
    email: Annotated[str, Field(json_schema_extra={"format": "email"})]
    address: Address
    previous: list[Address] = []
    scores: dict[str, int] = {}
    nickname: str | None = None


class Forecast(BaseModel):
    city: str
    unit: Unit
    kind: Literal["daily", "hourly"]
    temperatures: Annotated[list[float], Field(min_length=1, max_length=5)]


class Constrained(BaseModel):
    code: constr(pattern=r"^[A-Z]{3}-\d{4}$")  # type: ignore[valid-type]
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{7,15}$")]
    ratio: Annotated[float, Field(gt=0, lt=1)]
    quantity: Annotated[int, Field(ge=10, le=20, multiple_of=2)]
    label: Annotated[str, Field(min_length=3, max_length=8)]
    price: Annotated[float, Field(ge=0, multiple_of=0.01)]


class Formats(BaseModel):
    when: dt.datetime
    day: dt.date
    at: dt.time
    id: uuid.UUID
    site: AnyUrl
    ip4: IPv4Address
    ip6: IPv6Address
    wait: dt.timedelta


class TreeNode(BaseModel):
    value: int
    children: list["TreeNode"] = []
    parent: "TreeNode | None" = None


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meows: int


class Dog(BaseModel):
    pet_type: Literal["dog"]
    barks: float


class Owner(BaseModel):
    pet: Annotated[Cat | Dog, Field(discriminator="pet_type")]
    others: list[Annotated[Cat | Dog, Field(discriminator="pet_type")]] = []


class Step(BaseModel):
    explanation: str
    output: str


class MathReasoning(BaseModel):
    steps: list[Step]
    final_answer: str


class Event(BaseModel):
    title: str
    tags: Annotated[list[str], Field(min_length=2)]
    location: str | None
    attendees: list[Person]


PYDANTIC_MODELS: list[type[BaseModel]] = [
    Address,
    Person,
    Forecast,
    Constrained,
    Formats,
    TreeNode,
    Owner,
    MathReasoning,
    Event,
]

# --- hand-written schemas ---------------------------------------------------------------------

WEATHER_FUNCTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["location"],
}

WEATHER_STRICT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "location": {"type": "string"},
        "unit": {"type": ["string", "null"], "enum": ["celsius", "fahrenheit", None]},
        "days": {"type": ["integer", "null"]},
    },
    "required": ["location", "unit", "days"],
    "additionalProperties": False,
}

HAND_WRITTEN: dict[str, dict[str, Any]] = {
    "weather_function": WEATHER_FUNCTION,
    "weather_strict": WEATHER_STRICT,
    "empty": {},
    "type_list": {"type": ["string", "integer", "null"]},
    "airport_code": {"type": "string", "pattern": r"^[A-Z]{3}-\d{4}$"},
    "phone": {"type": "string", "pattern": r"^\+?[0-9 ()-]{7,15}$"},
    "pattern_search": {"type": "string", "pattern": "ab+c", "minLength": 6},
    "pattern_alternation": {"type": "string", "pattern": r"^(red|green|blue)-(?:[a-f0-9]{2}){3}$"},
    "formats": {
        "type": "object",
        "properties": {
            f: {"type": "string", "format": f}
            for f in ("date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6")
            + ("hostname", "duration")
        },
        "required": ["date-time", "uuid", "email"],
    },
    "numbers": {
        "type": "object",
        "properties": {
            "a": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
            "b": {"type": "number", "minimum": -1.5, "maximum": -1.25},
            "c": {"type": "number", "multipleOf": 0.25, "minimum": 1},
            "d": {"type": "integer", "multipleOf": 7, "maximum": -10},
            "e": {"type": "number", "exclusiveMaximum": 0},
        },
        "required": ["a", "b", "c", "d", "e"],
    },
    "array_min_items": {
        "type": "array",
        "items": {"type": "string", "maxLength": 5},
        "minItems": 5,
        "maxItems": 6,
    },
    "unique_items": {
        "type": "array",
        "items": {"type": "integer", "minimum": 1, "maximum": 4},
        "minItems": 3,
        "uniqueItems": True,
    },
    "tuple": {
        "type": "array",
        "prefixItems": [{"type": "number"}, {"type": "string", "format": "date"}],
        "items": False,
        "minItems": 2,
    },
    "contains": {"type": "array", "items": {"type": "integer"}, "contains": {"const": 42}},
    "all_of": {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
            {"properties": {"a": {"minimum": 5, "maximum": 9}, "b": {"type": "boolean"}}},
            {"required": ["b"]},
        ]
    },
    "one_of_numbers": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]},
    "not": {"type": ["string", "integer"], "not": {"type": "string"}},
    "not_enum": {"type": "integer", "minimum": 1, "maximum": 4, "not": {"enum": [1, 2]}},
    "definitions_ref": {
        "definitions": {"money": {"type": "number", "minimum": 0, "multipleOf": 0.01}},
        "type": "object",
        "properties": {"amount": {"$ref": "#/definitions/money"}, "currency": {"const": "EUR"}},
        "required": ["amount", "currency"],
    },
    "recursive_root": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "next": {"anyOf": [{"$ref": "#"}, {"type": "null"}]},
        },
        "required": ["name", "next"],
        "additionalProperties": False,
    },
    "pattern_properties": {
        "type": "object",
        "patternProperties": {"^x-[a-z]+$": {"type": "integer"}},
        "additionalProperties": False,
        "minProperties": 1,
    },
    "additional_properties_schema": {
        "type": "object",
        "properties": {"id": {"type": "string", "format": "uuid"}},
        "required": ["id"],
        "additionalProperties": {"type": "number"},
        "minProperties": 3,
    },
    "if_then_else": {
        "type": "object",
        "properties": {"kind": {"enum": ["a", "b"]}, "value": {}},
        "required": ["kind", "value"],
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"properties": {"value": {"type": "integer"}}},
        "else": {"properties": {"value": {"type": "string"}}},
    },
    "boolean_subschemas": {"type": "array", "items": True, "minItems": 1},
}


def _corpus() -> dict[str, dict[str, Any]]:
    corpus = dict(HAND_WRITTEN)
    for model in PYDANTIC_MODELS:
        corpus[f"pydantic_{model.__name__}"] = model.model_json_schema()
        corpus[f"strict_{model.__name__}"] = to_strict_json_schema(model)
    return corpus


CORPUS = _corpus()


def _validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_corpus_has_at_least_thirty_schemas() -> None:
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_instance_for_corpus_schema_validates_for_every_seed(name: str) -> None:
    schema = CORPUS[name]
    validator = _validator(schema)
    for seed in SEEDS:
        value = instance_for(schema, random.Random(seed), hint="Plan a trip to Paris and Rome")
        errors = [e.message for e in validator.iter_errors(value)]
        assert not errors, f"seed {seed}: {json.dumps(value)} -> {errors}"
        json.dumps(value, allow_nan=False)  # serialisable as strict JSON


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_instance_for_same_seed_gives_same_value(name: str) -> None:
    schema = CORPUS[name]
    first = [instance_for(schema, random.Random(seed)) for seed in SEEDS]
    again = [instance_for(schema, random.Random(seed)) for seed in SEEDS]
    assert first == again


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_instance_for_different_seeds_give_varied_values(name: str) -> None:
    schema = CORPUS[name]
    values = {
        json.dumps(instance_for(schema, random.Random(seed)), sort_keys=True) for seed in SEEDS
    }
    assert len(values) > 1


def test_instance_for_strict_schema_emits_every_property() -> None:
    schema = to_strict_json_schema(Person)
    for seed in SEEDS:
        value = instance_for(schema, random.Random(seed))
        assert set(value) == set(schema["properties"])
        assert set(value["address"]) == {"street", "city", "postcode", "country"}


def test_instance_for_city_property_uses_word_from_hint() -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    hint = "What's the weather like in Paris today?"
    values = [instance_for(schema, random.Random(seed), hint=hint)["city"] for seed in SEEDS]
    assert values == ["Paris"] * len(values)


def test_instance_for_weather_location_uses_multiword_place_from_hint() -> None:
    value = instance_for(WEATHER_FUNCTION, random.Random(1), hint="Is it raining in New York?")
    assert value["location"] == "New York"


def test_instance_for_unnamed_string_without_hint_is_readable_phrase() -> None:
    schema = {
        "type": "object",
        "properties": {"reason": {"type": "string"}},
        "required": ["reason"],
    }
    value = instance_for(schema, random.Random(3))
    assert re.fullmatch(r"[a-z]+ reason", value["reason"])


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def test_instance_for_recursive_model_terminates_with_bounded_depth() -> None:
    schema = to_strict_json_schema(TreeNode)
    values = [instance_for(schema, random.Random(seed)) for seed in range(200)]
    assert max(_depth(v) for v in values) <= 8
    assert max(len(json.dumps(v)) for v in values) < 5_000
    assert any(v["children"] and v["parent"] for v in values)  # recursion does happen


def test_instance_for_discriminated_union_matches_one_variant() -> None:
    schema = Owner.model_json_schema()
    kinds = {instance_for(schema, random.Random(seed))["pet"]["pet_type"] for seed in SEEDS}
    assert kinds == {"cat", "dog"}


def test_instance_for_one_of_picks_exactly_one_branch() -> None:
    schema = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    for seed in SEEDS:
        value = instance_for(schema, random.Random(seed))
        assert not float(value).is_integer()


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "minimum": 5, "maximum": 4},
        {"type": "integer", "minimum": 1.2, "maximum": 1.8},
        {"type": "string", "minLength": 5, "maxLength": 2},
        {"type": "string", "enum": [1, 2]},
        {"type": "string", "pattern": "^a$", "minLength": 3},
        {"type": "string", "pattern": "(unclosed"},
        {"type": "array", "items": {"enum": [1, 2]}, "minItems": 3, "uniqueItems": True},
        {"type": "object", "properties": {"x": False}, "required": ["x"]},
        {"type": "object", "properties": {"me": {"$ref": "#"}}, "required": ["me"]},
        {"$ref": "#/$defs/missing"},
        {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
        {"not": {}},
        {"allOf": [{"type": "string"}, {"type": "integer"}]},
    ],
)
def test_instance_for_unsatisfiable_schema_raises(schema: dict[str, Any]) -> None:
    with pytest.raises(UnsatisfiableSchema):
        instance_for(schema, random.Random(0))


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_schema_problem_accepts_corpus_schema(name: str) -> None:
    assert schema_problem(CORPUS[name]) is None


@pytest.mark.parametrize(
    "schema",
    [
        [],
        "string",
        {"type": "text"},
        {"type": []},
        {"required": "name"},
        {"minLength": -1},
        {"maximum": "10"},
        {"multipleOf": 0},
        {"pattern": "(unclosed"},
        {"properties": []},
        {"anyOf": {"type": "string"}},
        {"properties": {"a": {"type": "wat"}}},
        {"$ref": "#/$defs/missing"},
        {"enum": "abc"},
    ],
)
def test_schema_problem_rejects_malformed_schema(schema: Any) -> None:
    assert schema_problem(schema) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Z]{3}-\d{4}$",
        r"^\+?[0-9 ()-]{7,15}$",
        r"^\w+@\w+\.(com|org)$",
        r"^[^\s@]+$",
        r"^(a|bc)*d?$",
        r"^(ab)\1$",
        r"x.{2,}?y",
        r"^(?=.*\d)[a-z\d]{8}$",
        r"\bfoo\b",
        r"^#[0-9a-fA-F]{6}$",
        r"(?i)^hello$",
    ],
)
def test_string_for_pattern_matches_with_search_semantics(pattern: str) -> None:
    for seed in SEEDS:
        text = string_for_pattern(pattern, random.Random(seed))
        assert re.search(pattern, text), text


def test_instance_for_hint_prefers_place_over_sentence_opening_verb() -> None:
    value = instance_for(WEATHER_FUNCTION, random.Random(0), hint="Book a table in Rome tonight")
    assert value["location"] == "Rome"


@pytest.mark.parametrize("schema", [{"type": "object"}, {"type": "object", "properties": {}}])
def test_instance_for_object_without_properties_is_empty(schema: dict[str, Any]) -> None:
    assert all(instance_for(schema, random.Random(seed)) == {} for seed in SEEDS)


def test_instance_for_dict_of_int_uses_hint_words_as_keys() -> None:
    schema = {"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 2}
    value = instance_for(schema, random.Random(0), hint="Compare Paris and Rome")
    assert set(value) == {"Paris", "Rome"}
    assert all(isinstance(v, int) for v in value.values())

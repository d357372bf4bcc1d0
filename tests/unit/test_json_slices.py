"""`loads_sliced` gives exactly what `json.loads` gives, window by window; `dump_json` gives
exactly `model_dump_json`, a model of a long list at a time."""

import json
import random
from typing import Any

import pytest

from mockazure.gateway import json_slices
from mockazure.gateway.json_slices import loads, loads_sliced
from mockazure.gateway.responses import SLICED_ITEMS, dump_json
from mockazure.protocol.common import Usage
from mockazure.protocol.embeddings import CreateEmbeddingResponse, Embedding

SCALARS: list[Any] = [0, -1, 1.5e10, 12345678901234567890, True, None, "a,b", 'q"]}{,', "é\u2028"]


def _value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth > 4 or pick < 0.4:
        return rng.choice([*SCALARS, "x" * rng.randint(0, 40)])
    if pick < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 8))]
    keys = ["a", "b", ",", '"]', "a"]
    return {rng.choice(keys) + str(rng.randint(0, 3)): _value(rng, depth + 1) for _ in range(6)}


@pytest.mark.parametrize("window", [3, 7, 16, 65_536])
def test_loads_sliced_equals_json_loads_for_every_window(
    window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_slices, "WINDOW_CHARS", window)
    rng = random.Random(window)
    for _ in range(150):
        value = _value(rng)
        for text in (json.dumps(value), json.dumps(value, indent=2, ensure_ascii=False)):
            assert loads_sliced(text.encode(), json.JSONDecoder()) == json.loads(text), text


@pytest.mark.parametrize(
    "text", ["[1,2", '{"a":1,}', "[1,]", '{"a" 1}', "[1 2]", "", " ", "[1]x", '{"a":1}{', "{1:2}"]
)
def test_loads_sliced_refuses_what_json_loads_refuses(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_slices, "WINDOW_CHARS", 4)
    for raw in (text, "[" + "0," * 20 + text + "]"):
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw)
        with pytest.raises(json.JSONDecodeError):
            loads_sliced(raw.encode(), json.JSONDecoder())


def test_loads_sliced_keeps_the_last_duplicate_key_at_the_first_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(json_slices, "WINDOW_CHARS", 8)
    text = '{"a": 1, "b": [1, 2, 3, 4, 5], "a": 3, "c": {"a": 1, "a": 2}}'
    parsed = loads_sliced(text.encode(), json.JSONDecoder())
    assert parsed == json.loads(text)
    assert list(parsed) == list(json.loads(text))


def test_loads_sliced_bounds_nesting_of_large_containers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_slices, "WINDOW_CHARS", 4)
    with pytest.raises(RecursionError):
        loads_sliced(("[" * 30 + "1" + "]" * 30).encode(), json.JSONDecoder(), max_depth=10)


def test_large_bodies_are_parsed_in_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = json_slices.loads_sliced

    def counted(data: bytes, decoder: json.JSONDecoder, *, max_depth: int = 100) -> Any:
        calls.append(len(data))
        return real(data, decoder, max_depth=max_depth)

    monkeypatch.setattr(json_slices, "loads_sliced", counted)
    body = json.dumps({"input": [[i % 500 for i in range(1000)] for _ in range(100)]}).encode()
    assert loads(body) == json.loads(body)
    assert calls == [len(body)]
    assert loads(b'{"small": true}') == {"small": True}
    assert calls == [len(body)]


def test_dump_json_of_a_long_list_is_model_dump_json() -> None:
    data = [Embedding(index=i, embedding=[0.5, -float(i)]) for i in range(SLICED_ITEMS * 2)]
    usage = Usage(prompt_tokens=3, total_tokens=3)
    model = CreateEmbeddingResponse(data=data, model="text-embedding-3-small", usage=usage)
    assert dump_json(model) == model.model_dump_json(exclude_unset=True).encode()
    short = model.model_copy(update={"data": data[:2]})
    assert dump_json(short) == short.model_dump_json(exclude_unset=True).encode()

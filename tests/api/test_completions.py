import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.tokens.tokenizers import get_tokenizer
from tests.conftest import AUTH, PARAMS

URL = "/openai/deployments/gpt-35-turbo-instruct/completions"
TOKENIZER = get_tokenizer("cl100k_base")


def post(client: TestClient, version: str | None = None, **body: Any) -> Any:
    params = {"api-version": version} if version else PARAMS
    return client.post(URL, params=params, headers=AUTH, json=body)


def ok(client: TestClient, **body: Any) -> dict[str, Any]:
    response = post(client, **body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_completion_shape_and_exact_usage(client: TestClient) -> None:
    result = ok(client, prompt="Once upon a time")
    assert result["object"] == "text_completion"
    assert result["id"].startswith("cmpl-")
    assert result["model"] == "gpt-35-turbo-instruct"
    choice = result["choices"][0]
    assert choice["finish_reason"] == "length"  # default max_tokens 16
    assert TOKENIZER.count(choice["text"]) == 16
    assert result["usage"] == {
        "prompt_tokens": TOKENIZER.count("Once upon a time"),
        "completion_tokens": 16,
        "total_tokens": TOKENIZER.count("Once upon a time") + 16,
    }
    assert result["prompt_filter_results"][0]["prompt_index"] == 0
    assert choice["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}


def test_completion_is_deterministic(client: TestClient) -> None:
    body = {"prompt": "Write about rivers", "max_tokens": 40}
    assert ok(client, **body)["choices"] == ok(client, **body)["choices"]


def test_completion_stops_naturally_with_room(client: TestClient) -> None:
    choice = ok(client, prompt="Describe mountains.", max_tokens=500)["choices"][0]
    assert choice["finish_reason"] == "stop"
    assert choice["text"]


def test_completion_choices_are_prompt_major(client: TestClient) -> None:
    prompts = ["Tell me about whales", "Explain volcanoes"]
    result = ok(client, prompt=prompts, n=3, echo=True, max_tokens=5)
    choices = result["choices"]
    assert [c["index"] for c in choices] == list(range(6))
    for choice in choices[:3]:
        assert choice["text"].startswith(prompts[0])
    for choice in choices[3:]:
        assert choice["text"].startswith(prompts[1])
    assert [p["prompt_index"] for p in result["prompt_filter_results"]] == [0, 1]
    assert result["usage"]["prompt_tokens"] == sum(TOKENIZER.count(p) for p in prompts)
    assert result["usage"]["completion_tokens"] == 6 * 5


def test_completion_logprobs_are_consistent_with_the_text(client: TestClient) -> None:
    prompt = "The history of bread"
    choice = ok(client, prompt=prompt, logprobs=3, max_tokens=12)["choices"][0]
    logprobs = choice["logprobs"]
    assert "".join(logprobs["tokens"]) == choice["text"]
    assert len(logprobs["token_logprobs"]) == len(logprobs["tokens"])
    assert all(value <= 0 for value in logprobs["token_logprobs"])
    for token, chosen, top in zip(
        logprobs["tokens"], logprobs["token_logprobs"], logprobs["top_logprobs"], strict=True
    ):
        assert len(top) == 3
        assert top[token] == chosen
        assert max(top.values()) == chosen
    # Offsets count from the start of the prompt (not echoed here).
    full = prompt + choice["text"]
    for token, offset in zip(logprobs["tokens"], logprobs["text_offset"], strict=True):
        assert full[offset : offset + len(token)] == token


def test_completion_echo_puts_prompt_and_its_tokens_first(client: TestClient) -> None:
    prompt = "Gardening tips:"
    choice = ok(client, prompt=prompt, echo=True, logprobs=1, max_tokens=0)["choices"][0]
    assert choice["text"] == prompt
    logprobs = choice["logprobs"]
    assert "".join(logprobs["tokens"]) == prompt
    assert logprobs["token_logprobs"][0] is None
    assert logprobs["top_logprobs"][0] is None
    assert logprobs["text_offset"][0] == 0


def test_completion_stop_sequence_cuts_text(client: TestClient) -> None:
    whole = ok(client, prompt="Explain tides.", max_tokens=200)["choices"][0]["text"]
    word = whole.split()[3]
    cut = ok(client, prompt="Explain tides.", max_tokens=200, stop=[word])["choices"][0]
    assert word not in cut["text"]
    assert cut["finish_reason"] == "stop"


def test_completion_suffix_counts_in_prompt_tokens(client: TestClient) -> None:
    plain = ok(client, prompt="def add(a, b):")["usage"]["prompt_tokens"]
    with_suffix = ok(client, prompt="def add(a, b):", suffix="\n    return total")
    assert with_suffix["usage"]["prompt_tokens"] == plain + TOKENIZER.count("\n    return total")
    assert "return total" not in with_suffix["choices"][0]["text"]


def test_completion_suffix_unknown_before_2022_12(client: TestClient) -> None:
    response = post(client, "2022-06-01-preview", prompt="x", suffix="y")
    assert response.status_code == 400
    assert "suffix" in response.json()["error"]["message"]


def test_completion_best_of_returns_n_and_bills_all(client: TestClient) -> None:
    result = ok(client, prompt="Cats", best_of=3, n=2, max_tokens=4)
    assert len(result["choices"]) == 2
    assert result["usage"]["completion_tokens"] == 3 * 4


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"best_of": 1, "n": 2}, "best_of"),
        ({"best_of": 2, "stream": True}, "best_of"),
        ({"best_of": 21}, "best_of"),
        ({"logprobs": 6}, "logprobs"),
        ({"n": 129}, "n"),
        ({"temperature": 2.5}, "temperature"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"max_tokens": -1}, "max_tokens"),
        ({"logit_bias": {"abc": 1}}, "logit_bias"),
        ({"presence_penalty": 3}, "presence_penalty"),
    ],
)
def test_completion_rejects_out_of_range(
    client: TestClient, body: dict[str, Any], param: str
) -> None:
    response = post(client, prompt="hi", **body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param


def test_completion_best_of_limit_is_128_before_2024_08(client: TestClient) -> None:
    assert post(client, "2024-06-01", prompt="hi", best_of=21, max_tokens=1).status_code == 200
    assert post(client, "2024-10-21", prompt="hi", best_of=21, max_tokens=1).status_code == 400


def test_completion_prompt_required_from_2024_08(client: TestClient) -> None:
    response = post(client)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "prompt"
    assert post(client, "2024-06-01", max_tokens=2).status_code == 200


def test_completion_token_prompts_only_in_2022_previews(client: TestClient) -> None:
    ids = TOKENIZER.encode("Hello world")
    response = post(client, "2022-06-01-preview", prompt=[ids, ids], max_tokens=2)
    assert response.status_code == 200
    assert response.json()["usage"]["prompt_tokens"] == 2 * len(ids)
    rejected = post(client, prompt=ids)
    assert rejected.status_code == 400
    assert rejected.json()["error"]["param"] == "prompt"


def test_completion_context_window_error(client: TestClient) -> None:
    response = post(client, prompt="word " * 4000, max_tokens=200)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "context_length_exceeded"
    assert error["param"] == "prompt"
    assert "maximum context length is 4097 tokens" in error["message"]


def test_completion_on_chat_deployment_is_not_supported(client: TestClient) -> None:
    response = client.post(
        "/openai/deployments/gpt-4o/completions", params=PARAMS, headers=AUTH, json={"prompt": "x"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OperationNotSupported"


def events(client: TestClient, **body: Any) -> list[Any]:
    response = post(client, **body, stream=True)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    blocks = response.text.split("\n\n")[:-1]
    assert blocks[-1] == "data: [DONE]"
    return [json.loads(block.removeprefix("data: ")) for block in blocks[:-1]]


def test_completion_stream_matches_non_stream(client: TestClient) -> None:
    body = {"prompt": "Talk about maps", "max_tokens": 20, "n": 2}
    whole = ok(client, **body)
    chunks = events(client, **body)
    first = chunks[0]
    assert first["id"] == ""
    assert first["object"] == ""
    assert first["created"] == 0
    assert first["choices"] == []
    assert first["prompt_filter_results"][0]["prompt_index"] == 0
    for index in range(2):
        mine = [c["choices"][0] for c in chunks[1:] if c["choices"][0]["index"] == index]
        assert all(c["object"] == "text_completion" for c in chunks[1:])
        assert "".join(m["text"] for m in mine) == whole["choices"][index]["text"]
        assert mine[-1]["finish_reason"] == whole["choices"][index]["finish_reason"]
        assert "content_filter_results" in mine[0]


def test_completion_stream_logprobs_per_token(client: TestClient) -> None:
    chunks = events(client, prompt="Stars", max_tokens=5, logprobs=2)
    texts = [c["choices"][0] for c in chunks[1:-1]]
    for choice in texts:
        assert choice["logprobs"]["tokens"] == [choice["text"]]


def test_completion_stream_usage_only_where_version_has_stream_options(client: TestClient) -> None:
    body = {
        "prompt": "hi",
        "max_tokens": 3,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    response = post(client, "2025-04-01-preview", **body)
    last = json.loads(response.text.split("\n\n")[-3].removeprefix("data: "))
    assert last["choices"] == []
    assert last["usage"]["completion_tokens"] == 3

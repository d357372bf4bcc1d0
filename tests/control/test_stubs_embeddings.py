"""Stubs on embeddings: the stubbed vector for every input (float and base64), the length check,
exact usage, errors; and error faults on embeddings through the SDK."""

import base64
import struct
from typing import Any

import openai
import pytest
from fastapi.testclient import TestClient
from openai import AzureOpenAI

from mockazure.journal.codec import decode_entry
from mockazure.stubs.rules import StubRule
from mockazure.testing import LiveServer
from mockazure.tokens.tokenizers import get_tokenizer
from tests.conftest import AUTH, PARAMS

SMALL = "text-embedding-3-small"
URL = f"/openai/deployments/{SMALL}/embeddings"
TOKENIZER = get_tokenizer("cl100k_base")
VECTOR = [0.5, -0.25, 0.125, 0.0]  # exact in float32, deliberately not unit length


def stub(client: TestClient, response: dict[str, Any], **match: Any) -> None:
    rule = {"match": {"operation": "embeddings", **match}, "response": response}
    assert client.post("/_mock/stubs", json=rule).status_code == 201


def embed(client: TestClient, url: str = URL, **body: Any) -> Any:
    return client.post(url, params=PARAMS, headers=AUTH, json=body)


def test_stubbed_vector_for_every_input_with_exact_usage(client: TestClient) -> None:
    stub(client, {"embedding": VECTOR}, contains="invoice")
    texts = ["an invoice", "another text"]
    result = embed(client, input=texts, dimensions=4, encoding_format="float").json()
    assert [item["embedding"] for item in result["data"]] == [VECTOR, VECTOR]
    assert [item["index"] for item in result["data"]] == [0, 1]
    tokens = sum(TOKENIZER.count(text) for text in texts)
    assert result["usage"] == {"prompt_tokens": tokens, "total_tokens": tokens}
    other = embed(client, input="no match here", dimensions=4).json()
    assert other["data"][0]["embedding"] != VECTOR


def test_base64_is_the_stubbed_vector_as_float32(client: TestClient) -> None:
    stub(client, {"embedding": VECTOR})
    result = embed(client, input="x", dimensions=4, encoding_format="base64").json()
    raw = base64.b64decode(result["data"][0]["embedding"])
    assert list(struct.unpack("<4f", raw)) == VECTOR


def test_native_size_without_dimensions(client: TestClient) -> None:
    native = [1.0] + [0.0] * 1535
    stub(client, {"embedding": native})
    url = "/openai/deployments/text-embedding-ada-002/embeddings"
    result = embed(client, url, input=[[15339, 1917]]).json()
    assert result["data"][0]["embedding"] == native
    assert result["usage"]["prompt_tokens"] == 2


def test_wrong_length_is_a_400_naming_the_stub(client: TestClient) -> None:
    rule = {"id": "short-vector", "response": {"embedding": VECTOR}}
    client.post("/_mock/stubs", json=rule)
    reply = embed(client, input="x")
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert error["code"] == "StubMismatch"
    assert "'short-vector'" in error["message"]
    assert "4 floats" in error["message"]
    assert "expects 1536" in error["message"]
    assert embed(client, input="x", dimensions=4).status_code == 200
    assert embed(client, input="x", dimensions=8).status_code == 400


def test_request_errors_come_before_the_stub_check(client: TestClient) -> None:
    stub(client, {"embedding": VECTOR})
    reply = embed(client, input="x", dimensions=99999)
    assert reply.json()["error"]["code"] == "integer_above_max_value"


def test_stubbed_error_is_raised(client: TestClient) -> None:
    stub(
        client, {"error": {"status": 400, "code": "BadInput", "message": "nope", "param": "input"}}
    )
    reply = embed(client, input="x")
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == "BadInput"
    assert reply.json()["error"]["param"] == "input"


def test_sdk_decodes_the_stubbed_vector_from_default_base64(
    fresh: LiveServer, sdk: AzureOpenAI
) -> None:
    rule = {"id": "vec", "match": {"deployment": SMALL}, "response": {"embedding": VECTOR}}
    fresh.state.stubs.add(StubRule.model_validate(rule))
    # The SDK asks for base64 by default and decodes float32 (clients.md §0.10).
    result = sdk.embeddings.create(model=SMALL, input=["a", "b c"], dimensions=4)
    assert [item.embedding for item in result.data] == [VECTOR, VECTOR]
    assert result.usage.prompt_tokens == TOKENIZER.count("a") + TOKENIZER.count("b c")
    recorded = decode_entry(fresh.state.store.items("journal")[-1])
    assert recorded["stub"] == "vec"


def test_sdk_sees_an_embeddings_error_fault(fresh: LiveServer, sdk: AzureOpenAI) -> None:
    with pytest.raises(openai.InternalServerError) as header_fault:
        sdk.embeddings.create(model=SMALL, input="x", extra_headers={"x-mock-fault": "error=503"})
    assert header_fault.value.status_code == 503
    rule = {
        "match": {"operation": "embeddings"},
        "times": 1,
        "fault": {"kind": "error", "status": 500},
    }
    fresh.state.stubs.add(StubRule.model_validate(rule))
    with pytest.raises(openai.InternalServerError) as rule_fault:
        sdk.embeddings.create(model=SMALL, input="x")
    assert rule_fault.value.code == "InternalServerError"
    assert sdk.embeddings.create(model=SMALL, input="x").data

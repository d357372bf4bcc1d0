import json
from typing import Any

from fastapi.testclient import TestClient

from tests.api.test_chat import WEATHER_TOOL
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


def stream(client: TestClient, version: str | None = None, **body: Any) -> tuple[bytes, Any]:
    params = {"api-version": version} if version else PARAMS
    response = client.post(
        CHAT_URL, params=params, headers=AUTH, json={**HELLO, **body, "stream": True}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return response.content, response.headers


def events(raw: bytes) -> list[str]:
    assert raw.endswith(b"\n\n")
    blocks = raw.decode().split("\n\n")[:-1]
    for block in blocks:
        assert block.startswith("data: "), block
        assert "\n" not in block, block
    return [block[len("data: ") :] for block in blocks]


def test_chat_stream_framing_is_data_lines_with_lf_and_done(client: TestClient) -> None:
    raw, _ = stream(client)
    assert b"\r" not in raw
    assert b"event:" not in raw
    assert b"\n:" not in raw
    assert events(raw)[-1] == "[DONE]"


def test_chat_stream_starts_with_prompt_filter_chunk(client: TestClient) -> None:
    first = json.loads(events(stream(client)[0])[0])
    assert first["id"] == ""
    assert first["object"] == ""
    assert first["model"] == ""
    assert first["created"] == 0
    assert first["choices"] == []
    assert first["prompt_filter_results"][0]["content_filter_results"]["jailbreak"] == {
        "filtered": False,
        "detected": False,
    }


def test_chat_stream_chunks_have_delta_and_index(client: TestClient) -> None:
    chunks = [json.loads(e) for e in events(stream(client, n=2)[0])[1:-1]]
    for chunk in chunks:
        assert chunk["object"] == "chat.completion.chunk"
        for choice in chunk["choices"]:
            assert "delta" in choice
            assert "index" in choice
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_chat_stream_joined_deltas_equal_completion(client: TestClient) -> None:
    whole = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, "n": 2}).json()
    chunks = [json.loads(e) for e in events(stream(client, n=2)[0])[1:-1]]
    for index in (0, 1):
        joined = "".join(
            c["choices"][0]["delta"].get("content") or ""
            for c in chunks
            if c["choices"][0]["index"] == index
        )
        assert joined == whole["choices"][index]["message"]["content"]


def test_chat_stream_content_chunks_carry_filter_results(client: TestClient) -> None:
    chunks = [json.loads(e) for e in events(stream(client)[0])[1:-1]]
    content = [c for c in chunks if c["choices"][0]["delta"].get("content")]
    assert content
    assert all(
        c["choices"][0]["content_filter_results"]["sexual"]["severity"] == "safe" for c in content
    )


def test_chat_stream_tool_calls_reassemble(client: TestClient) -> None:
    chunks = [json.loads(e) for e in events(stream(client, tools=[WEATHER_TOOL])[0])[1:-1]]
    deltas = [d for c in chunks for d in c["choices"][0]["delta"].get("tool_calls") or []]
    assert deltas[0]["id"].startswith("call_")
    assert deltas[0]["function"]["name"] == "get_weather"
    arguments = "".join(d["function"].get("arguments", "") for d in deltas)
    assert json.loads(arguments)["unit"] in ("celsius", "fahrenheit")
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_chat_stream_usage_chunk_only_when_asked_and_supported(client: TestClient) -> None:
    raw, _ = stream(client, version="2024-09-01-preview", stream_options={"include_usage": True})
    chunks = [json.loads(e) for e in events(raw)[1:-1]]
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["total_tokens"] > 0
    assert all(c["usage"] is None for c in chunks[:-1])
    plain = [json.loads(e) for e in events(stream(client)[0])[1:-1]]
    assert all("usage" not in c for c in plain)

"""VCR cassettes both ways, with real vcrpy and the openai SDK.

1. vcrpy records the SDK's calls to a mockazure upstream; `serve --replay` plays that cassette.
2. `mockazure record --format vcr` records the SDK's calls; vcrpy plays that cassette.
Each time the SDK must see exactly what it saw while recording: chat, streamed chat, embeddings.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
import vcr  # type: ignore[import-untyped]
import yaml

from mockazure import Settings, create_app
from mockazure.recording.record import VCR_FILE, create_recorder_app
from mockazure.testing import LiveServer, live_server

API_VERSION = "2024-10-21"
KEY = "upstream-key"


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(api_keys=(KEY,)))) as running:
        yield running


def _client(url: str) -> openai.AzureOpenAI:
    return openai.AzureOpenAI(
        azure_endpoint=url, api_key=KEY, api_version=API_VERSION, max_retries=0
    )


def _calls(client: openai.AzureOpenAI) -> dict[str, Any]:
    """What the SDK sees for each call family (pydantic models dumped)."""
    messages: Any = [{"role": "user", "content": "Tell me about Lyon."}]
    chat = client.chat.completions.create(model="gpt-4o", messages=messages, seed=3)
    stream = client.chat.completions.create(model="gpt-4o", messages=messages, stream=True)
    chunks = [chunk.model_dump() for chunk in stream]
    embedding = client.embeddings.create(model="text-embedding-3-small", input="croissant")
    return {"chat": chat.model_dump(), "stream": chunks, "embedding": embedding.model_dump()}


def test_vcrpy_cassette_replays_through_mockazure(upstream: LiveServer, tmp_path: Path) -> None:
    folder = tmp_path / "cassettes"
    recorder = vcr.VCR(filter_headers=["api-key"], decode_compressed_response=True)
    with recorder.use_cassette(str(folder / "test_azure.yaml"), record_mode="all"):
        seen = _calls(_client(upstream.url))
    text = (folder / "test_azure.yaml").read_text()
    document = yaml.safe_load(text)
    assert len(document["interactions"]) == 3
    assert KEY not in text  # vcrpy's filter, kept as it was
    assert seen["stream"][-1]["choices"][0]["finish_reason"] == "stop"
    with live_server(create_app(Settings(replay=folder))) as replay:
        replayed = _calls(_client(replay.url))
    assert replayed == seen


def test_record_format_vcr_replays_in_vcrpy(upstream: LiveServer, tmp_path: Path) -> None:
    app: Any = create_recorder_app(upstream.url, tmp_path, "vcr")
    with live_server(app) as proxy:
        seen = _calls(_client(proxy.url))
    cassette = tmp_path / VCR_FILE
    text = cassette.read_text()
    document = yaml.safe_load(text)
    assert [i["request"]["method"] for i in document["interactions"]] == ["POST"] * 3
    assert all(i["request"]["uri"].startswith(upstream.url) for i in document["interactions"])
    assert KEY not in text  # the key header is redacted
    stream_body = document["interactions"][1]["response"]["body"]["string"]
    assert stream_body.startswith("data: ")
    assert stream_body.rstrip().endswith("data: [DONE]")
    player = vcr.VCR(record_mode="none")
    with player.use_cassette(str(cassette)) as played:
        replayed = _calls(_client(upstream.url))
        assert played.all_played
    assert replayed == seen
    # ... and mockazure replays its own VCR output too.
    with live_server(create_app(Settings(replay=tmp_path))) as replay:
        assert _calls(_client(replay.url)) == seen

"""Contract tests: `chat.completions.create(store=True)` and the stored-completions API
(`list`, `retrieve`, `update`, `delete`, `messages.list`) with the newest openai SDK, dated
(`AzureOpenAI`, 2025-02-01-preview) and on v1 (`OpenAI(base_url=URL + "/openai/v1/")`)."""

from collections.abc import Iterator

import pytest
from openai import AzureOpenAI, NotFoundError, OpenAI

from mockazure import Settings, create_app
from mockazure.testing import LiveServer, live_server

VERSION = "2025-02-01-preview"


@pytest.fixture
def server() -> Iterator[LiveServer]:
    """A server of its own: these tests count what is stored."""
    with live_server(create_app(Settings(api_keys=("test-key",)))) as running:
        yield running


def dated(server: LiveServer) -> AzureOpenAI:
    return AzureOpenAI(
        azure_endpoint=server.url, api_key="test-key", api_version=VERSION, max_retries=0
    )


def test_sdk_stored_completion_round_trip(server: LiveServer) -> None:
    with dated(server) as sdk:
        created = sdk.chat.completions.create(
            model="gpt-4o",
            messages=[
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Tell me about Lyon."},
            ],
            store=True,
            metadata={"suite": "stored", "run": "1"},
        )
        sdk.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "not stored"}]
        )
        listed = list(sdk.chat.completions.list(metadata={"suite": "stored"}))
        assert [c.id for c in listed] == [created.id]
        got = sdk.chat.completions.retrieve(created.id)
        assert got.choices[0].message.content == created.choices[0].message.content
        updated = sdk.chat.completions.update(created.id, metadata={"suite": "changed"})
        assert updated.id == created.id
        assert list(sdk.chat.completions.list(metadata={"suite": "stored"})) == []
        messages = list(sdk.chat.completions.messages.list(created.id))
        assert [m.content for m in messages] == ["Be brief.", "Tell me about Lyon."]
        assert [m.id for m in messages] == [f"{created.id}-0", f"{created.id}-1"]
        with OpenAI(base_url=server.url + "/openai/v1/", api_key="test-key") as v1:
            assert [c.id for c in v1.chat.completions.list(model="gpt-4o")] == [created.id]
            assert v1.chat.completions.retrieve(created.id).id == created.id
        deleted = sdk.chat.completions.delete(created.id)
        assert deleted.deleted is True
        with pytest.raises(NotFoundError):
            sdk.chat.completions.retrieve(created.id)


def test_sdk_stored_completion_streamed_is_stored_whole(server: LiveServer) -> None:
    with dated(server) as sdk:
        stream = sdk.chat.completions.create(
            model="gpt-4o",
            messages=[{"role": "user", "content": "Stream it."}],
            store=True,
            stream=True,
        )
        pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
        stored = list(sdk.chat.completions.list())
    assert len(stored) == 1
    assert stored[0].choices[0].message.content == "".join(pieces)


def test_stored_list_is_404_before_2025_02(server: LiveServer) -> None:
    with (
        AzureOpenAI(
            azure_endpoint=server.url, api_key="test-key", api_version="2024-10-21", max_retries=0
        ) as sdk,
        pytest.raises(NotFoundError),
    ):
        list(sdk.chat.completions.list())


def test_stored_completions_are_bounded(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(api_keys=("test-key",), stored_completions_max=1)
    with live_server(create_app(settings)) as bounded, dated(bounded) as sdk:
        for text in ("one", "two"):
            sdk.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": text}], store=True
            )
        assert len(list(sdk.chat.completions.list())) == 1
    assert "stored_completions_max" in caplog.text

"""Contract tests: the newest openai SDK's files and batches APIs against a live server, with
`AzureOpenAI(api_version="2024-10-21")` (dated `/openai/files`, `/openai/batches`) and the v1
client `OpenAI(base_url=URL + "/openai/v1/")`: a whole batch run, from upload to parsing every
output line. `jobs_instant` makes every batch done on its first poll (no sleeps)."""

import json
from collections.abc import Iterator

import pytest
from openai import AzureOpenAI, BadRequestError, ConflictError, NotFoundError, OpenAI
from openai.types import Batch
from openai.types.chat import ChatCompletion
from openai.types.create_embedding_response import CreateEmbeddingResponse

from mockazure import Settings, create_app
from mockazure.testing import LiveServer, live_server


@pytest.fixture(scope="module")
def jobs_server() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(api_keys=("test-key",), jobs_instant=True))) as running:
        yield running


def dated(server: LiveServer) -> AzureOpenAI:
    return AzureOpenAI(
        azure_endpoint=server.url, api_key="test-key", api_version="2024-10-21", max_retries=0
    )


def v1(server: LiveServer) -> OpenAI:
    return OpenAI(base_url=server.url + "/openai/v1/", api_key="test-key", max_retries=0)


def tasks(count: int, url: str = "/chat/completions") -> bytes:
    lines = []
    for i in range(count):
        body = {
            "model": "gpt-4o-batch",
            "messages": [{"role": "user", "content": f"Question number {i}?"}],
        }
        lines.append({"custom_id": f"task-{i}", "method": "POST", "url": url, "body": body})
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def run_batch(sdk: AzureOpenAI | OpenAI, content: bytes, endpoint: str) -> Batch:
    uploaded = sdk.files.create(file=("tasks.jsonl", content), purpose="batch")
    assert uploaded.status == "processed"
    assert sdk.files.retrieve(uploaded.id).bytes == len(content)
    batch = sdk.batches.create(
        input_file_id=uploaded.id,
        endpoint=endpoint,  # type: ignore[arg-type]
        completion_window="24h",
    )
    assert batch.status == "validating"
    finished = sdk.batches.retrieve(batch.id)
    assert finished.status == "completed"
    return finished


def test_sdk_dated_batch_run_from_upload_to_every_output_line(jobs_server: LiveServer) -> None:
    with dated(jobs_server) as sdk:
        batch = run_batch(sdk, tasks(5), "/chat/completions")
        assert batch.request_counts is not None
        assert batch.request_counts.total == batch.request_counts.completed == 5
        assert batch.output_file_id is not None
        text = sdk.files.content(batch.output_file_id).text
        assert batch.id in [b.id for b in sdk.batches.list(limit=100)]
    lines = [json.loads(line) for line in text.splitlines()]
    assert sorted(line["custom_id"] for line in lines) == [f"task-{i}" for i in range(5)]
    for line in lines:
        assert line["response"]["status_code"] == 200
        completion = ChatCompletion.model_validate(line["response"]["body"])
        assert completion.choices[0].message.content
        assert completion.usage is not None
        assert completion.usage.prompt_tokens > 0


def test_sdk_v1_batch_run_and_file_listing(jobs_server: LiveServer) -> None:
    with v1(jobs_server) as sdk:
        batch = run_batch(sdk, tasks(3, "/v1/chat/completions"), "/v1/chat/completions")
        assert batch.output_file_id is not None
        lines = sdk.files.content(batch.output_file_id).text.splitlines()
        listed = [f.id for f in sdk.files.list(purpose="batch_output")]
        assert batch.output_file_id in listed
        deleted = sdk.files.delete(batch.output_file_id)
        assert deleted.deleted is True
        with pytest.raises(NotFoundError):
            sdk.files.retrieve(batch.output_file_id)
    assert len(lines) == 3


def test_sdk_v1_embeddings_batch(jobs_server: LiveServer) -> None:
    line = {
        "custom_id": "e",
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": "text-embedding-3-small-batch", "input": ["a", "b"]},
    }
    with v1(jobs_server) as sdk:
        batch = run_batch(sdk, (json.dumps(line) + "\n").encode(), "/v1/embeddings")
        assert batch.output_file_id is not None
        out = json.loads(sdk.files.content(batch.output_file_id).text)
    embeddings = CreateEmbeddingResponse.model_validate(out["response"]["body"])
    assert len(embeddings.data) == 2


def test_sdk_batch_cancel_and_file_errors(jobs_server: LiveServer) -> None:
    with dated(jobs_server) as sdk:
        uploaded = sdk.files.create(file=("t.jsonl", tasks(2)), purpose="batch")
        batch = sdk.batches.create(
            input_file_id=uploaded.id,
            endpoint="/chat/completions",  # type: ignore[arg-type]
            completion_window="24h",
        )
        with pytest.raises(ConflictError):  # instant: it has completed already
            sdk.batches.cancel(batch.id)
        with pytest.raises(BadRequestError) as refused:
            sdk.files.create(file=("t.jsonl", b"{not json}\n"), purpose="batch")
        assert "Validation of jsonl file failed" in str(refused.value)
        with pytest.raises(BadRequestError):
            sdk.files.create(file=("t.jsonl", b"x"), purpose="user_data")

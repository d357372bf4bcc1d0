"""Contract tests: the newest openai SDK's videos API on v1 (`OpenAI(base_url=URL +
"/openai/v1/")`): create, retrieve (polling), download_content (decoded), remix, list, delete;
and the Sora 1 jobs flow with raw HTTP calls, as clients' code drives it."""

import io
import warnings
from collections.abc import Iterator

import av
import httpx
import pytest
from openai import NotFoundError, OpenAI

from mockazure import Settings, create_app
from mockazure.testing import LiveServer, live_server


@pytest.fixture(scope="module")
def video_server() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(api_keys=("test-key",), jobs_instant=True))) as running:
        yield running


def frames_of(blob: bytes) -> tuple[int, int, int]:
    with av.open(io.BytesIO(blob), mode="r") as container:
        stream = container.streams.video[0]
        return stream.width, stream.height, sum(1 for _ in container.decode(stream))


@pytest.fixture(autouse=True)
def _sora_deprecation() -> Iterator[None]:
    # openai-python marks the Sora methods deprecated (the OpenAI API shuts Sora down); Azure's
    # clients call them all the same.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def test_sdk_video_create_poll_download_remix_delete(video_server: LiveServer) -> None:
    with OpenAI(base_url=video_server.url + "/openai/v1/", api_key="test-key") as sdk:
        video = sdk.videos.create(
            model="sora-2", prompt="A paper boat", size="1280x720", seconds="4"
        )
        assert video.status == "queued"
        done = sdk.videos.retrieve(video.id)
        assert done.status == "completed"
        assert done.progress == 100
        content = sdk.videos.download_content(video.id)
        assert frames_of(content.read()) == (1280, 720, 32)
        thumbnail = sdk.videos.download_content(video.id, variant="thumbnail")
        assert thumbnail.read()[:4] == b"RIFF"
        remix = sdk.videos.remix(video.id, prompt="A paper boat at sunset")
        assert remix.remixed_from_video_id == video.id
        assert {v.id for v in sdk.videos.list()} == {video.id, remix.id}
        assert sdk.videos.delete(video.id).deleted is True
        with pytest.raises(NotFoundError):
            sdk.videos.retrieve(video.id)
        polled = sdk.videos.create_and_poll(model="sora-2", prompt="Rain", seconds="4")
        assert polled.status == "completed"


def test_sora1_jobs_with_raw_http(video_server: LiveServer) -> None:
    base = video_server.url + "/openai/v1/video/generations"
    params = {"api-version": "preview"}
    headers = {"api-key": "test-key"}
    body = {
        "model": "sora",
        "prompt": "A lighthouse",
        "width": 480,
        "height": 480,
        "n_seconds": 1,
        "n_variants": 2,
    }
    with httpx.Client(headers=headers, params=params) as http:
        job = http.post(f"{base}/jobs", json=body)
        assert job.status_code == 201
        status = http.get(f"{base}/jobs/{job.json()['id']}").json()
        assert status["status"] == "succeeded"
        assert len(status["generations"]) == 2
        first = status["generations"][0]["id"]
        video = http.get(f"{base}/{first}/content/video")
        assert video.headers["content-type"] == "video/mp4"
        assert frames_of(video.content) == (480, 480, 8)
        assert http.delete(f"{base}/jobs/{job.json()['id']}").status_code == 204

"""Video generation (Sora 2 `/openai/v1/videos`, Sora 1 `/openai/v1/video/generations/jobs`):
the lifecycle with a frozen clock, real MP4s decoded (size, duration, frames, motion), errors."""

import io
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from mockazure.clock import FrozenClock
from mockazure.generators.videos import FPS

AUTH = {"api-key": "test-key"}
VIDEOS = "/openai/v1/videos"
JOBS = "/openai/v1/video/generations/jobs"


def decode(blob: bytes) -> tuple[int, int, int, float, list[Image.Image]]:
    with av.open(io.BytesIO(blob), mode="r") as container:
        stream = container.streams.video[0]
        frames = [f.to_image() for f in container.decode(stream)]  # type: ignore[no-untyped-call]
        duration = float(container.duration or 0) / 1_000_000
        return stream.width, stream.height, len(frames), duration, frames


def create(client: TestClient, **fields: Any) -> Any:
    return client.post(
        VIDEOS, headers=AUTH, json={"model": "sora-2", "prompt": "A red fox"} | fields
    )


def test_video_walks_queued_in_progress_completed(client: TestClient, clock: FrozenClock) -> None:
    created = create(client, size="1280x720", seconds="4").json()
    assert created["object"] == "video"
    assert created["status"] == "queued"
    assert created["progress"] == 0
    assert created["model"] == "sora-2"
    assert created["expires_at"] == created["created_at"] + 86_400
    clock.advance(2.5)  # queued 1 s, then 3 s in progress
    middle = client.get(f"{VIDEOS}/{created['id']}", headers=AUTH).json()
    assert middle["status"] == "in_progress"
    assert middle["progress"] == 50
    not_ready = client.get(f"{VIDEOS}/{created['id']}/content", headers=AUTH)
    assert not_ready.status_code == 400
    clock.advance(2.0)
    done = client.get(f"{VIDEOS}/{created['id']}", headers=AUTH).json()
    assert done["status"] == "completed"
    assert done["progress"] == 100
    assert done["completed_at"] == done["created_at"] + 4


def test_video_content_is_a_real_mp4_of_the_size_and_duration(
    client: TestClient, clock: FrozenClock
) -> None:
    video_id = create(client, size="720x1280", seconds="8").json()["id"]
    clock.advance(10)
    response = client.get(f"{VIDEOS}/{video_id}/content", headers=AUTH)
    assert response.headers["content-type"] == "video/mp4"
    width, height, count, duration, frames = decode(response.content)
    assert (width, height) == (720, 1280)
    assert count == 8 * FPS
    assert duration == pytest.approx(8.0, abs=0.01)
    assert frames[0].tobytes() != frames[-1].tobytes()  # the marker moved
    again = client.get(f"{VIDEOS}/{video_id}/content", headers=AUTH)
    assert again.content == response.content
    thumb = client.get(
        f"{VIDEOS}/{video_id}/content", params={"variant": "thumbnail"}, headers=AUTH
    )
    assert Image.open(io.BytesIO(thumb.content)).size == (720, 1280)
    sheet = client.get(
        f"{VIDEOS}/{video_id}/content", params={"variant": "spritesheet"}, headers=AUTH
    )
    assert sheet.headers["content-type"] == "image/jpeg"


def test_video_same_prompt_same_bytes_other_prompt_differs(
    client: TestClient, clock: FrozenClock
) -> None:
    first = create(client).json()["id"]
    second = create(client).json()["id"]
    other = create(client, prompt="A blue whale").json()["id"]
    clock.advance(10)
    blobs = [
        client.get(f"{VIDEOS}/{v}/content", headers=AUTH).content for v in (first, second, other)
    ]
    assert blobs[0] == blobs[1]
    assert blobs[0] != blobs[2]


def test_video_remix_list_delete(client: TestClient, clock: FrozenClock) -> None:
    source = create(client, size="1280x720", seconds="4").json()["id"]
    clock.advance(10)
    remix = client.post(f"{VIDEOS}/{source}/remix", headers=AUTH, json={"prompt": "At night"})
    body = remix.json()
    assert body["remixed_from_video_id"] == source
    assert body["size"] == "1280x720"
    listed = client.get(VIDEOS, headers=AUTH).json()
    assert [v["id"] for v in listed["data"]] == [body["id"], source]
    deleted = client.delete(f"{VIDEOS}/{source}", headers=AUTH).json()
    assert deleted == {"id": source, "object": "video.deleted", "deleted": True}
    assert client.get(f"{VIDEOS}/{source}", headers=AUTH).status_code == 404


def test_video_refuses_bad_size_seconds_and_model(client: TestClient) -> None:
    size = create(client, size="1024x1792")
    assert size.status_code == 400
    assert size.json()["error"]["param"] == "size"
    assert create(client, seconds="5").json()["error"]["param"] == "seconds"
    missing = client.post(VIDEOS, headers=AUTH, json={"prompt": "x"})
    assert missing.json()["error"]["param"] == "model"
    wrong = create(client, model="gpt-4o")
    assert wrong.json()["error"]["code"] == "OperationNotSupported"
    unknown = create(client, model="nope")
    assert unknown.status_code == 404


def test_video_prompt_filter_is_400_as_for_images(client: TestClient) -> None:
    response = create(client, prompt="please [[filter:violence]]")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "content_policy_violation"


def test_video_output_filter_fails_the_job(client: TestClient, clock: FrozenClock) -> None:
    video_id = create(client, prompt="a [[filter:output:violence]] scene").json()["id"]
    clock.advance(10)
    failed = client.get(f"{VIDEOS}/{video_id}", headers=AUTH).json()
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "moderation_blocked"


def test_sora1_job_lifecycle_and_generation_content(client: TestClient, clock: FrozenClock) -> None:
    body = {"model": "sora", "prompt": "A cat", "width": 480, "height": 854, "n_seconds": 2}
    created = client.post(JOBS, params={"api-version": "preview"}, headers=AUTH, json=body)
    assert created.status_code == 201
    job = created.json()
    assert job["object"] == "video.generation.job"
    assert job["status"] == "queued"
    assert job["generations"] == []
    clock.advance(2.0)
    running = client.get(f"{JOBS}/{job['id']}", params={"api-version": "preview"}, headers=AUTH)
    assert running.json()["status"] in ("preprocessing", "running", "processing")
    clock.advance(5)
    done = client.get(f"{JOBS}/{job['id']}", params={"api-version": "preview"}, headers=AUTH).json()
    assert done["status"] == "succeeded"
    generation = done["generations"][0]
    assert generation["object"] == "video.generation"
    url = f"/openai/v1/video/generations/{generation['id']}/content/video"
    video = client.get(url, params={"api-version": "preview"}, headers=AUTH)
    width, height, count, duration, _ = decode(video.content)
    assert (width, height, count) == (480, 854, 2 * FPS)
    assert duration == pytest.approx(2.0, abs=0.01)
    listed = client.get(JOBS, params={"api-version": "preview"}, headers=AUTH).json()
    assert [j["id"] for j in listed["data"]] == [job["id"]]
    gone = client.delete(f"{JOBS}/{job['id']}", params={"api-version": "preview"}, headers=AUTH)
    assert gone.status_code == 204


def test_sora1_refuses_unsupported_resolution(client: TestClient) -> None:
    body = {"model": "sora", "prompt": "A cat", "width": 500, "height": 500}
    response = client.post(JOBS, params={"api-version": "preview"}, headers=AUTH, json=body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "width"

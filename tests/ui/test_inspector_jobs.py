"""The inspector's Jobs view: a batch and a video with their status and progress, updated by
the page's own polling until they finish (real Chromium, live server)."""

import json
from typing import Any

import httpx
import pytest

from mockazure import Settings, create_app
from mockazure.clock import FrozenClock
from mockazure.testing import LiveServer, live_server

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
HEADERS = {"api-key": "k"}


def test_ui_jobs_shows_a_batch_and_a_video_until_done(page: Any, ui_server: LiveServer) -> None:
    line = {
        "custom_id": "a",
        "method": "POST",
        "url": "/chat/completions",
        "body": {"model": "gpt-4o-batch", "messages": [{"role": "user", "content": "Hi"}]},
    }
    with httpx.Client(base_url=ui_server.url, headers=HEADERS) as http:
        upload = http.post(
            "/openai/files",
            params={"api-version": "2024-10-21"},
            data={"purpose": "batch"},
            files={"file": ("t.jsonl", json.dumps(line).encode())},
        )
        body = {
            "input_file_id": upload.json()["id"],
            "endpoint": "/chat/completions",
            "completion_window": "24h",
        }
        batch = http.post("/openai/batches", params={"api-version": "2024-10-21"}, json=body)
        video = http.post("/openai/v1/videos", json={"model": "sora-2", "prompt": "A red kite"})
    page.goto("/_mock/ui#jobs")
    batch_row = page.locator("#batches tr", has_text=batch.json()["id"])
    expect(batch_row).to_be_visible()
    # Polled by the page: validating → … → completed (4 s with the default timings).
    expect(batch_row.locator(".tag")).to_have_text("completed", timeout=15_000)
    video_row = page.locator("#videos tr", has_text=video.json()["id"])
    expect(video_row).to_contain_text("A red kite")
    expect(video_row.locator(".tag")).to_have_text("done", timeout=15_000)


def test_ui_jobs_shows_a_batchs_progress_as_the_clock_moves(context: Any) -> None:
    """A frozen clock half-way through `in_progress`: the row shows 2 of 4 lines and a half
    full bar; moved past the end, the page's own polling shows it completed and full."""
    clock = FrozenClock()
    lines = [
        {
            "custom_id": f"t{i}",
            "method": "POST",
            "url": "/chat/completions",
            "body": {"model": "gpt-4o-batch", "messages": [{"role": "user", "content": f"Q{i}"}]},
        }
        for i in range(4)
    ]
    content = "".join(json.dumps(line) + "\n" for line in lines).encode()
    params = {"api-version": "2024-10-21"}
    with (
        live_server(create_app(Settings(), clock=clock)) as server,
        httpx.Client(base_url=server.url, headers=HEADERS, params=params) as http,
    ):
        upload = http.post(
            "/openai/files", data={"purpose": "batch"}, files={"file": ("t.jsonl", content)}
        )
        body = {
            "input_file_id": upload.json()["id"],
            "endpoint": "/chat/completions",
            "completion_window": "24h",
        }
        batch_id = http.post("/openai/batches", json=body).json()["id"]
        clock.advance(2.0)  # validating 1 s, then half of in_progress's 2 s
        assert http.get(f"/openai/batches/{batch_id}").json()["request_counts"]["completed"] == 2
        page = context.new_page()
        page.goto(server.url + "/_mock/ui#jobs")
        row = page.locator("#batches tr", has_text=batch_id)
        expect(row.locator(".tag")).to_have_text("in_progress")
        expect(row.locator("td.num").nth(1)).to_have_text("2")
        expect(row.locator("progress")).to_have_attribute("value", "50")
        clock.advance(10)
        expect(row.locator(".tag")).to_have_text("completed", timeout=15_000)
        expect(row.locator("progress")).to_have_attribute("value", "100")
        expect(row.locator("td.num").nth(0)).to_have_text("4")

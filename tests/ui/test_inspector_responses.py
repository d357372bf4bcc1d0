"""The inspector and the playground with the Responses API, in headless Chromium: a streamed
Responses call shows its joined text, and the playground keeps a stored conversation."""

from typing import Any

import httpx
import pytest

from mockazure.journal.codec import decode_entry
from mockazure.testing import LiveServer
from tests.ui.test_inspector_browser import open_ui

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_ui_shows_a_responses_stream_joined(page: Any, ui_server: LiveServer) -> None:
    body = {"model": "gpt-4o", "input": "Tell me about owls.", "stream": True}
    answer = httpx.post(f"{ui_server.url}/openai/v1/responses", headers={"api-key": "k"}, json=body)
    assert answer.status_code == 200
    text = decode_entry(ui_server.state.store.items("journal")[-1])["stream_joined"]["output"][0]
    open_ui(page)
    page.locator("#calls tr", has_text="responses_create").first.click()
    joined = page.locator("#detail .joined")
    expect(joined.first).to_contain_text(text["text"][:40])
    expect(page.locator("#detail")).to_contain_text("completed")
    expect(page.locator("#detail")).not_to_contain_text("(no text)")


def test_ui_playground_chats_over_responses_with_previous_response_id(
    page: Any, ui_server: LiveServer
) -> None:
    open_ui(page, "playground")
    page.locator("[data-play=responses]").click()
    form = page.locator("#play-responses")
    expect(form.locator("[name=deployment]")).to_have_value("gpt-4o")
    form.locator("[name=input]").fill("Write about the sea.")
    form.locator("button[type=submit]").click()
    expect(form).to_have_attribute("data-state", "done")
    expect(form.locator("[data-meta]")).to_contain_text("status: completed")
    first = form.get_attribute("data-previous")
    assert first is not None
    assert first.startswith("resp_")
    form.locator("[name=input]").fill("And about rivers?")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-turns] li")).to_have_count(4)
    expect(form).to_have_attribute("data-state", "done")
    journal = [decode_entry(e) for e in ui_server.state.store.items("journal")]
    second = [c for c in journal if c.get("operation") == "responses_create"][-1]
    assert second["request_body"]["previous_response_id"] == first
    reply = form.locator("[data-reply]").inner_text()
    assert reply
    assert reply == second["stream_joined"]["output"][-1]["text"]

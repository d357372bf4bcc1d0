"""The inspector's Conversations view in headless Chromium: a chain made with openai-python's
`responses.create(previous_response_id=…)` against a live server shows as one conversation with
its turns in order; a separate stored response is its own, and `store=False` never shows."""

from typing import Any

import pytest
from openai import OpenAI

from mockazure.testing import LiveServer
from tests.ui.conftest import screenshot
from tests.ui.test_inspector_browser import open_ui

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_ui_shows_a_stored_conversation_and_its_turns(page: Any, ui_server: LiveServer) -> None:
    client = OpenAI(base_url=f"{ui_server.url}/openai/v1/", api_key="k", max_retries=0)
    with client:
        alone = client.responses.create(model="gpt-4o", input="A lone question.")
        first = client.responses.create(model="gpt-4o", input="Tell me about owls.")
        second = client.responses.create(
            model="gpt-4o", input="And about rivers?", previous_response_id=first.id
        )
        client.responses.create(model="gpt-4o", input="Forget me.", store=False)
    open_ui(page, "conversations")
    chains = page.locator("#conversation-list article.chain")
    expect(chains).to_have_count(2)
    chain = page.locator(f"article.chain[data-id={first.id}]")
    expect(chain.locator("[data-turns]")).to_have_text("2 turns")
    expect(chains.first).to_have_attribute("data-id", first.id)  # the newest first
    turns = chain.locator("li.turn")
    expect(turns).to_have_count(2)
    expect(turns.nth(0)).to_have_attribute("data-id", first.id)
    expect(turns.nth(1)).to_have_attribute("data-id", second.id)
    expect(turns.nth(0)).to_contain_text("Tell me about owls.")
    expect(turns.nth(1)).to_contain_text("And about rivers?")
    expect(turns.nth(1).locator("[data-output]")).to_have_text(second.output_text)
    expect(turns.nth(1).locator(".tag.op-succeeded")).to_have_text("completed")
    assert second.usage is not None
    expect(turns.nth(1).locator("[data-usage]")).to_contain_text(
        f"{second.usage.total_tokens} total"
    )
    expect(turns.nth(1)).to_contain_text("gpt-4o")
    expect(page.locator(f"article.chain[data-id={alone.id}] li.turn")).to_have_count(1)
    expect(page.locator("#conversations")).not_to_contain_text("Forget me.")
    screenshot(page, "conversations")

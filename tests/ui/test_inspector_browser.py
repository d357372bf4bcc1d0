"""The inspector in a real browser (headless Chromium) against a live server: traffic from the
SDK appears live and opens in full, stubs and faults added from the forms reach the SDK, the
playground streams a chat, images and speech show up, and the page fits a phone."""

import json
import re
from typing import Any

import httpx
import openai
import pytest
from openai import AzureOpenAI

from mockazure.journal.codec import decode_entry
from mockazure.stubs.rules import StubRule
from mockazure.testing import LiveServer
from tests.audio_samples import make_wav
from tests.ui.conftest import PHONE, screenshot

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def open_ui(page: Any, view: str = "") -> None:
    page.goto("/" if not view else f"/_mock/ui#{view}")
    expect(page.locator("#live")).to_have_text("live")


def joined_stream(server: LiveServer) -> str:
    last = decode_entry(server.state.store.items("journal")[-1])
    text = ""
    for chunk in last["stream_chunks"]:
        if chunk != "[DONE]":
            for choice in json.loads(chunk)["choices"]:
                text += (choice.get("delta") or {}).get("content") or ""
    return text


def test_ui_sdk_call_appears_live_and_opens_in_full(
    page: Any, sdk: AzureOpenAI, ui_server: LiveServer
) -> None:
    open_ui(page)
    assert page.url.endswith("/_mock/ui")
    expect(page.locator("#calls-empty")).to_be_visible()
    stream = sdk.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Tell me about lighthouses."}],
        stream=True,
    )
    answer = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    row = page.locator("#calls tr", has_text="chat_completions")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("gpt-4o")
    expect(row).to_contain_text("2024-10-21")
    expect(row).to_contain_text("200")
    row.click()
    detail = page.locator("#detail")
    expect(detail).to_contain_text("Tell me about lighthouses.")
    expect(detail.locator(".joined pre")).to_have_text(answer)
    detail.locator("summary", has_text="Headers").first.click()
    expect(detail.locator("tr", has_text="api-key")).to_contain_text("***")
    assert "k" not in detail.locator("tr", has_text="api-key").locator("td").inner_text()
    screenshot(page, "traffic-laptop")


def test_ui_filters_by_status_and_operation(page: Any, sdk: AzureOpenAI) -> None:
    open_ui(page)
    sdk.embeddings.create(model="text-embedding-3-small", input="hello")
    with pytest.raises(openai.BadRequestError):
        sdk.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "x"}], temperature=5
        )
    rows = page.locator("#calls tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("400")  # newest first
    page.select_option("#f-status", "4xx")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("chat_completions")
    page.select_option("#f-status", "")
    page.select_option("#f-operation", "embeddings")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("text-embedding-3-small")


def test_ui_stub_form_changes_what_the_sdk_gets(
    page: Any, sdk: AzureOpenAI, ui_server: LiveServer
) -> None:
    open_ui(page, "stubs")
    form = page.locator("#stub-form")
    form.locator("[name=operation]").select_option("chat_completions")
    form.locator("[name=contains]").fill("weather")
    form.locator("[name=content]").fill("Sunny in {{ deployment }}, says the stub.")
    form.locator("button[type=submit]").click()
    stub = page.locator("#stub-list li")
    expect(stub).to_have_count(1)
    expect(stub).to_contain_text("runtime")
    question: list[Any] = [{"role": "user", "content": "What is the weather?"}]
    reply = sdk.chat.completions.create(model="gpt-4o", messages=question)
    assert reply.choices[0].message.content == "Sunny in gpt-4o, says the stub."
    page.reload()
    expect(page.locator("#stub-list li")).to_contain_text("fired 1")
    screenshot(page, "stubs-laptop")
    page.locator("#stub-list li button.remove").click()
    expect(page.locator("#stub-list li")).to_have_count(0)
    reply = sdk.chat.completions.create(model="gpt-4o", messages=question)
    assert reply.choices[0].message.content != "Sunny in gpt-4o, says the stub."


def test_ui_fault_form_adds_and_removes_a_global_fault(page: Any, sdk: AzureOpenAI) -> None:
    open_ui(page, "stubs")
    form = page.locator("#fault-form")
    form.locator("[name=kind]").select_option("error")
    form.locator("[name=value]").fill("503")
    form.locator("[name=deployment]").fill("gpt-35-turbo")
    form.locator("button[type=submit]").click()
    expect(page.locator("#fault-list li")).to_contain_text('"status":503')
    hello: list[Any] = [{"role": "user", "content": "hi"}]
    with pytest.raises(openai.APIStatusError) as failed:
        sdk.chat.completions.create(model="gpt-35-turbo", messages=hello)
    assert failed.value.status_code == 503
    assert sdk.chat.completions.create(model="gpt-4o", messages=hello).choices
    page.locator("#fault-list li button.remove").click()
    expect(page.locator("#fault-list li")).to_have_count(0)
    assert sdk.chat.completions.create(model="gpt-35-turbo", messages=hello).choices


def test_ui_playground_streams_a_chat_as_it_arrives(page: Any, ui_server: LiveServer) -> None:
    open_ui(page, "playground")
    form = page.locator("#play-chat")
    expect(form.locator("[name=deployment]")).to_have_value("gpt-4o")
    form.locator("[name=user]").fill("Write about the sea.")
    # Count how often the reply changes: a streamed reply grows in several steps.
    page.evaluate(
        """() => {
        window.replySteps = 0;
        new MutationObserver(() => { window.replySteps += 1; }).observe(
            document.querySelector('#play-chat [data-reply]'),
            {childList: true, characterData: true, subtree: true});
        }"""
    )
    form.locator("button[type=submit]").click()
    expect(form).to_have_attribute("data-state", "done")
    expect(form.locator("[data-meta]")).to_contain_text("finish: stop")
    reply = form.locator("[data-reply]").inner_text()
    assert reply == joined_stream(ui_server)
    assert page.evaluate("window.replySteps") >= 3
    # ... and the playground's call went through the Azure path, so it is in the traffic.
    page.locator(".tabs a[data-tab=traffic]").click()
    expect(page.locator("#calls tr", has_text="chat_completions")).to_contain_text("stream")
    page.locator(".tabs a[data-tab=playground]").click()
    screenshot(page, "playground-laptop")


def test_ui_playground_embedding_image_and_speech_show_in_media(
    page: Any, ui_server: LiveServer
) -> None:
    open_ui(page, "playground")
    page.locator("[data-play=embedding]").click()
    page.locator("#play-embedding button[type=submit]").click()
    expect(page.locator("#play-embedding [data-meta]")).to_contain_text("1536 dimensions")
    page.locator("[data-play=image]").click()
    page.locator("#play-image [name=prompt]").fill("A red lighthouse")
    page.locator("#play-image button[type=submit]").click()
    image = page.locator("#play-image [data-reply] img")
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('#play-image img').naturalWidth === 1024")
    page.locator("[data-play=speech]").click()
    page.locator("#play-speech button[type=submit]").click()
    expect(page.locator("#play-speech [data-meta]")).to_contain_text("audio/mpeg")
    page.locator(".tabs a[data-tab=media]").click()
    card = page.locator("#images figure", has_text="A red lighthouse")
    expect(card).to_contain_text("succeeded")
    expect(card.locator("img")).to_have_count(1)
    player = page.locator("#audio audio")
    expect(player).to_have_count(1)
    source = player.get_attribute("src")
    audio = page.request.get(source)
    assert audio.ok
    assert audio.headers["content-type"] == "audio/mpeg"
    assert audio.body()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")
    screenshot(page, "media-laptop")


def test_ui_shows_a_dalle2_operation_with_its_status(page: Any, ui_server: LiveServer) -> None:
    submitted = httpx.post(
        f"{ui_server.url}/openai/images/generations:submit",
        params={"api-version": "2023-06-01-preview"},
        headers={"api-key": "k"},
        json={"prompt": "An avocado chair", "n": 1, "size": "256x256"},
    )
    assert submitted.status_code == 202
    open_ui(page, "media")
    card = page.locator("#images figure", has_text="An avocado chair")
    expect(card).to_contain_text(re.compile("notRunning|running|succeeded"))
    # The page polls while an operation is under way, so it turns terminal without a reload.
    expect(card.locator(".tag")).to_have_text("succeeded")
    expect(card.locator("img")).to_have_count(1)


def test_ui_fits_a_phone(page: Any, sdk: AzureOpenAI) -> None:
    page.set_viewport_size(PHONE)
    open_ui(page)
    sdk.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    page.locator("#calls tr").first.click()
    expect(page.locator("#detail")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "traffic-detail-phone")
    page.locator("#detail .close").click()
    screenshot(page, "traffic-phone")
    for view in ("playground", "stubs", "media", "deployments"):
        page.locator(f".tabs a[data-tab={view}]").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], view
        screenshot(page, f"{view}-phone")
    page.locator(".tabs a[data-tab=playground]").click()
    page.locator("#play-chat button[type=submit]").click()
    expect(page.locator("#play-chat")).to_have_attribute("data-state", "done")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "playground-phone")


def test_ui_overview_of_mixed_traffic(page: Any, sdk: AzureOpenAI, ui_server: LiveServer) -> None:
    """Several families, an error and a stubbed answer in one list (the README screenshot)."""
    ui_server.state.stubs.add(
        StubRule.model_validate(
            {"match": {"contains": "invoice"}, "response": {"content": "Invoice 42 is paid."}}
        )
    )
    open_ui(page)
    ask: list[Any] = [{"role": "user", "content": "Is invoice 42 paid?"}]
    assert sdk.chat.completions.create(model="gpt-4o-mini", messages=ask).choices
    sdk.embeddings.create(model="text-embedding-3-large", input=["alpha", "beta"])
    sdk.images.generate(model="dall-e-3", prompt="A lighthouse", size="1024x1024")
    with pytest.raises(openai.NotFoundError):
        sdk.chat.completions.create(model="no-such-deployment", messages=ask)
    stream = sdk.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Tell me about Paris."}],
        stream=True,
        max_tokens=40,
    )
    assert list(stream)
    rows = page.locator("#calls tr")
    expect(rows).to_have_count(5)
    expect(page.locator("#calls tr", has_text="stub")).to_have_count(1)
    expect(page.locator("#calls tr", has_text="404")).to_have_count(1)
    rows.first.click()
    expect(page.locator("#detail .joined")).to_have_count(1)
    screenshot(page, "overview-laptop")


def test_ui_reset_button_empties_the_traffic(page: Any, sdk: AzureOpenAI) -> None:
    open_ui(page)
    sdk.embeddings.create(model="text-embedding-3-small", input="hello")
    expect(page.locator("#calls tr")).to_have_count(1)
    page.locator("#reset").click()
    expect(page.locator("#calls tr")).to_have_count(0)
    expect(page.locator("#calls-empty")).to_be_visible()


def test_ui_shows_multipart_parts_of_an_upload(page: Any, ui_server: LiveServer) -> None:
    open_ui(page)
    client = AzureOpenAI(
        azure_endpoint=ui_server.url, api_key="k", api_version="2024-10-01-preview"
    )
    with client:
        client.audio.transcriptions.create(
            model="whisper", file=("meeting.wav", make_wav(1.0)), language="de"
        )
    page.locator("#calls tr", has_text="transcriptions").click()
    parts = page.locator("#detail table.parts")
    expect(parts.locator("tr", has_text="meeting.wav")).to_contain_text("audio/")
    expect(parts.locator("tr", has_text="language")).to_contain_text("de")

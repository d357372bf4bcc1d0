"""The inspector's server side through the ASGI app: the page and its assets, the admin-key
guard and its cookie, journal ids and single calls, kept speech audio, the image gallery."""

import base64
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.routers.control import ADMIN_COOKIE
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

SPEECH_URL = "/openai/deployments/tts/audio/speech"
PREVIEW = {"api-version": "2025-04-01-preview"}


def _speech(client: TestClient, text: str = "Hello there", fmt: str = "mp3") -> Any:
    body = {"input": text, "voice": "nova", "response_format": fmt}
    return client.post(SPEECH_URL, params=PREVIEW, headers=AUTH, json=body)


def test_root_redirects_to_the_inspector(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/_mock/ui"


def test_inspector_page_needs_nothing_from_the_network(client: TestClient) -> None:
    page = client.get("/_mock/ui")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "gpt-4o" in page.text
    assert "text-embedding-3-large" in page.text
    # Offline: every script, stylesheet and icon comes from this server.
    assets = re.findall(r'(?:src|href)="([^"#]+)"', page.text)
    assert assets
    for asset in assets:
        assert asset.startswith("/_mock/"), asset
        assert client.get(asset).status_code == 200, asset


def test_inspector_asset_outside_the_list_is_not_found(client: TestClient) -> None:
    assert client.get("/_mock/ui/static/../__init__.py").status_code == 404
    assert client.get("/_mock/ui/static/nope.js").status_code == 404


def test_inspector_page_asks_for_the_api_key_only_when_one_is_configured() -> None:
    open_app = TestClient(create_app(Settings()))
    keyed = TestClient(create_app(Settings(api_keys=("k1",))))
    assert 'type="hidden" value="mockazure-inspector"' in open_app.get("/_mock/ui").text
    assert 'id="api-key" type="password"' in keyed.get("/_mock/ui").text


def test_admin_key_guards_the_page_and_the_cookie_opens_it() -> None:
    client = TestClient(create_app(Settings(admin_key="sekret")))
    login = client.get("/_mock/ui")
    assert login.status_code == 401
    assert 'name="key"' in login.text
    assert client.get("/_mock/ui/api/audio").status_code == 401
    wrong = client.post("/_mock/ui/login", data={"key": "guess"}, follow_redirects=False)
    assert wrong.status_code == 401
    assert "not the admin key" in wrong.text
    right = client.post("/_mock/ui/login", data={"key": "sekret"}, follow_redirects=False)
    assert right.status_code == 303
    cookie = right.headers["set-cookie"]
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/_mock"):
        assert attribute in cookie
    assert "sekret" not in cookie
    assert client.get("/_mock/ui").status_code == 200  # the client keeps the cookie
    assert client.get("/_mock/journal").status_code == 200
    assert client.get("/_mock/ui/api/images").status_code == 200


def test_a_forged_admin_cookie_is_refused() -> None:
    client = TestClient(create_app(Settings(admin_key="sekret")))
    client.cookies.set(ADMIN_COOKIE, "0" * 64)
    assert client.get("/_mock/journal").status_code == 401
    assert client.get("/_mock/ui").status_code == 401


def test_journal_calls_have_increasing_ids_that_survive_reset(client: TestClient) -> None:
    client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    ids = [c["id"] for c in client.get("/_mock/journal").json()["calls"]]
    assert ids == [1, 2]
    client.post("/_mock/reset")
    client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    assert [c["id"] for c in client.get("/_mock/journal").json()["calls"]] == [3]


def test_journal_call_by_id(client: TestClient) -> None:
    reply = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    call = client.get("/_mock/journal/1").json()
    assert call["response_body"] == reply.json()
    assert call["headers"]["api-key"] == "***"
    missing = client.get("/_mock/journal/99")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "404", "message": "Resource not found"}}


def test_speech_answers_are_kept_to_be_played(client: TestClient) -> None:
    reply = _speech(client)
    kept = client.get("/_mock/ui/api/audio").json()["audio"]
    assert len(kept) == 1
    assert kept[0]["request_id"] == reply.headers["x-request-id"]
    assert kept[0]["input"] == "Hello there"
    assert kept[0]["voice"] == "nova"
    audio = client.get(f"/_mock/ui/api/audio/{kept[0]['id']}")
    assert audio.headers["content-type"] == "audio/mpeg"
    assert audio.content == reply.content
    assert client.get("/_mock/ui/api/audio/99").status_code == 404


def test_kept_speech_is_bounded_newest_first_and_reset_clears_it(clock: FrozenClock) -> None:
    client = TestClient(create_app(Settings(ui_audio_keep=2), clock=clock))
    for text in ("one", "two", "three"):
        assert _speech(client, text).status_code == 200
    kept = client.get("/_mock/ui/api/audio").json()["audio"]
    assert [item["input"] for item in kept] == ["three", "two"]
    client.post("/_mock/reset")
    assert client.get("/_mock/ui/api/audio").json()["audio"] == []


def test_raw_pcm_speech_is_served_as_playable_wav(client: TestClient) -> None:
    reply = _speech(client, fmt="pcm")
    kept = client.get("/_mock/ui/api/audio").json()["audio"][0]
    audio = client.get(f"/_mock/ui/api/audio/{kept['id']}")
    assert audio.headers["content-type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF"
    assert audio.content[8:12] == b"WAVE"
    assert int.from_bytes(audio.content[24:28], "little") == 24_000
    assert audio.content[44:] == reply.content


def test_gallery_lists_url_and_base64_images(client: TestClient) -> None:
    url = "/openai/deployments/dall-e-3/images/generations"
    client.post(url, params=PARAMS, headers=AUTH, json={"prompt": "A lighthouse"})
    b64 = client.post(
        "/openai/deployments/gpt-image-1/images/generations",
        params=PREVIEW,
        headers=AUTH,
        json={"prompt": "A red fox", "size": "1024x1024"},
    ).json()["data"][0]["b64_json"]
    cards = client.get("/_mock/ui/api/images").json()["images"]
    by_prompt = {card["prompt"]: card for card in cards}
    assert by_prompt["A lighthouse"]["deployment"] == "dall-e-3"
    (source,) = by_prompt["A lighthouse"]["images"]
    assert source.startswith("/_mock/images/")
    assert client.get(source).headers["content-type"] == "image/png"
    (inline,) = by_prompt["A red fox"]["images"]
    assert client.get(inline).content == base64.b64decode(b64)
    assert client.get(inline + "9").status_code == 404


@pytest.mark.parametrize("elapsed", [0.0, 1.0, 2.0])
def test_gallery_shows_dalle2_operations_with_the_status_a_poll_sees(
    client: TestClient, clock: FrozenClock, elapsed: float
) -> None:
    submitted = client.post(
        "/openai/images/generations:submit",
        params={"api-version": "2023-06-01-preview"},
        headers=AUTH,
        json={"prompt": "An avocado chair", "n": 2, "size": "256x256"},
    )
    assert submitted.status_code == 202
    clock.advance(elapsed)
    (card,) = client.get("/_mock/ui/api/images").json()["images"]
    assert card["prompt"] == "An avocado chair"
    assert card["operation_id"] == submitted.json()["id"]
    expected = {0.0: "notRunning", 1.0: "running", 2.0: "succeeded"}[elapsed]
    assert card["status"] == expected
    assert len(card["images"]) == (2 if expected == "succeeded" else 0)


@pytest.mark.parametrize(
    ("stubbed", "shown"),
    [("javascript:alert(1)", []), ("https://cdn.example/a.png", ["https://cdn.example/a.png"])],
)
def test_gallery_shows_only_web_urls_from_stubs(
    client: TestClient, stubbed: str, shown: list[str]
) -> None:
    rule = {"match": {"operation": "image_generations"}, "response": {"image": {"url": stubbed}}}
    assert client.post("/_mock/stubs", json=rule).status_code == 201
    url = "/openai/deployments/dall-e-3/images/generations"
    reply = client.post(url, params=PARAMS, headers=AUTH, json={"prompt": "A lighthouse"})
    assert reply.json()["data"][0]["url"] == stubbed
    (card,) = client.get("/_mock/ui/api/images").json()["images"]
    assert card["images"] == shown

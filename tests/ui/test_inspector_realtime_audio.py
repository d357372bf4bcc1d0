"""The inspector plays a Realtime session's audio: the session's journal entry opens with an
<audio> element whose WAV Chromium loads and decodes to the duration of the deltas sent."""

import io
import wave
from collections.abc import Iterator
from typing import Any

import pytest

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.testing import LiveServer, live_server
from tests.api.realtime_support import open_session, pcm_of, recv, send, until
from tests.ui.conftest import LAPTOP, screenshot

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
USER = {
    "type": "conversation.item.create",
    "item": {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "Tell me about lighthouses."}],
    },
}
DECODE = """async (url) => {
  const data = await (await fetch(url)).arrayBuffer();
  const decoded = await new OfflineAudioContext(1, 1, 24000).decodeAudioData(data);
  return [decoded.duration, decoded.sampleRate, decoded.numberOfChannels];
}"""


@pytest.fixture(scope="module")
def rt_ui() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(realtime_audio_pace=0))) as running:
        yield running


@pytest.fixture
def page(browser: Any, rt_ui: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=rt_ui.url, viewport=LAPTOP)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _session(server: LiveServer, formats: tuple[str, ...]) -> float:
    """A session with one spoken answer per output format; the seconds of audio sent."""
    seconds = 0.0
    with open_session(server.url, **{"api-key": "k"}) as ws:
        recv(ws)
        for fmt in formats:
            output = {"format": {"type": fmt}, "voice": "marin"}
            session = {"type": "realtime", "audio": {"output": output}}
            send(ws, {"type": "session.update", "session": session})
            until(ws, "session.updated")
            send(ws, USER)
            send(ws, {"type": "response.create"})
            events = until(ws, "response.done")
            rate = 24_000 * 2 if fmt == "audio/pcm" else 8_000
            seconds += len(pcm_of(events)) / rate
    return seconds


def test_ui_plays_a_realtime_sessions_audio(page: Any, rt_ui: LiveServer) -> None:
    rt_ui.state.reset()
    sent_s = _session(rt_ui, ("audio/pcm", "audio/pcmu"))
    page.goto("/_mock/ui")
    expect(page.locator("#live")).to_have_text("live")
    row = page.locator("#calls tr", has_text="realtime")
    expect(row).to_have_count(1)
    row.click()
    player = page.locator("#detail audio.session-audio")
    expect(player).to_have_count(1)
    expect(page.locator("#detail")).to_contain_text(f"Session audio: {sent_s:.1f} s sent")
    page.wait_for_function("document.querySelector('#detail audio').readyState >= 1")
    loaded = page.evaluate("document.querySelector('#detail audio').duration")
    assert loaded == pytest.approx(sent_s, abs=0.01)
    source = player.get_attribute("src")
    duration, rate, channels = page.evaluate(DECODE, source)
    assert (rate, channels) == (24_000, 1)
    assert duration == pytest.approx(sent_s, abs=0.001)
    answer = page.request.get(source)
    assert answer.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(answer.body())) as wav:
        assert wav.getframerate() == 24_000
        assert wav.getnframes() / 24_000 == pytest.approx(sent_s, abs=0.001)
    screenshot(page, "realtime-session-audio")

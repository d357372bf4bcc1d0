"""What the inspector shows besides the journal: the last text-to-speech answers (kept, bounded,
so they can be played in the page) and a gallery of generated images.

The journal keeps only the size of a binary response, so `create_speech` also keeps its audio
here: the last `ui_audio_keep` answers of at most `UI_AUDIO_MAX_BYTES` each, in the store (any
worker serves them), cleared by reset. The gallery is read from the journal (image generations
and edits: URLs or base64 data) and from the DALL-E 2 operations in the store, with the status
a poll would see now. The journal elides base64 images over its per-body bound
(`journal_codec`), so the last `UI_IMAGES_KEEP` such answers keep their images here.
"""

import base64
import json
import struct
from collections.abc import Callable
from typing import Any

from mockazure.journal.calls import NAMESPACE as JOURNAL, RecordedCall
from mockazure.journal.codec import decode_entry, is_elided
from mockazure.serving.images.operations import (
    NAMESPACE as OPERATIONS,
    OperationRecord,
    Timing,
    status_at,
)
from mockazure.state import MockState

AUDIO = "ui-audio"
IMAGES = "ui-images"  # base64 images too large for the journal (see `keep_images`)
UI_IMAGES_KEEP = 10
AUDIO_SEQUENCE = "ui-audio-seq"
UI_AUDIO_MAX_BYTES = 8 * 1024 * 1024
_FOREVER_S = 10.0**10
# Every status an operation can have; a poll narrows it to its api-version's enum.
_ALL_STATUSES = ("notRunning", "running", "succeeded", "failed", "canceled", "deleted")
_IMAGE_OPERATIONS = ("image_generations", "image_edits")
PCM_RATE_HZ = 24_000  # `pcm` speech: raw 24 kHz 16-bit mono little-endian (README, Audio)


async def keep_speech(
    state: MockState,
    *,
    request_id: str,
    deployment: str,
    body: dict[str, Any],
    audio: bytes,
    media_type: str,
) -> None:
    """Remember one speech answer (skipped when larger than `UI_AUDIO_MAX_BYTES`), off the
    request's path: the store's writer runs it, in order, as it does journal entries (a read
    through `aitems` waits for it)."""
    keep = state.settings.ui_audio_keep
    if keep == 0 or len(audio) > UI_AUDIO_MAX_BYTES:
        return
    entry = {
        "time": state.clock.now(),
        "request_id": request_id,
        "deployment": deployment,
        "input": body.get("input", ""),
        "voice": body.get("voice"),
        "format": body.get("response_format", "mp3"),
        "media_type": media_type,
        "size": len(audio),
    }
    await state.store.later(lambda: _push_speech(state, entry, audio, keep))


def _push_speech(state: MockState, entry: dict[str, Any], audio: bytes, keep: int) -> None:
    """Blocking store calls, off the loop: the writer thread (memory: at once, it never
    blocks)."""
    number = state.store.incr(AUDIO_SEQUENCE, "last", 1, ttl_s=_FOREVER_S)
    kept = {"id": number, **entry, "audio": base64.b64encode(audio).decode("ascii")}
    state.store.push(AUDIO, json.dumps(kept).encode(), keep)


async def list_speech(state: MockState) -> list[dict[str, Any]]:
    """The kept answers, newest first, without their bytes."""
    entries = [json.loads(raw) for raw in await state.store.aitems(AUDIO)]
    return [{k: v for k, v in e.items() if k != "audio"} for e in reversed(entries)]


async def load_speech(state: MockState, audio_id: int) -> tuple[bytes, str] | None:
    """(bytes, media type) of a kept answer; raw PCM is wrapped in a WAV header so that a
    browser can play it."""
    for raw in await state.store.aitems(AUDIO):
        entry = json.loads(raw)
        if entry["id"] == audio_id:
            data = base64.b64decode(entry["audio"])
            if entry["format"] == "pcm":
                return wav_from_pcm(data), "audio/wav"
            return data, str(entry["media_type"])
    return None


def wav_from_pcm(pcm: bytes, rate: int = PCM_RATE_HZ) -> bytes:
    header = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", len(pcm)) + pcm


async def _journal_images(state: MockState) -> list[dict[str, Any]]:
    found = []
    for raw in await state.store.aitems(JOURNAL):
        call = RecordedCall.from_json(decode_entry(raw))
        if call.operation not in _IMAGE_OPERATIONS or call.status != 200:
            continue
        body = call.response_body if isinstance(call.response_body, dict) else {}
        sources = []
        for number, item in enumerate(body.get("data") or []):
            if item.get("url") and _local(item["url"]):
                sources.append(_local(item["url"]))
            elif item.get("b64_json"):
                sources.append(f"/_mock/ui/api/images/{call.id}/{number}")
        request = call.request_body if isinstance(call.request_body, dict) else {}
        found.append(_card(call, "succeeded", sources, _prompt(request)))
    return found


def _prompt(request: dict[str, Any]) -> str:
    if request.get("multipart"):
        for part in request.get("parts", []):
            if part.get("name") == "prompt":
                return str(part.get("value", ""))
        return ""
    return str(request.get("prompt", ""))


def _local(url: str) -> str:
    """Image URLs carry the public base; the page loads them from wherever it was served. A
    stub may name any URL: only http(s) and relative ones are shown (no `javascript:`)."""
    marker = url.find("/_mock/images/")
    if marker >= 0:
        return url[marker:]
    return url if url.startswith(("http://", "https://", "/")) else ""


def _card(call: RecordedCall, status: str, sources: list[str], prompt: str) -> dict[str, Any]:
    return {
        "call_id": call.id,
        "time": call.time,
        "operation": call.operation,
        "deployment": call.deployment,
        "status": status,
        "prompt": prompt,
        "images": sources,
    }


async def _operations(state: MockState) -> list[dict[str, Any]]:
    """DALL-E 2 operations, matched to their submit call in the journal for the prompt."""
    submits: dict[str, RecordedCall] = {}
    for raw in await state.store.aitems(JOURNAL):
        call = RecordedCall.from_json(decode_entry(raw))
        body = call.response_body
        if call.operation == "image_generations_submit" and isinstance(body, dict):
            submits[str(body.get("id"))] = call
    timing = Timing.from_settings(state.settings)
    found = []
    for key in await state.store.akeys(OPERATIONS):
        stored = await state.store.aget(OPERATIONS, key)
        if stored is None:
            continue
        record = OperationRecord.loads(stored)
        status = status_at(record, state.clock.now(), timing, _ALL_STATUSES)
        sources = [f"/_mock/images/{token}.png" for token, _ in record.images]
        submit = submits.get(record.id)
        request = submit.request_body if submit and isinstance(submit.request_body, dict) else {}
        card = {
            "call_id": submit.id if submit else None,
            "time": record.started,
            "operation": "image_generations_submit",
            "deployment": None,
            "status": status,
            "prompt": _prompt(request),
            "images": sources if status == "succeeded" else [],
            "operation_id": record.id,
        }
        found.append(card)
    return found


async def image_gallery(state: MockState) -> list[dict[str, Any]]:
    """Generated images, newest first: one card per call or DALL-E 2 operation."""
    cards = await _journal_images(state) + await _operations(state)
    return sorted(cards, key=lambda card: card["time"], reverse=True)


async def journal_image(state: MockState, call_id: int, number: int) -> tuple[bytes, str] | None:
    """A base64 image of a journaled answer, decoded."""
    encoded: Any = None
    for raw in await state.store.aitems(JOURNAL):
        data = decode_entry(raw)
        if data.get("id") != call_id:
            continue
        items = (data.get("response_body") or {}).get("data") or []
        if 0 <= number < len(items) and items[number].get("b64_json"):
            encoded = items[number]["b64_json"]
    if is_elided(encoded):  # too large for the journal: one of the last images kept here
        encoded = None
        for raw in await state.store.aitems(IMAGES):
            entry = json.loads(raw)
            if entry["id"] == call_id:
                encoded = entry["images"].get(str(number))
    if not isinstance(encoded, str):
        return None
    image = base64.b64decode(encoded)
    kind = "image/jpeg" if image[:2] == b"\xff\xd8" else "image/png"
    return image, kind


def image_keeper(state: MockState) -> Callable[[int, str | None, Any], None]:
    """The journal keeper of the image gallery (registered by the app). It runs where the
    journal's entry is written, off the loop (the writer thread; memory: at once)."""

    def keep(call_id: int, operation: str | None, body: Any) -> None:
        if operation in ("image_generations", "image_edits"):
            keep_images(state, call_id, body)

    return keep


def keep_images(state: MockState, call_id: int, body: Any) -> None:
    """Keep the base64 images of an answer whose journal entry elides them (the last
    `UI_IMAGES_KEEP` answers), so that the gallery can still show them."""
    items = body.get("data") if isinstance(body, dict) else None
    images = {
        str(number): item["b64_json"]
        for number, item in enumerate(items if isinstance(items, list) else [])
        if isinstance(item, dict) and isinstance(item.get("b64_json"), str)
    }
    if images:
        entry = {"id": call_id, "images": images}
        state.store.push(IMAGES, json.dumps(entry).encode(), UI_IMAGES_KEEP)

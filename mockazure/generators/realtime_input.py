"""The input audio buffer: append / commit / clear, server VAD, and input transcription.

A commit turns the buffer into a user `input_audio` item. With `audio.input.transcription`
set, its transcript comes from the transcription generator (the same text
`audio/transcriptions` gives for that audio) as `...input_audio_transcription.delta` events, one
per word, then `.completed` with its usage (tokens for the gpt-4o transcribers, seconds for
whisper-1, as OpenAI's `TranscriptTextUsage*` schemas have it).
"""

import base64
import binascii
from collections.abc import Callable
from typing import Any

from mockazure.determinism import seed_for_bytes
from mockazure.generators.audio import TranscriptRequest, transcribe
from mockazure.generators.audio_codec import AudioInfo
from mockazure.generators.realtime_audio import FORMAT_RATE_HZ, decode_input, duration_ms
from mockazure.generators.realtime_conversation import Conversation, public
from mockazure.generators.realtime_vad import SpeechEdge, VadSettings, VoiceDetector
from mockazure.protocol.realtime import AudioAppend, InputTranscription, SessionConfig
from mockazure.protocol.realtime_events import BadEvent, ServerEvent, item_event, simple_event
from mockazure.tokens.tokenizers import get_tokenizer

MIN_COMMIT_MS = 100
MAX_BUFFER_BYTES = 15 * 1024 * 1024  # "up to 15 MiB" of audio per session buffer

NewId = Callable[[str], str]


class InputBuffer:
    def __init__(self, new_id: NewId, seed: int) -> None:
        self.new_id = new_id
        self.seed = seed
        self.data = bytearray()
        self.detector: VoiceDetector | None = None
        self.next_item_id = new_id("item_")

    def configure(self, config: SessionConfig) -> None:
        detection = config.audio.input.turn_detection
        if detection is None:
            self.detector = None
            return
        settings = VadSettings()
        if detection.type == "server_vad":
            settings = VadSettings(
                detection.threshold, detection.prefix_padding_ms, detection.silence_duration_ms
            )
        rate = FORMAT_RATE_HZ[config.audio.input.format.type]
        if self.detector is None or self.detector.settings != settings:
            self.detector = VoiceDetector(settings, rate)

    def append(self, event: AudioAppend, fmt: str) -> list[SpeechEdge]:
        try:
            chunk = base64.b64decode(event.audio, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadEvent(
                "Invalid 'audio'. Expected base64-encoded audio bytes.",
                "invalid_value",
                "audio",
                event.event_id,
            ) from exc
        if len(self.data) + len(chunk) > MAX_BUFFER_BYTES:
            raise BadEvent(
                "The input audio buffer is full (15 MiB). Commit or clear it first.",
                "input_audio_buffer_full",
                "audio",
                event.event_id,
            )
        self.data += chunk
        if self.detector is None:
            return []
        return self.detector.feed(decode_input(chunk, fmt))

    def edge_event(self, edge: SpeechEdge) -> ServerEvent:
        field = "audio_start_ms" if edge.kind == "started" else "audio_end_ms"
        return simple_event(
            f"input_audio_buffer.speech_{edge.kind}",
            self.new_id("event_"),
            **{field: edge.at_ms},
            item_id=self.next_item_id,
        )

    def clear(self) -> ServerEvent:
        self.data.clear()
        if self.detector is not None:
            self.detector.buffer_reset()
        return simple_event("input_audio_buffer.cleared", self.new_id("event_"))

    def commit(
        self, conversation: Conversation, config: SessionConfig, event_id: str | None
    ) -> list[ServerEvent]:
        fmt = config.audio.input.format.type
        length_ms = duration_ms(len(self.data), fmt)
        if length_ms < MIN_COMMIT_MS:
            raise BadEvent(
                "Error committing input audio buffer: buffer too small. Expected at least "
                f"{MIN_COMMIT_MS}ms of audio, but buffer only has {length_ms:.2f}ms of audio.",
                "input_audio_buffer_commit_empty",
                None,
                event_id,
            )
        item_id, self.next_item_id = self.next_item_id, self.new_id("item_")
        audio = bytes(self.data)
        self.data.clear()
        if self.detector is not None:
            self.detector.buffer_reset()
        item: dict[str, Any] = {
            "id": item_id,
            "type": "message",
            "object": "realtime.item",
            "status": "completed",
            "role": "user",
            "content": [{"type": "input_audio"}],
        }
        previous = conversation.add(item)
        conversation.audio[item_id], conversation.audio_format[item_id] = audio, fmt
        events = [
            simple_event(
                "input_audio_buffer.committed",
                self.new_id("event_"),
                previous_item_id=previous,
                item_id=item_id,
            ),
            item_event("added", self.new_id("event_"), public(item), previous),
            item_event("done", self.new_id("event_"), public(item), previous),
        ]
        transcription = config.audio.input.transcription
        if transcription is not None:
            events += self._transcribe(item, audio, length_ms, transcription)
        return events

    def _transcribe(
        self, item: dict[str, Any], audio: bytes, length_ms: float, how: InputTranscription
    ) -> list[ServerEvent]:
        request = TranscriptRequest("transcribe", how.language, how.prompt, 0.0, False, False)
        seed = seed_for_bytes(audio, base=self.seed, scope="realtime-transcription")
        result = transcribe(AudioInfo("wav", max(0.1, length_ms / 1000)), request, seed)
        item["content"][0]["transcript"] = result.text
        ids = {"item_id": item["id"], "content_index": 0}
        words = result.text.split(" ")
        events = [
            simple_event(
                "conversation.item.input_audio_transcription.delta",
                self.new_id("event_"),
                **ids,
                delta=word if index == 0 else " " + word,
            )
            for index, word in enumerate(words)
        ]
        events.append(
            simple_event(
                "conversation.item.input_audio_transcription.completed",
                self.new_id("event_"),
                **ids,
                transcript=result.text,
                usage=_transcription_usage(how.model or "whisper-1", result.text, length_ms),
            )
        )
        return events


def _transcription_usage(model: str, transcript: str, length_ms: float) -> dict[str, Any]:
    if model.startswith("whisper"):
        return {"type": "duration", "seconds": round(length_ms / 1000, 3)}
    audio_tokens = -(-int(length_ms) // 100)
    output = get_tokenizer("o200k_base").count(transcript)
    return {
        "type": "tokens",
        "input_tokens": audio_tokens,
        "output_tokens": output,
        "total_tokens": audio_tokens + output,
        "input_token_details": {"text_tokens": 0, "audio_tokens": audio_tokens},
    }

"""Audio between the routers and the generators (azure-surface.md §4.7): Whisper transcriptions
and translations of an uploaded file, and speech that answers with real audio. Decoding and
encoding run in a worker thread so the event loop stays free."""

from typing import Any

import anyio.to_thread
from fastapi import Response

from mockazure.determinism import seed_for_bytes
from mockazure.gateway.gate import Call
from mockazure.gateway.notes import request_notes
from mockazure.generators.audio import TranscriptRequest, render_transcription, transcribe
from mockazure.generators.audio_codec import content_type, probe
from mockazure.generators.audio_speech import synthesize
from mockazure.protocol.audio import SpeechRequest
from mockazure.serving.pipeline import Answer, Whole, serve
from mockazure.stubs.audio import apply_transcript
from mockazure.stubs.book import StubHit
from mockazure.ui.media import keep_speech


async def serve_transcript(call: Call[Any], wanted: TranscriptRequest) -> Response:
    upload = call.file
    assert upload is not None  # the gate's audio reader requires it for these operations

    async def generate(hit: StubHit | None) -> Answer:
        info = await anyio.to_thread.run_sync(probe, upload.data, upload.filename)
        seed = seed_for_bytes(upload.data, base=call.state.seed, scope=call.operation.name)
        result = transcribe(info, wanted, seed)
        if hit is not None:
            apply_transcript(result, hit)
        body, media_type = render_transcription(result, call.body.response_format)
        return Whole(body.encode() if isinstance(body, str) else body, media_type=media_type)

    return await serve(call, cost=lambda: 0, generate=generate)


async def serve_speech(call: Call[SpeechRequest]) -> Response:
    async def generate(hit: StubHit | None) -> Answer:
        audio = await anyio.to_thread.run_sync(synthesize, call.body)
        media_type = content_type(call.body.response_format)
        await keep_speech(
            call.state,
            request_id=request_notes(call.request).request_id,
            deployment=call.target.name,
            body=call.body.model_dump(),
            audio=audio,
            media_type=media_type,
        )
        return Whole(audio, media_type=media_type)

    return await serve(call, cost=lambda: len(call.body.input), generate=generate)

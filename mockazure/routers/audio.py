"""Audio routes (azure-surface.md §4.7): Whisper transcriptions and translations over multipart,
and text-to-speech that answers with real audio, on every path of their rows."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.forms import read_audio_body
from mockazure.gateway.gate import Call, gate
from mockazure.generators.audio import TranscriptRequest
from mockazure.protocol.audio import SpeechRequest, TranscriptionForm, TranslationForm
from mockazure.routers.table import add_operation_routes
from mockazure.serving.audio import serve_speech, serve_transcript

router = APIRouter(tags=["audio"])

TranscriptionCall = Annotated[
    Call[TranscriptionForm],
    Depends(gate(TranscriptionForm, "transcriptions", reader=read_audio_body)),
]
TranslationCall = Annotated[
    Call[TranslationForm], Depends(gate(TranslationForm, "translations", reader=read_audio_body))
]
SpeechCall = Annotated[
    Call[SpeechRequest], Depends(gate(SpeechRequest, "speech", reader=read_audio_body))
]
MULTIPART_BODY: dict[str, Any] = {"requestBody": {"content": {"multipart/form-data": {}}}}


async def create_transcription(call: TranscriptionCall) -> Response:
    form = call.body
    wanted = TranscriptRequest(
        task="transcribe",
        language=form.language,
        prompt=form.prompt,
        temperature=form.temperature,
        words=form.wants_words,
        segments=form.wants_segments,
    )
    return await serve_transcript(call, wanted)


async def create_translation(call: TranslationCall) -> Response:
    form = call.body
    wanted = TranscriptRequest(
        task="translate",
        language=None,
        prompt=form.prompt,
        temperature=form.temperature,
        words=False,
        segments=True,
    )
    return await serve_transcript(call, wanted)


async def create_speech(call: SpeechCall) -> Response:
    return await serve_speech(call)


for name, endpoint in (
    ("transcriptions", create_transcription),
    ("translations", create_translation),
):
    add_operation_routes(router, name, endpoint, response_model=None, openapi_extra=MULTIPART_BODY)
add_operation_routes(
    router,
    "speech",
    create_speech,
    response_model=None,
    responses={200: {"content": {"application/octet-stream": {}}}},
)

"""Audio routes (azure-surface.md §4.7): Whisper transcriptions and translations over multipart,
and text-to-speech that answers with real audio."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from starlette.concurrency import run_in_threadpool

from mockazure.determinism import seed_for_bytes
from mockazure.gateway.checks import meter
from mockazure.gateway.forms import FormCall, form_call
from mockazure.gateway.responses import SUCCESS_HEADERS
from mockazure.generators.audio import TranscriptRequest, render_transcription, transcribe
from mockazure.generators.audio_codec import content_type, probe
from mockazure.generators.audio_speech import synthesize
from mockazure.protocol.audio import SpeechRequest, TranscriptionForm, TranslationForm
from mockazure.stubs.audio import apply_transcript, audio_stub
from mockazure.ui.media import keep_speech

router = APIRouter(prefix="/openai/deployments/{deployment_id}", tags=["audio"])

TranscriptionCall = Annotated[
    FormCall[TranscriptionForm], Depends(form_call(TranscriptionForm, "transcriptions"))
]
TranslationCall = Annotated[
    FormCall[TranslationForm], Depends(form_call(TranslationForm, "translations"))
]
SpeechCall = Annotated[FormCall[SpeechRequest], Depends(form_call(SpeechRequest, "speech"))]
MULTIPART_BODY: dict[str, Any] = {"requestBody": {"content": {"multipart/form-data": {}}}}


async def _answer(call: FormCall[TranslationForm], request: TranscriptRequest) -> Response:
    assert call.file is not None  # form_call requires it for these operations
    hit = audio_stub(call)
    if hit is not None:
        hit.raise_error()
    # Decoding and encoding run in a worker thread so the event loop stays free.
    info = await run_in_threadpool(probe, call.file.data, call.file.filename)
    seed = seed_for_bytes(call.file.data, base=call.state.seed, scope=call.operation)
    result = transcribe(info, request, seed)
    if hit is not None:
        apply_transcript(result, hit)
    meter(call, 0)
    body, media_type = render_transcription(result, call.body.response_format)
    return Response(body, media_type=media_type, headers=SUCCESS_HEADERS)


@router.post("/audio/transcriptions", response_model=None, openapi_extra=MULTIPART_BODY)
async def create_transcription(call: TranscriptionCall) -> Response:
    form = call.body
    request = TranscriptRequest(
        task="transcribe",
        language=form.language,
        prompt=form.prompt,
        temperature=form.temperature,
        words=form.wants_words,
        segments=form.wants_segments,
    )
    return await _answer(call, request)  # type: ignore[arg-type]


@router.post("/audio/translations", response_model=None, openapi_extra=MULTIPART_BODY)
async def create_translation(call: TranslationCall) -> Response:
    form = call.body
    request = TranscriptRequest(
        task="translate",
        language=None,
        prompt=form.prompt,
        temperature=form.temperature,
        words=False,
        segments=True,
    )
    return await _answer(call, request)


@router.post(
    "/audio/speech",
    response_model=None,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def create_speech(call: SpeechCall) -> Response:
    audio = await run_in_threadpool(synthesize, call.body)
    meter(call, len(call.body.input))
    media_type = content_type(call.body.response_format)
    keep_speech(
        call.state,
        request_id=str(getattr(call.request.state, "request_id", "")),
        deployment=call.deployment.name,
        body=call.body.model_dump(),
        audio=audio,
        media_type=media_type,
    )
    return Response(audio, media_type=media_type, headers=SUCCESS_HEADERS)

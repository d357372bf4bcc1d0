"""`/openai/v1/...` (issue 12, docs/v1-facts.md): the same handlers as the deployment paths, with
the deployment taken from the body's `model` (gateway/v1.py). The models listing is in
routers/models.py.

# operation-table rows (for the lead's operations.py): operation, v1 path, v1 operationId (v1
# GA spec; the v1 preview spec for images and audio is not in ../shared), body kind.
#   chat_completions    POST /openai/v1/chat/completions      createChatCompletion   json
#   embeddings          POST /openai/v1/embeddings            createEmbedding        json
#   image_generations   POST /openai/v1/images/generations    (preview)              json
#   image_edits         POST /openai/v1/images/edits          (preview)              multipart
#   transcriptions      POST /openai/v1/audio/transcriptions  (preview)              multipart
#   translations        POST /openai/v1/audio/translations    (preview)              multipart
#   speech              POST /openai/v1/audio/speech          (preview)              json
#   models_list         GET  /openai/v1/models                listModels             -
#   model_get           GET  /openai/v1/models/{model}        retrieveModel          -
# Capability and Azure's OperationNotSupported word: the same as the deployment-path row.
# Metered and stubbable exactly as the deployment-path row (the handlers are shared).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from mockazure.gateway.checks import Call, get_state, require_api_key
from mockazure.gateway.forms import FormCall
from mockazure.gateway.v1 import require_v1_api_version, resolve, v1_call, v1_form_call
from mockazure.protocol.audio import SpeechRequest, TranscriptionForm, TranslationForm
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.chat_responses import ChatCompletion
from mockazure.protocol.embeddings import CreateEmbeddingResponse, EmbeddingRequest
from mockazure.protocol.images import ImageGenerationRequest, ImagesResponse
from mockazure.routers import audio, chat, embeddings, images
from mockazure.serving.images.uploads import read_edit_upload

router = APIRouter(prefix="/openai/v1", tags=["v1"])
EVENT_STREAM: dict[int | str, dict[str, Any]] = {200: {"content": {"text/event-stream": {}}}}

ChatCall = Annotated[
    Call[ChatCompletionRequest], Depends(v1_call(ChatCompletionRequest, "chat_completions"))
]
EmbeddingCall = Annotated[Call[EmbeddingRequest], Depends(v1_call(EmbeddingRequest, "embeddings"))]
GenerationCall = Annotated[
    Call[ImageGenerationRequest],
    Depends(v1_call(ImageGenerationRequest, "image_generations")),
]
TranscriptionCall = Annotated[
    FormCall[TranscriptionForm], Depends(v1_form_call(TranscriptionForm, "transcriptions"))
]
TranslationCall = Annotated[
    FormCall[TranslationForm], Depends(v1_form_call(TranslationForm, "translations"))
]
SpeechCall = Annotated[FormCall[SpeechRequest], Depends(v1_form_call(SpeechRequest, "speech"))]


@router.post("/chat/completions", response_model=ChatCompletion, responses=EVENT_STREAM)
async def create_chat_completion(call: ChatCall) -> Response:
    return await chat.create_chat_completion(call)


@router.post("/embeddings", response_model=CreateEmbeddingResponse)
async def create_embeddings(call: EmbeddingCall) -> Response:
    return await embeddings.create_embeddings(call)


@router.post("/images/generations", response_model=ImagesResponse)
async def create_image_generation(call: GenerationCall) -> Response:
    return await images.create_image_generation(call)


@router.post("/images/edits", response_model=ImagesResponse)
async def create_image_edit(request: Request) -> Response:
    state = get_state(request)
    version = require_v1_api_version(request, "image_edits")
    require_api_key(request, state)
    upload = await read_edit_upload(request)
    deployment = resolve(request, state, "image_edits", upload.fields)
    return await images.answer_image_edit(request, state, version, deployment, upload)


@router.post("/audio/transcriptions", response_model=None, openapi_extra=audio.MULTIPART_BODY)
async def create_transcription(call: TranscriptionCall) -> Response:
    return await audio.create_transcription(call)


@router.post("/audio/translations", response_model=None, openapi_extra=audio.MULTIPART_BODY)
async def create_translation(call: TranslationCall) -> Response:
    return await audio.create_translation(call)


@router.post("/audio/speech", response_model=None)
async def create_speech(call: SpeechCall) -> Response:
    return await audio.create_speech(call)

"""THE operation table: every Azure operation mockazure serves, once.

Each row names the operation, its HTTP method, every path that reaches it, the capability a
deployment needs for it and the word Azure uses for it in OperationNotSupported
(azure-surface.md §9h), its spec `operationId` (the 429 message names it; the api-version
registry may hold a version's own), how its body arrives, its body model, and whether it is
metered (rate-limit windows) and stubbable. Routes, the gate, the journal, faults, cassettes,
rate limits, OpenAPI and the inspector all read this table; `operation_of` is the one place that
decides which operation a request is.

Adding a path family (the v1 API) means adding paths to rows, not code paths.
"""

import re
from dataclasses import dataclass, replace
from typing import Literal

from mockazure.config import Capability
from mockazure.versions import ALL_API_VERSIONS, OperationName

BodyKind = Literal["json", "form", "json_or_form", "none"]
ApiFamily = Literal["dated", "v1"]  # `?api-version=<date>` paths, or the v1 API
# Where the deployment name comes from: the `{deployment_id}` path segment, the body's `model`
# (the v1 API), or nowhere (the DALL-E 2 preview operations are resource-level).
DeploymentSource = Literal["path", "body", "none"]

DEPLOYMENT_PREFIX = "/openai/deployments/{deployment_id}"
V1_PREFIX = "/openai/v1"


@dataclass(frozen=True)
class Route:
    """One path that reaches an operation, and where that path's deployment comes from."""

    path: str
    deployment: DeploymentSource = "path"
    api: ApiFamily = "dated"


@dataclass(frozen=True)
class Operation:
    name: OperationName
    family: str  # the name shared by protocol/, routers/, serving/, generators/
    method: str
    routes: tuple[Route, ...]
    operation_id: str
    body: BodyKind
    body_model: str | None  # the protocol class that validates the body
    capability: Capability | None = None
    azure_word: str | None = None  # OperationNotSupported's word for it
    metered: bool = True
    stubbable: bool = True
    # The dated api-versions that reach it, for the families the registry (versions.py) does
    # not hold (the job families below); None: the registry decides.
    dated_versions: frozenset[str] | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(route.path for route in self.routes)

    def route(self, path: str) -> Route:
        """The row's route for a path template (as the router registered it)."""
        for route in self.routes:
            if route.path == path:
                return route
        raise KeyError(path)


def _row(
    name: OperationName,
    family: str,
    suffix: str,
    operation_id: str,
    body: BodyKind,
    body_model: str | None,
    capability: Capability,
    azure_word: str,
    *,
    v1: bool = False,
) -> Operation:
    # The v1 API (issue 12, docs/v1-facts.md): the same operation at /openai/v1/<suffix>, the
    # deployment named by the body's `model`.
    v1_route = (Route(V1_PREFIX + suffix, "body", "v1"),) if v1 else ()
    return Operation(
        name=name,
        family=family,
        method="POST",
        routes=(Route(DEPLOYMENT_PREFIX + suffix), *v1_route),
        operation_id=operation_id,
        body=body,
        body_model=body_model,
        capability=capability,
        azure_word=azure_word,
    )


def _responses_routes(suffix: str, deployment: DeploymentSource) -> tuple[Route, ...]:
    return (
        Route("/openai/responses" + suffix, deployment, "dated"),
        Route("/openai/v1/responses" + suffix, deployment, "v1"),
    )


def _responses_lookup(name: OperationName, method: str, suffix: str, op_id: str) -> Operation:
    """A stored-response operation: no body, no deployment, not metered or stubbable."""
    return Operation(
        name=name,
        family="responses",
        method=method,
        routes=_responses_routes("/{response_id}" + suffix, "none"),
        operation_id=op_id,
        body="none",
        body_model=None,
        metered=False,
        stubbable=False,
    )


def _responses_rows() -> tuple[Operation, ...]:
    create = Operation(
        name="responses_create",
        family="responses",
        method="POST",
        routes=_responses_routes("", "body"),
        operation_id="createResponse",
        body="json",
        body_model="ResponseCreateRequest",
        capability="chat",
        azure_word="responses",
    )
    return (
        create,
        _responses_lookup("responses_get", "GET", "", "getResponse"),
        _responses_lookup("responses_delete", "DELETE", "", "deleteResponse"),
        _responses_lookup("responses_input_items", "GET", "/input_items", "listInputItems"),
        _responses_lookup("responses_cancel", "POST", "/cancel", "cancelResponse"),
    )


# The job families (issue 18; azure-v1-and-responses.md §5): files, batches, stored chat
# completions, videos. Resource-level paths (no deployment in the path), dated and v1. None is
# metered or stubbable: a batch's lines are, one by one, as the operations they name. The dated
# registry holds none of them, so each row lists its dated versions:
# - files: the authoring specs define `/files` from 2022-03-01-preview, batches from
#   2024-07-01-preview (GA 2024-10-21); they stop at 2024-10-21. openai-python's `AzureOpenAI`
#   sends `files`/`batches` to `/openai/{path}?api-version=<its version>` (clients.md §0.3) and
#   Learn's batch how-to runs its Python samples with 2025-03-01-preview and 2025-04-01-preview
#   (MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/batch/batch-python.md
#   @068add6b), so the later previews are accepted too (their inference specs lack the paths).
# - stored chat completions: list/get/update/delete/messages from 2025-02-01-preview (the
#   inference specs; reference §1), `store: true` on chat from 2024-12-01-preview.
# fmt: off
_LATER_PREVIEWS = ("2024-12-01-preview", "2025-01-01-preview", "2025-02-01-preview",
                   "2025-03-01-preview", "2025-04-01-preview")
_BATCH_VERSIONS = frozenset({"2024-07-01-preview", "2024-08-01-preview", "2024-09-01-preview",
                             "2024-10-01-preview", "2024-10-21", *_LATER_PREVIEWS})
FILES_VERSIONS = frozenset(ALL_API_VERSIONS)  # every dated version from 2022-03-01-preview
_STORED_VERSIONS = frozenset(_LATER_PREVIEWS[2:])
_JOB_VERSIONS = {"files": FILES_VERSIONS, "batches": _BATCH_VERSIONS,
                 "stored": _STORED_VERSIONS, "videos": frozenset[str]()}
# (name, method, path after /openai[/v1], operationId, body). Dated operationIds are the
# authoring specs'; stored completions' and Sora 2's are OpenAI's; Sora 1's are the mock's
# (no public spec).
_JOB_ROWS: tuple[tuple[OperationName, str, str, str, BodyKind], ...] = (
    ("files_upload", "POST", "/files", "Files_Upload", "form"),
    ("files_list", "GET", "/files", "Files_List", "none"),
    ("files_get", "GET", "/files/{file_id}", "Files_Get", "none"),
    ("files_delete", "DELETE", "/files/{file_id}", "Files_Delete", "none"),
    ("files_content", "GET", "/files/{file_id}/content", "Files_GetContent", "none"),
    ("batches_create", "POST", "/batches", "Batch_Create", "json"),
    ("batches_list", "GET", "/batches", "Batch_List", "none"),
    ("batches_get", "GET", "/batches/{batch_id}", "Batch_Get", "none"),
    ("batches_cancel", "POST", "/batches/{batch_id}/cancel", "Batch_Cancel", "none"),
    ("stored_list", "GET", "/chat/completions", "listChatCompletions", "none"),
    ("stored_get", "GET", "/chat/completions/{completion_id}", "getChatCompletion", "none"),
    ("stored_update", "POST", "/chat/completions/{completion_id}", "updateChatCompletion",
     "json"),
    ("stored_delete", "DELETE", "/chat/completions/{completion_id}", "deleteChatCompletion",
     "none"),
    ("stored_messages", "GET", "/chat/completions/{completion_id}/messages",
     "getChatCompletionMessages", "none"),
    # Videos: v1 only (Sora 2: the video concept page; Sora 1: `?api-version=preview`).
    ("videos_create", "POST", "/videos", "createVideo", "json_or_form"),
    ("videos_list", "GET", "/videos", "ListVideos", "none"),
    ("videos_get", "GET", "/videos/{video_id}", "GetVideo", "none"),
    ("videos_delete", "DELETE", "/videos/{video_id}", "DeleteVideo", "none"),
    ("videos_content", "GET", "/videos/{video_id}/content", "RetrieveVideoContent", "none"),
    ("videos_remix", "POST", "/videos/{video_id}/remix", "CreateVideoRemix", "json"),
    ("video_jobs_create", "POST", "/video/generations/jobs", "VideoJobs_Create", "json"),
    ("video_jobs_list", "GET", "/video/generations/jobs", "VideoJobs_List", "none"),
    ("video_jobs_get", "GET", "/video/generations/jobs/{job_id}", "VideoJobs_Get", "none"),
    ("video_jobs_delete", "DELETE", "/video/generations/jobs/{job_id}", "VideoJobs_Delete",
     "none"),
    ("video_generation_content", "GET",
     "/video/generations/{generation_id}/content/{variant}", "VideoGenerations_GetContent",
     "none"),
)
# fmt: on
# The two video creations name a `video` deployment in the body's `model`; Azure's
# OperationNotSupported word for it is not public ("videoGeneration" is the mock's).
_VIDEO_CREATIONS = frozenset({"videos_create", "video_jobs_create"})


def _job_row(
    name: OperationName, method: str, suffix: str, op_id: str, body: BodyKind
) -> Operation:
    family = "videos" if name.startswith("video") else name.partition("_")[0]
    versions = _JOB_VERSIONS[family]
    creates_video = name in _VIDEO_CREATIONS
    deployment: DeploymentSource = "body" if creates_video else "none"
    dated = (Route("/openai" + suffix, "none"),) if versions else ()
    return Operation(
        name=name,
        family=family,
        method=method,
        routes=(*dated, Route(V1_PREFIX + suffix, deployment, "v1")),
        operation_id=op_id,
        body=body,
        body_model=None,
        capability="video" if creates_video else None,
        azure_word="videoGeneration" if creates_video else None,
        metered=False,
        stubbable=False,
        dated_versions=versions,
    )


# fmt: off
OPERATIONS: tuple[Operation, ...] = (
    _row("chat_completions", "chat", "/chat/completions", "ChatCompletions_Create",
         "json", "ChatCompletionRequest", "chat", "chatCompletion", v1=True),
    # Not stubbable: the extensions answer has its own shapes, which stub responses do not cover.
    replace(_row("extensions_chat_completions", "chat_extensions", "/extensions/chat/completions",
                 "ExtensionsChatCompletions_Create", "json", "ExtensionsChatRequest", "chat",
                 "chatCompletion"), stubbable=False),
    _row("completions", "completions", "/completions", "Completions_Create",
         "json", "CompletionRequest", "completions", "completion"),
    _row("embeddings", "embeddings", "/embeddings", "embeddings_create",
         "json", "EmbeddingRequest", "embeddings", "embeddings", v1=True),
    _row("image_generations", "images", "/images/generations", "ImageGenerations_Create",
         "json", "ImageGenerationRequest", "images", "imageGeneration", v1=True),
    _row("image_edits", "images", "/images/edits", "ImageGenerations_Edit",
         "form", "ImageEditRequest", "images", "imageEdit", v1=True),
    _row("transcriptions", "audio", "/audio/transcriptions", "Transcriptions_Create",
         "form", "TranscriptionForm", "transcription", "audioTranscription", v1=True),
    _row("translations", "audio", "/audio/translations", "Translations_Create",
         "form", "TranslationForm", "transcription", "audioTranslation", v1=True),
    # Not stubbable: stub responses carry no audio.
    replace(_row("speech", "audio", "/audio/speech", "Speech_Create",
                 "json_or_form", "SpeechRequest", "speech", "audioSpeech", v1=True),
            stubbable=False),
    Operation(
        name="image_generations_submit", family="images", method="POST",
        routes=(Route("/openai/images/generations:submit", "none"),),
        operation_id="Images_Generate", body="json", body_model="ImageGenerationSubmit",
    ),
    Operation(
        name="image_operation_get", family="images", method="GET",
        routes=(Route("/openai/operations/images/{operation_id}", "none"),),
        operation_id="OperationsImages_Get", body="none", body_model=None,
        metered=False, stubbable=False,
    ),
    Operation(
        name="image_operation_delete", family="images", method="DELETE",
        routes=(Route("/openai/operations/images/{operation_id}", "none"),),
        operation_id="OperationsImages_Delete", body="none", body_model=None,
        metered=False, stubbable=False,
    ),
    # The models listing (docs/v1-facts.md): base models, resource-level on both families.
    Operation(
        name="models_list", family="models", method="GET",
        routes=(Route("/openai/models", "none"), Route(V1_PREFIX + "/models", "none", "v1")),
        operation_id="Models_List", body="none", body_model=None, metered=False, stubbable=False,
    ),
    Operation(
        name="model_get", family="models", method="GET",
        routes=(
            Route("/openai/models/{model_id}", "none"),
            Route(V1_PREFIX + "/models/{model_id}", "none", "v1"),
        ),
        operation_id="Models_Get", body="none", body_model=None, metered=False, stubbable=False,
    ),
    # The Responses API (issue 13; azure-v1-and-responses.md §3): dated paths take
    # 2025-03-01-preview or later, the v1 paths api-version absent, v1, preview or latest; the
    # body's `model` is the deployment. The shared gate serves them, with the family's wording
    # of two refusals (serving/responses_checks.py); the registry holds their versions
    # (scripts/responses_registry.py). `createResponse` is OpenAI's operationId (Azure's dated
    # spec gives none). "responses" as Azure's OperationNotSupported word is an inference (not
    # seen in the sources).
    # No `/openai/deployments/{d}/responses` (what the Vercel AI SDK's `useDeploymentBasedUrls`
    # builds): neither Azure spec has it (2025-03-01-preview and v1 GA define only `/responses`),
    # `AzureOpenAI` deliberately sends Responses to `/openai/responses` (azure-v1-and-responses.md
    # §2), a client that built the deployment form was told it is wrong
    # (RageAgainstThePixel/OpenAI-DotNet#457) and litellm#40408 names only "Azure-compatible
    # gateways" as routing it. So it is an unknown path: 404 "Resource not found".
    *_responses_rows(),
    # Realtime (azure-v1-and-responses.md §5): a WebSocket upgrade; the deployment is in the
    # query (`?model=` on v1, `?deployment=` on the preview), which `serving/realtime_gate.py`
    # reads. Metered per session start and per response; stubs script its replies.
    Operation(
        name="realtime", family="realtime", method="GET",
        routes=(Route("/openai/v1/realtime", "none", "v1"), Route("/openai/realtime", "none")),
        operation_id="Realtime_Connect", body="none", body_model=None,
        capability="realtime", azure_word="realtime",
    ),
    Operation(
        name="realtime_client_secrets", family="realtime", method="POST",
        routes=(Route("/openai/v1/realtime/client_secrets", "body", "v1"),),
        operation_id="createRealtimeClientSecret", body="json", body_model="ClientSecretRequest",
        capability="realtime", azure_word="realtime", metered=False, stubbable=False,
    ),
    # WebRTC (SDP offer in, SDP answer out) is not emulated: answered 400 (README, Realtime).
    Operation(
        name="realtime_calls", family="realtime", method="POST",
        routes=(Route("/openai/v1/realtime/calls", "none", "v1"),),
        operation_id="createRealtimeCall", body="none", body_model=None,
        capability="realtime", azure_word="realtime", metered=False, stubbable=False,
    ),
    *(_job_row(*row) for row in _JOB_ROWS),
)
# fmt: on

BY_NAME: dict[str, Operation] = {op.name: op for op in OPERATIONS}


@dataclass(frozen=True)
class Target:
    """What a request addresses: the operation, the route, and the deployment where the path
    names one (a v1 path's deployment is in its body: the gate resolves it)."""

    operation: Operation
    route: Route
    deployment: str | None


def _compile(template: str) -> re.Pattern[str]:
    # `{x}` is one path segment. A ":" in a fixed part (":submit") is literal.
    parts = re.split(r"(\{\w+\})", template)
    pattern = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(pattern + r"\Z")


_ROUTES: tuple[tuple[str, re.Pattern[str], Operation, Route], ...] = tuple(
    (op.method, _compile(route.path), op, route) for op in OPERATIONS for route in op.routes
)


_DEPLOYMENT_PATH = re.compile(r"/openai/deployments/(?P<deployment_id>[^/]+)/")


# (method, path) -> target, remembered for paths up to this long, this many at most: the
# faults, journal and metrics layers each ask (issue 16's profile).
_KNOWN_PATH_CHARS = 512
_KNOWN_TARGETS = 1024
_targets: dict[tuple[str, str], Target | None] = {}


def operation_of(method: str, path: str) -> Target | None:
    """The operation a request is, or None for any other path. The method picks between
    operations on one path (GET / DELETE of an image operation); a path that only another
    method serves still names its operation, so the journal shows what was tried."""
    if not path.startswith("/openai/"):
        return None
    if len(path) > _KNOWN_PATH_CHARS:
        return _scan(method, path)
    key = (method, path)
    if key in _targets:
        return _targets[key]
    if len(_targets) >= _KNOWN_TARGETS:
        _targets.clear()
    found = _targets[key] = _scan(method, path)
    return found


def _scan(method: str, path: str) -> Target | None:
    other: Target | None = None
    for route_method, pattern, operation, route in _ROUTES:
        found = pattern.match(path)
        if found is None:
            continue
        target = Target(operation, route, found.groupdict().get("deployment_id"))
        if route_method == method:
            return target
        other = other or target
    return other


def deployment_in(path: str) -> str | None:
    """The deployment a `/openai/deployments/{name}/…` path names, whatever follows."""
    found = _DEPLOYMENT_PATH.match(path)
    return found.group("deployment_id") if found else None


def operation_named(name: str) -> Operation:
    return BY_NAME[name]


def describe(method: str, path: str) -> tuple[str | None, str | None]:
    """(operation name, deployment) for the journal, faults and cassettes: the deployment of a
    deployment path is kept even where no operation matches."""
    target = operation_of(method, path)
    if target is not None:
        return target.operation.name, target.deployment
    return None, deployment_in(path)


def is_azure_path(path: str) -> bool:
    return path.startswith("/openai/")


def paths_for(capability: Capability, deployment: str) -> dict[ApiFamily, list[str]]:
    """The paths a deployment with `capability` answers on, per path family: deployment paths
    with its name filled in, the v1 paths (where the body's `model` names it) and those where
    the query names it (Realtime)."""
    found: dict[ApiFamily, list[str]] = {"dated": [], "v1": []}
    for operation in OPERATIONS:
        if operation.capability == capability:
            for route in operation.routes:
                found[route.api].append(route.path.replace("{deployment_id}", deployment))
    return found

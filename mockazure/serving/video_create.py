"""Creating video jobs: the Sora 2 body (multipart as openai-python sends it, or JSON), the
Sora 1 body (JSON), the v1 deployment rule (`model` names a video deployment), the prompt
screened by the image content filter (a prompt-stage trigger is a 400 as for images; an
output-stage trigger fails the job), and the record."""

from typing import Any

from fastapi import Request

from mockazure.config import DeploymentSpec
from mockazure.errors import InvalidRequest
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.checks import require_deployment
from mockazure.gateway.multipart import is_multipart, read_form
from mockazure.gateway.validation import json_type
from mockazure.generators.images_filter import find_filter_hit
from mockazure.operations import Operation, operation_named
from mockazure.serving.access import Access
from mockazure.serving.images.results import screen_prompt
from mockazure.serving.videos import VideoRecord, save_video, timing
from mockazure.state import MockState
from mockazure.versions import get_api_version

# Azure's Sora 2 (video concept page, reference §5); OpenAI's API also has 1024x1792 and
# 1792x1024 for sora-2-pro, which Azure does not list.
SIZES = ("720x1280", "1280x720")
SECONDS = ("4", "8", "12")
MAX_PROMPT_CHARS = 32_000
MAX_REFERENCE_BYTES = 26_214_400
# The registry version whose image filter categories the prompt screen reports.
FILTER_VERSION = "2025-04-01-preview"


# Learn's Sora page: these resolutions, 1 to 20 seconds (Azure/PyRIT's `OpenAISoraTarget` docs
# list the landscape and square ones and "up to 20s" for Sora 1 too); the variants' bound is the
# mock's **(inference)**: no public source states one.
JOB_SIZES = frozenset(
    {
        (480, 480),
        (480, 854),
        (854, 480),
        (720, 720),
        (720, 1280),
        (1280, 720),
        (1080, 1080),
        (1080, 1920),
        (1920, 1080),
    }
)
MAX_SECONDS = 20
MAX_VARIANTS = 5


def _int(data: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequest(
            f"Invalid '{name}': expected an integer between {low} and {high}.",
            param=name,
            code="invalid_value",
        )
    return value


def invalid_value(param: str, value: Any, allowed: tuple[str, ...]) -> InvalidRequest:
    return InvalidRequest(
        f"Invalid value: '{value}'. Supported values are: "
        + ", ".join(f"'{a}'" for a in allowed)
        + ".",
        param=param,
        code="invalid_value",
    )


async def read_video_body(
    request: Request, state: MockState, operation: Operation
) -> tuple[dict[str, Any], None]:
    """The gate's body reader for Sora 2: the create body's fields; an `input_reference` upload
    is read (bounded) and dropped: the mock does not animate it."""
    if not is_multipart(request):
        return await read_json_object(request), None
    form = await read_form(request, file_limit=MAX_REFERENCE_BYTES)
    return {name: values[-1] for name, values in form.fields.items()}, None


async def _deployment(access: Access, data: dict[str, Any]) -> DeploymentSpec:
    """The gate resolved the body's `model` (the creations' rows); a remix names its source's."""
    if access.deployment is not None:
        return access.deployment
    name, operation = str(data["model"]), operation_named("videos_create")
    return await require_deployment(access.state, name, operation)


def check_prompt(data: dict[str, Any]) -> str:
    prompt = data.get("prompt")
    if prompt is not None and not isinstance(prompt, str):
        raise InvalidRequest(
            "Invalid type for 'prompt': expected a string.", param="prompt", code="invalid_type"
        )
    if not prompt:
        raise InvalidRequest(
            "Missing required parameter: 'prompt'.",
            param="prompt",
            code="missing_required_parameter",
        )
    if len(prompt) > MAX_PROMPT_CHARS:
        raise InvalidRequest(
            f"Invalid 'prompt': string too long. Expected a string with maximum length "
            f"{MAX_PROMPT_CHARS}, but got a string with length {len(prompt)} instead.",
            param="prompt",
            code="string_above_max_length",
        )
    version = get_api_version(FILTER_VERSION)
    assert version is not None
    hit = find_filter_hit(prompt)
    if hit is not None and hit.stage == "prompt":
        screen_prompt(prompt, version, 0)
    return prompt


async def new_record(
    access: Access, data: dict[str, Any], kind: str, size: tuple[int, int], seconds: int
) -> VideoRecord:
    """Deployment first (Azure's order), then the prompt; the job starts now."""
    state = access.state
    deployment = await _deployment(access, data)
    prompt = check_prompt(data)
    queued_s, running_s = timing(state.settings)
    hit = find_filter_hit(prompt)
    return VideoRecord(
        id="",
        kind=kind,
        deployment=deployment.name,
        model=deployment.model,
        prompt=prompt,
        width=size[0],
        height=size[1],
        seconds=seconds,
        created_at=int(state.clock.now()),
        started=state.clock.now(),
        queued_s=queued_s,
        running_s=running_s,
        failed=hit is not None and hit.stage == "output",
    )


# OpenAI's CreateVideoBody (reference/openai/openapi.json): every field a string (multipart
# forms carry strings anyway), `seconds` the string enum "4" | "8" | "12"; mockazure also takes
# `remix_video_id` on the create (issue 18's surface). A remix body has only `prompt`.
CREATE_FIELDS = frozenset(
    {"model", "prompt", "size", "seconds", "input_reference", "remix_video_id"}
)
REMIX_FIELDS = frozenset({"prompt"})


def check_fields(data: dict[str, Any], allowed: frozenset[str]) -> None:
    """Unknown fields and non-string values get the v1 API's 400 naming the field, as the
    request models' strict types answer elsewhere (gateway/validation.py's wording)."""
    for name, value in data.items():
        if name not in allowed:
            raise InvalidRequest(
                f"Unknown parameter: '{name}'.", param=name, code="unknown_parameter"
            )
        if name != "prompt" and not isinstance(value, str):  # check_prompt words its own
            raise InvalidRequest(
                f"Invalid type for '{name}': expected a string, but got {json_type(value)} "
                "instead.",
                param=name,
                code="invalid_type",
            )


async def create_video(
    access: Access, data: dict[str, Any], remixed_from: str | None
) -> VideoRecord:
    size = str(data.get("size") or SIZES[0])
    seconds = str(data.get("seconds") or SECONDS[0])
    if size not in SIZES:
        raise invalid_value("size", size, SIZES)
    if seconds not in SECONDS:
        raise invalid_value("seconds", seconds, SECONDS)
    width, _, height = size.partition("x")
    record = await new_record(access, data, "video", (int(width), int(height)), int(seconds))
    ids = access.state.ids
    record.id = "video_" + ids.uuid().replace("-", "") + ids.uuid().replace("-", "")[:16]
    record.remixed_from = remixed_from
    await save_video(access.state, record)
    return record


async def create_job(access: Access, data: dict[str, Any]) -> VideoRecord:
    """A Sora 1 job: resolution, duration and variants checked, one generation id each."""
    size = (_int(data, "width", 480, 1, 1920), _int(data, "height", 480, 1, 1920))
    if size not in JOB_SIZES:
        raise InvalidRequest(
            f"Unsupported resolution {size[0]}x{size[1]}. Supported resolutions: "
            + ", ".join(f"{w}x{h}" for w, h in sorted(JOB_SIZES))
            + ".",
            param="width",
            code="invalid_value",
        )
    seconds = _int(data, "n_seconds", 5, 1, MAX_SECONDS)
    variants = _int(data, "n_variants", 1, 1, MAX_VARIANTS)
    record = await new_record(access, data, "job", size, seconds)
    ids = access.state.ids
    record.id = "task_" + ids.token("", 26).lower()
    record.generations = tuple("gen_" + ids.token("", 26).lower() for _ in range(variants))
    await save_video(access.state, record)
    return record

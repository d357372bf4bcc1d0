"""The audio routes' request checks: `inference_call`'s order (dependencies.py) for bodies that
come as multipart/form-data (transcriptions, translations; speech too, as the spec declares it)
or JSON (speech, as the SDKs send it; azure-surface.md §2).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel

from mockazure.dependencies import (
    Call,
    check_fields,
    check_version_limits,
    get_state,
    read_json_object,
    require_api_key,
    require_api_version,
    require_deployment,
    validate_body,
)
from mockazure.errors import InvalidRequest
from mockazure.multipart import (
    FormData,
    UploadedFile,
    is_multipart,
    read_form,
    wrong_content_type,
)
from mockazure.versions import OperationName

M = TypeVar("M", bound=BaseModel)

# Form fields that carry a list, one part per value (clients.md, summary item 11: with brackets).
LIST_FIELDS = frozenset({"timestamp_granularities[]"})


@dataclass
class FormCall(Call[M]):
    """A validated audio request; `file` is the upload (None for speech)."""

    file: UploadedFile | None = None


def form_fields(form: FormData) -> dict[str, Any]:
    """The form's text fields as a body dict: lists for `[]` fields, else the last value."""
    data: dict[str, Any] = {}
    for name, values in form.fields.items():
        data[name] = list(values) if name in LIST_FIELDS else values[-1]
    return data


def require_file(form: FormData) -> UploadedFile:
    upload = form.files.get("file")
    if upload is None:
        raise InvalidRequest(
            "Missing required parameter: 'file'.", param="file", code="missing_required_parameter"
        )
    return upload


async def _read_body(
    request: Request, operation: OperationName, file_limit: int
) -> tuple[dict[str, Any], UploadedFile | None]:
    if is_multipart(request):
        form = await read_form(request, file_limit=file_limit)
        data = form_fields(form)
        if operation == "speech":
            return data, None
        # Known to the version check as a field; the bytes travel separately.
        return data | {"file": None}, require_file(form)
    if operation == "speech":
        return await read_json_object(request), None
    raise wrong_content_type(request)


def form_call(model: type[M], operation: OperationName) -> Callable[..., Awaitable[FormCall[M]]]:
    async def dependency(request: Request, deployment_id: str) -> FormCall[M]:
        state = get_state(request)
        version = require_api_version(request, operation)
        require_api_key(request, state)
        deployment = require_deployment(state, deployment_id, operation, request)
        request.state.azure_headers["azureml-model-session"] = f"{deployment.model}-mock"
        data, upload = await _read_body(request, operation, state.settings.max_audio_bytes)
        spec = version.spec(operation)
        check_fields(data, spec, state.settings.strict_fields)
        data.pop("file", None)
        body = validate_body(model, data, version, deployment)
        check_version_limits(data, spec)
        return FormCall(request, state, version, operation, deployment, body, data, upload)

    return dependency

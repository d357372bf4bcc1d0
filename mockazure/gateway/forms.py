"""Body readers for the gate (`gateway/gate.py`) where the body is multipart/form-data: the
audio operations (transcriptions, translations; speech too, as the spec declares it, or JSON as
the SDKs send it; azure-surface.md §2)."""

from typing import Any

from fastapi import Request

from mockazure.errors import InvalidRequest
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.multipart import (
    FormData,
    UploadedFile,
    is_multipart,
    read_form,
    wrong_content_type,
)
from mockazure.operations import Operation
from mockazure.state import MockState

# Form fields that carry a list, one part per value (clients.md, summary item 11: with brackets).
LIST_FIELDS = frozenset({"timestamp_granularities[]"})


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


async def read_audio_body(
    request: Request, state: MockState, operation: Operation
) -> tuple[dict[str, Any], UploadedFile | None]:
    """The fields, and the uploaded file (None for speech)."""
    if is_multipart(request):
        form = await read_form(request, file_limit=state.settings.max_audio_bytes)
        data = form_fields(form)
        data.pop("file", None)  # a text field of the file's name: the bytes are the part
        if operation.body == "json_or_form":
            return data, None
        return data, require_file(form)
    if operation.body == "json_or_form":
        return await read_json_object(request), None
    raise wrong_content_type(request)

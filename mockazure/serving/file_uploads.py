"""`POST /openai/files` and `/openai/v1/files`: the multipart form, its `purpose` and
`expires_after`, and the batch file's validation, before anything is stored."""

from typing import Any

import anyio
from fastapi import Request

from mockazure.errors import FilePayloadInvalid, InvalidRequest
from mockazure.gateway.multipart import FormData, is_multipart, read_form, wrong_content_type
from mockazure.operations import Operation, operation_named
from mockazure.serving.access import Access
from mockazure.serving.batch_input import check_batch_input
from mockazure.serving.files import (
    FileRecord,
    check_quota,
    new_file_id,
    save_file,
)
from mockazure.state import MockState

# The upload purposes each authoring spec's `Files_Upload` enumerates (read from the specs):
# fine-tune only up to 2024-02-01 and in 2024-06-01, assistants from 2024-02-15-preview,
# assistants_output from 2024-05-01-preview, batch with the batch API (2024-07-01-preview on).
_FINE_TUNE = ("fine-tune", "fine-tune-results")
_ASSISTANTS = (*_FINE_TUNE, "assistants")
_WITH_OUTPUT = (*_ASSISTANTS, "assistants_output")
_WITH_BATCH = (*_WITH_OUTPUT, "batch")
_ASSISTANTS_VERSIONS = frozenset({"2024-02-15-preview", "2024-03-01-preview", "2024-04-01-preview"})
# v1 (`AzureCreateFileRequestMultiPart.purpose` in the v1 GA spec). `user_data` (OpenAI's) is
# refused on Azure like any other unknown purpose.
V1_UPLOAD_PURPOSES = ("assistants", "batch", "fine-tune", "evals")


def upload_purposes(api_version: str) -> tuple[str, ...]:
    """The purposes a dated api-version's upload takes."""
    if api_version in (operation_named("batches_create").dated_versions or ()):
        return _WITH_BATCH
    if api_version == "2024-05-01-preview":
        return _WITH_OUTPUT
    return _ASSISTANTS if api_version in _ASSISTANTS_VERSIONS else _FINE_TUNE


# `expires_after.seconds` for uploads: 14 to 30 days (Learn batch how-to, "expires_after"); the
# only anchor is `created_at` (v1 spec `AzureFileExpiryAnchor`).
MIN_EXPIRY_S = 1_209_600
MAX_EXPIRY_S = 2_592_000
# Purposes that must come as JSON Lines ("fileName contains an invalid filename: wrong suffix."
# on a PDF for fine-tune, observed in Azure/AI-in-a-Box#46).
JSONL_PURPOSES = frozenset({"batch", "fine-tune"})


def _missing(name: str) -> InvalidRequest:
    return InvalidRequest(
        f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter"
    )


def _purpose(form: FormData, access: Access) -> str:
    purpose = form.value("purpose")
    if not purpose:
        raise _missing("purpose")
    allowed = V1_UPLOAD_PURPOSES if access.v1 else upload_purposes(access.api_version or "")
    if purpose not in allowed:
        raise FilePayloadInvalid("Invalid value for purpose.", param="purpose")
    return purpose


def _expires_at(form: FormData, created: int) -> int | None:
    anchor = form.value("expires_after[anchor]")
    seconds = form.value("expires_after[seconds]")
    if anchor is None and seconds is None:
        return None
    if anchor != "created_at":
        raise FilePayloadInvalid(
            "Invalid value for expires_after.anchor: expected 'created_at'.",
            param="expires_after.anchor",
        )
    try:
        value = int(seconds or "")
    except ValueError:
        value = -1
    if not MIN_EXPIRY_S <= value <= MAX_EXPIRY_S:
        raise FilePayloadInvalid(
            f"Invalid value for expires_after.seconds: expected an integer between "
            f"{MIN_EXPIRY_S} and {MAX_EXPIRY_S}.",
            param="expires_after.seconds",
        )
    return created + value


async def read_upload(
    request: Request, state: MockState, operation: Operation
) -> tuple[dict[str, Any], FormData]:
    """The gate's body reader for uploads: a multipart form, its file bounded."""
    if not is_multipart(request):
        raise wrong_content_type(request)
    return {}, await read_form(request, file_limit=state.settings.files_max_bytes)


async def upload_file(access: Access, form: FormData) -> FileRecord:
    state = access.state
    upload = form.files.get("file")
    if upload is None:
        raise _missing("file")
    purpose = _purpose(form, access)
    filename = upload.filename or "file"
    if purpose in JSONL_PURPOSES and not filename.lower().endswith(".jsonl"):
        raise FilePayloadInvalid(
            "fileName contains an invalid filename: wrong suffix.", param="file"
        )
    await check_quota(state, len(upload.data))
    if purpose == "batch":  # up to 100,000 lines parsed: off the event loop
        await anyio.to_thread.run_sync(check_batch_input, state, upload.data)
    created = int(state.clock.now())
    record = FileRecord(
        id=new_file_id(state, purpose),
        filename=filename,
        purpose=purpose,
        size=len(upload.data),
        created_at=created,
        started=state.clock.now(),
        expires_at=_expires_at(form, created),
    )
    await save_file(state, record, upload.data)
    return record

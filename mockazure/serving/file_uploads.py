"""`POST /openai/files` and `/openai/v1/files`: the multipart form, its `purpose` and
`expires_after`, and the batch file's validation, before anything is stored."""

from fastapi import Request

from mockazure.errors import FilePayloadInvalid, InvalidRequest
from mockazure.gateway.multipart import FormData, is_multipart, read_form, wrong_content_type
from mockazure.serving.access import Access
from mockazure.serving.batch_input import check_batch_input
from mockazure.serving.files import (
    FileRecord,
    check_quota,
    new_file_id,
    save_file,
)
from mockazure.serving.jobs_table import UPLOAD_PURPOSES, V1_UPLOAD_PURPOSES

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
    allowed = V1_UPLOAD_PURPOSES if access.v1 else UPLOAD_PURPOSES[access.api_version or ""]
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


async def upload_file(request: Request, access: Access) -> FileRecord:
    state = access.state
    if not is_multipart(request):
        raise wrong_content_type(request)
    form = await read_form(request, file_limit=state.settings.files_max_bytes)
    upload = form.files.get("file")
    if upload is None:
        raise _missing("file")
    purpose = _purpose(form, access)
    filename = upload.filename or "file"
    if purpose in JSONL_PURPOSES and not filename.lower().endswith(".jsonl"):
        raise FilePayloadInvalid(
            "fileName contains an invalid filename: wrong suffix.", param="file"
        )
    check_quota(state, len(upload.data))
    if purpose == "batch":
        check_batch_input(state, upload.data)
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
    save_file(state, record, upload.data)
    return record

"""Files in the store: one record (JSON) and its content (bytes) per id, both with the file's
lifetime as TTL, so every replica serves an upload another one accepted.

Bounds (Azure's batch quotas, Learn batch how-to "Batch limits"): an upload is at most
`files_max_bytes` (200 MB; the body limit `max_body_bytes` applies first), a resource keeps at
most `files_max_count` files (500) and, for the emulator's memory, `files_max_total_bytes`.
Files live until deleted, until their `expires_after` or, by default, `files_ttl_s`.
"""

import json
from dataclasses import asdict, dataclass

from mockazure.errors import FileNotFound, FilePayloadInvalid, QuotaExceeded
from mockazure.protocol.files import FileObject
from mockazure.state import MockState

RECORDS = "files"
CONTENTS = "file-contents"


@dataclass
class FileRecord:
    id: str
    filename: str
    purpose: str
    size: int
    created_at: int
    started: float  # clock time of the upload (status moves from it)
    expires_at: int | None = None
    status_details: str | None = None
    # Batch outputs are written when their batch is created and appear at this clock time.
    visible_at: float = 0.0

    def dumps(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "FileRecord":
        return cls(**json.loads(raw))

    def view(self, now: float, processing_s: float) -> FileObject:
        status = "processed" if now >= self.started + processing_s else "pending"
        return FileObject(
            id=self.id,
            bytes=self.size,
            created_at=self.created_at,
            filename=self.filename,
            purpose=self.purpose,
            status=status,
            expires_at=self.expires_at,
            status_details=self.status_details,
        )


def new_file_id(state: MockState, purpose: str) -> str:
    """`file-<32 hex>` (Azure's shape, Learn batch samples); `assistant-<24 alnum>` for the
    assistants purpose (Azure's assistant file ids, azure-sdk-for-net#47121 shows `file-…`
    for the same resource type in other versions)."""
    if purpose == "assistants":
        return state.ids.token("assistant-", 24)
    return "file-" + state.ids.uuid().replace("-", "")


def ttl_of(state: MockState, record: FileRecord) -> float:
    if record.expires_at is not None:
        return max(1.0, record.expires_at - state.clock.now())
    return state.settings.files_ttl_s


async def save_file(state: MockState, record: FileRecord, content: bytes) -> None:
    ttl = ttl_of(state, record)
    await state.store.aput(CONTENTS, record.id, content, ttl_s=ttl)
    await state.store.aput(RECORDS, record.id, record.dumps(), ttl_s=ttl)


def save_file_blocking(state: MockState, record: FileRecord, content: bytes) -> None:
    """`save_file` for a batch step (a worker thread, off the event loop: serving/batch_work.py)."""
    ttl = ttl_of(state, record)
    state.store.put(CONTENTS, record.id, content, ttl_s=ttl)
    state.store.put(RECORDS, record.id, record.dumps(), ttl_s=ttl)


def _visible(state: MockState, raw: bytes | None) -> FileRecord | None:
    if raw is None:
        return None
    record = FileRecord.loads(raw)
    return record if state.clock.now() >= record.visible_at else None


async def load_file(state: MockState, file_id: str) -> FileRecord | None:
    return _visible(state, await state.store.aget(RECORDS, file_id))


async def require_file(state: MockState, file_id: str) -> FileRecord:
    record = await load_file(state, file_id)
    if record is None:
        raise FileNotFound(file_id)
    return record


async def file_content(state: MockState, file_id: str) -> bytes:
    await require_file(state, file_id)
    content = await state.store.aget(CONTENTS, file_id)
    if content is None:
        raise FileNotFound(file_id)
    return content


def file_content_blocking(state: MockState, file_id: str) -> bytes:
    """`file_content` for a batch step (a worker thread, off the event loop)."""
    if _visible(state, state.store.get(RECORDS, file_id)) is None:
        raise FileNotFound(file_id)
    content = state.store.get(CONTENTS, file_id)
    if content is None:
        raise FileNotFound(file_id)
    return content


async def delete_file(state: MockState, file_id: str) -> None:
    await require_file(state, file_id)
    await state.store.adelete(CONTENTS, file_id)
    await state.store.adelete(RECORDS, file_id)


async def _visible_files(state: MockState) -> list[FileRecord]:
    found = [await load_file(state, key) for key in await state.store.akeys(RECORDS)]
    return [r for r in found if r is not None]


async def all_files(state: MockState) -> list[FileRecord]:
    """Every visible file, newest first (ties by id, so pages are stable)."""
    records = await _visible_files(state)
    return sorted(records, key=lambda r: (-r.created_at, r.id))


async def check_quota(state: MockState, size: int) -> None:
    settings = state.settings
    if size > settings.files_max_bytes:
        raise FilePayloadInvalid(
            f"The file is too large: {size} bytes. The maximum size of a file is "
            f"{settings.files_max_bytes} bytes.",
            param="file",
        )
    present = await _visible_files(state)
    if len(present) >= settings.files_max_count:
        raise QuotaExceeded(
            f"The number of files in this resource reached its limit of "
            f"{settings.files_max_count}. Delete files that are no longer needed.",
        )
    if sum(r.size for r in present) + size > settings.files_max_total_bytes:
        raise QuotaExceeded(
            "The files of this resource would exceed the emulator's storage limit of "
            f"{settings.files_max_total_bytes} bytes (--files-max-total-bytes).",
        )

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


def save_file(state: MockState, record: FileRecord, content: bytes) -> None:
    ttl = ttl_of(state, record)
    state.store.put(CONTENTS, record.id, content, ttl_s=ttl)
    state.store.put(RECORDS, record.id, record.dumps(), ttl_s=ttl)


def load_file(state: MockState, file_id: str) -> FileRecord | None:
    raw = state.store.get(RECORDS, file_id)
    if raw is None:
        return None
    record = FileRecord.loads(raw)
    return record if state.clock.now() >= record.visible_at else None


def require_file(state: MockState, file_id: str) -> FileRecord:
    record = load_file(state, file_id)
    if record is None:
        raise FileNotFound(file_id)
    return record


def file_content(state: MockState, file_id: str) -> bytes:
    require_file(state, file_id)
    content = state.store.get(CONTENTS, file_id)
    if content is None:
        raise FileNotFound(file_id)
    return content


def delete_file(state: MockState, file_id: str) -> None:
    require_file(state, file_id)
    state.store.delete(CONTENTS, file_id)
    state.store.delete(RECORDS, file_id)


def all_files(state: MockState) -> list[FileRecord]:
    """Every visible file, newest first (ties by id, so pages are stable)."""
    found = [load_file(state, key) for key in state.store.keys(RECORDS)]
    records = [r for r in found if r is not None]
    return sorted(records, key=lambda r: (-r.created_at, r.id))


def check_quota(state: MockState, size: int) -> None:
    settings = state.settings
    if size > settings.files_max_bytes:
        raise FilePayloadInvalid(
            f"The file is too large: {size} bytes. The maximum size of a file is "
            f"{settings.files_max_bytes} bytes.",
            param="file",
        )
    records = [load_file(state, key) for key in state.store.keys(RECORDS)]
    present = [r for r in records if r is not None]
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

"""Files (authoring specs `File`, `FileList`, `FileDelete`; v1 GA spec `AzureOpenAIFile`,
`AzureListFilesResponse`, `OpenAI.DeleteFileResponse`). Names follow openai-python
(`FileObject`, `FileDeleted`)."""

from typing import Literal

from pydantic import Field

from mockazure.protocol.common import FullResponseModel

FileStatus = Literal["uploaded", "pending", "running", "processed", "error", "deleting", "deleted"]


class FileObject(FullResponseModel):
    id: str
    object: Literal["file"] = "file"
    bytes: int
    created_at: int
    filename: str
    purpose: str
    status: FileStatus
    expires_at: int | None = None
    status_details: str | None = None


class FileList(FullResponseModel):
    object: Literal["list"] = "list"
    data: list[FileObject] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


class FileDeleted(FullResponseModel):
    id: str
    object: Literal["file"] = "file"
    deleted: bool = True

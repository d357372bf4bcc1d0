"""The long-running job families (files, batches, stored chat completions, videos): which paths
and api-versions reach each operation, in one place for the lead's operation table.

Dated versions: the authoring specs (`azure-openai-specs/authoring-*.json`) define `/files` from
2022-03-01-preview and `/batches` from 2024-07-01-preview (GA 2024-10-21). The authoring specs
stop at 2024-10-21; the later previews (2024-12-01-preview … 2025-04-01-preview) are inference
specs only, yet openai-python's `AzureOpenAI` sends `files`/`batches` calls to
`/openai/{path}?api-version=<the client's version>` (clients.md §0.3), and Learn's batch how-to
uses those previews in its Python samples; they are accepted too **(inference)**.
Stored chat completions: `store`/`metadata` from 2024-12-01-preview (the inference specs), the
list/get/update/delete/messages paths from 2025-02-01-preview (reference §1) and on v1.
"""

from typing import Literal, cast

from mockazure.operations import Operation, Route
from mockazure.versions import OperationName

LATER_PREVIEWS = (
    "2024-12-01-preview",
    "2025-01-01-preview",
    "2025-02-01-preview",
    "2025-03-01-preview",
    "2025-04-01-preview",
)

# The upload purposes each authoring spec's `Files_Upload` enumerates (read from the specs).
_FINE_TUNE = ("fine-tune", "fine-tune-results")
_ASSISTANTS = (*_FINE_TUNE, "assistants")
_WITH_OUTPUT = (*_ASSISTANTS, "assistants_output")
_WITH_BATCH = (*_WITH_OUTPUT, "batch")
UPLOAD_PURPOSES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "2022-03-01-preview",
            "2022-06-01-preview",
            "2022-12-01",
            "2023-03-15-preview",
            "2023-05-15",
            "2023-06-01-preview",
            "2023-07-01-preview",
            "2023-08-01-preview",
            "2023-09-01-preview",
            "2023-10-01-preview",
            "2023-12-01-preview",
            "2024-02-01",
            "2024-06-01",
        ),
        _FINE_TUNE,
    ),
    **dict.fromkeys(
        ("2024-02-15-preview", "2024-03-01-preview", "2024-04-01-preview"), _ASSISTANTS
    ),
    "2024-05-01-preview": _WITH_OUTPUT,
    **dict.fromkeys(
        (
            "2024-07-01-preview",
            "2024-08-01-preview",
            "2024-09-01-preview",
            "2024-10-01-preview",
            "2024-10-21",
            *LATER_PREVIEWS,
        ),
        _WITH_BATCH,
    ),
}
# v1 (`AzureCreateFileRequestMultiPart.purpose` in the v1 GA spec). `user_data` (OpenAI's) is
# refused on Azure like any other unknown purpose.
V1_UPLOAD_PURPOSES = ("assistants", "batch", "fine-tune", "evals")

BATCH_VERSIONS = frozenset(
    v
    for v, purposes in UPLOAD_PURPOSES.items()
    if "batch" in purposes and v != "2024-05-01-preview"
)
STORE_FIELD_VERSIONS = frozenset(LATER_PREVIEWS)
STORED_LIST_VERSIONS = frozenset(LATER_PREVIEWS[2:])

JobOperation = Literal[
    "files_upload",
    "files_list",
    "files_get",
    "files_delete",
    "files_content",
    "batches_create",
    "batches_list",
    "batches_get",
    "batches_cancel",
    "stored_list",
    "stored_get",
    "stored_update",
    "stored_delete",
    "stored_messages",
    "videos_create",
    "videos_list",
    "videos_get",
    "videos_delete",
    "videos_content",
    "videos_remix",
    "video_jobs_create",
    "video_jobs_list",
    "video_jobs_get",
    "video_jobs_delete",
    "video_generation_content",
]

# operation-table rows: (method, dated path, v1 path, dated operationId, v1 operationId).
# None: that path family does not have the operation. None of them is metered or stubbable
# (batch lines are, one by one, as the chat/embeddings operations they name).
OPERATION_ROWS: dict[JobOperation, tuple[str, str | None, str | None, str, str]] = {
    "files_upload": ("POST", "/openai/files", "/openai/v1/files", "Files_Upload", "createFile"),
    "files_list": ("GET", "/openai/files", "/openai/v1/files", "Files_List", "listFiles"),
    "files_get": (
        "GET",
        "/openai/files/{file_id}",
        "/openai/v1/files/{file_id}",
        "Files_Get",
        "retrieveFile",
    ),
    "files_delete": (
        "DELETE",
        "/openai/files/{file_id}",
        "/openai/v1/files/{file_id}",
        "Files_Delete",
        "deleteFile",
    ),
    "files_content": (
        "GET",
        "/openai/files/{file_id}/content",
        "/openai/v1/files/{file_id}/content",
        "Files_GetContent",
        "downloadFile",
    ),
    "batches_create": (
        "POST",
        "/openai/batches",
        "/openai/v1/batches",
        "Batch_Create",
        "createBatch",
    ),
    "batches_list": ("GET", "/openai/batches", "/openai/v1/batches", "Batch_List", "listBatches"),
    "batches_get": (
        "GET",
        "/openai/batches/{batch_id}",
        "/openai/v1/batches/{batch_id}",
        "Batch_Get",
        "retrieveBatch",
    ),
    "batches_cancel": (
        "POST",
        "/openai/batches/{batch_id}/cancel",
        "/openai/v1/batches/{batch_id}/cancel",
        "Batch_Cancel",
        "cancelBatch",
    ),
    "stored_list": (
        "GET",
        "/openai/chat/completions",
        "/openai/v1/chat/completions",
        "listChatCompletions",
        "listChatCompletions",
    ),
    "stored_get": (
        "GET",
        "/openai/chat/completions/{completion_id}",
        "/openai/v1/chat/completions/{completion_id}",
        "getChatCompletion",
        "getChatCompletion",
    ),
    "stored_update": (
        "POST",
        "/openai/chat/completions/{completion_id}",
        "/openai/v1/chat/completions/{completion_id}",
        "updateChatCompletion",
        "updateChatCompletion",
    ),
    "stored_delete": (
        "DELETE",
        "/openai/chat/completions/{completion_id}",
        "/openai/v1/chat/completions/{completion_id}",
        "deleteChatCompletion",
        "deleteChatCompletion",
    ),
    "stored_messages": (
        "GET",
        "/openai/chat/completions/{completion_id}/messages",
        "/openai/v1/chat/completions/{completion_id}/messages",
        "getChatCompletionMessages",
        "getChatCompletionMessages",
    ),
}


# Videos are on v1 only (Sora 2: the video concept page; Sora 1: `?api-version=preview`, from
# clients' code, reference §5). The operationIds are OpenAI's (Sora 2) or the mock's (Sora 1).
for _name, _path, _op in (
    ("videos_create", "POST /openai/v1/videos", "createVideo"),
    ("videos_list", "GET /openai/v1/videos", "ListVideos"),
    ("videos_get", "GET /openai/v1/videos/{video_id}", "GetVideo"),
    ("videos_delete", "DELETE /openai/v1/videos/{video_id}", "DeleteVideo"),
    ("videos_content", "GET /openai/v1/videos/{video_id}/content", "RetrieveVideoContent"),
    ("videos_remix", "POST /openai/v1/videos/{video_id}/remix", "CreateVideoRemix"),
    ("video_jobs_create", "POST /openai/v1/video/generations/jobs", "VideoJobs_Create"),
    ("video_jobs_list", "GET /openai/v1/video/generations/jobs", "VideoJobs_List"),
    ("video_jobs_get", "GET /openai/v1/video/generations/jobs/{job_id}", "VideoJobs_Get"),
    ("video_jobs_delete", "DELETE /openai/v1/video/generations/jobs/{job_id}", "VideoJobs_Delete"),
    (
        "video_generation_content",
        "GET /openai/v1/video/generations/{generation_id}/content/{variant}",
        "VideoGenerations_GetContent",
    ),
):
    _method, _, _v1_path = _path.partition(" ")
    OPERATION_ROWS[_name] = (_method, None, _v1_path, _op, _op)  # type: ignore[index]


def dated_versions(operation: JobOperation) -> frozenset[str]:
    """The dated api-versions that reach `operation` on its `/openai/...` path."""
    if operation.startswith("video"):
        return frozenset()
    if operation.startswith("files_"):
        return frozenset(UPLOAD_PURPOSES)
    if operation.startswith("batches_"):
        return BATCH_VERSIONS
    return STORED_LIST_VERSIONS


# The deployment rule of video creation (Sora 2 and Sora 1): a `video` deployment; Azure's
# OperationNotSupported word for it is not public ("videoGeneration" is the mock's).
VIDEO_GENERATION = Operation(
    name=cast(OperationName, "video_generations"),
    family="videos",
    method="POST",
    routes=(
        Route("/openai/v1/videos", "body", "v1"),
        Route("/openai/v1/video/generations/jobs", "body", "v1"),
    ),
    operation_id="createVideo",
    body="json_or_form",
    body_model=None,
    capability="video",
    azure_word="videoGeneration",
    metered=False,
    stubbable=False,
)

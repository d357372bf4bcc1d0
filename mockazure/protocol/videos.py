"""Video generation. Sora 2 (`/openai/v1/videos`, OpenAI's `VideoResource`, `VideoListResource`,
`DeletedVideoResource`; Azure's video concept page: sizes 720x1280 | 1280x720, seconds 4 | 8 |
12) and Sora 1 (`/openai/v1/video/generations/jobs?api-version=preview`, Azure only: the job and
generation shapes of Learn's Sora quickstart, `video.generation.job` / `video.generation`)."""

from typing import Literal

from pydantic import Field

from mockazure.protocol.common import FullResponseModel

VideoStatus = Literal["queued", "in_progress", "completed", "failed"]
JobStatus = Literal[
    "queued", "preprocessing", "running", "processing", "succeeded", "failed", "cancelled"
]


class VideoError(FullResponseModel):
    code: str
    message: str


class Video(FullResponseModel):
    id: str
    object: Literal["video"] = "video"
    model: str
    status: VideoStatus
    progress: int
    created_at: int
    completed_at: int | None = None
    expires_at: int | None = None
    prompt: str | None = None
    size: str
    seconds: str
    remixed_from_video_id: str | None = None
    error: VideoError | None = None


class VideoList(FullResponseModel):
    object: Literal["list"] = "list"
    data: list[Video]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False


class VideoDeleted(FullResponseModel):
    id: str
    object: Literal["video.deleted"] = "video.deleted"
    deleted: bool = True


class VideoGeneration(FullResponseModel):
    object: Literal["video.generation"] = "video.generation"
    id: str
    job_id: str
    created_at: int
    width: int
    height: int
    n_seconds: int
    prompt: str


class VideoGenerationJob(FullResponseModel):
    object: Literal["video.generation.job"] = "video.generation.job"
    id: str
    status: JobStatus
    created_at: int
    finished_at: int | None = None
    expires_at: int | None = None
    generations: list[VideoGeneration] = Field(default_factory=list)
    prompt: str
    model: str
    n_variants: int
    n_seconds: int
    height: int
    width: int
    failure_reason: str | None = None


class VideoGenerationJobList(FullResponseModel):
    object: Literal["list"] = "list"
    data: list[VideoGenerationJob]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False

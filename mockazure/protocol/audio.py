"""Audio: Whisper transcriptions/translations and text-to-speech (azure-surface.md §4.7).

The models hold the widest limits of all api-versions; `timestamp_granularities[]` and the speech
formats `wav`/`pcm` are narrowed per version by the registry (`dependencies.check_version_limits`).
Multipart form values arrive as strings; pydantic's lax mode turns "0.5" into 0.5.
"""

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from mockazure.errors import InvalidParam
from mockazure.protocol.common import AzureModel, ResponseModel

AudioResponseFormat = Literal["json", "text", "srt", "verbose_json", "vtt"]
TimestampGranularity = Literal["word", "segment"]
SpeechResponseFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
Voice = Literal["alloy", "echo", "fable", "onyx", "nova", "shimmer"]

# ISO-639-1 codes of the languages Whisper knows (its tokenizer's list, minus the non-639-1
# codes `haw`, `jw` and `yue`).
_LANGUAGE_CODES = (
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha he "
    "hi hr ht hu hy id is it ja ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr ms mt my ne "
    "nl nn no oc pa pl ps pt ro ru sa sd si sk sl sn so sq sr su sv sw ta te tg th tk tl tr tt "
    "uk ur uz vi yi yo zh"
)
WHISPER_LANGUAGES = frozenset(_LANGUAGE_CODES.split(" "))


class TranslationForm(AzureModel):
    """`audio/translations` form fields besides `file` (spec order)."""

    prompt: str | None = None
    response_format: AudioResponseFormat = "json"
    temperature: float = Field(default=0.0, ge=0.0, le=1.0)


class TranscriptionForm(TranslationForm):
    """`audio/transcriptions` form fields besides `file`."""

    language: str | None = None
    timestamp_granularities: list[TimestampGranularity] | None = Field(
        default=None, alias="timestamp_granularities[]"
    )

    @field_validator("language")
    @classmethod
    def _iso_639_1(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in WHISPER_LANGUAGES:
            raise InvalidParam(
                "language",
                f"Invalid language '{value}'. Language parameter must be specified in "
                "ISO-639-1 format.",
            )
        return None if value is None else value.lower()

    @model_validator(mode="after")
    def _granularities_need_verbose_json(self) -> Self:
        if self.timestamp_granularities and self.response_format != "verbose_json":
            raise InvalidParam(
                "timestamp_granularities[]",
                "`timestamp_granularities[]` is only supported when `response_format` is "
                "`verbose_json`.",
                code="invalid_parameter_combination",
            )
        return self

    @property
    def wants_words(self) -> bool:
        return "word" in (self.timestamp_granularities or [])

    @property
    def wants_segments(self) -> bool:
        return not self.timestamp_granularities or "segment" in self.timestamp_granularities


class SpeechRequest(AzureModel):
    """`audio/speech` body (JSON, or multipart as the spec declares it)."""

    input: str = Field(min_length=1, max_length=4096)
    voice: Voice
    response_format: SpeechResponseFormat = "mp3"
    speed: float = Field(default=1.0, ge=0.25, le=4.0)


class Transcription(ResponseModel):
    text: str


class TranscriptionWord(ResponseModel):
    word: str
    start: float
    end: float


class TranscriptionSegment(ResponseModel):
    id: int
    seek: int
    start: float
    end: float
    text: str
    tokens: list[int]
    temperature: float
    avg_logprob: float
    compression_ratio: float
    no_speech_prob: float


class TranscriptionVerbose(ResponseModel):
    task: Literal["transcribe", "translate"]
    language: str
    duration: float
    text: str
    segments: list[TranscriptionSegment] | None = None
    words: list[TranscriptionWord] | None = None

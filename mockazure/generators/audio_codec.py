"""Reading and writing real audio with PyAV (FFmpeg, bundled in its wheel).

`probe(data, filename)` decides the upload's format from its content (magic bytes) and its name,
then opens it with FFmpeg to read the real duration; `encode(pcm, fmt)` turns 24 kHz mono 16-bit
samples into mp3 / Ogg Opus / AAC (ADTS) / FLAC / WAV or returns them raw (pcm).

Errors follow what the service answers (azure-surface.md §4.7; wording as observed):
* a format outside the list: "Invalid file format. Supported formats: [...]" (400, param null;
  a nameless, unrecognisable upload gets "Unrecognized file format. ..." as Azure sends it,
  Azure/azure-sdk-for-net#40078);
* a supported name whose content does not decode: "Audio file might be corrupted or
  unsupported" (400, param `file`, code `invalid_value`);
* shorter than 0.1 s (an empty file included): "Audio file is too short. ..." (code
  `audio_too_short`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # PyAV (FFmpeg) is imported on first use: 28 MB of RSS at start-up otherwise
    import av.container

from mockazure.errors import InvalidRequest

SPEECH_SAMPLE_RATE_HZ = 24_000
MIN_AUDIO_SECONDS = 0.1
SUPPORTED_FORMATS = ("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm")
_LISTED = "[" + ", ".join(f"'{name}'" for name in SUPPORTED_FORMATS) + "]"

# Speech: PyAV container format, encoder, and the content type the service answers with
# (openai/openai-openapi#141: audio/mpeg, audio/aac ... rather than the spec's octet-stream).
SPEECH_ENCODINGS: dict[str, tuple[str, str, str]] = {
    "mp3": ("mp3", "libmp3lame", "audio/mpeg"),
    "opus": ("ogg", "libopus", "audio/opus"),
    "aac": ("adts", "aac", "audio/aac"),
    "flac": ("flac", "flac", "audio/flac"),
    "wav": ("wav", "pcm_s16le", "audio/wav"),
}
PCM_CONTENT_TYPE = "audio/pcm"


@dataclass(frozen=True)
class AudioInfo:
    format: str  # the family found in the content: wav, flac, ogg, mp3, mp4, webm
    duration_s: float


def sniff(data: bytes) -> str | None:
    """The container family from the first bytes, or None."""
    head = data[:16]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:3] == b"ID3":
        return "mp3"
    # MPEG audio frame sync; the layer bits (00 = reserved, used by AAC ADTS) must be set.
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "mp3"
    return None


def extension(filename: str | None) -> str:
    if not filename or "." not in filename.rsplit("/", 1)[-1]:
        return ""
    return filename.rsplit(".", 1)[-1].lower()


def _format_error(filename: str | None) -> InvalidRequest:
    word = "Invalid" if extension(filename) else "Unrecognized"
    return InvalidRequest(f"{word} file format. Supported formats: {_LISTED}")


def _corrupt() -> InvalidRequest:
    return InvalidRequest(
        "Audio file might be corrupted or unsupported", param="file", code="invalid_value"
    )


def _too_short() -> InvalidRequest:
    return InvalidRequest(
        f"Audio file is too short. Minimum audio length is {MIN_AUDIO_SECONDS} seconds.",
        param="file",
        code="audio_too_short",
    )


def _duration(container: av.container.InputContainer) -> float:
    """From the container header when it has one, else by summing packet durations."""
    stream = container.streams.audio[0]
    if container.duration:
        return container.duration / 1_000_000
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    total = Fraction(0)
    for packet in container.demux(stream):
        if packet.duration and packet.time_base:
            total += packet.duration * packet.time_base
    return float(total)


def probe(data: bytes, filename: str | None) -> AudioInfo:
    """Check the upload is supported audio and read its real duration."""
    family = sniff(data)
    if not data:
        raise _too_short()
    if family is None and extension(filename) not in SUPPORTED_FORMATS:
        raise _format_error(filename)
    import av
    import av.error

    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise _corrupt()
            # Decoding one frame proves the content is what it claims.
            next(container.decode(audio=0))
            container.seek(0)
            duration = _duration(container)
    except (av.error.FFmpegError, StopIteration, ValueError, IndexError) as exc:
        raise _corrupt() from exc
    if family is None:
        raise _corrupt()  # FFmpeg found something, but not one of the supported formats
    if duration < MIN_AUDIO_SECONDS:
        raise _too_short()
    return AudioInfo(family, duration)


def encode(pcm: bytes, response_format: str) -> bytes:
    """24 kHz mono s16le samples in the requested speech format (bit-exact: same in, same out)."""
    if response_format == "pcm":
        return pcm
    import av

    container_format, codec, _ = SPEECH_ENCODINGS[response_format]
    buffer = io.BytesIO()
    options = {"fflags": "+bitexact"}
    with av.open(buffer, mode="w", format=container_format, options=options) as container:
        stream = container.add_stream(codec, rate=SPEECH_SAMPLE_RATE_HZ, layout="mono")
        assert isinstance(stream, av.audio.stream.AudioStream)
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        frame_samples = 4096
        for offset in range(0, len(pcm) // 2, frame_samples):
            chunk = pcm[offset * 2 : (offset + frame_samples) * 2]
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
            frame.planes[0].update(chunk)
            frame.sample_rate = SPEECH_SAMPLE_RATE_HZ
            frame.pts = offset
            frame.time_base = Fraction(1, SPEECH_SAMPLE_RATE_HZ)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()


def content_type(response_format: str) -> str:
    if response_format == "pcm":
        return PCM_CONTENT_TYPE
    return SPEECH_ENCODINGS[response_format][2]

"""Audio made by the tests: WAV with the stdlib `wave`, the other formats encoded with PyAV."""

import array
import io
import math
import wave
from fractions import Fraction

import av

SAMPLE_RATE_HZ = 16_000

# Upload name -> (PyAV container format, encoder, sample rate). `mpeg`/`mpga` are MP3 files.
ENCODINGS: dict[str, tuple[str, str, int]] = {
    "mp3": ("mp3", "libmp3lame", 16_000),
    "mpeg": ("mp3", "libmp3lame", 16_000),
    "mpga": ("mp3", "libmp3lame", 16_000),
    "flac": ("flac", "flac", 16_000),
    "ogg": ("ogg", "libopus", 48_000),
    "webm": ("webm", "libopus", 48_000),
    "mp4": ("mp4", "aac", 16_000),
    "m4a": ("ipod", "aac", 16_000),
}
ALL_FORMATS = ("wav", *ENCODINGS)


def tone(seconds: float, rate: int = SAMPLE_RATE_HZ) -> bytes:
    """s16le mono samples of a 440 Hz tone."""
    samples = array.array(
        "h",
        (int(6000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate))),
    )
    return samples.tobytes()


def make_wav(seconds: float = 2.0, rate: int = SAMPLE_RATE_HZ) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(tone(seconds, rate))
    return buffer.getvalue()


def make_audio(fmt: str, seconds: float = 2.0) -> bytes:
    if fmt == "wav":
        return make_wav(seconds)
    container_format, codec, rate = ENCODINGS[fmt]
    pcm = tone(seconds, rate)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=rate, layout="mono")
        assert isinstance(stream, av.audio.stream.AudioStream)
        step = 1024
        for offset in range(0, len(pcm) // 2, step):
            chunk = pcm[offset * 2 : (offset + step) * 2]
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
            frame.planes[0].update(chunk)
            frame.sample_rate = rate
            frame.pts = offset
            frame.time_base = Fraction(1, rate)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()


def decoded_duration(data: bytes) -> float:
    """Seconds of audio a standard decoder (FFmpeg) gets out of `data`."""
    samples = 0
    rate = 1
    with av.open(io.BytesIO(data), mode="r") as container:
        for frame in container.decode(audio=0):
            samples += frame.samples
            rate = frame.sample_rate
    return samples / rate

"""Small, real, deterministic MP4s (H.264 via PyAV) for the video generation mocks: exactly the
requested size and duration, the prompt drawn on every frame over a background of its colour,
and a marker that moves across the frame so players and tests see motion.

Kept small: 8 frames a second, x264 `ultrafast` with a high CRF, one thread (x264 is then
bit-exact: the same prompt, size and duration give the same bytes)."""

from __future__ import annotations

import hashlib
import io
import textwrap
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # PIL is imported where frames are drawn (the first video, not at start-up)
    from PIL import Image, ImageFont

FPS = 8
CRF = "35"


def _palette(prompt: str, seed: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    digest = hashlib.sha256(f"{seed}:{prompt}".encode()).digest()
    background = (40 + digest[0] % 120, 40 + digest[1] % 120, 40 + digest[2] % 120)
    marker = (255 - background[0], 255 - background[1], 255 - background[2])
    return background, marker


def _font(height: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=max(12, height // 24))


def _backdrop(prompt: str, width: int, height: int, seed: int) -> Image.Image:
    """The still part of every frame: the background colour and the prompt, wrapped."""
    from PIL import Image, ImageDraw

    background, _ = _palette(prompt, seed)
    image = Image.new("RGB", (width, height), background)
    columns = max(10, width // max(6, height // 40))
    text = "\n".join(textwrap.wrap(prompt, columns)[:6])
    ImageDraw.Draw(image).multiline_text(
        (width // 20, height // 20), text, fill=(255, 255, 255), font=_font(height)
    )
    return image


def _with_marker(
    backdrop: Image.Image, prompt: str, index: int, total: int, seed: int
) -> Image.Image:
    """Frame `index` of `total`: a square that crosses the frame left to right."""
    from PIL import ImageDraw

    width, height = backdrop.size
    _, marker = _palette(prompt, seed)
    image = backdrop.copy()
    side = max(8, min(width, height) // 8)
    x = (width - side) * index // max(1, total - 1)
    y = height - side - height // 10
    ImageDraw.Draw(image).rectangle((x, y, x + side, y + side), fill=marker)
    return image


def frame(prompt: str, width: int, height: int, index: int, total: int, seed: int) -> Image.Image:
    return _with_marker(_backdrop(prompt, width, height, seed), prompt, index, total, seed)


def render_mp4(prompt: str, width: int, height: int, seconds: int, seed: int = 0) -> bytes:
    """An H.264 MP4 of `width` x `height` lasting exactly `seconds` (FPS * seconds frames)."""
    import av  # on first use (issue 16: PyAV is 28 MB of RSS at start-up)

    out = io.BytesIO()
    total = FPS * seconds
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, FPS)
        stream.options = {"preset": "ultrafast", "crf": CRF, "threads": "1"}
        backdrop = _backdrop(prompt, width, height, seed)
        for index in range(total):
            image = _with_marker(backdrop, prompt, index, total, seed)
            picture = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            picture.pts = index
            for packet in stream.encode(picture):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def render_thumbnail(prompt: str, width: int, height: int, seed: int = 0) -> bytes:
    """The first frame as WebP (OpenAI's `thumbnail` variant)."""
    out = io.BytesIO()
    frame(prompt, width, height, 0, 2, seed).save(out, format="WEBP", quality=60)
    return out.getvalue()


def render_spritesheet(prompt: str, width: int, height: int, seconds: int, seed: int = 0) -> bytes:
    """One frame a second, scaled down, side by side, as JPEG (the `spritesheet` variant)."""
    from PIL import Image

    scale = 160 / max(width, height)
    cell = (max(1, int(width * scale)), max(1, int(height * scale)))
    sheet = Image.new("RGB", (cell[0] * seconds, cell[1]))
    total = FPS * seconds
    for second in range(seconds):
        picture = frame(prompt, width, height, second * FPS, total, seed).resize(cell)
        sheet.paste(picture, (second * cell[0], 0))
    out = io.BytesIO()
    sheet.save(out, format="JPEG", quality=70)
    return out.getvalue()

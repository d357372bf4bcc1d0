"""Real image files for the images family: deterministic, of exactly the requested size, and
visibly derived from the prompt (colours from its hash, shapes from the request seed, the prompt
text drawn on top), so a demo shows something and a test can decode and compare them.

Pure: (prompt, size, seed, format) -> bytes. Edits start from the uploaded picture instead.
"""

from __future__ import annotations

import hashlib
import io
import random
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

if (
    TYPE_CHECKING
):  # # PIL is imported by the functions that draw (on the first image request, not at start-up)
    from PIL import Image

from mockazure.generators.byte_cache import ByteCache

Rgb = tuple[int, int, int]


@dataclass(frozen=True)
class Canvas:
    """How to encode one picture."""

    width: int
    height: int
    fmt: str = "png"  # png | jpeg | webp
    compression: int = 100  # 0..100 (gpt-image-1 `output_compression`, jpeg/webp only)
    transparent: bool = False  # gpt-image-1 `background: transparent` (png only)

    @property
    def content_type(self) -> str:
        return f"image/{self.fmt}"


def palette(prompt: str) -> list[Rgb]:
    """Four corner colours from the prompt's hash: two prompts give visibly different images."""
    digest = hashlib.sha256(prompt.encode("utf-8")).digest()
    return [(digest[i], digest[i + 1], digest[i + 2]) for i in range(0, 12, 3)]


def _gradient(colors: list[Rgb], width: int, height: int) -> Image.Image:
    from PIL import Image

    corners = Image.new("RGB", (2, 2))
    corners.putdata(colors)
    return corners.resize((width, height), Image.Resampling.BILINEAR)


def _shapes(image: Image.Image, rng: random.Random, count: int = 6) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image, "RGBA")
    width, height = image.size
    for _ in range(count):
        radius = rng.randint(min(width, height) // 16, min(width, height) // 5)
        x, y = rng.randint(0, width), rng.randint(0, height)
        fill = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255), 150)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


def _caption(image: Image.Image, text: str) -> None:
    from PIL import ImageDraw, ImageFont

    width, height = image.size
    size = max(10, min(width, height) // 24)
    font = ImageFont.load_default(size=size)
    columns = max(8, int(width / (size * 0.6)) - 2)
    lines = textwrap.wrap(text, width=columns)[: max(1, height // (size * 3))]
    draw = ImageDraw.Draw(image, "RGBA")
    block = (size + 4) * len(lines) + size
    top = height - block
    draw.rectangle((0, top, width, height), fill=(0, 0, 0, 140))
    for index, line in enumerate(lines):
        draw.text((size // 2, top + size // 2 + index * (size + 4)), line, fill="white", font=font)


def encode(image: Image.Image, canvas: Canvas) -> bytes:
    out = io.BytesIO()
    if canvas.fmt == "png":
        image.save(out, format="PNG", optimize=False)
    else:
        quality = max(1, min(95, canvas.compression))
        image.convert("RGB").save(out, format=canvas.fmt.upper(), quality=quality)
    return out.getvalue()


# (prompt, canvas, seed) -> the encoded picture: the same request draws the same bytes.
PICTURES_BYTES = 32 * 1024 * 1024
PICTURES: ByteCache[tuple[str, Canvas, int]] = ByteCache(PICTURES_BYTES)


def render(prompt: str, canvas: Canvas, seed: int) -> bytes:
    """A new picture for `prompt`; one drawn before for the same values is not drawn again
    (a 1024x1024 PNG is 40 ms of drawing and compression)."""
    key = (prompt, canvas, seed)
    picture = PICTURES.get(key)
    if picture is None:
        picture = _draw(prompt, canvas, seed)
        PICTURES.put(key, picture, key_bytes=len(prompt))
    return picture


def _draw(prompt: str, canvas: Canvas, seed: int) -> bytes:
    image = _gradient(palette(prompt), canvas.width, canvas.height)
    _shapes(image, random.Random(seed))
    _caption(image, prompt)
    if canvas.transparent and canvas.fmt == "png":
        image = image.convert("RGBA")
        image.putalpha(_frame_mask(canvas.width, canvas.height))
    return encode(image, canvas)


def _frame_mask(width: int, height: int) -> Image.Image:
    """Opaque content, transparent border: what `background: transparent` looks like."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", (width, height), 0)
    margin = min(width, height) // 10
    ImageDraw.Draw(mask).rectangle((margin, margin, width - margin, height - margin), fill=255)
    return mask


def render_edit(
    prompt: str, sources: list[Image.Image], mask: Image.Image | None, canvas: Canvas, seed: int
) -> bytes:
    """The first uploaded picture, resized to the canvas, tinted by the prompt's colours where
    the mask is transparent (everywhere without a mask), with the other uploads as insets."""
    from PIL import Image

    base = sources[0].convert("RGB").resize((canvas.width, canvas.height))
    painted = _gradient(palette(prompt), canvas.width, canvas.height)
    _shapes(painted, random.Random(seed), count=3)
    edited = Image.blend(base, painted, 0.45)
    if mask is not None:
        # Transparent mask pixels mark where to edit (the OpenAI/Azure convention).
        keep = mask.convert("RGBA").getchannel("A").resize((canvas.width, canvas.height))
        edited = Image.composite(base, edited, keep)
    inset = max(16, canvas.width // 5)
    for index, extra in enumerate(sources[1:4]):
        thumb = extra.convert("RGB").resize((inset, inset))
        edited.paste(thumb, (canvas.width - (index + 1) * (inset + 8), 8))
    _caption(edited, prompt)
    return encode(edited, canvas)


def revised_prompt(prompt: str) -> str:
    """DALL-E 3 rewrites every prompt (§4.5 `revised_prompt`); the mock's rewrite is readable and
    deterministic."""
    text = " ".join(prompt.split())
    return f"An image of {text[0].lower() + text[1:] if text else text}, rendered in soft colours."

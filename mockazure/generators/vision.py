"""Enhanced vision (`enhancements.ocr` / `grounding` with an `AzureComputerVision` data source,
2023-12-01-preview `extensions/chat/completions`): what the picture shows, from its pixels.

The response shape is the spec's (2023-12-01-preview `extensionsChatCompletionChoice`, and
`createChatCompletionResponse` in 2024-02-15/03-01-preview): each choice carries
`enhancements.grounding.lines[]`, a line being `{text, spans[{text, offset, length,
polygon[{x, y}]}]}`, "the bounding box of the objects detected in the image". Here the detected
objects are the picture's dominant colour regions: each line names one ("blue region") and its
span's polygon is that region's bounding box in image pixels. The answer describes the size,
orientation, brightness and dominant colours. Deterministic: the image is scaled to at most
32 x 32 (Pillow's BOX filter) and each pixel takes its nearest named colour.

Only `data:` URLs carry pixels (mockazure never fetches a URL); for any other image the answer
says so and uses the size plain vision chat assumes.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # # PIL is imported where pixels are read (the first picture, not at start-up)
    from PIL import Image

from mockazure.tokens.images import ASSUMED_IMAGE_SIZE

MAX_PIXELS = 36_000_000  # as for image edits: a bigger picture is not decoded
GRID = 32
TOP_COLOURS = 3
PALETTE: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "grey": (128, 128, 128),
    "red": (220, 40, 40),
    "orange": (245, 140, 30),
    "yellow": (240, 220, 50),
    "green": (50, 160, 60),
    "teal": (30, 150, 150),
    "blue": (40, 90, 210),
    "purple": (130, 60, 170),
    "pink": (240, 150, 190),
    "brown": (130, 80, 40),
}


@dataclass(frozen=True)
class Region:
    colour: str
    share: float  # of the picture's area
    box: tuple[int, int, int, int]  # left, top, right, bottom in image pixels


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    regions: tuple[Region, ...]  # dominant colours first; empty when pixels are unknown
    brightness: float | None  # mean luminance 0..1


def image_urls(messages: list[Any]) -> list[str]:
    """The image URLs of the messages' content parts (plain-string or `{url}` form)."""
    urls = []
    for message in messages:
        content = message.content if hasattr(message, "content") else None
        for part in content if isinstance(content, list) else ():
            image = part.get("image_url") if isinstance(part, dict) else None
            url = image.get("url") if isinstance(image, dict) else image
            if isinstance(url, str):
                urls.append(url)
    return urls


def look_at(url: str) -> Picture:
    from PIL import Image

    image = _decode(url)
    if image is None:
        width, height = ASSUMED_IMAGE_SIZE
        return Picture(width, height, (), None)
    width, height = image.size
    small = image.convert("RGB")
    small.thumbnail((GRID, GRID), Image.Resampling.BOX)
    return Picture(width, height, _regions(small, width, height), _brightness(small))


def _decode(url: str) -> Image.Image | None:
    from PIL import Image

    if not url.startswith("data:") or ";base64," not in url[:200]:
        return None
    try:
        data = base64.b64decode(url.split(",", 1)[1], validate=False)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                return None
            image.load()
    except (binascii.Error, ValueError, OSError, Image.DecompressionBombWarning):
        return None
    except Image.DecompressionBombError:
        return None
    return image


def _nearest(pixel: tuple[int, int, int]) -> str:
    return min(
        PALETTE, key=lambda n: sum((a - b) ** 2 for a, b in zip(pixel, PALETTE[n], strict=True))
    )


def _regions(small: Image.Image, width: int, height: int) -> tuple[Region, ...]:
    columns, rows = small.size
    boxes: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    pixels: Any = small.load()
    for y in range(rows):
        for x in range(columns):
            name = _nearest(pixels[x, y])
            counts[name] = counts.get(name, 0) + 1
            box = boxes.setdefault(name, [x, y, x, y])
            box[:] = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
    total = columns * rows
    ranked = sorted(counts, key=lambda n: (-counts[n], n))[:TOP_COLOURS]
    return tuple(
        Region(
            name,
            counts[name] / total,
            (
                boxes[name][0] * width // columns,
                boxes[name][1] * height // rows,
                (boxes[name][2] + 1) * width // columns,
                (boxes[name][3] + 1) * height // rows,
            ),
        )
        for name in ranked
    )


def _brightness(small: Image.Image) -> float:
    from PIL import ImageStat

    return float(ImageStat.Stat(small.convert("L")).mean[0]) / 255


def describe(pictures: list[Picture], ocr: bool) -> str:
    if not pictures:
        return "There is no image in the conversation to describe."
    sentences = [_sentence(index, p, len(pictures)) for index, p in enumerate(pictures)]
    if ocr:
        sentences.append("Any text in the image was read with OCR before answering.")
    return " ".join(sentences)


def _sentence(index: int, picture: Picture, count: int) -> str:
    name = f"Image {index + 1}" if count > 1 else "The image"
    shape = (
        "square"
        if picture.width == picture.height
        else "landscape"
        if picture.width > picture.height
        else "portrait"
    )
    size = f"{name} is {picture.width} x {picture.height} pixels ({shape})"
    if not picture.regions or picture.brightness is None:
        return (
            f"{size}, as assumed for an image whose pixels are not at hand (a URL is not fetched)."
        )
    first, *others = picture.regions
    colours = f"mostly {first.colour} ({first.share:.0%})"
    if others:
        colours += " with " + " and ".join(f"{r.colour} ({r.share:.0%})" for r in others)
    light = (
        "bright"
        if picture.brightness > 0.6
        else "dark"
        if picture.brightness < 0.35
        else "evenly lit"
    )
    return f"{size}, {colours}; overall it is {light}."


def grounding(pictures: list[Picture]) -> dict[str, Any]:
    """`enhancements` with one grounding line per dominant colour region."""
    lines = []
    for picture in pictures:
        for region in picture.regions:
            text = f"{region.colour} region"
            left, top, right, bottom = region.box
            polygon = [
                {"x": float(left), "y": float(top)},
                {"x": float(right), "y": float(top)},
                {"x": float(right), "y": float(bottom)},
                {"x": float(left), "y": float(bottom)},
            ]
            span = {"text": text, "offset": 0, "length": len(text), "polygon": polygon}
            lines.append({"text": text, "spans": [span]})
    return {"grounding": {"lines": lines}}

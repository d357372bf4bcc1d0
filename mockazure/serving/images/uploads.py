"""The multipart body of `POST …/images/edits` (2025-04-01-preview, azure-surface.md §4.5a):
one or several `image` parts (`image[]` from the openai SDK for a list) in PNG, JPEG or WebP under
25 MB each, an optional PNG `mask` under 4 MB with the first image's dimensions, and the form
fields. The transport already caps the whole body (`max_body_bytes`); each part is read with
its own bound here."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from mockazure.errors import InvalidRequest

if TYPE_CHECKING:  # PIL is imported by `_open` (the first edit request, not at start-up)
    from PIL import Image

MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_MASK_BYTES = 4 * 1024 * 1024
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP")
MAX_IMAGES = 16
# The mock's own bound (the service documents only file sizes): a PNG of a few KB can declare
# 100,000 x 100,000 pixels that decode to tens of GB. 36 MP covers camera photos; Pillow's own
# bomb check (89 MP warns, 179 MP raises) is turned into the same 400.
MAX_IMAGE_PIXELS = 36_000_000
# Uploads are kept at most this large once decoded (the output canvas is 1792 px at most), so 16
# large photos do not stay in memory at full size.
KEPT_SIDE = 2048


@dataclass
class EditUpload:
    images: list[Image.Image]
    mask: Image.Image | None
    fields: dict[str, Any]
    # The uploads' own sizes (the kept images may be scaled down).
    image_size: tuple[int, int] = (0, 0)
    mask_size: tuple[int, int] = (0, 0)


async def _read_form(request: Request) -> FormData:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise InvalidRequest(
            f"Unsupported content type: '{content_type.split(';')[0] or 'none'}'. This API "
            "method only accepts 'multipart/form-data' requests.",
            code="invalid_content_type",
        )
    try:
        return await request.form(max_files=MAX_IMAGES + 1, max_fields=64)
    except StarletteHTTPException as exc:  # malformed multipart, too many parts
        raise InvalidRequest(f"Invalid multipart body: {exc.detail}", code="invalid_body") from exc


async def _read_picture(
    upload: UploadFile, param: str, limit: int, formats: tuple[str, ...]
) -> Image.Image:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidRequest(
            f"Invalid file '{param}': the file is larger than {limit // (1024 * 1024)} MB.",
            param=param,
            code="file_too_large",
        )
    picture = _open(data, param)
    if picture.format not in formats:
        allowed = ", ".join(f"'{f.lower()}'" for f in formats)
        raise InvalidRequest(
            f"Invalid file '{param}': unsupported image format '{str(picture.format).lower()}'. "
            f"Supported formats are: {allowed}.",
            param=param,
            code="invalid_image_format",
        )
    if picture.width * picture.height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(param, f"{picture.width}x{picture.height}")
    original = picture.size
    try:
        # Decodes (JPEG: already scaled down): CPU work, off the event loop.
        await anyio.to_thread.run_sync(picture.thumbnail, (KEPT_SIDE, KEPT_SIDE))
    except Exception as exc:  # Pillow's decoders raise OSError, ValueError, SyntaxError, ...
        raise _unreadable(param) from exc
    picture.info["original_size"] = original
    return picture


def _open(data: bytes, param: str) -> Image.Image:
    """The header only (nothing is decoded yet)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_many_pixels(param, "too many") from exc
    except Exception as exc:  # UnidentifiedImageError, and what broken headers raise
        raise _unreadable(param) from exc


def _unreadable(param: str) -> InvalidRequest:
    return InvalidRequest(
        f"Invalid file '{param}': not a readable image.", param=param, code="invalid_image"
    )


def _too_many_pixels(param: str, size: str) -> InvalidRequest:
    return InvalidRequest(
        f"Invalid file '{param}': the image has {size} pixels; at most "
        f"{MAX_IMAGE_PIXELS:,} pixels are accepted.",
        param=param,
        code="invalid_image",
    )


async def read_edit_body(
    request: Request, state: object, operation: object
) -> tuple[dict[str, Any], EditUpload]:
    """The gate's body reader for edits: the form fields, and the decoded pictures."""
    upload = await read_edit_upload(request)
    return upload.fields, upload


async def read_edit_upload(request: Request) -> EditUpload:
    form = await _read_form(request)
    try:
        upload = await _collect(form)
    finally:
        await form.close()  # the spooled temporary files
    (width, height), (mask_width, mask_height) = upload.image_size, upload.mask_size
    if upload.mask is not None and upload.mask_size != upload.image_size:
        raise InvalidRequest(
            f"Invalid file 'mask': the mask ({mask_width}x{mask_height}) must "
            f"have the same dimensions as the image ({width}x{height}).",
            param="mask",
            code="invalid_image",
        )
    return upload


async def _collect(form: FormData) -> EditUpload:
    images: list[Image.Image] = []
    mask: Image.Image | None = None
    fields: dict[str, Any] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields[name] = value
        elif name in ("image", "image[]"):
            images.append(await _read_picture(value, "image", MAX_IMAGE_BYTES, IMAGE_FORMATS))
        elif name == "mask":
            mask = await _read_picture(value, "mask", MAX_MASK_BYTES, ("PNG",))
        else:
            fields[name] = "<file>"  # an unknown file part: refused as an unknown field
    if not images:
        raise InvalidRequest(
            "Missing required parameter: 'image'.", param="image", code="missing_required_parameter"
        )
    return EditUpload(
        images,
        mask,
        fields,
        image_size=images[0].info["original_size"],
        mask_size=mask.info["original_size"] if mask is not None else (0, 0),
    )

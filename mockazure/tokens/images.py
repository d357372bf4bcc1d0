"""Width and height of a `data:` image URL from its header bytes (PNG, GIF, WebP, JPEG).

No Pillow and no network: only the first bytes of the base64 payload are decoded. Anything we
cannot read gives `None`; callers then assume `ASSUMED_IMAGE_SIZE`.
"""

import binascii
import struct

ASSUMED_IMAGE_SIZE = (1024, 1024)
_HEADER_BYTES = 64 * 1024  # JPEG size markers can follow EXIF blocks; PNG/GIF/WebP need 30 bytes
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xDA)})


def data_url_image_size(url: str) -> tuple[int, int] | None:
    """(width, height) for a base64 `data:image/...` URL, else None."""
    if not url.startswith("data:") or ";base64," not in url[:200]:
        return None
    payload = "".join(url.split(",", 1)[1][: _HEADER_BYTES * 4 // 3 + 8].split())
    payload = payload[: len(payload) // 4 * 4]
    try:
        head = binascii.a2b_base64(payload)
    except (binascii.Error, ValueError):
        return None
    return image_size(head)


def image_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) from the first bytes of a PNG, GIF, WebP or JPEG file, else None."""
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n"):  # IHDR is always the first chunk
            width, height = struct.unpack(">II", head[16:24])
            return width, height
        if head[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", head[6:10])
            return width, height
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _webp_size(head)
        if head[:2] == b"\xff\xd8":
            return _jpeg_size(head)
    except struct.error:
        return None
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8 ":  # lossy: 14-bit sizes after the 3-byte tag and the start code
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":  # lossless: 14 bits each, minus one, after the 0x2f signature
        (bits,) = struct.unpack("<I", head[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: 24-bit canvas sizes, minus one
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    return None


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 <= len(head):
        if head[at] != 0xFF:
            return None
        marker = head[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
        elif marker in _JPEG_STANDALONE:
            at += 2
        elif marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", head[at + 5 : at + 9])
            return width, height
        else:
            (length,) = struct.unpack(">H", head[at + 2 : at + 4])
            at += 2 + length
    return None

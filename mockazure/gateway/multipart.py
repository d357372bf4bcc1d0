"""Streaming multipart/form-data reader with an exact limit on the uploaded file.

Starlette's `request.form()` spools every upload to a temporary file first and only then lets
the route look at its size. Here the body is fed chunk by chunk from `request.stream()` into
python-multipart's push parser, so the server never holds more than the limit of one request:
the file part is kept in memory and the request is refused with Azure's 413 the moment its
`file_limit + 1`-th byte arrives (azure-surface.md §9i), before the rest is read.
"""

from dataclasses import dataclass, field

from fastapi import Request
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError, MultipartParseError
from python_multipart.multipart import parse_options_header

from mockazure.errors import ContentTooLarge, InvalidRequest

# Text fields (language, prompt, response_format...) are small; their total is capped so a
# request cannot grow memory through them either.
MAX_FIELD_BYTES = 65_536
# What a multipart body may carry besides its file: the fields above plus part headers and
# boundaries. transport.py lets a multipart request be this much larger than `max_body_bytes`,
# so that a file of exactly the limit is accepted and the file-part limit is the exact one.
MULTIPART_ALLOWANCE_BYTES = 2 * MAX_FIELD_BYTES

MULTIPART = "multipart/form-data"


@dataclass
class UploadedFile:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class FormData:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[-1] if values else None


def is_multipart(request: Request) -> bool:
    content_type, _ = parse_options_header(request.headers.get("content-type", ""))
    return content_type == MULTIPART.encode()


def wrong_content_type(request: Request) -> InvalidRequest:
    """OpenAI's wording for a JSON (or other) body on a multipart-only route."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip() or "none"
    return InvalidRequest(
        f"Invalid Content-Type header ({content_type}), expected multipart/form-data. "
        "(HINT: If you're using curl, you can pass -H 'Content-Type: multipart/form-data')",
        code="invalid_content_type",
    )


class _Collector:
    """The parser's callbacks: headers, names and data of each part, with the limits."""

    def __init__(self, file_limit: int) -> None:
        self.file_limit = file_limit
        self.form = FormData()
        self.read = 0  # request body bytes consumed so far (reported in the 413)
        self.field_bytes = 0
        self._headers: dict[bytes, bytes] = {}
        self._header_field = b""
        self._header_value = b""
        self._name = ""
        self._filename: str | None = None
        self._data = bytearray()

    def on_part_begin(self) -> None:
        self._headers, self._data = {}, bytearray()
        self._header_field = self._header_value = b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._filename = None if filename is None else filename.decode("utf-8", "replace")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        size = end - start
        if self._filename is not None:
            if len(self._data) + size > self.file_limit:
                raise ContentTooLarge(self.file_limit, self.read)
        else:
            self.field_bytes += size
            if self.field_bytes > MAX_FIELD_BYTES:
                raise ContentTooLarge(self.file_limit, self.read)
        self._data += data[start:end]

    def on_part_end(self) -> None:
        if self._filename is not None:
            content_type = self._headers.get(b"content-type")
            self.form.files[self._name] = UploadedFile(
                self._filename,
                None if content_type is None else content_type.decode("latin-1"),
                bytes(self._data),
            )
        else:
            text = self._data.decode("utf-8", "replace")
            self.form.fields.setdefault(self._name, []).append(text)
        self._data = bytearray()


def _boundary(request: Request) -> bytes:
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise InvalidRequest(
            "Could not parse multipart form: the Content-Type header has no boundary.",
            code="invalid_multipart",
        )
    return boundary


async def read_form(request: Request, *, file_limit: int) -> FormData:
    """Parse the body as it streams in; raise ContentTooLarge as soon as a file part exceeds
    `file_limit` bytes (nothing past that is read or kept)."""
    collector = _Collector(file_limit)
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
        )
    }
    try:
        parser = MultipartParser(_boundary(request), callbacks)  # type: ignore[arg-type]
        async for chunk in request.stream():
            collector.read += len(chunk)
            parser.write(chunk)
        parser.finalize()
    except (MultipartParseError, FormParserError) as exc:  # FormParserError: a bad boundary
        raise InvalidRequest(
            f"Could not parse multipart form: {exc}", code="invalid_multipart"
        ) from exc
    return collector.form

"""The one list of what counts as a secret, and the redaction every channel uses: the journal
(and so the inspector that reads it), the uvicorn access log and the cassettes.

- headers: the credential headers Azure and proxies know (`api-key`, `Authorization`,
  `Proxy-Authorization`, `x-api-key`, `Ocp-Apim-Subscription-Key`, cookies, the admin key) and
  any header named like a key, token, secret or password;
- query parameters named like a key, token, secret, SAS signature, password or code;
- body fields holding a credential, wherever they nest: On Your Data's
  `data_sources[].parameters.authentication` (`key`, `encoded_api_key`, `access_token`,
  `connection_string`, `password`; azure-surface.md §4.3b) and the same names anywhere else.
  Only string values are replaced, so a JSON schema with a `password` property keeps it.
"""

import functools
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from mockazure.gateway.json_slices import loads

REDACTED = "***"
SECRET_HEADERS = frozenset(
    {
        "api-key",
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "x-mock-admin-key",
        "cookie",
        "set-cookie",
        "ocp-apim-subscription-key",
    }
)
_SECRET_HEADER_NAME = re.compile(r"(key|token|secret|password|auth|signature)$", re.IGNORECASE)
SECRET_QUERY = re.compile(r"(key|token|secret|sig|signature|password|code)$", re.IGNORECASE)
SECRET_FIELD = re.compile(
    r"^(key|api_?key|.*_key|.*_token|access_?token|token|.*secret|password|connection_?string"
    r"|authorization|sas)$",
    re.IGNORECASE,
)
# A quick look at the raw bytes before any parse (most bodies name no such field): substring
# searches at C speed. A regex here ran for seconds on a 12 MB body.
_SECRET_KEY_ENDINGS = (
    b'key"',
    b'token"',
    b'secret"',
    b'password"',
    b'string"',
    b'authorization"',
    b'sas"',
)


@functools.lru_cache(maxsize=1024)  # a few dozen names recur: a regex search per header was
def is_secret_header(name: str) -> bool:  # 1 % of a chat request (journal, access log)
    lowered = name.lower()
    return lowered in SECRET_HEADERS or bool(_SECRET_HEADER_NAME.search(lowered))


def redact_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {
        name.lower(): (REDACTED if is_secret_header(name) else value) for name, value in headers
    }


def redact_query(query: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if SECRET_QUERY.search(k) else v) for k, v in query.items()}


def redact_query_string(query: str) -> str:
    """`api-key=abc&x=1` -> `api-key=%2A%2A%2A&x=1` (parameters kept in order)."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(SECRET_QUERY.search(k) for k, _ in pairs):
        return query
    return urlencode([(k, REDACTED if SECRET_QUERY.search(k) else v) for k, v in pairs])


def redact_body(data: Any) -> Any:
    """A copy of a parsed JSON body with credential strings replaced."""
    if isinstance(data, dict):
        return {
            key: (
                REDACTED
                if isinstance(value, str) and SECRET_FIELD.match(key)
                else redact_body(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact_body(item) for item in data]
    return data


def redact_json_bytes(raw: bytes) -> bytes:
    """Raw JSON with credential fields redacted; unchanged (and unparsed) when it names none,
    or when it is not JSON at all."""
    lowered = raw.lower()
    if not any(ending in lowered for ending in _SECRET_KEY_ENDINGS):
        return raw
    try:
        data = loads(raw)  # a large body in windows (gateway/json_slices.py)
    except (ValueError, RecursionError):
        return raw
    redacted = redact_body(data)
    if redacted == data:
        return raw
    return json.dumps(redacted, ensure_ascii=False).encode("utf-8")


class AccessLogRedactor(logging.Filter):
    """Rewrites the path in uvicorn's access-log records (`client - "GET /p?q HTTP/1.1" 200`,
    arguments: client, method, path with query, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, sep, query = args[2].partition("?")
            if sep:
                record.args = (*args[:2], f"{path}?{redact_query_string(query)}", *args[3:])
        return True


def install_access_log_redaction() -> None:
    """Attach the redactor to uvicorn's access logger (once)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogRedactor) for f in access.filters):
        access.addFilter(AccessLogRedactor())

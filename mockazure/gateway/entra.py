"""Microsoft Entra ID bearer tokens: tell them from API keys, and (with `--entra-tokens`) check
the claims a token refresh gets wrong.

A credential is a token when it is a JWT: three base64url parts, the first a JSON object with
`alg`. Anything else is an API key (Azure keys are 32 or 84 characters of base64/hex). With
`--entra-tokens` a token must have `exp` in the future, `nbf` (if any) not in the future and an
`aud` of Azure OpenAI's resource (below); the signature, issuer, tenant, scopes and roles are
never checked. Every failure answers the one 401 body the service sends for all of them
(`errors.TokenRejected`; sources in docs/v1-facts.md, "Entra tokens").
"""

import base64
import binascii
import json
import logging
from typing import Any

from mockazure.errors import TokenRejected

logger = logging.getLogger(__name__)

# The scopes clients ask for: `https://cognitiveservices.azure.com/.default` (v1 spec OAuth2,
# azure-surface.md §2) and, in newer docs, `https://ai.azure.com/.default` (azure-v1-and-
# responses.md §2). Entra writes the resource in `aud`, with or without the trailing slash.
AUDIENCES = frozenset(
    {
        "https://cognitiveservices.azure.com",
        "https://cognitiveservices.azure.com/",
        "https://ai.azure.com",
        "https://ai.azure.com/",
    }
)
MAX_TOKEN_CHARS = 16_384  # Entra access tokens are a few KB; a larger "JWT" is not decoded


def _segment(part: str) -> Any:
    padded = part + "=" * (-len(part) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError, RecursionError):
        return None


def jwt_claims(credential: str) -> dict[str, Any] | None:
    """The payload of a JWT-shaped credential (signature not checked); None for an API key."""
    parts = credential.split(".")
    if len(parts) != 3 or len(credential) > MAX_TOKEN_CHARS:
        return None
    header = _segment(parts[0])
    if not isinstance(header, dict) or "alg" not in header:
        return None
    claims = _segment(parts[1])
    return claims if isinstance(claims, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def rejection(claims: dict[str, Any], now: float) -> str | None:
    """Why the service would refuse this token, or None when it passes the checked claims."""
    expires = _number(claims.get("exp"))
    if expires is None or expires <= now:
        return "expired (exp)" if expires is not None else "no numeric exp"
    if claims.get("nbf") is not None:
        not_before = _number(claims["nbf"])
        if not_before is None or not_before > now:
            return "not yet valid (nbf)"
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if not any(isinstance(a, str) and a in AUDIENCES for a in audiences):
        return f"wrong audience {audience!r}"
    return None


def require_valid_tokens(tokens: list[dict[str, Any]], now: float) -> None:
    """Raise `TokenRejected` unless every presented token passes (`--entra-tokens`)."""
    for claims in tokens:
        reason = rejection(claims, now)
        if reason is not None:
            logger.warning("Entra token refused: %s (mockazure --entra-tokens)", reason)
            raise TokenRejected()

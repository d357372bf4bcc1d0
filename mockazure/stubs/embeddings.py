"""A stub hit applied to embeddings: the rule's `embedding` is the vector of every input,
returned exactly as written (not renormalised; float32 when the client asks for base64). Its
length must be what the request expects, the `dimensions` asked for or else the deployment's
native size; a stub of another length answers a 400 that names the rule, rather than handing
the client a vector its index would reject later. Usage stays the inputs' exact token count."""

from mockazure.errors import InvalidRequest
from mockazure.generators.embeddings import Fixed
from mockazure.stubs.book import StubHit


def stubbed_vector(hit: StubHit | None) -> Fixed | None:
    vector = hit.response.embedding if hit is not None else None
    if hit is None or vector is None:
        return None
    rule = hit.rule_id

    def fixed(expected: int) -> list[float]:
        if len(vector) != expected:
            raise InvalidRequest(
                f"mockazure stub {rule!r} returns an embedding of {len(vector)} floats, but "
                f"this request expects {expected} (the requested 'dimensions', else the "
                "deployment's native size). Fix the stub's response.embedding.",
                code="StubMismatch",
            )
        return list(vector)

    return fixed

"""litellm's `responses()` against mockazure's dated Responses path (`azure/<deployment>`)."""

import litellm
from _harness import KEY, URL, run

AZURE = {"api_base": URL, "api_key": KEY, "api_version": "2025-04-01-preview"}


def plain() -> dict[str, object]:
    response = litellm.responses(model="azure/gpt-4o", input="Tell me about canals", **AZURE)
    text = response.output[0].content[0].text
    return {"id": response.id, "text": text, "total": response.usage.total_tokens}


def stream() -> dict[str, object]:
    events = litellm.responses(
        model="azure/gpt-4o", input="Tell me about canals", stream=True, **AZURE
    )
    kinds: list[str] = []
    joined = ""
    for event in events:
        kind = getattr(event, "type", "")
        kind = str(getattr(kind, "value", kind))  # litellm's ResponsesAPIStreamEvents enum
        kinds.append(kind)
        if kind.endswith("output_text.delta"):
            joined += event.delta
    return {"joined": joined, "last": kinds[-1]}


run({"plain": plain, "stream": stream})

"""Content-filter annotations on Responses, from the deployment's policy (generators/
content_filter.py, deployments/filter_policy.py), as chat gets them.

Azure puts them in one top-level `content_filters` array of the response, an entry per screened
source: `{"blocked", "source_type": "prompt" | "completion", "content_filter_results"}`
(Azure/azure-rest-api-specs#42141, its sample response). A blocked prompt is a 400 whose body
carries the prompt's entry (errors.ResponsesContentFiltered). A blocked completion is cut as
chat's is (the text before a blocklist term, else the first half) and the response ends
`incomplete` with `incomplete_details.reason: "content_filter"` (the spec's reason; the
Responses stubs already answer so). Markers are read from the text of this request's input
and instructions, never from earlier turns of a chain.
"""

from typing import Any

from mockazure.errors import ResponsesContentFiltered
from mockazure.generators.content_filter import ContentFilter
from mockazure.protocol.responses_objects import MessageOutput, OutputTextPart
from mockazure.tokens.tokenizers import Tokenizer


def entry(source: str, results: dict[str, Any], blocked: bool) -> dict[str, Any]:
    return {"blocked": blocked, "source_type": source, "content_filter_results": results}


def screen_prompt(screen: ContentFilter, prompt_text: str) -> dict[str, Any]:
    """The prompt's entry; raises the service's 400 when the policy blocks it."""
    verdict = screen.judge_prompt(prompt_text)
    if verdict.is_blocked:
        raise ResponsesContentFiltered(verdict.results)
    return entry("prompt", verdict.results, False)


def screen_message(
    screen: ContentFilter, prompt_text: str, message: MessageOutput, tokenizer: Tokenizer
) -> tuple[MessageOutput, dict[str, Any]]:
    """The message (cut when blocked) and the completion's entry."""
    verdict = screen.screen_output(prompt_text, message.text)
    if not verdict.is_blocked:
        return message, entry("completion", verdict.results, False)
    pieces = tokenizer.pieces(message.text)
    keep = screen.cut_point(verdict, pieces)
    first = message.content[0] if message.content else None
    logprobs = first.logprobs[:keep] if isinstance(first, OutputTextPart) else []
    part = OutputTextPart(text="".join(pieces[:keep]), logprobs=logprobs)
    cut = message.model_copy(update={"status": "incomplete", "content": [part]})
    return cut, entry("completion", verdict.results, True)

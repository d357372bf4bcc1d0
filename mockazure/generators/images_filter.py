"""Content-filter triggers and annotations for images (azure-surface.md §6, §9e).

Triggers are markers no real prompt contains, so a test fails a request on purpose and never by
accident:

* `[[filter:<category>:<severity>]]` — the prompt is rejected (400 `content_policy_violation`;
  DALL-E 2: the operation ends `failed`). Categories: hate, sexual, violence, self_harm
  (severity low|medium|high, default high), profanity, jailbreak.
* `[[filter:output:<category>:<severity>]]` — the generated image is filtered (400
  `contentFilter`; DALL-E 2: `failed`).
* `[[timeout]]` — a DALL-E 2 operation ends `canceled` (the "task has timed out" state), or
  `failed` in versions whose status enum has no `canceled` (2023-10-01-preview).

`find_filter_hit` is the one place that reads a prompt; once the shared content-filter simulator
(issue 3) lands, it can delegate to it.
"""

import re
from dataclasses import dataclass
from typing import Any, Literal

from mockazure.generators.content_filter import SEVERITY_CATEGORIES, safe_results
from mockazure.versions import ApiVersion

# dalleContentFilterResults / dalleFilterResults (§6): the image categories, and the prompt ones.
IMAGE_CATEGORIES = ("sexual", "violence", "hate", "self_harm")
PROMPT_CATEGORIES = (*IMAGE_CATEGORIES, "profanity", "jailbreak", "custom_blocklists")
TIMEOUT_TRIGGER = "[[timeout]]"
_TRIGGER = re.compile(
    r"\[\[filter:(?:(?P<stage>output):)?"
    r"(?P<category>hate|sexual|violence|self_harm|profanity|jailbreak)"
    r"(?::(?P<severity>low|medium|high))?\]\]"
)


@dataclass(frozen=True)
class FilterHit:
    stage: Literal["prompt", "output"]
    category: str
    severity: str


def find_filter_hit(prompt: str) -> FilterHit | None:
    match = _TRIGGER.search(prompt)
    if match is None:
        return None
    stage: Literal["prompt", "output"] = "output" if match["stage"] else "prompt"
    return FilterHit(stage, match["category"], match["severity"] or "high")


def wants_timeout(prompt: str) -> bool:
    return TIMEOUT_TRIGGER in prompt


def _flag(results: dict[str, Any], hit: FilterHit | None) -> dict[str, Any]:
    if hit is not None and hit.category in results:
        if hit.category in SEVERITY_CATEGORIES:
            results[hit.category] = {"filtered": True, "severity": hit.severity}
        else:
            results[hit.category] = {"filtered": True, "detected": True}
    return results


def prompt_filter_results(version: ApiVersion, hit: FilterHit | None = None) -> dict[str, Any]:
    """`dalleFilterResults` with the version's categories (custom_blocklists only where the
    version has them)."""
    features = version.response
    categories = tuple(c for c in PROMPT_CATEGORIES if c in features.prompt_filter_categories)
    return _flag(safe_results(categories, features), hit if hit and hit.stage == "prompt" else None)


def image_filter_results(version: ApiVersion) -> dict[str, Any]:
    return safe_results(IMAGE_CATEGORIES, version.response)

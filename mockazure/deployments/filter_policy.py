"""A deployment's content-filter configuration, read from the catalogue.

Lives in `DeploymentSpec.options["content_filter"]` and mirrors what Azure lets a customer set
on a content-filter configuration (azure-surface.md §6; Azure's default policy): a severity
threshold per harm category, on/off blocking for the detection categories, custom blocklists,
and the streaming mode. Validated when the catalogue loads, so a typo fails at start-up.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

HarmCategory = Literal["hate", "sexual", "violence", "self_harm"]
DetectedCategory = Literal[
    "profanity",
    "jailbreak",
    "indirect_attack",
    "protected_material_text",
    "protected_material_code",
    "ungrounded_material",
]
Severity = Literal["safe", "low", "medium", "high"]
# "low" blocks low, medium and high; "high" blocks only high; "off" only annotates.
Threshold = Literal["low", "medium", "high", "off"]
FilterMode = Literal["default", "asynchronous"]

SEVERITY_ORDER: dict[str, int] = {"safe": 0, "low": 1, "medium": 2, "high": 3, "off": 4}

# Azure's default configuration: medium and above blocked in the four harm categories; Prompt
# Shields for jailbreak and protected material (text, code) on; profanity, indirect attack and
# groundedness annotate only.
DEFAULT_BLOCKING: dict[str, bool] = {
    "profanity": False,
    "jailbreak": True,
    "indirect_attack": False,
    "protected_material_text": True,
    "protected_material_code": True,
    "ungrounded_material": False,
}


class FilterPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    thresholds: dict[HarmCategory, Threshold] = Field(default_factory=dict)
    blocking: dict[DetectedCategory, bool] = Field(default_factory=dict)
    # blocklist id -> terms, matched case-insensitively as whole words in prompt and completion.
    blocklists: dict[str, list[str]] = Field(default_factory=dict)
    mode: FilterMode = "default"

    def blocks_severity(self, category: str, severity: str) -> bool:
        thresholds: dict[str, str] = {str(k): v for k, v in self.thresholds.items()}
        threshold = thresholds.get(category, "medium")
        return SEVERITY_ORDER[severity] >= SEVERITY_ORDER[threshold]

    def blocks_detection(self, category: str) -> bool:
        blocking = DEFAULT_BLOCKING | {str(k): v for k, v in self.blocking.items()}
        return blocking.get(category, False)


# Azure's default policy, shared (it is frozen): most deployments set none, and validating an
# empty one per request was a third of the chat content filter's cost (issue 16).
_DEFAULT_POLICY = FilterPolicy()


def policy_from_options(options: dict[str, object]) -> FilterPolicy:
    configured = options.get("content_filter")
    if not configured:
        return _DEFAULT_POLICY
    return FilterPolicy.model_validate(configured)

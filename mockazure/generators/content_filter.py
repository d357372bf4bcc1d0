"""The content-filter simulator (azure-surface.md §6, §9e, §9f).

Every annotation the request's api-version defines is present; by default all are safe. Tests
trigger outcomes on purpose with markers that never occur in real text (README "Content
filter"):

* `[[filter:<category>]]` or `[[filter:<category>:<severity>]]` flags the *prompt*;
* `[[filter:output:<category>[:<severity>]]]` in the prompt flags the *completion*;
* jailbreak and indirect_attack are prompt-only, protected_material_text/code and
  ungrounded_material completion-only (wherever their marker is written);
* a deployment's custom blocklists (`options.content_filter.blocklists`) match whole words.

Whether a flag blocks follows the deployment's `FilterPolicy` (Azure's default: medium and
above blocked, jailbreak and protected material blocked). A blocked prompt is a 400
`content_filter` error; a blocked completion is cut and ends with `finish_reason:
"content_filter"`. Images reuse `ContentFilter.screen_prompts` / `screen_output` later.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.deployments.filter_policy import SEVERITY_ORDER, FilterPolicy, policy_from_options
from mockazure.errors import ContentFiltered
from mockazure.versions import ResponseFeatures

SEVERITY_CATEGORIES = frozenset({"hate", "sexual", "violence", "self_harm"})
PROMPT_ONLY = frozenset({"jailbreak", "indirect_attack"})
OUTPUT_ONLY = frozenset(
    {"protected_material_text", "protected_material_code", "ungrounded_material"}
)
KNOWN = SEVERITY_CATEGORIES | PROMPT_ONLY | OUTPUT_ONLY | {"profanity"}
MARKER = re.compile(r"\[\[filter:(?:(output):)?([a-z_]+)(?::(low|medium|high|safe))?\]\]")
# Shown as the source of flagged code (azure-surface.md §6 `citation{URL, license}`).
# Asynchronous filter mode: one annotation per this many streamed tokens.
ANNOTATION_EVERY_PIECES = 10
CODE_CITATION = {"URL": "https://github.com/mockazure/protected-material", "license": "MIT"}


def _safe(category: str, features: ResponseFeatures) -> Any:
    if category in SEVERITY_CATEGORIES:
        return {"filtered": False, "severity": "safe"}
    if category == "custom_blocklists":
        if features.custom_blocklists_shape == "object":
            return {"filtered": False, "details": []}
        return []
    if category == "ungrounded_material":
        return {"filtered": False, "detected": False, "details": []}
    return {"filtered": False, "detected": False}


def safe_results(categories: tuple[str, ...], features: ResponseFeatures) -> dict[str, Any]:
    return {category: _safe(category, features) for category in categories}


def safe_prompt_results(features: ResponseFeatures) -> dict[str, Any]:
    return safe_results(features.prompt_filter_categories, features)


def safe_choice_results(features: ResponseFeatures) -> dict[str, Any]:
    return safe_results(features.choice_filter_categories, features)


@dataclass
class Verdict:
    """One text's annotation for the version, and the categories that block it."""

    results: dict[str, Any]
    blocked: list[str] = field(default_factory=list)
    # Character offset from which the text is objectionable (a blocklist term), if known.
    first_hit: int | None = None

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)


def strip_markers(text: str) -> str:
    """The text without filter markers, so answers never quote them."""
    return MARKER.sub("", text).strip() if "[[filter:" in text else text


def markers(text: str, side: str) -> dict[str, str]:
    """Category -> severity ("detected" for detection categories) the markers in `text` set
    for `side` ("prompt" or "output")."""
    found: dict[str, str] = {}
    for match in MARKER.finditer(text):
        output, category, severity = match.groups()
        if category not in KNOWN:
            continue
        wanted = "output" if output or category in OUTPUT_ONLY else "prompt"
        if category in PROMPT_ONLY:
            wanted = "prompt"
        if wanted != side:
            continue
        level = (severity or "high") if category in SEVERITY_CATEGORIES else "detected"
        previous = found.get(category)
        if previous is None or SEVERITY_ORDER.get(level, 0) > SEVERITY_ORDER.get(previous, 0):
            found[category] = level
    return found


class ContentFilter:
    """A deployment's filter applied with the annotations of one api-version."""

    def __init__(self, deployment: DeploymentSpec, features: ResponseFeatures) -> None:
        self.policy: FilterPolicy = policy_from_options(deployment.options)
        self.features = features

    @property
    def asynchronous(self) -> bool:
        return self.policy.mode == "asynchronous"

    @property
    def annotates(self) -> bool:
        return self.features.prompt_filter_key is not None

    def _blocklist_hits(self, text: str) -> tuple[list[str], int | None]:
        hits: list[str] = []
        first: int | None = None
        for list_id, terms in sorted(self.policy.blocklists.items()):
            for term in terms:
                found = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE)
                if found:
                    hits.append(list_id)
                    first = found.start() if first is None else min(first, found.start())
                    break
        return hits, first

    def _judge(self, flags: dict[str, str], text: str, categories: tuple[str, ...]) -> Verdict:
        verdict = Verdict(results=safe_results(categories, self.features))
        for category, level in flags.items():
            if level == "detected":
                blocks = self.policy.blocks_detection(category)
                result: dict[str, Any] = {"filtered": blocks, "detected": True}
                if category == "protected_material_code":
                    result["citation"] = dict(CODE_CITATION)
                if category == "ungrounded_material":
                    result["details"] = [
                        {"completion_start_offset": 0, "completion_end_offset": len(text)}
                    ]
            else:
                blocks = self.policy.blocks_severity(category, level)
                result = {"filtered": blocks, "severity": level}
            if blocks:
                verdict.blocked.append(category)
            if category in verdict.results:
                verdict.results[category] = result
        hits, verdict.first_hit = self._blocklist_hits(text)
        if hits:
            verdict.blocked.append("custom_blocklists")
            if "custom_blocklists" in verdict.results:
                verdict.results["custom_blocklists"] = self._blocklist_result(hits)
        return verdict

    def _blocklist_result(self, hits: list[str]) -> Any:
        details = [{"filtered": True, "id": list_id} for list_id in hits]
        if self.features.custom_blocklists_shape == "object":
            return {"filtered": True, "details": details}
        return details

    def judge_prompt(self, text: str) -> Verdict:
        """One prompt's annotation, blocked or not (the caller words the refusal)."""
        return self._judge(markers(text, "prompt"), text, self.features.prompt_filter_categories)

    def screen_prompts(self, texts: list[str]) -> list[dict[str, Any]]:
        """Each prompt's annotation; a blocked prompt raises the 400 of azure-surface.md §9e."""
        categories = self.features.prompt_filter_categories
        verdicts = [self._judge(markers(text, "prompt"), text, categories) for text in texts]
        for verdict in verdicts:
            if verdict.is_blocked:
                raise ContentFiltered(verdict.results if self.annotates else None)
        return [verdict.results for verdict in verdicts]

    def screen_output(self, prompt: str, content: str) -> Verdict:
        """The completion's annotation: markers come from the prompt, blocklists from both."""
        return self._judge(
            markers(prompt, "output"), content, self.features.choice_filter_categories
        )

    def cut_point(self, verdict: Verdict, pieces: list[str]) -> int:
        """How many pieces of a blocked completion are returned: the text before a blocklist
        term, else the first half (Azure returns partial content or none; clients.md §7)."""
        keep = len(pieces) // 2
        if verdict.first_hit is not None:
            offset, count = 0, 0
            for piece in pieces:
                if offset + len(piece) > verdict.first_hit:
                    break
                offset, count = offset + len(piece), count + 1
            keep = min(keep, count)
        return keep


def annotation_offsets(pieces: list[str], every: int) -> list[tuple[int, int, int, int]]:
    """Asynchronous-filter segments (§9f): (first piece, end piece, start_offset, end_offset)
    over the text, `every` pieces at a time."""
    segments = []
    offset = 0
    for start in range(0, len(pieces), every):
        chunk = pieces[start : start + every]
        length = sum(len(piece) for piece in chunk)
        segments.append((start, start + len(chunk), offset, offset + length))
        offset += length
    return segments

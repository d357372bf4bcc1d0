"""Content-filter annotations (azure-surface.md §6): which categories, in which shape.

Every annotation the request's api-version defines is present; by default all are safe.
"""

from typing import Any

from mockazure.versions import ResponseFeatures

SEVERITY_CATEGORIES = frozenset({"hate", "sexual", "violence", "self_harm"})


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

"""The v1 part of the api-version registry (scripts/v1_registry.py, docs/v1-facts.md)."""

import pytest

from mockazure.versions import (
    ALL_API_VERSIONS,
    OperationName,
    OperationSpec,
    get_api_version,
    get_v1_api_version,
)

NEWEST = "2025-04-01-preview"


def newest_dated_spec(op: OperationName) -> OperationSpec:
    found = get_api_version(NEWEST)
    assert found is not None
    return found.spec(op)


@pytest.mark.parametrize("name", [None, "", "v1", "preview", "latest"])
def test_v1_registry_accepts_no_version_v1_preview_and_latest(name: str | None) -> None:
    version = get_v1_api_version(name)
    assert version is not None
    assert version.v1
    assert version.name == (name or "v1")


@pytest.mark.parametrize("name", ["2024-10-21", NEWEST, "2025-08-28", "v2", "Preview"])
def test_v1_registry_refuses_dated_and_unknown_versions(name: str) -> None:
    assert get_v1_api_version(name) is None


@pytest.mark.parametrize("name", ["v1", "preview", "latest"])
def test_dated_registry_still_refuses_the_v1_names(name: str) -> None:
    assert get_api_version(name) is None


def test_v1_serves_the_issue_surface_and_nothing_dated_only() -> None:
    version = get_v1_api_version("v1")
    assert version is not None
    assert set(version.operations) == {
        "chat_completions",
        "embeddings",
        "models_list",
        "model_get",
        "image_generations",
        "image_edits",
        "transcriptions",
        "translations",
        "speech",
        "responses_create",
        "responses_get",
        "responses_delete",
        "responses_input_items",
        "responses_cancel",
    }
    assert not version.supports("completions")
    assert not version.supports("image_generations_submit")


@pytest.mark.parametrize("op", ["chat_completions", "embeddings"])
def test_v1_keeps_every_dated_field_and_limit_and_adds_model(op: OperationName) -> None:
    version = get_v1_api_version(None)
    assert version is not None
    v1, dated = version.spec(op), newest_dated_spec(op)
    assert dated.fields <= v1.fields
    assert "model" in v1.fields
    for key, limit in dated.maxima.items():
        assert v1.maxima[key] == limit
    for key, limit in dated.minima.items():
        assert v1.minima[key] == limit
    assert dict(v1.enums).items() >= dict(dated.enums).items()
    assert v1.operation_id == dated.operation_id  # Azure's 429 wording names the dated id


def test_v1_chat_limits_match_the_newest_dated_version() -> None:
    version = get_v1_api_version(None)
    assert version is not None
    chat = version.spec("chat_completions")
    assert chat.maxima["stop"] == 4
    assert chat.maxima["tools"] == 128
    assert chat.maxima["top_logprobs"] == 20
    assert "developer" in chat.enums["messages.role"]


def test_v1_embeddings_body_stays_open_as_on_the_dated_version() -> None:
    version = get_v1_api_version(None)
    assert version is not None
    assert version.spec("embeddings").unrecognized(["input", "whatever"]) == ()


def test_v1_response_features_are_the_newest_dated_ones_with_openai_models() -> None:
    v1, dated = get_v1_api_version(None), get_api_version(NEWEST)
    assert v1 is not None
    assert dated is not None
    assert v1.response.prompt_filter_key == dated.response.prompt_filter_key
    assert v1.response.stream_usage
    assert v1.response.model_fields == ("created", "id", "object", "owned_by")


def test_2025_08_28_is_the_newest_dated_version_for_chat_and_embeddings_only() -> None:
    alias = get_api_version("2025-08-28")
    assert alias is not None
    assert set(alias.operations) == {"chat_completions", "embeddings"}
    assert alias.spec("chat_completions") == newest_dated_spec("chat_completions")
    assert "2025-08-28" not in ALL_API_VERSIONS


def test_dated_models_shape_follows_the_authoring_specs() -> None:
    early, ga = get_api_version("2022-03-01-preview"), get_api_version("2024-10-21")
    later = get_api_version(NEWEST)
    assert early is not None
    assert ga is not None
    assert later is not None
    assert "updated_at" in early.response.model_fields
    assert "lifecycle_status" not in early.response.model_fields
    assert early.response.model_capabilities == ("fine_tune",)
    assert "updated_at" not in ga.response.model_fields
    assert "chat_completion" in ga.response.model_capabilities
    # No authoring spec after 2024-10-21 here: its shape is carried forward.
    assert later.supports("models_list")
    assert later.response.model_fields == ga.response.model_fields


@pytest.mark.parametrize("name", ["2025-03-01-preview", "2025-04-01-preview", "v1"])
def test_responses_rows_are_in_the_registry_with_the_v1_spec_fields(name: str) -> None:
    """scripts/responses_registry.py: the same Responses surface on every version answering it."""
    version = get_api_version(name) or get_v1_api_version(name)
    assert version is not None
    spec = version.spec("responses_create")
    assert {"background", "prompt", "max_tool_calls", "text", "model"} <= spec.fields
    assert version.supports("responses_cancel")


def test_responses_are_not_on_older_dated_versions() -> None:
    version = get_api_version("2025-02-01-preview")
    assert version is not None
    assert not version.supports("responses_create")

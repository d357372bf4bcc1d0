"""The api-version registry against the facts in azure-surface.md and, when present, the specs."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import pytest

from mockazure.versions import (
    ALL_API_VERSIONS,
    LATEST_GA,
    ApiVersion,
    OperationName,
    get_api_version,
    load_raw,
)

REPO = Path(__file__).resolve().parents[2]
# The shared specs sit next to the repository (<repo>/../shared); MOCKAZURE_SPECS_DIR overrides
# that, e.g. when the repository is checked out as a git worktree elsewhere.
SPECS_DIR = Path(
    os.environ.get("MOCKAZURE_SPECS_DIR", REPO.parent / "shared" / "azure-openai-specs")
)
GENERATOR = REPO / "scripts" / "gen_api_versions.py"

GA = ("2022-12-01", "2023-05-15", "2024-02-01", "2024-06-01", "2024-10-21")
DALLE2_SIZES = ("256x256", "512x512")


def version(name: str) -> ApiVersion:
    found = get_api_version(name)
    assert found is not None, name
    return found


def versions_supporting(op: OperationName) -> list[str]:
    return [name for name in ALL_API_VERSIONS if version(name).supports(op)]


def between(first: str, last: str) -> list[str]:
    return [name for name in ALL_API_VERSIONS if first <= name <= last]


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_api_versions", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the table itself -------------------------------------------------------------------------


def test_registry_lists_all_27_dated_versions_in_order() -> None:
    assert len(ALL_API_VERSIONS) == 27
    assert list(ALL_API_VERSIONS) == sorted(ALL_API_VERSIONS)
    assert ALL_API_VERSIONS[0] == "2022-03-01-preview"
    assert ALL_API_VERSIONS[-1] == "2025-04-01-preview"
    assert "2024-11-01-preview" not in ALL_API_VERSIONS


def test_registry_latest_ga_is_2024_10_21() -> None:
    assert LATEST_GA == "2024-10-21"
    assert max(name for name in ALL_API_VERSIONS if not version(name).preview) == LATEST_GA


def test_registry_marks_preview_versions() -> None:
    assert [name for name in ALL_API_VERSIONS if not version(name).preview] == list(GA)


@pytest.mark.parametrize("name", [None, "", "2024-11-01-preview", "latest", "preview", "v1"])
def test_registry_returns_none_for_missing_or_unknown_version(name: str | None) -> None:
    assert get_api_version(name) is None


def test_registry_spec_raises_key_error_for_unsupported_operation() -> None:
    with pytest.raises(KeyError):
        version("2023-05-15").spec("image_generations")


def test_registry_operation_ids_match_the_specs() -> None:
    v = version("2023-05-15")
    assert v.spec("chat_completions").operation_id == "ChatCompletions_Create"
    assert v.spec("completions").operation_id == "Completions_Create"
    assert v.spec("embeddings").operation_id == "embeddings_create"
    assert version("2023-06-01-preview").spec("image_generations_submit").operation_id == (
        "Images_Generate"
    )
    assert version("2025-04-01-preview").spec("image_edits").operation_id == (
        "ImageGenerations_Edit"
    )


def test_registry_unrecognized_lists_unknown_fields_sorted() -> None:
    chat = version("2023-05-15").spec("chat_completions")
    assert chat.unrecognized(["messages", "functions", "function_call"]) == (
        "function_call",
        "functions",
    )


# --- operations per version (§3) ---------------------------------------------------------------


def test_registry_chat_starts_with_2023_03_15_preview() -> None:
    assert versions_supporting("chat_completions")[0] == "2023-03-15-preview"
    assert not version("2022-12-01").supports("chat_completions")


def test_registry_embeddings_starts_with_2022_06_01_preview() -> None:
    assert versions_supporting("embeddings")[0] == "2022-06-01-preview"


def test_registry_extensions_chat_only_2023_06_to_2023_12_previews() -> None:
    assert versions_supporting("extensions_chat_completions") == between(
        "2023-06-01-preview", "2023-12-01-preview"
    )


def test_registry_dalle2_operations_only_2023_06_to_2023_10_previews() -> None:
    expected = between("2023-06-01-preview", "2023-10-01-preview")
    for op in ("image_generations_submit", "image_operation_get", "image_operation_delete"):
        assert versions_supporting(op) == expected, op


def test_registry_sync_images_from_2023_12_01_preview() -> None:
    supported = versions_supporting("image_generations")
    assert supported == [n for n in ALL_API_VERSIONS if n >= "2023-12-01-preview"]


def test_registry_audio_transcriptions_from_2023_09_01_preview() -> None:
    assert versions_supporting("transcriptions")[0] == "2023-09-01-preview"
    assert versions_supporting("translations")[0] == "2023-09-01-preview"


def test_registry_speech_only_in_previews_from_2024_02_15() -> None:
    supported = versions_supporting("speech")
    assert supported[0] == "2024-02-15-preview"
    assert all(version(name).preview for name in supported)
    assert "2025-04-01-preview" in supported


def test_registry_image_edits_only_in_2025_04_01_preview() -> None:
    assert versions_supporting("image_edits") == ["2025-04-01-preview"]


# --- request fields and gaps (§4, §10) ----------------------------------------------------------


def test_registry_2024_10_21_lacks_stream_options() -> None:
    v = version("2024-10-21")
    assert "stream_options" not in v.spec("chat_completions").fields
    assert not v.response.stream_usage
    assert "stream_options" in version("2024-10-01-preview").spec("chat_completions").fields


def test_registry_2024_10_21_lacks_speech_and_timestamp_granularities() -> None:
    v = version("2024-10-21")
    assert not v.supports("speech")
    assert "timestamp_granularities[]" not in v.spec("transcriptions").fields


def test_registry_timestamp_granularities_named_with_brackets() -> None:
    for name in ("2024-04-01-preview", "2024-05-01-preview", "2024-07-01-preview"):
        spec = version(name).spec("transcriptions")
        assert "timestamp_granularities[]" in spec.fields
        assert spec.enums["timestamp_granularities[]"] == ("word", "segment")
    assert "timestamp_granularities[]" not in version("2024-06-01").spec("transcriptions").fields


def test_registry_2024_02_01_lacks_chat_logprobs() -> None:
    fields = version("2024-02-01").spec("chat_completions").fields
    assert "logprobs" not in fields
    assert "top_logprobs" not in fields
    assert "logprobs" in version("2024-06-01").spec("chat_completions").fields


def test_registry_functions_from_2023_07_01_preview() -> None:
    assert "functions" not in version("2023-05-15").spec("chat_completions").fields
    assert "functions" not in version("2023-06-01-preview").spec("chat_completions").fields
    chat = version("2023-07-01-preview").spec("chat_completions")
    assert {"functions", "function_call"} <= chat.fields
    assert chat.enums["function_call"] == ("none", "auto")


def test_registry_max_completion_tokens_from_2024_09_01_preview() -> None:
    new = {"max_completion_tokens", "parallel_tool_calls"}
    assert not new & version("2024-08-01-preview").spec("chat_completions").fields
    assert new <= version("2024-09-01-preview").spec("chat_completions").fields
    assert new <= version("2024-10-21").spec("chat_completions").fields


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("2023-12-01-preview", False),
        ("2024-02-01", False),
        ("2024-02-15-preview", False),
        ("2024-05-01-preview", False),
        ("2024-06-01", True),
        ("2024-07-01-preview", True),
        ("2024-10-21", True),
        ("2025-04-01-preview", True),
    ],
)
def test_registry_tool_choice_required_from_2024_06_01(name: str, allowed: bool) -> None:
    chat = version(name).spec("chat_completions")
    assert chat.allows("tool_choice", "required") is allowed
    assert chat.allows("tool_choice", "auto")


def test_registry_response_format_json_schema_from_2024_08_01_preview() -> None:
    assert (
        not version("2024-07-01-preview")
        .spec("chat_completions")
        .allows("response_format.type", "json_schema")
    )
    assert (
        version("2024-10-21").spec("chat_completions").allows("response_format.type", "json_schema")
    )


def test_registry_data_sources_types_per_version() -> None:
    ga = version("2024-10-21").spec("chat_completions").enums["data_sources.type"]
    assert ga == ("azure_search", "azure_cosmos_db")
    preview = version("2024-02-15-preview").spec("chat_completions").enums["data_sources.type"]
    assert "azure_ml_index" in preview
    assert (
        "mongo_db"
        in version("2024-08-01-preview").spec("chat_completions").enums["data_sources.type"]
    )


def test_registry_embeddings_encoding_format_from_2024_03_01_preview() -> None:
    assert "encoding_format" not in version("2024-02-15-preview").spec("embeddings").fields
    embeddings = version("2024-03-01-preview").spec("embeddings")
    assert embeddings.enums["encoding_format"] == ("float", "base64")
    assert {"dimensions", "encoding_format"} <= version("2024-06-01").spec("embeddings").fields


@pytest.mark.parametrize("name", ALL_API_VERSIONS)
def test_registry_dalle2_sizes_on_sync_images_only_in_some_previews(name: str) -> None:
    v = version(name)
    if not v.supports("image_generations"):
        return
    expected = name in {
        "2024-05-01-preview",
        "2024-07-01-preview",
        "2024-08-01-preview",
        "2024-09-01-preview",
        "2024-10-01-preview",
        "2024-12-01-preview",
        "2025-01-01-preview",
        "2025-02-01-preview",
        "2025-03-01-preview",
    }
    images = v.spec("image_generations")
    assert all(images.allows("size", size) is expected for size in DALLE2_SIZES)


def test_registry_dalle2_submit_sizes_and_status_values() -> None:
    submit = version("2023-06-01-preview").spec("image_generations_submit")
    assert submit.fields == {"prompt", "n", "size", "user"}
    assert submit.enums["size"] == ("256x256", "512x512", "1024x1024")
    old = version("2023-09-01-preview").spec("image_operation_get").enums["status"]
    assert old == ("notRunning", "running", "succeeded", "canceled", "failed", "deleted")
    new = version("2023-10-01-preview").spec("image_operation_get").enums["status"]
    assert new == ("notRunning", "running", "succeeded", "failed")


def test_registry_speech_formats_gain_wav_and_pcm_in_2024_04_01_preview() -> None:
    assert not version("2024-03-01-preview").spec("speech").allows("response_format", "wav")
    speech = version("2024-04-01-preview").spec("speech")
    assert speech.allows("response_format", "pcm")
    assert speech.maxima["input"] == 4096
    assert (speech.minima["speed"], speech.maxima["speed"]) == (0.25, 4)


# --- limits (§4, §10.7) -----------------------------------------------------------------------


def test_registry_top_logprobs_max_5_then_20_from_2024_08_01_preview() -> None:
    assert version("2024-07-01-preview").spec("chat_completions").maxima["top_logprobs"] == 5
    assert version("2024-08-01-preview").spec("chat_completions").maxima["top_logprobs"] == 20
    assert version("2024-10-21").spec("chat_completions").maxima["top_logprobs"] == 20


def test_registry_best_of_max_128_then_20_from_2024_08_01_preview() -> None:
    assert version("2024-07-01-preview").spec("completions").maxima["best_of"] == 128
    assert version("2024-08-01-preview").spec("completions").maxima["best_of"] == 20


def test_registry_chat_limits() -> None:
    chat = version("2024-06-01").spec("chat_completions")
    for key, limit in {"n": 128, "stop": 4, "tools": 128, "functions": 128}.items():
        assert chat.maxima[key] == limit, key
    assert (chat.minima["temperature"], chat.maxima["temperature"]) == (0, 2)


def test_registry_completions_limits() -> None:
    completions = version("2023-05-15").spec("completions")
    for key, limit in {"n": 128, "logprobs": 5, "best_of": 128, "stop": 4}.items():
        assert completions.maxima[key] == limit, key


def test_registry_embeddings_input_max_2048_items() -> None:
    assert version("2024-10-21").spec("embeddings").maxima["input"] == 2048


def test_registry_dalle3_n_is_exactly_one_and_prompt_4000() -> None:
    images = version("2024-10-21").spec("image_generations")
    assert (images.minima["n"], images.maxima["n"]) == (1, 1)
    assert images.maxima["prompt"] == 4000


# --- 2025-04-01-preview overlay (§4.1, §4.3a, §4.5a, §4.7) --------------------------------------


def test_registry_2025_04_chat_additions() -> None:
    chat = version("2025-04-01-preview").spec("chat_completions")
    expected = {"store", "metadata", "reasoning_effort", "modalities", "prediction", "audio"}
    assert expected | {"user_security_context", "stream_options"} <= chat.fields
    assert chat.allows("messages.role", "developer")
    assert chat.enums["reasoning_effort"] == ("low", "medium", "high")
    assert not version("2024-10-21").spec("chat_completions").allows("messages.role", "developer")


def test_registry_2025_04_completions_stream_options() -> None:
    assert "stream_options" in version("2025-04-01-preview").spec("completions").fields
    assert "stream_options" not in version("2025-03-01-preview").spec("completions").fields


def test_registry_2025_04_gpt_image_1_fields_and_values() -> None:
    images = version("2025-04-01-preview").spec("image_generations")
    assert {"output_format", "output_compression", "background"} <= images.fields
    assert images.enums["size"] == (
        "auto",
        "1792x1024",
        "1024x1792",
        "1024x1024",
        "1024x1536",
        "1536x1024",
    )
    assert images.enums["quality"] == ("auto", "high", "medium", "low", "hd", "standard")
    assert images.enums["output_format"] == ("png", "jpeg")
    assert images.enums["background"] == ("transparent", "opaque", "auto")
    assert (images.maxima["n"], images.maxima["n.dall-e-3"]) == (10, 1)
    assert (images.maxima["prompt"], images.maxima["prompt.dall-e-3"]) == (32000, 4000)


def test_registry_2025_04_image_edits_fields() -> None:
    edits = version("2025-04-01-preview").spec("image_edits")
    assert edits.fields == {
        "image",
        "mask",
        "n",
        "prompt",
        "quality",
        "response_format",
        "size",
        "user",
    }
    assert edits.maxima["n"] == 10


def test_registry_2025_04_keeps_speech_and_timestamps() -> None:
    v = version("2025-04-01-preview")
    assert v.spec("speech").allows("response_format", "wav")
    assert "timestamp_granularities[]" in v.spec("transcriptions").fields


# --- response features (§5, §6, §9f) ------------------------------------------------------------


def test_registry_prompt_filter_key_per_version() -> None:
    assert version("2023-05-15").response.prompt_filter_key is None
    assert version("2023-06-01-preview").response.prompt_filter_key == "prompt_annotations"
    assert version("2023-07-01-preview").response.prompt_filter_key == "prompt_filter_results"
    assert version("2024-10-21").response.prompt_filter_key == "prompt_filter_results"


def test_registry_filter_categories_before_2023_12() -> None:
    response = version("2023-10-01-preview").response
    assert set(response.prompt_filter_categories) == {"hate", "sexual", "violence", "self_harm"}
    assert set(response.choice_filter_categories) == {"hate", "sexual", "violence", "self_harm"}
    assert response.custom_blocklists_shape is None
    assert not response.system_fingerprint


def test_registry_custom_blocklists_shape_and_ga_absence() -> None:
    assert version("2023-12-01-preview").response.custom_blocklists_shape == "array"
    assert version("2024-03-01-preview").response.custom_blocklists_shape == "array"
    assert version("2024-04-01-preview").response.custom_blocklists_shape == "object"
    for name in ("2024-02-01", "2024-06-01", "2024-10-21"):
        response = version(name).response
        assert response.custom_blocklists_shape is None, name
        assert "custom_blocklists" not in response.prompt_filter_categories, name


def test_registry_indirect_attack_only_in_previews_from_2024_04() -> None:
    having = [
        n
        for n in ALL_API_VERSIONS
        if "indirect_attack" in version(n).response.prompt_filter_categories
    ]
    assert having == [
        n for n in ALL_API_VERSIONS if n >= "2024-04-01-preview" and n.endswith("preview")
    ]


def test_registry_ungrounded_material_from_2024_10_01_preview_not_ga() -> None:
    def has(name: str) -> bool:
        return "ungrounded_material" in version(name).response.choice_filter_categories

    assert not has("2024-09-01-preview")
    assert has("2024-10-01-preview")
    assert not has("2024-10-21")
    assert has("2025-04-01-preview")


def test_registry_protected_material_and_jailbreak_from_2023_12() -> None:
    response = version("2023-12-01-preview").response
    assert {"profanity", "jailbreak"} <= set(response.prompt_filter_categories)
    assert {"protected_material_text", "protected_material_code"} <= set(
        response.choice_filter_categories
    )
    assert response.system_fingerprint


def test_registry_usage_details_per_version() -> None:
    def flags(name: str) -> tuple[bool, bool]:
        response = version(name).response
        return response.usage_completion_details, response.usage_prompt_details

    assert flags("2024-08-01-preview") == (False, False)
    assert flags("2024-09-01-preview") == (True, False)
    assert flags("2024-10-01-preview") == (True, True)
    assert flags("2024-10-21") == (True, False)
    assert flags("2025-04-01-preview") == (True, True)


def test_registry_stream_usage_versions() -> None:
    having = [n for n in ALL_API_VERSIONS if version(n).response.stream_usage]
    assert having == [
        "2024-09-01-preview",
        "2024-10-01-preview",
        "2024-12-01-preview",
        "2025-01-01-preview",
        "2025-02-01-preview",
        "2025-03-01-preview",
        "2025-04-01-preview",
    ]


# --- the shipped data is what the generator makes from the specs --------------------------------


@pytest.mark.skipif(
    not SPECS_DIR.is_dir(),
    reason=f"Azure OpenAI specs not found at {SPECS_DIR} (set MOCKAZURE_SPECS_DIR to check them)",
)
def test_registry_shipped_json_matches_specs() -> None:
    generator = load_generator()
    rebuilt = json.loads(generator.render(generator.build_registry(SPECS_DIR)))
    shipped = load_raw()
    assert list(rebuilt["versions"]) == list(shipped["versions"])
    for name in shipped["versions"]:
        assert rebuilt["versions"][name] == shipped["versions"][name], name
    assert rebuilt == shipped


def test_registry_embeddings_body_is_open_so_nothing_is_unrecognized() -> None:
    embeddings = version("2023-05-15").spec("embeddings")
    assert embeddings.additional_properties
    assert embeddings.unrecognized(["input", "encoding_format"]) == ()
    assert not version("2023-05-15").spec("chat_completions").additional_properties

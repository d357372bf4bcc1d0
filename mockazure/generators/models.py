"""The base models a resource lists: one per distinct `model` of its deployments, described in
the shape the api-version asks for (docs/v1-facts.md, "Models listing"). Pure: the same
catalogue gives the same bytes."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from mockazure.config import Capability, DeploymentSpec
from mockazure.protocol.models import AzureModelInfo, Capabilities, Deprecation, Model
from mockazure.versions import ResponseFeatures

DEFAULT_CREATED = 1_672_531_200  # 2023-01-01: a model whose version is not a date
DAY_S = 86_400
# Authoring `Deprecation`: "Usually base models support 1 year of fine tuning after creation.
# Inference is typically supported 2 years after creation".
FINE_TUNE_DAYS = 365
INFERENCE_DAYS = 730
OWNED_BY = "system"  # (inference) OpenAI's value for the models it provides
# What each deployment capability can do, in the authoring `Capabilities` words.
CAN: dict[Capability, frozenset[str]] = {
    "chat": frozenset({"chat_completion", "inference"}),
    "completions": frozenset({"completion", "inference"}),
    "embeddings": frozenset({"embeddings", "inference"}),
    "images": frozenset({"inference"}),
    "transcription": frozenset({"inference"}),
    "speech": frozenset({"inference"}),
    "realtime": frozenset({"inference"}),
}


@dataclass(frozen=True)
class BaseModelFacts:
    id: str
    created: int
    capability: Capability

    @property
    def lifecycle(self) -> str:
        return "preview" if "preview" in self.id else "generally-available"


def created_from(version: str) -> int:
    """A model version that is a date ("2024-08-06") is its release day; else 2023-01-01."""
    try:
        day = datetime.date.fromisoformat(version)
    except ValueError:
        return DEFAULT_CREATED
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp())


def base_models(deployments: Iterable[DeploymentSpec]) -> list[BaseModelFacts]:
    """One entry per model id, from the first deployment (by name) that serves it."""
    found: dict[str, BaseModelFacts] = {}
    for spec in sorted(deployments, key=lambda d: d.name):
        if spec.model not in found:
            found[spec.model] = BaseModelFacts(
                spec.model, created_from(spec.version), spec.capability
            )
    return [found[key] for key in sorted(found)]


def can(capability: Capability) -> frozenset[str]:
    return CAN.get(capability, frozenset({"inference"}))


def v1_model(facts: BaseModelFacts) -> Model:
    return Model(id=facts.id, object="model", created=facts.created, owned_by=OWNED_BY)


def _capabilities(facts: BaseModelFacts, keys: tuple[str, ...]) -> Capabilities:
    values: dict[str, object] = {key: key in can(facts.capability) for key in keys}
    if "scale_types" in keys:
        values["scale_types"] = ["standard"]
    return Capabilities.model_validate(values)


def dated_model(facts: BaseModelFacts, response: ResponseFeatures) -> AzureModelInfo:
    """The authoring `Model` with exactly the keys of the request's api-version."""
    values: dict[str, object] = {
        "object": "model",
        "id": facts.id,
        "status": "succeeded",
        "created_at": facts.created,
        "updated_at": facts.created,
        "capabilities": _capabilities(facts, response.model_capabilities),
        "lifecycle_status": facts.lifecycle,
        "deprecation": Deprecation(
            fine_tune=facts.created + FINE_TUNE_DAYS * DAY_S,
            inference=facts.created + INFERENCE_DAYS * DAY_S,
        ),
    }
    wanted = {key: value for key, value in values.items() if key in response.model_fields}
    return AzureModelInfo.model_validate(wanted)

"""The models listing (docs/v1-facts.md, "Models listing").

v1: `OpenAI.Model` / `OpenAI.ListModelsResponse` of the v1 GA spec. Dated: the authoring specs'
`Model` / `ModelList`, whose keys change with the api-version (the registry's `model_fields` and
`model_capabilities`): every field here is optional and only the version's are set, so
`exclude_unset` dumps exactly them.
"""

from typing import Literal

from mockazure.protocol.common import ResponseModel

LifecycleStatus = Literal["preview", "generally-available"]


class Model(ResponseModel):
    """v1 `OpenAI.Model`: required `id`, `created`, `object`, `owned_by`."""

    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ListModelsResponse(ResponseModel):
    object: Literal["list"] = "list"
    data: list[Model]


class Capabilities(ResponseModel):
    """Authoring `Capabilities` (2022-06 … 2023-03-15-preview also `scale_types`)."""

    fine_tune: bool | None = None
    inference: bool | None = None
    completion: bool | None = None
    chat_completion: bool | None = None
    embeddings: bool | None = None
    scale_types: list[str] | None = None


class Deprecation(ResponseModel):
    fine_tune: int | None = None
    inference: int | None = None


class AzureModelInfo(ResponseModel):
    """Authoring `Model` (required: `capabilities`, `deprecation`, `lifecycle_status`)."""

    object: Literal["model"] | None = None
    id: str | None = None
    status: Literal["succeeded"] | None = None
    created_at: int | None = None
    updated_at: int | None = None
    capabilities: Capabilities | None = None
    lifecycle_status: LifecycleStatus | None = None
    deprecation: Deprecation | None = None


class ModelList(ResponseModel):
    """Authoring `ModelList`."""

    object: Literal["list"] = "list"
    data: list[AzureModelInfo]

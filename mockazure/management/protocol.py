"""Request and response bodies of the emulated ARM operations (cognitiveservices.json
definitions `Account`, `AccountProperties`, `Sku`, `Deployment`, `DeploymentProperties`,
`DeploymentModel`, `PatchResourceTagsAndSku`, `ApiKeys`, `RegenerateKeyParameters`,
`AccountModel`, `Usage`; stable/2024-10-01, unchanged in 2025-06-01 for these fields).

Bodies ignore what they do not model: clients PUT back what they GET (`id`, `name`, `type`,
`etag`, read-only `properties`), and ARM resource providers drop read-only values silently.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Kinds whose data plane mockazure serves (an Azure OpenAI resource, or the AI Services
# multi-service resource that carries the same OpenAI endpoint).
AccountKind = Literal["OpenAI", "AIServices"]
# DeploymentProperties.versionUpgradeOption
VersionUpgradeOption = Literal[
    "OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"
]


class ArmBody(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class Sku(ArmBody):
    name: str = Field(min_length=1, max_length=64)
    tier: str | None = None
    size: str | None = None
    family: str | None = None
    capacity: int | None = Field(default=None, ge=1, le=2_147_483_647)


class AccountBody(ArmBody):
    kind: AccountKind
    sku: Sku
    location: str | None = Field(default=None, max_length=64)
    tags: dict[str, str] | None = None
    identity: dict[str, Any] | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class AccountPatch(ArmBody):
    sku: Sku | None = None
    tags: dict[str, str] | None = None
    identity: dict[str, Any] | None = None
    properties: dict[str, Any] | None = None


class DeploymentModel(ArmBody):
    format: str | None = Field(default="OpenAI", max_length=64)
    name: str = Field(min_length=1, max_length=128)
    version: str | None = Field(default=None, max_length=64)
    source: str | None = None


class DeploymentProperties(ArmBody):
    model: DeploymentModel
    raiPolicyName: str | None = Field(default=None, max_length=256)
    versionUpgradeOption: VersionUpgradeOption | None = None


class DeploymentBody(ArmBody):
    sku: Sku | None = None
    tags: dict[str, str] | None = None
    properties: DeploymentProperties


class DeploymentPatch(ArmBody):
    sku: Sku | None = None
    tags: dict[str, str] | None = None


class RegenerateKeyBody(ArmBody):
    keyName: Literal["Key1", "Key2"]

    @field_validator("keyName", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        """ARM enums compare case-insensitively (the SDKs' CaseInsensitiveEnumMeta)."""
        return value.capitalize() if isinstance(value, str) else value


class ApiKeys(BaseModel):
    key1: str
    key2: str


# Read-only AccountProperties: never taken from a request body.
READ_ONLY_ACCOUNT_PROPERTIES = frozenset(
    {
        "provisioningState",
        "endpoint",
        "endpoints",
        "internalId",
        "capabilities",
        "isMigrated",
        "skuChangeInfo",
        "privateEndpointConnections",
        "dateCreated",
        "callRateLimit",
        "quotaLimit",
        "deletionDate",
        "scheduledPurgeDate",
        "commitmentPlanAssociations",
        "abusePenalty",
    }
)

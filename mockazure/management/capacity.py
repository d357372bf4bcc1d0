"""What an account can deploy, and what a deployment's capacity buys.

Capacity is counted in units. For the Standard family of SKUs one unit is 1,000 tokens per
minute with 6 requests per minute ("Older chat models: 1 unit of capacity = 6 RPM and 1,000
TPM", MicrosoftDocs/azure-ai-docs `articles/ai-services/openai/quotas-limits.md`, commit
3ffda5f); the o1 series has other ratios (same section: o1-preview 1 RPM and 6,000 TPM,
o1-mini 1 RPM per 10,000 TPM), and the GPT-4.1 series is listed at 1 K RPM per 1 M TPM (commit
62dcf48), i.e. 1 RPM per unit. Provisioned SKUs are bought in PTUs whose throughput Azure does
not publish as a per-unit TPM; they are metered with the Standard ratio here.
"""

from dataclasses import dataclass

from mockazure.config import Capability, DeploymentSpec

DEPLOYMENT_SKUS = (
    "Standard",
    "GlobalStandard",
    "DataZoneStandard",
    "GlobalBatch",
    "DataZoneBatch",
    "ProvisionedManaged",
    "GlobalProvisionedManaged",
    "DataZoneProvisionedManaged",
    "DeveloperTier",
)
# Units a subscription may hold per model and SKU in a region (usages' `limit`); Azure's
# defaults differ per model and tier, this one is generous enough never to surprise a test.
DEFAULT_QUOTA_UNITS = 1000
DEFAULT_CAPACITY_UNITS = 1
MAX_CAPACITY_UNITS = 100_000


@dataclass(frozen=True)
class UnitRate:
    rpm: int
    tpm: int


STANDARD_UNIT = UnitRate(rpm=6, tpm=1000)
# Longest model-name prefix wins (`o1-mini-2024-09-12` -> o1-mini).
MODEL_UNITS: dict[str, UnitRate] = {
    "o1-preview": UnitRate(rpm=1, tpm=6000),
    "o1-mini": UnitRate(rpm=1, tpm=10_000),
    "gpt-4.1": UnitRate(rpm=1, tpm=1000),
}


def unit_rate(model: str) -> UnitRate:
    lowered = model.lower()
    matches = [prefix for prefix in MODEL_UNITS if lowered.startswith(prefix)]
    return MODEL_UNITS[max(matches, key=len)] if matches else STANDARD_UNIT


def limits_for(model: str, capacity: int) -> tuple[int, int]:
    """(tpm, rpm) of a deployment of `model` with `capacity` units."""
    rate = unit_rate(model)
    return rate.tpm * capacity, rate.rpm * capacity


# AccountModel.capabilities: the flags Azure lists per model (ListAccountModels examples).
_CAPABILITY_FLAGS: dict[Capability, dict[str, str]] = {
    "chat": {"chatCompletion": "true", "completion": "false"},
    "completions": {"completion": "true"},
    "embeddings": {"embeddings": "true"},
    "images": {"imageGenerations": "true"},
    "transcription": {"audio": "true"},
    "speech": {"audio": "true"},
    "realtime": {"realtime": "true", "audio": "true"},
    "video": {"videoGeneration": "true"},
}


def deployable_models(base: dict[str, DeploymentSpec]) -> dict[str, DeploymentSpec]:
    """One template per model name of the start catalogue: what the `models` list shows and
    what a deployment may name."""
    found: dict[str, DeploymentSpec] = {}
    for spec in base.values():
        found.setdefault(spec.model.lower(), spec)
    return found


def account_model(spec: DeploymentSpec) -> dict[str, object]:
    """cognitiveservices.json `AccountModel` for one catalogue model."""
    skus = [
        {
            "name": sku,
            "usageName": f"OpenAI.{sku}.{spec.model}",
            "capacity": {"minimum": 1, "maximum": MAX_CAPACITY_UNITS, "default": 1, "step": 1},
        }
        for sku in DEPLOYMENT_SKUS
    ]
    return {
        "format": "OpenAI",
        "name": spec.model,
        "version": spec.version,
        "isDefaultVersion": True,
        "maxCapacity": MAX_CAPACITY_UNITS,
        "capabilities": _CAPABILITY_FLAGS.get(spec.capability, {}),
        "skus": skus,
        "lifecycleStatus": "GenerallyAvailable",
    }

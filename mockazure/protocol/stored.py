"""Stored chat completions: the update body (OpenAI's `updateChatCompletion`: only
`metadata`, up to 16 pairs, keys ≤ 64 and values ≤ 512 characters)."""

from pydantic import BaseModel, ConfigDict, Field

from mockazure.protocol.batches import MetadataKey, MetadataValue


class StoredUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    metadata: dict[MetadataKey, MetadataValue] | None = Field(max_length=16)

"""The conversation as the prompt formats read it: plain (role, text) turns, no HTTP models."""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockazure.jsonschema.instances import JSON, UnsatisfiableSchema, instance_for

# Prompts are searched for format markers only this far into each message, so detection stays
# linear and bounded whatever a client sends (bodies are bounded by the body limit anyway).
MAX_SCAN_CHARS = 200_000


@dataclass(frozen=True)
class Conversation:
    turns: tuple[tuple[str, str], ...]  # (role, text), system and developer messages included
    json_mode: bool = False  # response_format json_object
    sparse: bool = False  # optional schema properties by chance (jsonschema.instances)

    @property
    def system(self) -> str:
        return "\n".join(t[:MAX_SCAN_CHARS] for r, t in self.turns if r in ("system", "developer"))

    @property
    def last_user(self) -> str:
        for role, text in reversed(self.turns):
            if role == "user":
                return text[:MAX_SCAN_CHARS]
        return ""

    @property
    def last(self) -> tuple[str, str]:
        role, text = self.turns[-1] if self.turns else ("user", "")
        return role, text[:MAX_SCAN_CHARS]

    def instance(self, schema: Mapping[str, Any], rng: random.Random, hint: str) -> JSON:
        """A value for a schema the prompt stated; raises UnsatisfiableSchema if there is none."""
        return instance_for(schema, rng, hint=hint, sparse=self.sparse)


def try_instance(
    conversation: Conversation, schema: Mapping[str, Any], rng: random.Random, hint: str
) -> tuple[bool, JSON]:
    """(True, value) or (False, None) when the prompt's schema cannot be met or is malformed."""
    try:
        return True, conversation.instance(schema, rng, hint)
    except (UnsatisfiableSchema, RecursionError):
        return False, None

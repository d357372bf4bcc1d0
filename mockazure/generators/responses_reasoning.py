"""Reasoning for o-series and gpt-5 deployments: how many reasoning tokens an answer spends, the
`reasoning` output item, its summary and its `encrypted_content`.

Which models reason: o1/o3/o4 and the gpt-5 family except the `-chat` models (Azure's
reasoning how-to @0d126d3a lists them; `minimal` effort is gpt-5 only). The encrypted content
is an opaque deterministic string that mockazure accepts back in `input`.
"""

import base64
import hashlib
import random
import re

from mockazure.generators import text
from mockazure.protocol.responses_objects import ReasoningOutput, SummaryPart

_REASONING_MODEL = re.compile(r"^(o\d|gpt-5)", re.IGNORECASE)
# Reasoning tokens spent per effort: a base plus up to half again (deterministic per seed).
EFFORT_TOKENS = {"minimal": 0, "low": 64, "medium": 192, "high": 768}
DEFAULT_EFFORT = "medium"
SUMMARY_TITLES = (
    "Considering {topic}",
    "Clarifying {topic}",
    "Planning an answer about {topic}",
    "Weighing what matters for {topic}",
)


def is_reasoning_model(model: str) -> bool:
    return bool(_REASONING_MODEL.match(model)) and "chat" not in model.lower()


def supports_minimal_effort(model: str) -> bool:
    return model.lower().startswith("gpt-5")


def reasoning_tokens(effort: str | None, rng: random.Random) -> int:
    base = EFFORT_TOKENS[effort or DEFAULT_EFFORT]
    return base + (rng.randint(0, base // 2) if base else 0)


def summary_text(hint: str, rng: random.Random) -> str:
    topics = text.salient_words(hint, 2) or ["the question"]
    title = rng.choice(SUMMARY_TITLES).format(topic=" and ".join(topics))
    body = text.compose_reply(hint, rng, min_words=12, max_words=30)
    return f"**{title}**\n\n{body}"


def encrypted_content(item_id: str, seed: int) -> str:
    """An opaque string shaped like the service's (`gAAAAA` + urlsafe base64)."""
    digest = b"".join(hashlib.sha256(f"{seed}:{item_id}:{n}".encode()).digest() for n in range(4))
    return "gAAAAA" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def reasoning_item(
    item_id: str, hint: str, rng: random.Random, *, summary: bool, encrypted: bool, seed: int
) -> ReasoningOutput:
    item = ReasoningOutput(
        id=item_id, summary=[SummaryPart(text=summary_text(hint, rng))] if summary else []
    )
    if encrypted:
        item.encrypted_content = encrypted_content(item_id, seed)
    return item

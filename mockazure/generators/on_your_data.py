"""On Your Data (`data_sources`): the `message.context` Azure adds, with citations and intent
(azure-surface.md §5.1 "2024-02-01: message context{citations[...], intent}")."""

import hashlib
import json
from typing import Any

from mockazure.generators import text
from mockazure.protocol.chat import DataSource


def _index_name(source: DataSource) -> str:
    parameters = source.parameters or {}
    name = parameters.get("index_name") or parameters.get("container_name") or source.type
    return str(name)


def data_context(question: str, sources: list[DataSource]) -> dict[str, Any]:
    citations = citations_for(question, _index_name(sources[0]))
    return {"citations": citations, "intent": json.dumps([question])}


def citations_for(question: str, index: str) -> list[dict[str, Any]]:
    """Two deterministic citations about the question's salient words."""
    words = text.salient_words(question, 3) or ["the", "question"]
    citations: list[dict[str, Any]] = []
    for number in (1, 2):
        digest = hashlib.sha256(f"{index}:{question}:{number}".encode()).hexdigest()
        citations.append(
            {
                "content": f"Document {number} of {index} discusses {' and '.join(words)} in detail.",
                "title": f"{words[0].capitalize()} notes {number}",
                "url": f"https://example.invalid/{index}/doc{number}.md",
                "filepath": f"doc{number}.md",
                "chunk_id": str(int(digest[:6], 16) % 10),
            }
        )
    return citations

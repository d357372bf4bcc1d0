"""The inspector's Conversations view: stored Responses (serving/responses_store.py) grouped
into chains by `previous_response_id`, the newest chain first, each with its turns in order.

A chain is a stored response whose `previous_response_id` is not (or no longer) stored, with
every stored response that continues it, directly or through others; a fork shows as two turns
with the same previous id. `store: false` responses were never stored, so they never show.
The records are read on the event loop (awaited store calls); grouping and rendering them run
in a worker thread. The work is bounded by READ_AT_MOST records, SHOWN chains and TURNS turns
per chain.
"""

from typing import Any

import anyio.to_thread

from mockazure.serving import responses_store
from mockazure.serving.responses_store import StoredResponse
from mockazure.state import MockState

SHOWN = 50  # chains, newest first
TURNS = 100  # turns per chain, oldest first
READ_AT_MOST = 5_000
TEXT_LIMIT = 2_000  # characters of one item's text


async def conversations_overview(state: MockState) -> dict[str, Any]:
    records = await _stored(state)
    return await anyio.to_thread.run_sync(_overview, state, records)


def _overview(state: MockState, records: dict[str, StoredResponse]) -> dict[str, Any]:
    chains = _chains(records)
    now = state.clock.now()
    shown = [
        {
            "id": chain[0].response["id"],
            "turns": len(chain),
            "updated_at": _latest(chain),
            "items": [_turn(record, now, state) for record in chain[:TURNS]],
        }
        for chain in chains[:SHOWN]
    ]
    return {"conversations": shown, "total": len(chains)}


async def _stored(state: MockState) -> dict[str, StoredResponse]:
    keys = sorted(await state.store.akeys(responses_store.NAMESPACE))[:READ_AT_MOST]
    found = {}
    for key in keys:
        record = await responses_store.load(state, key)
        if record is not None:
            found[key] = record
    return found


def _chains(records: dict[str, StoredResponse]) -> list[list[StoredResponse]]:
    """Each root with its continuations, ordered by depth then creation; chains by their
    newest turn, newest first."""
    children: dict[str, list[str]] = {}
    roots = []
    for key, record in records.items():
        previous = record.response.get("previous_response_id")
        if isinstance(previous, str) and previous in records and previous != key:
            children.setdefault(previous, []).append(key)
        else:
            roots.append(key)
    chains = [_walk(root, records, children) for root in roots]
    return sorted(chains, key=lambda chain: (*_newest(chain), chain[0].response["id"]))


def _walk(
    root: str, records: dict[str, StoredResponse], children: dict[str, list[str]]
) -> list[StoredResponse]:
    chain: list[StoredResponse] = []
    level = [root]
    seen = {root}
    while level and len(chain) < READ_AT_MOST:
        ordered = sorted(level, key=lambda key: (*_when(records[key]), key))
        chain.extend(records[key] for key in ordered)
        level = [kid for key in ordered for kid in children.get(key, []) if kid not in seen]
        seen.update(level)
    return chain


def _created(record: StoredResponse) -> float:
    return float(record.response.get("created_at", record.started))


def _when(record: StoredResponse) -> tuple[float, float]:
    """`created_at` is whole seconds; the app-clock time it was stored (its expiry less the
    fixed retention; `started` is moved back for background streams) orders within one."""
    return _created(record), record.expires_at


def _newest(chain: list[StoredResponse]) -> tuple[float, float]:
    created, stored = max(_when(record) for record in chain)
    return -created, -stored


def _latest(chain: list[StoredResponse]) -> float:
    return max(_created(record) for record in chain)


def _turn(record: StoredResponse, now: float, state: MockState) -> dict[str, Any]:
    response = record.response
    status = responses_store.status_now(record, now, state.settings)
    done = status == response.get("status")
    output = response.get("output", []) if done else []
    return {
        "id": response["id"],
        "previous_response_id": response.get("previous_response_id"),
        "status": status,
        "model": response.get("model"),
        "deployment": record.deployment,
        "created_at": _created(record),
        "background": bool(response.get("background")),
        "instructions": _clip(response.get("instructions")),
        "input": [_item_line(item) for item in record.input_items],
        "output": [_item_line(item) for item in output],
        "output_text": _clip(_output_text(output)),
        "usage": response.get("usage") if done else None,
    }


def _output_text(output: list[dict[str, Any]]) -> str:
    return "".join(
        part.get("text", "")
        for item in output
        if item.get("type") == "message"
        for part in item.get("content", [])
        if part.get("type") == "output_text"
    )


def _item_line(item: dict[str, Any]) -> dict[str, Any]:
    """One input or output item as a short line: its type, role and readable text."""
    kind = str(item.get("type", "message"))
    content = item.get("content")
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):
        text = " ".join(_part_text(part) for part in content if isinstance(part, dict))
    elif kind == "function_call":
        text = f"{item.get('name', '')}({item.get('arguments', '')})"
    elif kind == "function_call_output":
        text = str(item.get("output", ""))
    elif kind == "reasoning":
        text = " ".join(str(s.get("text", "")) for s in item.get("summary", []) or [])
    else:
        text = ""
    return {"type": kind, "role": item.get("role"), "text": _clip(text)}


def _part_text(part: dict[str, Any]) -> str:
    if isinstance(part.get("text"), str):
        return str(part["text"])
    return f"[{part.get('type', 'part')}]"


def _clip(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"

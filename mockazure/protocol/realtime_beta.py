"""The preview (beta) Realtime protocol, as translations to and from the GA shapes.

The preview API (`/openai/realtime?api-version=...&deployment=...`, header
`OpenAI-Beta: realtime=v1` from the SDKs) has the older names: `response.text.delta`,
`response.audio.delta`, `response.audio_transcript.delta`, `conversation.item.created` (no
`added`/`done` pair), content parts `text` / `audio`, a flat session (`modalities`, `voice`,
`input_audio_format: pcm16 | g711_ulaw | g711_alaw`, `turn_detection`, `temperature`,
`max_response_output_tokens`). GA renamed them (azure-v1-and-responses.md §5; openai-python
`types/beta/realtime` vs `types/realtime`).
"""

from typing import Any

GA_TO_BETA_EVENTS = {
    "response.output_text.delta": "response.text.delta",
    "response.output_text.done": "response.text.done",
    "response.output_audio.delta": "response.audio.delta",
    "response.output_audio.done": "response.audio.done",
    "response.output_audio_transcript.delta": "response.audio_transcript.delta",
    "response.output_audio_transcript.done": "response.audio_transcript.done",
    "conversation.item.added": "conversation.item.created",
}
DROPPED_IN_BETA = frozenset({"conversation.item.done"})
GA_TO_BETA_FORMAT = {"audio/pcm": "pcm16", "audio/pcmu": "g711_ulaw", "audio/pcma": "g711_alaw"}
BETA_TO_GA_FORMAT = {beta: ga for ga, beta in GA_TO_BETA_FORMAT.items()}
_GA_PART = {"output_text": "text", "output_audio": "audio"}
_BETA_PART = {"text": "output_text", "audio": "output_audio"}
DEFAULT_TEMPERATURE = 0.8


def _beta_item(item: dict[str, Any]) -> dict[str, Any]:
    if "content" not in item:
        return item
    content = [{**p, "type": _GA_PART.get(p["type"], p["type"])} for p in item["content"]]
    return {**item, "content": content}


def beta_session(session: dict[str, Any]) -> dict[str, Any]:
    audio_in, audio_out = session["audio"]["input"], session["audio"]["output"]
    return {
        "object": "realtime.session",
        "id": session["id"],
        "model": session["model"],
        "expires_at": session["expires_at"],
        "modalities": session["output_modalities"],
        "instructions": session["instructions"],
        "voice": audio_out["voice"],
        "input_audio_format": GA_TO_BETA_FORMAT[audio_in["format"]["type"]],
        "output_audio_format": GA_TO_BETA_FORMAT[audio_out["format"]["type"]],
        "input_audio_transcription": audio_in["transcription"],
        "turn_detection": audio_in["turn_detection"],
        "input_audio_noise_reduction": audio_in["noise_reduction"],
        "speed": audio_out["speed"],
        "tracing": session["tracing"],
        "tools": session["tools"],
        "tool_choice": session["tool_choice"],
        "temperature": session.get("temperature") or DEFAULT_TEMPERATURE,
        "max_response_output_tokens": session["max_output_tokens"],
        "include": session["include"],
    }


def _beta_response(response: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in response.items() if k not in ("audio", "output_modalities")}
    output = response["audio"]["output"]
    body["modalities"] = response["output_modalities"]
    body["voice"] = output["voice"]
    body["output_audio_format"] = GA_TO_BETA_FORMAT[output["format"]["type"]]
    body["temperature"] = DEFAULT_TEMPERATURE
    body["output"] = [_beta_item(item) for item in response["output"]]
    return body


def to_beta(event: dict[str, Any]) -> dict[str, Any] | None:
    """The beta form of a GA server event (None: the beta protocol has no such event)."""
    kind = event["type"]
    if kind in DROPPED_IN_BETA:
        return None
    out = {**event, "type": GA_TO_BETA_EVENTS.get(kind, kind)}
    if "session" in out:
        out["session"] = beta_session(out["session"])
    if "response" in out:
        out["response"] = _beta_response(out["response"])
    if "item" in out:
        out["item"] = _beta_item(out["item"])
    return out


def _ga_audio(data: dict[str, Any], mapping: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """Flat beta fields moved to their nested GA place (`voice` -> audio.output.voice)."""
    out = {k: v for k, v in data.items() if k not in mapping}
    for key, path in mapping.items():
        if key not in data:
            continue
        value = data[key]
        if key.endswith("audio_format") and isinstance(value, str):
            value = {"type": BETA_TO_GA_FORMAT.get(value, value)}
        node = out
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node[path[-1]] = value
    return out


_SESSION_FIELDS: dict[str, tuple[str, ...]] = {
    "modalities": ("output_modalities",),
    "voice": ("audio", "output", "voice"),
    "speed": ("audio", "output", "speed"),
    "input_audio_format": ("audio", "input", "format"),
    "output_audio_format": ("audio", "output", "format"),
    "input_audio_transcription": ("audio", "input", "transcription"),
    "turn_detection": ("audio", "input", "turn_detection"),
    "input_audio_noise_reduction": ("audio", "input", "noise_reduction"),
    "max_response_output_tokens": ("max_output_tokens",),
}
_RESPONSE_FIELDS: dict[str, tuple[str, ...]] = {
    "modalities": ("output_modalities",),
    "voice": ("audio", "output", "voice"),
    "output_audio_format": ("audio", "output", "format"),
    "max_response_output_tokens": ("max_output_tokens",),
}


def _ga_item(item: Any) -> Any:
    if not isinstance(item, dict) or not isinstance(item.get("content"), list):
        return item
    content = [
        {**p, "type": _BETA_PART.get(str(p.get("type")), p.get("type"))}
        if isinstance(p, dict)
        else p
        for p in item["content"]
    ]
    return {**item, "content": content}


def from_beta(event: dict[str, Any]) -> dict[str, Any]:
    """A beta client event in its GA form (then checked by the GA models)."""
    out = dict(event)
    if isinstance(out.get("session"), dict):
        out["session"] = {"type": "realtime", **_ga_audio(out["session"], _SESSION_FIELDS)}
        out["session"].pop("model", None)
    if isinstance(out.get("response"), dict):
        response = _ga_audio(out["response"], _RESPONSE_FIELDS)
        if isinstance(response.get("input"), list):
            response["input"] = [_ga_item(i) for i in response["input"]]
        out["response"] = response
    if "item" in out:
        out["item"] = _ga_item(out["item"])
    return out

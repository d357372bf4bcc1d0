"""The deployment catalogue at run time, shared by every worker through the store.

The catalogue loaded at start (`fixtures/deployments.json`, `--config`, `--deployment`) is the
base; deployments added or removed at run time (`PUT|DELETE /_mock/deployments/{name}`,
`--auto-deploy`) are an overlay in `state.store`, so every process sees the same catalogue and
`POST /_mock/reset` simply clears the overlay.
"""

import json
import logging
from collections.abc import Iterator, MutableMapping

from mockazure.config import Capability, DeploymentSpec
from mockazure.store.memory import Store

logger = logging.getLogger(__name__)

NAMESPACE = "deployments"
_REMOVED = b"null"

# The model a name implies, in the order the issue lists them (first match wins).
_NAME_HINTS: tuple[tuple[tuple[str, ...], Capability], ...] = (
    (("realtime",), "realtime"),
    (("embedding",), "embeddings"),
    (("dall-e", "dalle", "image"), "images"),
    (("whisper",), "transcription"),
    (("tts",), "speech"),
    (("sora",), "video"),
    (("instruct", "davinci", "babbage"), "completions"),
)
# The template deployment of each capability when no catalogue model appears in the name.
_DEFAULT_TEMPLATE: dict[Capability, str] = {
    "chat": "gpt-4o-mini",
    "completions": "gpt-35-turbo-instruct",
    "embeddings": "text-embedding-3-small",
    "images": "dall-e-3",
    "transcription": "whisper",
    "speech": "tts",
    "realtime": "gpt-realtime",
    "video": "sora-2",
}


def capability_for(name: str) -> Capability:
    lowered = name.lower()
    for needles, capability in _NAME_HINTS:
        if any(needle in lowered for needle in needles):
            return capability
    return "chat"


def infer_spec(
    name: str, model: str | None, catalogue: dict[str, DeploymentSpec]
) -> DeploymentSpec:
    """A deployment `name` serving `model` (inferred from the name when None), its limits and
    tokenizer copied from the catalogue entry of the closest model."""
    wanted = model or name
    capability = capability_for(wanted)
    candidates = [d for d in catalogue.values() if d.capability == capability]
    # The longest catalogue model name contained in the wanted name: "gpt-4o-mini-prod" -> gpt-4o-mini
    named = [d for d in candidates if d.model.lower() in wanted.lower()]
    template = max(named, key=lambda d: len(d.model), default=None)
    if template is None:
        template = catalogue.get(_DEFAULT_TEMPLATE[capability]) or (
            candidates[0] if candidates else None
        )
    if template is None:
        return DeploymentSpec(name=name, model=model or name, capability=capability)
    return template.model_copy(update={"name": name, "model": model or template.model})


class DeploymentBook(MutableMapping[str, DeploymentSpec]):
    """`state.deployments`: reads like the dict it replaced, writes go to the shared overlay.
    The overlay is a cached namespace of the store (read locally, parsed once per change);
    on the event loop, write with `aset` / `aremove`."""

    def __init__(self, store: Store, base: dict[str, DeploymentSpec]) -> None:
        self._store = store
        self.base = dict(base)
        self._parsed: tuple[int, dict[str, DeploymentSpec | None]] = (-1, {})

    def _overlay(self) -> dict[str, DeploymentSpec | None]:
        """The overlay by name (None: removed), parsed again only after it changed."""
        generation = self._store.generation(NAMESPACE)
        if self._parsed[0] != generation:
            parsed: dict[str, DeploymentSpec | None] = {}
            for name in self._store.keys(NAMESPACE):
                raw = self._store.get(NAMESPACE, name)
                if raw is not None:
                    parsed[name] = (
                        None if raw == _REMOVED else DeploymentSpec.model_validate_json(raw)
                    )
            self._parsed = (generation, parsed)
        return self._parsed[1]

    def __getitem__(self, name: str) -> DeploymentSpec:
        overlay = self._overlay()
        if name not in overlay:
            return self.base[name]
        spec = overlay[name]
        if spec is None:
            raise KeyError(name)
        return spec

    def _encoded(self, name: str, spec: DeploymentSpec) -> bytes:
        if spec.name != name:
            spec = spec.model_copy(update={"name": name})
        return spec.model_dump_json().encode()

    # Blocking writes: the pytest fixture's thread, start-up, a batch file checked in a worker
    # thread (`auto_deploy`); reads (`_overlay`) are local on a serving loop, no I/O.
    def __setitem__(self, name: str, spec: DeploymentSpec) -> None:
        self._store.put(NAMESPACE, name, self._encoded(name, spec))

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._store.put(NAMESPACE, name, _REMOVED)

    async def aset(self, name: str, spec: DeploymentSpec) -> None:
        await self._store.aput(NAMESPACE, name, self._encoded(name, spec))

    async def aremove(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        await self._store.aput(NAMESPACE, name, _REMOVED)

    def _names(self) -> list[str]:
        names = dict.fromkeys([*self.base, *sorted(self._overlay())])
        return [n for n in names if n in self]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        overlay = self._overlay()
        return name in self.base if name not in overlay else overlay[name] is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def reset(self) -> None:
        self._store.clear(NAMESPACE)

    def auto_deploy(self, name: str) -> DeploymentSpec:
        """Off the event loop (a batch file checked in a worker thread); on it, `aauto_deploy`."""
        spec = infer_spec(name, None, self.base)
        self[name] = spec
        logger.info("Auto-deployed %r as %s (%s)", name, spec.model, spec.capability)
        return spec

    async def aauto_deploy(self, name: str) -> DeploymentSpec:
        spec = infer_spec(name, None, self.base)
        await self.aset(name, spec)
        logger.info("Auto-deployed %r as %s (%s)", name, spec.model, spec.capability)
        return spec


def parse_deployment_arg(text: str, catalogue: dict[str, DeploymentSpec]) -> DeploymentSpec:
    """`NAME=MODEL` from `--deployment` (or `NAME` alone: the model inferred from the name)."""
    name, _, model = text.partition("=")
    if not name.strip():
        raise ValueError(f"--deployment {text!r}: expected NAME=MODEL")
    return infer_spec(name.strip(), model.strip() or None, catalogue)


def dump(spec: DeploymentSpec) -> str:
    return json.dumps(spec.model_dump(mode="json"))

"""MockState: the mutable world of one app (no module globals, so apps can coexist)."""

from typing import Any

from mockazure.clock import Clock, SystemClock
from mockazure.config import CatalogueError, Settings, load_deployments
from mockazure.deployments.book import (
    NAMESPACE as DEPLOYMENTS,
    DeploymentBook,
    parse_deployment_arg,
)
from mockazure.determinism import IdFactory, seed_for
from mockazure.gateway.ratelimit import NAMESPACE as RATES, RateCounter
from mockazure.store.memory import Store, open_store
from mockazure.stubs.book import StubBook
from mockazure.stubs.rules import load_stub_files

# Store namespaces that `reset()` clears. Families that keep run-time state in the store (image
# operations, ...) add theirs with `state.reset_namespaces.add(...)`.
RESET_NAMESPACES = (
    "journal",
    "stubs",
    "stub-hits",
    "faults",
    "fault-rolls",
    "operations",  # serving/images/operations.NAMESPACE (DALL-E 2 operations)
    "images",  # image_files.NAMESPACE (generated image files)
    "ui-audio",  # ui_media.AUDIO (speech answers kept for the inspector)
    "ui-realtime-audio",  # ui/session_audio.SESSION_AUDIO (sessions' audio, for the inspector)
    "ui-images",  # ui_media.IMAGES (base64 images the journal elides, for the inspector)
    # The management plane (mockazure.management): accounts, their keys, operations, budgets.
    "arm-accounts",
    "arm-keys",
    "arm-operations",
    "arm-rates",
    "files",  # serving.files.RECORDS (uploaded and batch output files)
    "file-contents",  # serving.files.CONTENTS
    "batches",  # serving.batches.NAMESPACE
    "batch-work",  # serving.batch_work.WORK (a batch's plan, answered slices, claims)
    "stored-completions",  # serving.stored.NAMESPACE (chat completions with `store: true`)
    "videos",  # serving.videos.NAMESPACE (Sora 2 videos and Sora 1 jobs)
    "video-assets",  # serving.videos.ASSETS (their rendered MP4s and images)
    "responses",  # serving.responses_store.NAMESPACE (stored Responses API responses)
    "response-items",  # serving.responses_store.ITEMS_NAMESPACE (their items, by id)
)


class MockState:
    def __init__(
        self, settings: Settings, *, clock: Clock | None = None, store: Store | None = None
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.seed = settings.seed
        self.ids = IdFactory(deterministic=settings.deterministic_ids, seed=settings.seed)
        self.store: Store = store or open_store(settings.store_url, self.clock)
        self.rates = RateCounter(self.store, settings.rate_window_s)
        self.reset_namespaces: set[str] = set(RESET_NAMESPACES)
        catalogue = load_deployments(settings.config)
        for text in settings.deployments:
            try:
                spec = parse_deployment_arg(text, catalogue)
            except ValueError as exc:
                raise CatalogueError(str(exc)) from exc
            catalogue[spec.name] = spec
        self.deployments = DeploymentBook(self.store, catalogue)
        fixture_stubs = load_stub_files(settings.fixtures) if settings.fixtures else []
        self.stubs = StubBook(self, fixture_stubs)

    def reset(self) -> None:
        """Back to the start state: catalogue as loaded; journal, run-time stubs, faults,
        rate-limit windows and ids cleared. Blocking: for the pytest fixture's thread (off the
        server's loop; the control API uses `areset`)."""
        self.deployments.reset()
        self.rates.reset()
        for namespace in self.reset_namespaces:
            self.store.clear(namespace)
        self.ids.reset()

    async def areset(self) -> None:
        """`reset` on the event loop."""
        await self.store.aclear(DEPLOYMENTS)
        await self.store.aclear(RATES)
        for namespace in self.reset_namespaces:
            await self.store.aclear(namespace)
        self.ids.reset()

    def rate_limited(self, deployment_options: dict[str, Any]) -> bool:
        """429s are off by default; on with `--rate-limits` or a deployment's
        `options.rate_limits: true`."""
        return bool(deployment_options.get("rate_limits", self.settings.rate_limits))

    def created(self) -> int:
        """The `created` timestamp of a response (fixed under deterministic ids)."""
        return 1_700_000_000 if self.ids.deterministic else int(self.clock.now())

    def request_seed(self, payload: dict[str, Any], scope: str) -> int:
        """The content seed of a request: server seed, operation and canonical body."""
        return seed_for(payload, base=self.seed, scope=scope)

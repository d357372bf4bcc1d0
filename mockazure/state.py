"""MockState: the mutable world of one app (no module globals, so apps can coexist)."""

from typing import Any

from mockazure.clock import Clock, SystemClock
from mockazure.config import DeploymentSpec, Settings, load_deployments
from mockazure.determinism import IdFactory, seed_for
from mockazure.ratelimit import RateCounter
from mockazure.store import Store, open_store


class MockState:
    def __init__(
        self, settings: Settings, *, clock: Clock | None = None, store: Store | None = None
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.seed = settings.seed
        self.ids = IdFactory(deterministic=settings.deterministic_ids, seed=settings.seed)
        self.rates = RateCounter()
        self.store: Store = store or open_store(settings.store_url, self.clock)
        self._initial_deployments = load_deployments(settings.config)
        self.deployments: dict[str, DeploymentSpec] = dict(self._initial_deployments)

    def reset(self) -> None:
        """Back to the start state: catalogue as loaded, counters and ids cleared."""
        self.deployments = dict(self._initial_deployments)
        self.rates.reset()
        self.ids.reset()

    def created(self) -> int:
        """The `created` timestamp of a response (fixed under deterministic ids)."""
        return 1_700_000_000 if self.ids.deterministic else int(self.clock.now())

    def request_seed(self, payload: dict[str, Any], scope: str) -> int:
        """The content seed of a request: server seed, operation and canonical body."""
        return seed_for(payload, base=self.seed, scope=scope)

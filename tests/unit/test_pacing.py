from mockazure.config import DeploymentSpec, Settings
from mockazure.gateway.responses import pacing_for
from mockazure.state import MockState


def _deployment(options: dict[str, object]) -> DeploymentSpec:
    return DeploymentSpec(name="d", model="gpt-4o", capability="chat", options=options)


def test_pacing_is_off_by_default() -> None:
    pacing = pacing_for(MockState(Settings()), _deployment({}))
    assert (pacing.first_s, pacing.per_chunk_s) == (0.0, 0.0)


def test_pacing_follows_the_deployment_latency_model() -> None:
    deployment = _deployment({"latency": {"first_token_ms": 250, "tokens_per_second": 40}})
    pacing = pacing_for(MockState(Settings()), deployment)
    assert (pacing.first_s, pacing.per_chunk_s) == (0.25, 0.025)
    assert pacing.total_s(40) == 1.25


def test_pacing_falls_back_to_global_settings() -> None:
    state = MockState(Settings(stream_first_token_ms=100, stream_chunk_delay_ms=10))
    pacing = pacing_for(state, _deployment({}))
    assert (pacing.first_s, pacing.per_chunk_s) == (0.1, 0.01)

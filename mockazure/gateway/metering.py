"""Metering: a request counted against its deployment's rate-limit windows (azure-surface.md
§8), and Azure's 429 when they are exhausted and limits are enforced (§9d)."""

import math
from collections.abc import Callable
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.errors import TooManyRequests
from mockazure.gateway.gate import Call
from mockazure.state import MockState


async def meter(
    call: Call[Any],
    tokens: int,
    *,
    enforce: bool | None = None,
    deployment: DeploymentSpec | None = None,
) -> None:
    """Count the request against the deployment's windows and set the remaining-count headers;
    when enforcing (default: `--rate-limits` or the deployment's `options.rate_limits`), refuse
    with Azure's 429 (azure-surface.md §8, §9d). `tokens` is Azure's estimate: prompt tokens +
    max_tokens."""
    deployment = deployment or call.deployment
    if deployment is None:  # nothing to count against
        return
    await meter_deployment(
        call.state,
        deployment,
        tokens,
        set_headers=call.set_headers,
        operation_id=call.version.spec(call.operation.name).operation_id,
        version_name=call.version.name,
        enforce=enforce,
    )


async def meter_deployment(
    state: MockState,
    deployment: DeploymentSpec,
    tokens: int,
    *,
    set_headers: Callable[[dict[str, str]], Any],
    operation_id: str,
    version_name: str,
    enforce: bool | None = None,
) -> None:
    """`meter` for a request whose api-version is not in the dated registry (the Responses
    API): the 429 names `operation_id` and `version_name`."""
    if enforce is None:
        enforce = state.rate_limited(deployment.options)
    left = await state.rates.atake(
        deployment.name,
        rpm=deployment.requests_per_minute,
        tpm=deployment.tpm,
        tokens=tokens,
        now=state.clock.now(),
    )
    headers = {
        "x-ratelimit-remaining-requests": str(left.requests),
        "x-ratelimit-remaining-tokens": str(left.tokens),
    }
    set_headers(headers)
    if enforce and left.exceeded:
        seconds = max(1, math.ceil(left.retry_after_s))
        kind = "token rate limit" if left.exceeded == "tokens" else "call rate limit"
        raise TooManyRequests(
            f"Requests to the {operation_id} Operation under Azure OpenAI API version "
            f"{version_name} have exceeded {kind} of your current OpenAI S0 pricing tier. "
            f"Please retry after {seconds} seconds. Please go here: "
            "https://aka.ms/oai/quotaincrease if you would like to further increase the default "
            "rate limit.",
            # The remaining counts are already in the request's Azure headers (transport adds
            # them); §8 also shows `x-rate-limit-reset-tokens` on a token 429.
            headers={
                "retry-after": str(seconds),
                "retry-after-ms": str(max(1, math.ceil(left.retry_after_s * 1000))),
                "policy-id": "DeploymentRatelimit-"
                + ("Token" if left.exceeded == "tokens" else "Call"),
                **(
                    {"x-rate-limit-reset-tokens": str(seconds)} if left.exceeded == "tokens" else {}
                ),
            },
        )

"""Rate limits on Realtime sessions: one request per session start and per response.

Counting is always on (it feeds `rate_limits.updated`); refusing is on with `--rate-limits`
or a deployment's `options.rate_limits`, as for every other operation. A session start over
the limit is refused with Azure's 429 before the upgrade; a response over it ends
`failed` (`status_details.error.code: rate_limit_exceeded`) and the session stays open.
"""

import math
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.errors import TooManyRequests
from mockazure.gateway.ratelimit import Remaining
from mockazure.state import MockState


async def take(state: MockState, deployment: DeploymentSpec, tokens: int) -> Remaining:
    return await state.rates.atake(
        deployment.name,
        rpm=deployment.requests_per_minute,
        tpm=deployment.tpm,
        tokens=tokens,
        now=state.clock.now(),
    )


def enforced(state: MockState, deployment: DeploymentSpec) -> bool:
    return state.rate_limited(deployment.options)


def session_start_error(left: Remaining) -> TooManyRequests:
    seconds = max(1, math.ceil(left.retry_after_s))
    kind = "token rate limit" if left.exceeded == "tokens" else "call rate limit"
    return TooManyRequests(
        "Requests to the Realtime_Connect Operation under Azure OpenAI API version v1 have "
        f"exceeded {kind} of your current OpenAI S0 pricing tier. Please retry after "
        f"{seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would "
        "like to further increase the default rate limit.",
        headers={"retry-after": str(seconds), "retry-after-ms": str(seconds * 1000)},
    )


def rate_limits(
    deployment: DeploymentSpec, left: Remaining, window_s: float
) -> list[dict[str, Any]]:
    """`rate_limits.updated`: requests and tokens, their limits and what is left."""
    return [
        {
            "name": "requests",
            "limit": deployment.requests_per_minute,
            "remaining": max(0, left.requests),
            "reset_seconds": round(window_s, 3),
        },
        {
            "name": "tokens",
            "limit": deployment.tpm,
            "remaining": max(0, left.tokens),
            "reset_seconds": round(max(left.retry_after_s, 0.0) or window_s, 3),
        },
    ]

"""Control endpoints under `/_mock/` (never an Azure path, outside the Azure key check)."""

from typing import Any

from fastapi import APIRouter

from mockazure import __version__
from mockazure.config import DeploymentSpec
from mockazure.dependencies import StateDep

router = APIRouter(prefix="/_mock", tags=["mock"])


@router.get("/health")
async def get_health() -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@router.get("/deployments")
async def list_deployments(state: StateDep) -> dict[str, list[DeploymentSpec]]:
    return {"deployments": list(state.deployments.values())}

"""All ARM routes: accounts, then deployments and operations, whose catch-all comes last.
The management plane is not in mockazure's own `/openapi.json`: its schema is Azure's spec."""

from fastapi import APIRouter

from mockazure.management import router_accounts, router_deployments

router = APIRouter()
router.include_router(router_accounts.router)
router.include_router(router_deployments.router)

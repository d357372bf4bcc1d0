"""`GET /_mock/metrics`: Prometheus text format of the Azure calls (see `gateway/metrics.py`).

Behind the admin key like every control endpoint (a Prometheus job sends it with
`authorization: {credentials: KEY}`); the dashboard is `deploy/grafana/mockazure.json`.
"""

from fastapi import APIRouter, Request, Response

from mockazure.gateway.metrics import CONTENT_TYPE, Metrics

# operation-table rows: control operation "mock_metrics", GET /_mock/metrics, not metered,
# not stubbable, not an Azure operation.
router = APIRouter()


@router.get("/metrics", response_class=Response)
async def get_metrics(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.exposition(), media_type=CONTENT_TYPE)

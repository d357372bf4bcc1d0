"""The one wiring place: `create_app(settings)` builds a FastAPI app with its own state."""

import gc
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.types import Receive, Scope, Send

from mockazure.clock import Clock
from mockazure.config import SETTINGS_ENV, Settings
from mockazure.errors import install_error_handlers
from mockazure.faults.middleware import FaultMiddleware
from mockazure.gateway.metrics import Metrics
from mockazure.gateway.transport import TransportMiddleware
from mockazure.journal.capture import RAW_SEND
from mockazure.journal.redaction import install_access_log_redaction
from mockazure.management import router as management
from mockazure.openapi import install_openapi
from mockazure.recording.replay import ReplayMiddleware
from mockazure.routers import (
    audio,
    batches,
    chat,
    chat_extensions,
    completions,
    control,
    embeddings,
    files,
    images,
    models,
    realtime,
    responses,
    stored_completions,
    ui,
    video_jobs,
    videos,
)
from mockazure.state import MockState
from mockazure.tokens.tokenizers import in_warm_order, warm_tokenizers
from mockazure.ui.media import image_keeper

# In matching order; the job families (operations.py `_JOB_ROWS`) after the others. ARM's router
# (issue 19) comes last in `create_app`: its catch-all must not shadow these.
ROUTERS = (
    chat.router,
    chat_extensions.router,
    completions.router,
    embeddings.router,
    images.router,
    audio.router,
    models.router,
    responses.router,
    realtime.router,
    control.router,
    ui.router,
    files.router,
    batches.router,
    stored_completions.router,
    videos.router,
    video_jobs.router,
)
OPENAPI_TAGS = [
    {"name": "mock", "description": "The mockazure control plane under `/_mock/` (not Azure)."}
]


class MockAzureApp(FastAPI):
    """FastAPI, keeping the server's own `send` in the scope: a dropped-connection fault needs
    it (Starlette's error middleware wraps `send` before any user middleware sees it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[RAW_SEND] = send
        await super().__call__(scope, receive, send)


def _lifespan(state: MockState) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        # The store's connections of the serving loop are closed with it (store/redis_link.py).
        await state.store.aclose()

    return lifespan


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    from mockazure import __version__

    settings = settings or Settings()
    state = MockState(settings, clock=clock)
    app = MockAzureApp(
        lifespan=_lifespan(state),
        title="mockazure",
        version=__version__,
        description="A local emulator of the Azure OpenAI Service data-plane API.",
        openapi_tags=OPENAPI_TAGS,
    )
    # Azure answers `…/chat/completions/` with its 404; Starlette's default is a 307 to the
    # path without the slash (an empty body that clients follow or fail on).
    app.router.redirect_slashes = False
    app.state.mock = state
    app.state.metrics = Metrics()
    install_error_handlers(app)
    install_openapi(app)
    app.include_router(control.health_router)
    for router in ROUTERS:
        include(app, router)
    app.include_router(management.router)  # ARM (issue 19); its catch-all comes last
    # Outermost last: the gateway's one layer (host guard -> metrics -> journal -> transport,
    # gateway/transport.py) -> faults -> replay -> routes.
    if settings.replay is not None:
        app.add_middleware(ReplayMiddleware, state=state)
    app.add_middleware(FaultMiddleware, state=state)
    app.add_middleware(
        TransportMiddleware,
        state=state,
        metrics=app.state.metrics,
        keepers=[image_keeper(state)],
    )
    install_access_log_redaction()  # uvicorn's access log prints the query (journal/redaction.py)
    return app


def include(app: FastAPI, router: APIRouter) -> None:
    """A router's routes as the app's own: `APIRouter.add_api_route` already gave each route
    its router's prefix, tags and responses, so the OpenAPI document and the answers are those
    of `include_router`. FastAPI 0.165 matches an included router twice per request (once to
    choose the router, again to choose the route), about 2% of a chat request's instructions
    (issue 16). A router with dependencies of its own (the control plane's admin key) keeps
    FastAPI's inclusion."""
    if router.dependencies:
        app.include_router(router)
        return
    app.router.routes.extend(router.routes)


def create_app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (`mockazure serve --workers N`): the
    settings the parent serialised, else `MOCKAZURE_*` variables."""
    given = os.environ.get(SETTINGS_ENV)
    settings = Settings.model_validate_json(given) if given else Settings()
    app = create_app(settings)
    warm_deployed_tokenizers(app.state.mock)
    gc.freeze()  # the start-up heap out of the cyclic GC's reach (cli.py says why)
    return app


def warm_deployed_tokenizers(state: MockState) -> None:
    """Load the encodings the deployments use in a background thread, as a server starts:
    the first chat does not load them. A deployment added later with another encoding
    loads it on first use."""
    warm_tokenizers(in_warm_order(spec.tokenizer for spec in state.deployments.values()))

"""The one wiring place: `create_app(settings)` builds a FastAPI app with its own state."""

import os

from fastapi import FastAPI

from mockazure.clock import Clock
from mockazure.config import SETTINGS_ENV, Settings
from mockazure.errors import install_error_handlers
from mockazure.openapi import install_openapi
from mockazure.routers import (
    audio,
    chat,
    chat_extensions,
    completions,
    control,
    embeddings,
    images,
)
from mockazure.state import MockState
from mockazure.transport import TransportMiddleware


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    from mockazure import __version__

    settings = settings or Settings()
    state = MockState(settings, clock=clock)
    app = FastAPI(
        title="mockazure",
        version=__version__,
        description="A local emulator of the Azure OpenAI Service data-plane API.",
    )
    app.state.mock = state
    install_error_handlers(app)
    install_openapi(app)
    for module in (chat, chat_extensions, completions, embeddings, images, audio, control):
        app.include_router(module.router)
    app.add_middleware(TransportMiddleware, state=state)
    return app


def create_app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (`mockazure serve --workers N`): the
    settings the parent serialised, else `MOCKAZURE_*` variables."""
    given = os.environ.get(SETTINGS_ENV)
    settings = Settings.model_validate_json(given) if given else Settings()
    return create_app(settings)

"""The inspector and playground at `/_mock/ui` (and `/`, which redirects there).

One server-rendered page (Jinja2, `mockazure/ui/templates`) with a little vanilla JavaScript
and CSS (`mockazure/ui/static`), all shipped in the wheel: no CDN, works offline. The page reads
the control API (`/_mock/journal/events`, stubs, faults, deployments) and sends playground
requests through the same Azure paths a client uses.

Guarded like the control API: with `--admin-key`, a browser without the key gets a form; the
key it types sets an HttpOnly, SameSite=Strict cookie (see `control.ADMIN_COOKIE`). The static
assets are public (they are the same in every wheel and hold no data).
"""

import functools
import hmac
from importlib import resources
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from mockazure import __version__
from mockazure.errors import ResourceNotFound
from mockazure.gateway.checks import StateDep, get_state
from mockazure.routers.control import (
    ADMIN_COOKIE,
    admin_cookie_value,
    has_admin_key,
    require_admin_key,
)
from mockazure.serving.batch_pump import keep_working
from mockazure.serving.batches import TERMINAL
from mockazure.ui.conversations import conversations_overview
from mockazure.ui.jobs import jobs_overview
from mockazure.ui.media import image_gallery, journal_image, list_speech, load_speech
from mockazure.ui.session_audio import session_wav
from mockazure.versions import ALL_API_VERSIONS, LATEST_GA

if TYPE_CHECKING:
    import jinja2

UI_PATH = "/_mock/ui"
_ASSETS = {
    "ui.css": "text/css; charset=utf-8",
    "ui.js": "text/javascript; charset=utf-8",
    "playground.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
_PAGE_HEADERS = {"cache-control": "no-store", "x-frame-options": "DENY"}

router = APIRouter(tags=["mock"])
guarded = APIRouter(prefix=UI_PATH + "/api", dependencies=[Depends(require_admin_key)])


@functools.cache
def _templates() -> "jinja2.Environment":
    """The inspector's templates, loaded on its first page (jinja2 is not a start-up cost)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("mockazure", "ui/templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _templates().get_template(name).render(version=__version__, **context)
    return HTMLResponse(html, status_code=status_code, headers=_PAGE_HEADERS)


@router.get("/", include_in_schema=False)
async def redirect_to_ui() -> RedirectResponse:
    return RedirectResponse(UI_PATH, status_code=307)


@router.get(UI_PATH, response_class=HTMLResponse)
async def show_ui(request: Request, state: StateDep) -> HTMLResponse:
    if not has_admin_key(request):
        return _render("login.html", status_code=401, failed=False)
    deployments = [spec.model_dump() for spec in state.deployments.values()]
    for item, spec in zip(deployments, state.deployments.values(), strict=True):
        item["rpm"] = spec.requests_per_minute
    return _render(
        "index.html",
        deployments=sorted(deployments, key=lambda d: (d["capability"], d["name"])),
        api_versions=list(reversed(ALL_API_VERSIONS)),
        latest_ga=LATEST_GA,
        key_required=bool(state.settings.api_keys),
        admin_required=bool(state.settings.admin_key),
    )


@router.post(UI_PATH + "/login", response_class=HTMLResponse, response_model=None)
async def log_in(request: Request) -> Response:
    """The admin key typed into the form: a cookie when it is right, the form again if not."""
    wanted = get_state(request).settings.admin_key
    form = await request.form()
    key = str(form.get("key", ""))
    if wanted and not hmac.compare_digest(key.encode(), wanted.encode()):
        return _render("login.html", status_code=401, failed=True)
    response = RedirectResponse(UI_PATH, status_code=303)
    if wanted:
        response.set_cookie(
            ADMIN_COOKIE,
            admin_cookie_value(wanted),
            path="/_mock",
            httponly=True,
            samesite="strict",
        )
    return response


@router.get(UI_PATH + "/static/{name}", include_in_schema=False)
async def get_asset(name: str) -> Response:
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise ResourceNotFound()
    data = resources.files("mockazure").joinpath("ui", "static", name).read_bytes()
    return Response(data, media_type=media_type, headers={"cache-control": "no-cache"})


@guarded.get("/realtime/{call_id:int}/audio.wav", response_class=Response)
async def get_session_audio(call_id: int, state: StateDep) -> Response:
    """A Realtime session's spoken answers as one WAV (`ui/session_audio.py`)."""
    wav = await session_wav(state, call_id)
    if wav is None:
        raise ResourceNotFound()
    return Response(wav, media_type="audio/wav", headers={"cache-control": "no-store"})


@guarded.get("/images")
async def list_images(state: StateDep) -> dict[str, Any]:
    """Generated images, newest first (journal calls and DALL-E 2 operations)."""
    return {"images": await image_gallery(state)}


@guarded.get("/images/{call_id:int}/{number:int}", response_class=Response)
async def get_journal_image(call_id: int, number: int, state: StateDep) -> Response:
    found = await journal_image(state, call_id, number)
    if found is None:
        raise ResourceNotFound()
    return Response(found[0], media_type=found[1])


@guarded.get("/audio")
async def list_audio(state: StateDep) -> dict[str, Any]:
    """The last text-to-speech answers (without their bytes), newest first."""
    return {"audio": await list_speech(state)}


@guarded.get("/audio/{audio_id:int}", response_class=Response)
async def get_audio(audio_id: int, state: StateDep) -> Response:
    found = await load_speech(state, audio_id)
    if found is None:
        raise ResourceNotFound()
    return Response(found[0], media_type=found[1])


@guarded.get("/jobs")
async def list_jobs(state: StateDep) -> dict[str, Any]:
    """Batches and videos with their progress, newest first (batches not done yet are handed
    to the app's pump, so the work keeps up with the page's polling)."""
    overview = await jobs_overview(state)
    keep_working(state, [row["id"] for row in overview["batches"] if row["status"] not in TERMINAL])
    return overview


@guarded.get("/conversations")
async def list_conversations(state: StateDep) -> dict[str, Any]:
    """Stored Responses grouped into chains by `previous_response_id`, newest chain first."""
    return await conversations_overview(state)


router.include_router(guarded)

"""`mockazure serve ...` and `python -m mockazure`. Every option is also a MOCKAZURE_* variable."""

import argparse
import gc
import ipaddress
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn
from pydantic import ValidationError

from mockazure import __version__
from mockazure.config import SETTINGS_ENV, CatalogueError, Settings
from mockazure.gateway.metrics import MULTIPROC_ENV
from mockazure.store.memory import StoreError, is_shared
from mockazure.stubs.rules import StubFileError
from mockazure.tls.serving import (
    TlsError,
    log_trust,
    resolve_tls,
    serve_http_and_https,
    tls_options,
)


def build_parser() -> argparse.ArgumentParser:
    from mockazure import __version__

    parser = argparse.ArgumentParser(
        prog="mockazure",
        description=("A local emulator of the Azure OpenAI Service data-plane REST API."),
    )
    parser.add_argument("-V", "--version", action="version", version=f"mockazure {__version__}")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the emulator (defaults need no configuration)")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default 8000)")
    serve.add_argument(
        "--workers", type=int, help="worker processes (default 1; more need a shared --store)"
    )
    serve.add_argument(
        "--store",
        dest="store_url",
        metavar="URL",
        help="shared state for workers and replicas: redis://HOST:PORT/DB (default: in memory)",
    )
    serve.add_argument("--config", type=Path, help="deployment catalogue JSON to add or replace")
    serve.add_argument("--seed", type=int, help="seed for generated content (default 0)")
    serve.add_argument(
        "--api-key",
        dest="api_keys",
        action="append",
        help="accept only this key (repeatable); default: any non-empty key",
    )
    serve.add_argument(
        "--entra-tokens",
        action="store_true",
        default=None,
        help="check a bearer JWT's exp, nbf and aud (not its signature) and answer Azure's 401",
    )
    serve.add_argument("--region", help="value of the x-ms-region header")
    serve.add_argument(
        "--log-level", choices=["critical", "error", "warning", "info", "debug", "trace"]
    )
    serve.add_argument(
        "--deterministic-ids",
        action="store_true",
        default=None,
        help="derive ids and timestamps from the request (same request, same bytes)",
    )
    serve.add_argument(
        "--lenient-fields",
        dest="strict_fields",
        action="store_false",
        default=None,
        help="ignore body fields the api-version does not define",
    )
    _control_options(serve)
    _tls_options(serve)
    _record_parser(commands)
    return parser


def _control_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--admin-key", help="key for /_mock/ (required off loopback)")
    serve.add_argument(
        "--allow-host",
        dest="allowed_hosts",
        action="append",
        metavar="NAME",
        help="a host name /_mock/ answers to on a loopback bind, beside localhost (repeatable)",
    )
    serve.add_argument(
        "--deployment",
        dest="deployments",
        action="append",
        metavar="NAME=MODEL",
        help="add a deployment (repeatable); limits copied from the closest catalogue model",
    )
    serve.add_argument(
        "--auto-deploy",
        action="store_true",
        default=None,
        help="create unknown deployments on first use, model inferred from the name",
    )
    serve.add_argument("--journal-size", type=int, help="calls kept in the journal (1000)")
    serve.add_argument("--fixtures", type=Path, help="folder of stub rules (YAML/JSON)")
    serve.add_argument(
        "--rate-limits",
        action="store_true",
        default=None,
        help="answer 429 over a deployment's TPM/RPM (default: count only)",
    )
    serve.add_argument(
        "--realtime-audio-pace",
        type=float,
        metavar="X",
        help="Realtime audio deltas at X times real time's pace (1: real time; 0: instant)",
    )
    serve.add_argument("--replay", type=Path, metavar="DIR", help="answer from cassettes in DIR")
    serve.add_argument(
        "--replay-fallback",
        action="store_true",
        default=None,
        help="unmatched calls go to the generators instead of a 404",
    )
    serve.add_argument(
        "--replay-timing", action="store_true", default=None, help="keep recorded pacing"
    )
    serve.add_argument(
        "--jobs-instant",
        action="store_true",
        default=None,
        help="files, batches and videos are done on the first poll (MOCKAZURE_JOBS_INSTANT)",
    )


def _tls_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--tls",
        action="store_true",
        default=None,
        help="answer HTTPS on --port (a local CA and localhost certificate kept in --data-dir)",
    )
    serve.add_argument("--tls-port", type=int, help="also answer HTTPS on this port")
    serve.add_argument("--tls-cert", type=Path, help="certificate chain (PEM) to serve")
    serve.add_argument("--tls-key", type=Path, help="its private key (PEM)")
    serve.add_argument(
        "--data-dir", type=Path, help="where the generated certificate lives (~/.local/share)"
    )


def _record_parser(commands: Any) -> None:
    record = commands.add_parser("record", help="proxy to an upstream and write cassettes")
    record.add_argument("--upstream", required=True, help="base URL of the real endpoint")
    record.add_argument("--cassettes", type=Path, default=Path("cassettes"), help="output folder")
    record.add_argument(
        "--format",
        choices=["yaml", "json", "vcr"],
        default="yaml",
        help="one mockazure cassette per call (yaml, json), or one vcrpy cassette (vcr)",
    )
    record.add_argument("--upstream-api-key", help="send this key upstream instead")
    record.add_argument("--host", default="127.0.0.1")
    record.add_argument("--port", type=int, default=8000)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def banner(settings: Settings, state: Any) -> str:
    """What the server starts with: where to reach it, deployments, keys, store, stubs."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{host}:{settings.port}"
    names = sorted(state.deployments)
    shown = ", ".join(names[:40]) + (f", … (+{len(names) - 40})" if len(names) > 40 else "")
    keys = (
        f"{len(settings.api_keys)} configured key(s)"
        if settings.api_keys
        else "any non-empty key (--api-key to require one)"
    )
    store = settings.store_url or "memory (this process)"
    stubs = len(state.stubs.fixture_rules)
    return "\n".join(
        [
            f"mockazure {__version__} listening on {url}",
            f"  inspector:   {url}/_mock/ui",
            f"  deployments: {len(names)} ({shown})",
            f"  api keys:    {keys}",
            f"  store:       {store}",
            f"  stubs:       {stubs} from {settings.fixtures}"
            if settings.fixtures
            else "  stubs:       none loaded (--fixtures DIR)",
        ]
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    given: dict[str, Any] = {
        k: v for k, v in vars(args).items() if v is not None and k in Settings.model_fields
    }
    for name in ("api_keys", "deployments", "allowed_hosts"):
        if name in given:
            given[name] = tuple(given[name])
    return Settings(**given)


def _fail(message: str) -> int:
    print(f"mockazure: {message}", file=sys.stderr)  # noqa: T201
    return 2


def _record(args: argparse.Namespace) -> int:
    from mockazure.recording.record import create_recorder_app

    app = create_recorder_app(args.upstream, args.cassettes, args.format, args.upstream_api_key)
    logging.basicConfig(level="INFO", format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # `mockazure` alone: say what it can do
        parser.print_help()
        return 0
    if args.command == "record":
        return _record(args)
    try:
        settings = settings_from_args(args)
        if settings.workers > 1 and not is_shared(settings.store_url):
            return _fail(
                f"--workers {settings.workers} needs a shared store: the in-memory store lives "
                "in one process, so workers would not behave as one server (image operations, "
                "journal, rate limits). Pass --store redis://HOST:6379/0 "
                "(MOCKAZURE_STORE_URL), or use --workers 1."
            )
        if not is_loopback(settings.host) and not settings.admin_key:
            return _fail(
                f"refusing to bind {settings.host} without an admin key: the control "
                "API under /_mock/ would be open to the network. Pass --admin-key KEY (or set "
                "MOCKAZURE_ADMIN_KEY), or bind 127.0.0.1."
            )
        # Importing and building the app makes ~100,000 objects that live as long as the
        # process: the cyclic GC walking them while they are made is 4 % of the import's
        # instructions (callgrind). Collections resume once they are frozen, below.
        gc.disable()
        from mockazure.app import create_app, warm_deployed_tokenizers

        settings = resolve_tls(settings)
        app = create_app(settings)  # also checks the catalogue and that the store answers
    except (ValidationError, CatalogueError, StubFileError, StoreError, TlsError) as exc:
        gc.enable()
        return _fail(str(exc))
    except BaseException:
        gc.enable()
        raise
    logging.basicConfig(
        level=settings.log_level.upper() if settings.log_level != "trace" else "DEBUG",
        format="%(levelname)s %(name)s: %(message)s",
    )
    print(banner(settings, app.state.mock), file=sys.stderr, flush=True)  # noqa: T201
    warm_deployed_tokenizers(app.state.mock)  # in a background thread
    # The start-up heap (routes, models, schemas: ~100,000 objects) out of the cyclic GC's
    # reach: a full collection walked all of it, a pause of tens of ms under load every few
    # thousand requests, which was the chat p99 at 32 connections (issue 16).
    gc.freeze()
    gc.enable()  # frozen first: no collection walks the start-up heap (it would, all at once)
    # A request's CPU work runs in worker threads (gateway/offload.py); a shorter interpreter
    # switch interval hands the event loop the lock sooner, so other requests wait less.
    sys.setswitchinterval(0.001)
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
    }
    log_trust(settings)
    if settings.tls_port is not None:
        serve_http_and_https(app, settings)
        return 0
    if settings.tls:
        options |= tls_options(settings)
    if settings.workers > 1:
        # Workers are new processes: they rebuild the app from these exact settings.
        os.environ[SETTINGS_ENV] = settings.model_dump_json()
        # prometheus-client's multiprocess mode: every worker writes its values under this
        # folder, the scrape sums them (gateway/metrics.py). A fresh folder, so no stale counts.
        os.environ.setdefault(MULTIPROC_ENV, tempfile.mkdtemp(prefix="mockazure-metrics-"))
        from mockazure.workers.sockets import AddressInUse, serve_workers

        try:
            serve_workers("mockazure.app:create_app_from_env", settings.workers, **options)
        except AddressInUse as exc:
            return _fail(exc.strerror or str(exc))
    else:
        uvicorn.run(app, **options)
    return 0

"""The factions web app: a FastAPI application serving the JSON API and the page that uses it.

Security model (docs/web.md):

* binds 127.0.0.1 by default; :func:`check_bind` refuses any other address without a token;
* with a token, every ``/api`` request must carry it (``Authorization: Bearer``, the
  ``X-Factions-Token`` header or the ``factions_token`` cookie set by opening ``/?token=``),
  compared in constant time;
* read-only unless ``allow_upload``; uploads are capped at ``max_upload_bytes``;
* document text is only ever inserted into the page as text (never as HTML), and a strict
  Content-Security-Policy forbids inline and foreign scripts besides;
* a Host-header allow-list (loopback names by default) defeats DNS-rebinding pages;
* state-changing requests (``POST /api/code``) must carry the ``X-Factions-Request: 1``
  header the page sends and, when the browser sends an Origin, come from this very server:
  another site cannot make the user's browser code text into their store (E611).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factions import __version__
from factions.errors import FactionsError
from factions.web.access import ResultCache, StoreAccess
from factions.web.api import router
from factions.web.jobs import JobRunner

STATIC = Path(__file__).parent / "static"
TOKEN_COOKIE = "factions_token"
TOKEN_HEADER = "x-factions-token"
#: Default cap on one upload (all files and pasted text of one request).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]

#: HTTP status for each error code the API raises (anything else: 400).
STATUS = {"E611": 403, "E305": 503, "E300": 503, "E301": 503, "E601": 413, "E604": 403, "E606": 401,
          "E607": 404, "E400": 404, "E402": 404, "E603": 422, "E403": 422}

_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'")
# Swagger UI's page starts itself with one inline script.
_CSP_DOCS = _CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) only accepts connections from this machine."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse (E600) to serve a non-loopback address without an access token."""
    if not is_loopback(host) and not token:
        raise FactionsError("E600", host=host)


def error_response(exc: FactionsError) -> JSONResponse:
    """The JSON body every API error has: ``{"code", "message"}``."""
    return JSONResponse({"code": exc.code, "message": exc.line()}, status_code=STATUS.get(exc.code, 400))


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REQUEST_HEADER = "x-factions-request"


def same_origin(request: Request) -> bool:
    """A state-changing request comes from the factions page itself: it carries the custom
    header the page sends, and an Origin header, when present, names this very server."""
    if request.headers.get(REQUEST_HEADER) != "1":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1].rstrip("/") == host


def token_ok(request: Request, token: str) -> bool:
    """Whether the request carries the access token (constant-time comparison)."""
    sent = request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE) or ""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        sent = auth[7:].strip()
    return hmac.compare_digest(sent.encode("utf-8"), token.encode("utf-8"))


class UploadLimit:
    """ASGI middleware: refuse (E601, 413) ``POST /api/code`` bodies over ``limit`` bytes.

    Checked before the multipart body is parsed: from Content-Length when sent, and by counting
    the bytes as they arrive otherwise (chunked uploads).
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        # Multipart framing (boundaries, part headers) on top of the payload itself.
        self.allowance = limit + 64 * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/api/code":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.allowance):
            size = int(length) if length.isdigit() else length.decode("latin-1")
            await error_response(FactionsError("E601", size=size, limit=self.limit))(scope, receive, send)
            return
        seen = 0
        too_big = error_response(FactionsError("E601", size=f"more than {self.allowance}", limit=self.limit))
        replaced = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.allowance:  # stop reading; the app fails and its answer is replaced
                return {"type": "http.disconnect"}
            return message

        async def answer(message: Message) -> None:
            nonlocal replaced
            if seen <= self.allowance:
                await send(message)
            elif not replaced:
                replaced = True
                await too_big(scope, receive, send)

        await self.app(scope, counted, answer)


def create_app(db_path: str | Path, *, token: str | None = None, allow_upload: bool = False,
               max_upload_bytes: int = MAX_UPLOAD_BYTES,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web app over the store at ``db_path``.

    ``token``: require it on every ``/api`` request. ``allow_upload``: enable ``POST /api/code``
    (coding pasted/uploaded text into the store). ``allowed_hosts``: accepted Host headers
    (default: any; ``factions serve`` passes the loopback names when bound to loopback).
    """
    access = StoreAccess(db_path)
    jobs = JobRunner(access)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        access.close()

    app = FastAPI(title="factions", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Events, actors and the signed actor network of a factions store. "
                              "Every event points at its words: `doc_id` + character offsets.")
    app.state.access = access
    app.state.cache = ResultCache(db_path)
    app.state.jobs = jobs
    app.state.allow_upload = allow_upload
    app.state.max_upload_bytes = max_upload_bytes

    @app.exception_handler(FactionsError)
    async def _factions_error(_: Request, exc: FactionsError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        name = ".".join(str(x) for x in first.get("loc", ())[1:]) or "request"
        err = FactionsError("E603", name=name, detail=first.get("msg", "invalid"))
        return JSONResponse({"code": err.code, "message": err.line(),
                             "errors": [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in errors]},
                            status_code=422)

    @app.middleware("http")
    async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if token and path.startswith("/api") and not token_ok(request, token):
            return error_response(FactionsError("E606"))
        if request.method not in SAFE_METHODS and path.startswith("/api") and not same_origin(request):
            # a page on another site can make the browser POST here (a simple form needs no
            # preflight); it can neither add a custom header nor fake the Origin header
            return error_response(FactionsError("E611"))
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = _CSP_DOCS if path == "/docs" else _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if path.startswith("/api"):
            response.headers["Cache-Control"] = "no-store"
        return response

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index(request: Request) -> Response:
        sent = request.query_params.get("token")
        if token and sent is not None:
            # Trade the token in the address for a cookie, then drop it from the address bar.
            response: Response = RedirectResponse("/", status_code=303)
            if hmac.compare_digest(sent.encode("utf-8"), token.encode("utf-8")):
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return response
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="factions API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    app.add_middleware(UploadLimit, limit=max_upload_bytes)  # type: ignore[arg-type]
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)  # type: ignore[arg-type]
    return app

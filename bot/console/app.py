"""The staff console: a Sanic app rendering Jinja2 templates styled with GOV.UK Frontend.

Every request passes the same gate: static files are public; everything else needs a signed-in
session (checked and touched here), and every POST needs the session's CSRF token. Roles are
checked per handler (auth.require) and per record (bot.handoff.service.can_see_*), on the
server, for every request. Page modules each expose `bp` (a Sanic Blueprint); the directory
maintainers' pages join by being listed in PAGE_MODULES.
"""
from __future__ import annotations

import importlib
import importlib.util
import itertools
import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.exceptions import NotFound

from bot.console import auth, edge, nav
from bot.handoff import demo
from bot.handoff import staff_models as sm
from bot.settings import ROOT
from bot.timeutil import UK, as_utc

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
PUBLIC_PREFIXES = ("/assets/", "/static/", "/login", "/health", "/favicon.ico",
                   "/api/")  # the Open Referral UK read API is public and read-only
# Pages in the console; optional modules (other issues' pages) are skipped until they exist.
PAGE_MODULES = ["bot.console.views_auth", "bot.console.views_handoff", "bot.console.views_admin"]
# The directory maintainers' pages and the public ORUK API (bot.console.maintainers.bp groups both)
OPTIONAL_PAGE_MODULES = ["bot.console.maintainers"]
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "font-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
_names = itertools.count()


def templates() -> Environment:
    environment = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                              autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    environment.filters["uk"] = lambda value, fmt="%a %d %b %H:%M": (
        as_utc(value).astimezone(UK).strftime(fmt) if value else "")
    environment.globals["nav_for"] = nav.items_for
    environment.globals["roles"] = {"lead": sm.LEAD, "duty": sm.DUTY, "admin": sm.ADMIN, "maintainer": sm.MAINTAINER}
    return environment


def render(request, name: str, status: int = 200, **context):
    user = getattr(request.ctx, "user", None)
    body = request.app.ctx.templates.get_template(name).render(
        user=user, csrf=user.csrf if user else "", path=request.path, demo_loaded=_demo_loaded(), **context)
    return response.html(body, status=status)


def _demo_loaded() -> bool:
    try:
        return demo.loaded()
    except Exception:  # the footer must never break a page (e.g. the database is down)
        log.warning("could not tell whether demo data is loaded")
        return False


def create_app(name: str | None = None) -> Sanic:
    app = Sanic(name or f"onestory_console_{next(_names)}")
    app.config.FORWARDED_SECRET = None
    app.config.REQUEST_MAX_SIZE = 2_000_000
    app.ctx.templates = templates()
    # GOV.UK Frontend's compiled CSS asks for /assets/fonts/... and /assets/images/...
    app.static("/assets/fonts", str(GOVUK / "assets" / "fonts"), name="govuk_fonts")
    app.static("/assets/images", str(GOVUK / "assets" / "images"), name="govuk_images")
    app.static("/assets", str(GOVUK), name="govuk")
    app.static("/static", str(HERE / "static"), name="console_static")

    edge.register(app, render)  # first: unreadable text never reaches the gate or a handler

    @app.middleware("request")
    async def gate(request):
        request.ctx.user = None
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        user, timed_out = auth.load_user(request.cookies.get(auth.SESSION_COOKIE))
        if user is None:
            if request.method == "POST":
                return response.text("Your session has ended. Sign in again.", status=401)
            target = "/login?timeout=1" if timed_out else "/login"
            redirect = response.redirect(target)
            auth.clear_cookie(redirect, auth.SESSION_COOKIE)
            return redirect
        request.ctx.user = user
        # A streamed upload's form has not arrived yet: its handler checks the token (console.uploads).
        streamed = hasattr(getattr(request.route, "handler", None), "is_stream")
        if request.method == "POST" and not streamed and not auth.same(request.form.get("csrf_token"), user.csrf):
            return render(request, "error.html", status=403, title="Form expired",
                          message="This form had expired. Go back, reload the page and try again.")
        return None

    @app.middleware("response")
    async def headers(request, resp):
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "same-origin"
        if not request.path.startswith(("/assets/", "/static/")):
            resp.headers["Cache-Control"] = "no-store"
        if auth.secure_cookies():
            resp.headers["Strict-Transport-Security"] = "max-age=31536000"

    @app.exception(auth.Forbidden)
    async def forbidden(request, _error):
        return render(request, "error.html", status=403, title="You cannot see this page",
                      message="This page belongs to another professional's work, or to another role.")

    @app.exception(NotFound)
    async def not_found(request, _error):
        return render(request, "error.html", status=404, title="Page not found",
                      message="Check the address, or go back to your handoffs.")

    @app.get("/favicon.ico")
    async def favicon(request):
        return response.redirect("/assets/images/favicon.ico")

    @app.get("/health")
    async def health(request):
        return response.json({"ok": True})

    for module_name in PAGE_MODULES + OPTIONAL_PAGE_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if module_name in OPTIONAL_PAGE_MODULES and error.name == module_name:
                continue
            raise
        app.blueprint(module.bp)
    if "bot.console.maintainers" not in {m for m in OPTIONAL_PAGE_MODULES if _present(m)}:
        @app.get("/directory")
        @auth.require(sm.MAINTAINER, sm.ADMIN)
        async def directory_placeholder(request):
            return render(request, "error.html", title="Directory pages",
                          message="The directory maintainers' pages are not installed yet.")
    return app


def _present(module_name: str) -> bool:
    return importlib.util.find_spec(module_name) is not None

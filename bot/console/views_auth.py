"""Signing in and out, and the home page that sends each role to its own start page."""
from __future__ import annotations

import secrets

from sanic import Blueprint, response

from bot.console import auth, nav
from bot.console.app import render

bp = Blueprint("auth")


def _login_page(request, status: int = 200, error: str = "", username: str = ""):
    # Reuse the visitor's login token if they have one: a second tab (or the browser's own
    # favicon request) must not invalidate the form already on screen.
    token = request.cookies.get(auth.LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    if len(token) < 32:
        token = secrets.token_urlsafe(32)
    page = render(request, "login.html", status=status, error=error, username=username, login_csrf=token,
                  timed_out=request.args.get("timeout") == "1")
    auth.set_cookie(page, auth.LOGIN_CSRF_COOKIE, token, max_age=3600)
    return page


@bp.get("/login")
async def login_form(request):
    return _login_page(request)


@bp.post("/login")
async def login(request):
    username = (request.form.get("username") or "").strip().lower()[:64]
    password = request.form.get("password") or ""
    if not auth.same(request.form.get("csrf_token"), request.cookies.get(auth.LOGIN_CSRF_COOKIE)):
        return _login_page(request, 403, "This form had expired. Please try again.", username)
    ip = request.ip or "unknown"
    if auth.locked_out(ip, username):
        return _login_page(request, 429, "Too many failed attempts. Wait 15 minutes, then try again.", username)
    token = auth.authenticate(ip, username, password) if username and password else None
    if token is None:
        return _login_page(request, 401, "Enter a correct username and password.", username)
    redirect = response.redirect("/")
    auth.set_cookie(redirect, auth.SESSION_COOKIE, token)
    auth.clear_cookie(redirect, auth.LOGIN_CSRF_COOKIE)
    return redirect


@bp.post("/logout")
@auth.require()
async def logout(request):
    auth.sign_out(request.cookies.get(auth.SESSION_COOKIE))
    redirect = response.redirect("/login")
    auth.clear_cookie(redirect, auth.SESSION_COOKIE)
    return redirect


@bp.get("/")
@auth.require()
async def home(request):
    return response.redirect(nav.HOME.get(request.ctx.user.role, "/login"))

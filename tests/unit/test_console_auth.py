"""Console sign-in: hashed passwords, cookie flags, CSRF, rate limits, timeouts and roles."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import demo
from bot.handoff import staff_models as sm
from bot.timeutil import utcnow
from tests.unit.console_harness import Browser, ConsoleServer
from tests.unit.handoff_fixtures import load_staff

PASSWORD = demo.DEMO_PASSWORD


@pytest.fixture(scope="module")
def console():
    server = ConsoleServer().start()
    yield server
    server.stop()


def test_passwords_are_argon2_hashes(db):
    load_staff()
    with session_scope() as session:
        hashes = [p.password_hash for p in session.execute(select(sm.Professional)).scalars() if not p.is_team]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


def test_sign_in_sets_a_locked_down_session_cookie(db, console):
    load_staff()
    browser = Browser(console.url)
    result = browser.login("priya.shah", PASSWORD)
    assert result.status_code == 302
    cookie = [c for c in result.headers["set-cookie"].split(", ") if c.startswith("onestory_console=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = browser.get("/inbox")
    assert page.status_code == 200 and "Priya Shah" in page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"


def test_cookie_is_secure_when_the_console_is_served_over_https(db, console, monkeypatch):
    load_staff()
    monkeypatch.setenv("CONSOLE_URL", "https://console.eastmere.example")
    result = Browser(console.url).login("priya.shah", PASSWORD)
    assert "Secure" in result.headers["set-cookie"]


def test_wrong_password_and_unknown_user_are_refused_alike(db, console):
    load_staff()
    assert Browser(console.url).login("priya.shah", "wrong-password").status_code == 401
    assert Browser(console.url).login("nobody.here", "wrong-password").status_code == 401
    assert Browser(console.url).login("duty-team-eastmere", PASSWORD).status_code == 401  # team rows can't sign in


def test_login_is_rate_limited_per_ip_and_username(db, console):
    load_staff()
    for _ in range(5):
        assert Browser(console.url).login("tom.adeyemi", "not-the-password").status_code == 401
    assert Browser(console.url).login("tom.adeyemi", PASSWORD).status_code == 429
    assert Browser(console.url).login("priya.shah", PASSWORD).status_code == 302  # others unaffected


def test_every_post_needs_the_csrf_token(db, console):
    load_staff()
    browser = Browser(console.url)
    browser.get("/login")
    assert browser.post("/login", {"username": "priya.shah", "password": PASSWORD}, csrf=False).status_code == 403
    browser.login("priya.shah", PASSWORD)
    assert browser.post("/logout", csrf=False).status_code == 403
    assert browser.post("/logout", {"csrf_token": "forged"}, csrf=False).status_code == 403
    assert browser.post("/logout").status_code == 302
    assert browser.get("/inbox", follow=False).headers["location"] == "/login"


def test_sessions_end_after_30_minutes_idle(db, console):
    load_staff()
    browser = Browser(console.url)
    browser.login("priya.shah", PASSWORD)
    with session_scope() as session:
        for row in session.execute(select(sm.ConsoleSession)).scalars():
            row.last_seen_at = utcnow() - timedelta(minutes=29)
    assert browser.get("/inbox", follow=False).status_code == 200  # and that touched it
    with session_scope() as session:
        for row in session.execute(select(sm.ConsoleSession)).scalars():
            row.last_seen_at = utcnow() - timedelta(minutes=31)
    result = browser.get("/inbox", follow=False)
    assert result.status_code == 302 and result.headers["location"] == "/login?timeout=1"
    assert browser.get("/inbox", follow=False).headers["location"] == "/login"  # the session is gone


@pytest.mark.parametrize("username,path,status", [
    ("lee.chen", "/inbox", 403),  # a directory maintainer has no handoffs
    ("lee.chen", "/admin/families", 403),
    ("admin", "/inbox", 403),  # admins manage people, they do not read records
    ("priya.shah", "/admin/staff", 403),
    ("admin", "/admin/staff", 200),
    ("sam.okafor", "/inbox", 200),
])
def test_roles_are_checked_on_the_server(db, console, username, path, status):
    load_staff()
    browser = Browser(console.url)
    browser.login(username, PASSWORD)
    assert browser.get(path, follow=False).status_code == status


def test_signed_out_visitors_only_see_the_login_page_and_assets(db, console):
    browser = Browser(console.url)
    assert browser.get("/inbox", follow=False).headers["location"] == "/login"
    assert browser.post("/handoffs/x/reply", {"message": "hi"}).status_code == 401
    assert browser.get("/assets/govuk-frontend.min.css").status_code == 200
    assert browser.get("/assets/fonts/bold-b542beb274-v2.woff2").status_code == 200
    assert browser.get("/static/console.js").status_code == 200

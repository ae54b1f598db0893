"""Console sign-in: argon2 passwords, server-side sessions, CSRF tokens, rate limits, roles.

The session cookie holds a random token; the database holds only its SHA-256, so a database
reader cannot sign in as anyone. Sessions end after 30 minutes idle (and 12 hours in all).
Every POST carries a CSRF token tied to the session (or, on the login form, to a short-lived
cookie). Failed logins are counted per IP address and username: five in 15 minutes locks that
pair out for 15 minutes.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select

from bot import crypto
from bot.db import session_scope
from bot.handoff import passwords
from bot.handoff import staff_models as sm
from bot.settings import env
from bot.timeutil import as_utc, utcnow

SESSION_COOKIE = "onestory_console"
LOGIN_CSRF_COOKIE = "onestory_login_csrf"
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class User:
    id: str
    username: str
    name: str
    role: str
    area: str
    job_title: str
    csrf: str


def secure_cookies() -> bool:
    return env("CONSOLE_URL").lower().startswith("https://")


def set_cookie(response, name: str, value: str, max_age: Optional[int] = None) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = "/"
    if secure_cookies():
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(response, name: str) -> None:
    set_cookie(response, name, "", max_age=0)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: Optional[str], b: Optional[str]) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


# --- rate limiting -----------------------------------------------------------------------------

def _attempt_key(ip: str, username: str) -> str:
    return crypto.keyed_hash(f"{ip}|{username.strip().lower()}", "console-login")


def locked_out(ip: str, username: str, now: Optional[datetime] = None) -> bool:
    now = now or utcnow()
    with session_scope() as session:
        failures = session.execute(select(func.count(sm.LoginAttempt.id)).where(
            sm.LoginAttempt.key_hash == _attempt_key(ip, username),
            sm.LoginAttempt.at > now - FAILURE_WINDOW)).scalar_one()
    return failures >= MAX_FAILURES


def _record_failure(ip: str, username: str) -> None:
    with session_scope() as session:
        session.add(sm.LoginAttempt(key_hash=_attempt_key(ip, username), at=utcnow()))
        # Old rows are no use to anyone; trim them as we go.
        session.execute(delete(sm.LoginAttempt).where(sm.LoginAttempt.at < utcnow() - timedelta(days=1)))


# --- signing in and out ------------------------------------------------------------------------

def authenticate(ip: str, username: str, password: str) -> Optional[str]:
    """A new session token for good credentials; None otherwise (failure counted)."""
    with session_scope() as session:
        pro = session.execute(select(sm.Professional).where(
            sm.Professional.username == username.strip().lower())).scalar_one_or_none()
        good = passwords.verify(pro.password_hash if pro is not None and pro.active and not pro.is_team
                                else None, password)
        if not good:
            pro_id = None
        else:
            pro_id = pro.id
            if passwords.needs_rehash(pro.password_hash):
                pro.password_hash = passwords.hash_password(password)
    if pro_id is None:
        _record_failure(ip, username)
        return None
    token = secrets.token_urlsafe(32)
    with session_scope() as session:
        session.execute(delete(sm.LoginAttempt).where(sm.LoginAttempt.key_hash == _attempt_key(ip, username)))
        now = utcnow()
        session.add(sm.ConsoleSession(token_hash=_token_hash(token), professional_id=pro_id,
                                      csrf_token=secrets.token_urlsafe(32), created_at=now, last_seen_at=now))
    return token


def load_user(token: Optional[str], now: Optional[datetime] = None) -> tuple[Optional[User], bool]:
    """(user, timed_out) for a session cookie; touching the session keeps it alive."""
    if not token:
        return None, False
    now = now or utcnow()
    with session_scope() as session:
        row = session.get(sm.ConsoleSession, _token_hash(token))
        if row is None:
            return None, False
        pro = session.get(sm.Professional, row.professional_id)
        expired = (now - as_utc(row.last_seen_at) > IDLE_TIMEOUT
                   or now - as_utc(row.created_at) > ABSOLUTE_TIMEOUT)
        if expired or pro is None or not pro.active:
            session.delete(row)
            return None, expired
        row.last_seen_at = now
        return User(pro.id, pro.username, pro.name, pro.role, pro.area, pro.job_title, row.csrf_token), False


def sign_out(token: Optional[str]) -> None:
    if token:
        with session_scope() as session:
            session.execute(delete(sm.ConsoleSession).where(sm.ConsoleSession.token_hash == _token_hash(token)))


# --- roles -------------------------------------------------------------------------------------

class Forbidden(Exception):
    pass


def require(*roles: str):
    """Handler decorator: only signed-in staff with one of these roles (checked on every request)."""
    def wrap(handler):
        @functools.wraps(handler)
        async def inner(request, *args, **kwargs):
            user = getattr(request.ctx, "user", None)
            if user is None or (roles and user.role not in roles):
                raise Forbidden(request.path)
            return await handler(request, *args, **kwargs)
        return inner
    return wrap

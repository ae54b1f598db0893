"""Runtime settings read from the environment, with safe development defaults.

`make run` relies on the defaults; production sets every variable explicitly. Anything that
falls back to a development value is listed by `dev_defaults_in_use()` so the launcher can say so,
and `refuse_development_defaults()` stops the launcher and the console when the bot is served at
a public address (PUBLIC_BASE_URL not localhost) with a development secret or demo password.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONESTORY_VAR_DIR", ROOT / "var"))

# Development values. The auth token and number match the conversation runner's (tools.eval) defaults.
DEV_DEFAULTS: dict[str, str] = {
    "DATABASE_URL": f"sqlite:///{VAR_DIR / 'onestory.db'}",
    "ONESTORY_SECRET_KEY": "dev-only-secret-key-change-me-in-production-0123456789",
    "TWILIO_AUTH_TOKEN": "test-auth-token",
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_NUMBER": "+447700900000",
    "PUBLIC_BASE_URL": "http://localhost:5005",
    "RASA_API_TOKEN": "dev-rasa-api-token",
    "ACTION_SERVER_URL": "http://localhost:5055/webhook",
    "CONSOLE_URL": "http://localhost:8080",
}


def env(name: str) -> str:
    """The variable's value, or its development default."""
    value = os.environ.get(name)
    if value is None or value == "":
        return DEV_DEFAULTS.get(name, "")
    return value


def dev_defaults_in_use() -> list[str]:
    return [name for name in DEV_DEFAULTS if not os.environ.get(name) and DEV_DEFAULTS[name]]


# --- refusing development settings at a public address ---------------------------------------

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
MIN_SECRET_CHARS = 32
# The secrets whose development values are published in this repository, and how to choose one.
SECRETS: dict[str, str] = {
    "ONESTORY_SECRET_KEY": "a random secret of at least 32 characters from your secrets manager "
                           "(python -c 'import secrets; print(secrets.token_urlsafe(48))')",
    "TWILIO_AUTH_TOKEN": "your Twilio account's auth token (Twilio console, Account info)",
    "RASA_API_TOKEN": "a random token of at least 32 characters for Rasa's HTTP API",
}


def is_local_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


def _value(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name) or DEV_DEFAULTS.get(name, "")


def production_problems(environ: Optional[Mapping[str, str]] = None,
                        demo_accounts: Optional[Callable[[], list[str]]] = None) -> list[str]:
    """What stops this configuration serving a public address; [] when none, or when local.

    `demo_accounts` lists console accounts that still accept the published demo password
    (default: bot.handoff.demo.accounts_with_demo_password, which reads the database).
    """
    environ = os.environ if environ is None else environ
    public = _value(environ, "PUBLIC_BASE_URL")
    if is_local_url(public):
        return []
    problems = []
    for name, advice in SECRETS.items():
        value = _value(environ, name)
        parts = [p.strip() for p in value.split(",")] if name == "ONESTORY_SECRET_KEY" else [value]
        if not environ.get(name):
            problems.append(f"{name} is not set: set it to {advice}.")
        elif any(part == DEV_DEFAULTS.get(name) for part in parts):
            problems.append(f"{name} is the development value published in this repository: set it to {advice}.")
        elif name != "TWILIO_AUTH_TOKEN" and len(parts[0]) < MIN_SECRET_CHARS:
            problems.append(f"{name} is shorter than {MIN_SECRET_CHARS} characters: set it to {advice}.")
    if demo_accounts is None:
        from bot.handoff.demo import accounts_with_demo_password as demo_accounts
    try:
        accounts = demo_accounts()
    except Exception as error:  # the database may be down at start; everything else still checked
        print(f"Could not check console accounts for the demo password ({type(error).__name__}).",
              file=sys.stderr)
        accounts = []
    if accounts:
        problems.append(f"console accounts {', '.join(sorted(accounts))} accept the published demo password: set "
                        "ONESTORY_DEMO_PASSWORD and run `python -m bot.handoff.demo --reset-passwords`, "
                        "or do not load the demo professionals on a public server.")
    return problems


def refuse_development_defaults(environ: Optional[Mapping[str, str]] = None,
                                demo_accounts: Optional[Callable[[], list[str]]] = None) -> None:
    """Exit (status 2) saying which variables to set, if serving a public address with them unset."""
    problems = production_problems(environ, demo_accounts)
    if problems:
        public = _value(os.environ if environ is None else environ, "PUBLIC_BASE_URL")
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise SystemExit(f"OneStory will not serve the public address {public} with development settings:\n"
                         f"{lines}\nSet these and start again (README: Configuration). PUBLIC_BASE_URL on "
                         "localhost keeps the development values.")


@dataclass(frozen=True)
class TwilioSettings:
    auth_token: str
    account_sid: str
    number: str
    public_base_url: str

    @property
    def can_send(self) -> bool:
        """Real sending needs an account SID; without one the outbox only records messages."""
        return bool(self.account_sid) and self.auth_token != DEV_DEFAULTS["TWILIO_AUTH_TOKEN"]


def twilio_settings() -> TwilioSettings:
    return TwilioSettings(
        auth_token=env("TWILIO_AUTH_TOKEN"),
        account_sid=env("TWILIO_ACCOUNT_SID"),
        number=env("TWILIO_NUMBER"),
        public_base_url=env("PUBLIC_BASE_URL").rstrip("/"),
    )


def database_url() -> str:
    url = env("DATABASE_URL")
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy 1.4 only knows "postgresql".
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return url

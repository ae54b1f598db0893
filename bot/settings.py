"""Runtime settings read from the environment, with safe development defaults.

`make run` relies on the defaults; production sets every variable explicitly. Anything that
falls back to a development value is listed by `dev_defaults_in_use()` so the launcher can say so.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONESTORY_VAR_DIR", ROOT / "var"))

# Development values. The auth token and number match shared/eval/carer_eval.py's defaults.
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

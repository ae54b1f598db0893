"""At a public address the launcher and the console refuse development secrets and demo passwords,
and say which variable to set; on localhost the development values keep working. The console
listens on 127.0.0.1 unless told otherwise."""
from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from bot import settings
from bot.settings import DEV_DEFAULTS, production_problems, refuse_development_defaults

PUBLIC = "https://onestory.example.org"
GOOD = {"PUBLIC_BASE_URL": PUBLIC, "ONESTORY_SECRET_KEY": "k" * 48, "TWILIO_AUTH_TOKEN": "0123456789abcdef" * 2,
        "RASA_API_TOKEN": "t" * 40}


def no_demo_accounts() -> list[str]:
    return []


def _problems(environ: dict, accounts=no_demo_accounts) -> str:
    return "\n".join(production_problems(environ, accounts))


@pytest.mark.parametrize("url", ["http://localhost:5005", "http://127.0.0.1:5005", "http://[::1]:5005",
                                 "http://onestory.localhost", ""])
def test_development_values_are_fine_on_localhost(url):
    environ = {"PUBLIC_BASE_URL": url} if url else {}
    assert production_problems(environ, lambda: ["helen.price"]) == []


def test_a_fully_configured_public_server_starts():
    assert production_problems(GOOD, no_demo_accounts) == []


@pytest.mark.parametrize("name", ["ONESTORY_SECRET_KEY", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN"])
def test_each_unset_secret_is_named(name):
    environ = {k: v for k, v in GOOD.items() if k != name}
    assert f"{name} is not set" in _problems(environ)


@pytest.mark.parametrize("name", ["ONESTORY_SECRET_KEY", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN"])
def test_each_published_development_value_is_refused(name):
    assert f"{name} is the development value" in _problems({**GOOD, name: DEV_DEFAULTS[name]})


def test_the_development_key_is_refused_even_as_the_old_key_of_a_rotation():
    key = f"{'n' * 40},{DEV_DEFAULTS['ONESTORY_SECRET_KEY']}"
    assert "ONESTORY_SECRET_KEY is the development value" in _problems({**GOOD, "ONESTORY_SECRET_KEY": key})


@pytest.mark.parametrize("name", ["ONESTORY_SECRET_KEY", "RASA_API_TOKEN"])
def test_short_secrets_are_refused(name):
    assert f"{name} is shorter than 32" in _problems({**GOOD, name: "short-secret"})


def test_demo_passwords_are_refused_with_the_way_out():
    found = _problems(GOOD, lambda: ["priya.shah", "helen.price"])
    assert "helen.price, priya.shah" in found and "ONESTORY_DEMO_PASSWORD" in found
    assert "--reset-passwords" in found


def test_an_unreachable_database_does_not_hide_the_other_problems():
    def down() -> list[str]:
        raise ConnectionError("database down")

    assert "RASA_API_TOKEN is not set" in _problems({k: v for k, v in GOOD.items() if k != "RASA_API_TOKEN"}, down)
    assert production_problems(GOOD, down) == []


def test_refusal_exits_saying_which_variables_to_set():
    with pytest.raises(SystemExit) as stopped:
        refuse_development_defaults({"PUBLIC_BASE_URL": PUBLIC}, no_demo_accounts)
    message = str(stopped.value.code)
    assert PUBLIC in message
    assert all(name in message for name in ("ONESTORY_SECRET_KEY", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN"))


def test_demo_accounts_are_found_in_the_database_and_reset(db, monkeypatch):
    from bot.handoff import demo

    demo.load()
    found = demo.accounts_with_demo_password()
    assert "helen.price" in found and not [name for name in found if name.startswith("duty-team")]
    monkeypatch.setenv("ONESTORY_DEMO_PASSWORD", "a-better-password-for-this-server")
    assert demo.reset_passwords() > 0
    assert demo.accounts_with_demo_password() == []


def test_reset_passwords_needs_a_new_password(db, monkeypatch):
    from bot.handoff import demo

    monkeypatch.delenv("ONESTORY_DEMO_PASSWORD", raising=False)
    with pytest.raises(SystemExit):
        demo.reset_passwords()


def test_the_launcher_refuses_before_starting_anything(monkeypatch):
    from bot import serve
    from bot.handoff import demo

    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **k: pytest.fail("a process was started"))
    monkeypatch.setattr(demo, "accounts_with_demo_password", no_demo_accounts)  # no database here
    for name in GOOD:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    assert "ONESTORY_SECRET_KEY" in str(stopped.value.code)


def _console(monkeypatch, argv: list[str]) -> SimpleNamespace:
    from bot.console import __main__ as console

    ran = SimpleNamespace()
    monkeypatch.setattr(console, "create_app", lambda name: SimpleNamespace(run=lambda **kw: ran.__dict__.update(kw)))
    monkeypatch.setattr(sys, "argv", ["python -m bot.console", *argv])
    console.main()
    return ran


def test_the_console_listens_on_this_machine_only_by_default(monkeypatch):
    monkeypatch.delenv("CONSOLE_HOST", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://localhost:5005")
    assert _console(monkeypatch, []).host == "127.0.0.1"
    monkeypatch.setenv("CONSOLE_HOST", "0.0.0.0")
    assert _console(monkeypatch, []).host == "0.0.0.0"


def test_the_console_refuses_development_secrets_at_a_public_address(monkeypatch):
    monkeypatch.setattr(settings, "production_problems", lambda *a, **k: ["RASA_API_TOKEN is not set"])
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    with pytest.raises(SystemExit):
        _console(monkeypatch, [])

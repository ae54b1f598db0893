"""Action tests run against a database holding the Eastmere demo professionals (and duty team)."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def professionals(db):
    from bot.handoff import demo

    demo.load()
    yield

"""Fixtures shared by the browser tests."""
from __future__ import annotations

import pytest

from tests.unit.console_harness import ConsoleServer


@pytest.fixture
def console(db):
    """The staff console, in-process on a free port, over the test database."""
    server = ConsoleServer().start()
    yield server
    server.stop()

"""Runs the console in-process on a free port (sanic_testing is not in this venv) and gives
tests a requests.Session that signs in and carries the CSRF token like a browser would."""
from __future__ import annotations

import asyncio
import re
import socket
import threading
import time

import requests
from sanic.touchup import TouchUp

from bot.console.app import create_app

# Sanic 21.12's start-up optimiser rewrites handler methods on the classes themselves and fails
# when a second app starts in the same process (KeyError 'handle_exception'). Production runs one
# app per process; tests start several, so the rewrite is done once only.
_touchup_run = TouchUp.run.__func__
_touchup_done = False


def _touchup_once(cls, app) -> None:
    global _touchup_done
    if not _touchup_done:
        _touchup_done = True
        _touchup_run(cls, app)


TouchUp.run = classmethod(_touchup_once)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ConsoleServer:
    """The console app served by its own event loop in a background thread."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.server = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False))
        self.loop.run_until_complete(self.server.startup())
        self.loop.run_forever()

    def start(self) -> ConsoleServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/health", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("console did not start")

    def stop(self) -> None:
        async def close() -> None:
            self.server.close()
            await self.server.wait_closed()
        if self.server is not None:
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A requests session that behaves like a signed-in member of staff."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.csrf = ""

    def get(self, path: str, **kwargs) -> requests.Response:
        result = self.http.get(self.base + path, allow_redirects=kwargs.pop("follow", True), **kwargs)
        found = CSRF.search(result.text)
        if found:
            self.csrf = found.group(1)
        return result

    def post(self, path: str, data: dict | None = None, csrf: bool = True, **kwargs) -> requests.Response:
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.csrf)
        return self.http.post(self.base + path, data=form, allow_redirects=kwargs.pop("follow", False), **kwargs)

    def login(self, username: str, password: str) -> requests.Response:
        self.get("/login")
        result = self.post("/login", {"username": username, "password": password})
        self.get("/")
        return result

"""The web chat page and widget, served by Rasa itself at /chat.

Configured in credentials.yml as `bot.channels.webchat.WebChatPage:`. It is an input channel only
so that Rasa mounts its routes; the conversation itself goes over Rasa's own `socketio` channel
(credentials.yml: user_uttered / bot_uttered, session_persistence on), which the widget speaks.

  GET  /chat                      the chat page (lang en-GB, skip link, the widget)
  GET  /chat/static/<file>        chat.js, chat.css, embed.js and socket.io-client's browser build
  POST /chat/forget               {"session_id": ...}: ends that session's link to a family record

Rasa mounts a channel at urljoin("/webhooks/", url_prefix()); an absolute prefix ("/chat")
replaces the path, so the page is at /chat rather than /webhooks/chat.
Nothing is fetched from a CDN: socket.io-client comes from node_modules (npm ci, `make run`).
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.db import session_scope
from bot.records import web_links
from bot.settings import ROOT

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "webchat_static"
SOCKET_IO_DIST = ROOT / "node_modules" / "socket.io-client" / "dist"

# Only these files are served: no directory listing, no path from the request reaches the disk.
STATIC_FILES: dict[str, tuple[Path, str]] = {
    "chat.js": (STATIC_DIR / "chat.js", "text/javascript; charset=utf-8"),
    "chat.css": (STATIC_DIR / "chat.css", "text/css; charset=utf-8"),
    "embed.js": (STATIC_DIR / "embed.js", "text/javascript; charset=utf-8"),
    "socket.io.min.js": (SOCKET_IO_DIST / "socket.io.min.js", "text/javascript; charset=utf-8"),
    "socket.io.min.js.map": (SOCKET_IO_DIST / "socket.io.min.js.map", "application/json"),
}

PAGE_HEADERS = {
    # The page runs only its own scripts and styles, and talks only to this server.
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat with OneStory</title>
<link rel="stylesheet" href="/chat/static/chat.css">
</head>
<body class="os-page">
<a class="os-skip" href="#onestory-input">Skip to the message box</a>
<header class="os-page-header">
  <p class="os-page-brand">OneStory</p>
  <p class="os-page-note">Demo service for the fictional borough of Eastmere</p>
</header>
<main id="main" class="os-page-main">
  <h1>Talk to OneStory</h1>
  <p>Ask who is responsible for something, for example who does carer's assessments. To see or add to
  your family's record, give your mobile number and type the code we text you.</p>
  <p>In an emergency call 999. For urgent medical help call 111.</p>
  <div id="onestory-chat" data-server=""></div>
</main>
<script src="/chat/static/socket.io.min.js"></script>
<script src="/chat/static/chat.js"></script>
</body>
</html>
"""


class WebChatPage(InputChannel):
    """Serves the chat page and widget; messages travel over the socketio channel."""

    @classmethod
    def name(cls) -> str:
        return "webchat_page"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> WebChatPage:
        return cls()

    def url_prefix(self) -> str:
        return "/chat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webchat = Blueprint("webchat_page", __name__)

        @webchat.route("", methods=["GET"], strict_slashes=False)
        async def page(_: Request) -> HTTPResponse:
            return response.html(PAGE, headers=PAGE_HEADERS)

        @webchat.route("/static/<name>", methods=["GET"])
        async def static(_: Request, name: str) -> HTTPResponse:
            found = STATIC_FILES.get(name)
            if found is None:
                return response.text("Not found", status=404)
            path, content_type = found
            if not path.exists():
                logger.error("web chat file %s is missing (run `npm ci`, which `make run` does)", path.name)
                return response.text("Not found", status=404)
            return response.raw(path.read_bytes(), content_type=content_type,
                                headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

        @webchat.route("/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            try:
                data = json.loads(request.body or b"{}")
                session_id = data.get("session_id") if isinstance(data, dict) else None
            except ValueError:
                session_id = None
            if not isinstance(session_id, str) or not session_id or len(session_id) > 128:
                return response.text("Bad request", status=400)
            try:
                await asyncio.to_thread(_revoke, session_id)
            except Exception as error:
                logger.warning("web chat forget failed (%s)", type(error).__name__)
                return response.empty(status=503)
            return response.empty(status=204)

        return webchat


def _revoke(session_id: str) -> bool:
    with session_scope() as session:
        return web_links.revoke(session, session_id)

"""A stand-in for Twilio's Messages API, so tests can count what the workers really sent.

The workers' TwilioSender talks to it when TWILIO_API_BASE_URL names it: the same Twilio client
library, the same HTTP request, only another address. Every accepted message is recorded.
"""
from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")


class FakeTwilio:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's naming)
                match = _MESSAGES.match(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if not match or not self.headers.get("Authorization", "").startswith("Basic "):
                    return self._json(404, {"code": 20404, "message": "not found", "status": 404})
                time.sleep(fake.delay)
                sid = "SM" + uuid.uuid4().hex
                with fake.lock:
                    fake.messages.append({**form, "sid": sid, "account_sid": match.group(1)})
                return self._json(201, {"sid": sid, "account_sid": match.group(1), "to": form.get("To"),
                                        "from": form.get("From"), "body": form.get("Body"), "status": "queued"})

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent(self) -> list[dict[str, str]]:
        with self.lock:
            return list(self.messages)

"""Start and stop the real servers (Rasa, the action server, the worker) for end-to-end tests."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[2]
# ONESTORY_RASA_MODEL: a model trained elsewhere (models/ is often shared between checkouts).
MODEL = Path(os.environ.get("ONESTORY_RASA_MODEL") or ROOT / "models" / "onestory.tar.gz")
PY = sys.executable
AUTH_TOKEN = "e2e-auth-token"
BOT_NUMBER = "+447700900000"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    database_url: str
    var_dir: Path
    endpoints: str = "endpoints.yml"
    extra_env: dict = field(default_factory=dict)
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    processes: dict = field(default_factory=dict)
    logs: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": self.database_url,
            "ONESTORY_VAR_DIR": str(self.var_dir),
            "ONESTORY_SECRET_KEY": "e2e-secret-key-not-for-production",
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_NUMBER": BOT_NUMBER,
            "TWILIO_ACCOUNT_SID": "",
            "PUBLIC_BASE_URL": self.base_url,
            "RASA_API_TOKEN": "e2e-rasa-token",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "RASA_TRACKER_DB": str(self.var_dir / "rasa_tracker.db"),
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        })
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        env = self.env()
        rasa = str(Path(PY).with_name("rasa"))
        commands = {
            "actions": [PY, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
            "rasa": [rasa, "run", "--model", str(MODEL), "--endpoints", self.endpoints,
                     "--credentials", "credentials.yml", "--port", str(self.rasa_port),
                     "--enable-api", "--auth-token", "e2e-rasa-token"],
        }
        for name, command in commands.items():
            log = open(self.var_dir / f"{name}.log", "ab")  # noqa: SIM115  (closed in stop())
            self.logs[name] = log
            self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                                    stderr=subprocess.STDOUT, start_new_session=True)
        self._wait(f"http://127.0.0.1:{self.actions_port}/health", 120)
        self._wait(f"{self.base_url}/", 300)

    def _wait(self, url: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{self.tail(name)}")
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except Exception:
                time.sleep(0.5)
        raise RuntimeError(f"{url} did not answer in {seconds}s\n{self.tail('rasa')}")

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.var_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for log in self.logs.values():
            log.close()
        self.processes, self.logs = {}, {}

    def restart(self) -> None:
        self.stop()
        self.start()

    # --- talking to it ---------------------------------------------------------------------

    def sms(self, phone: str, body: Optional[str], *, sid: Optional[str] = None, token: str = AUTH_TOKEN,
            extra: Optional[dict] = None) -> tuple[int, list[str], str]:
        """POST a signed Twilio webhook; returns (status, reply texts, raw body)."""
        from xml.etree import ElementTree

        path = "/webhooks/twilio/webhook"
        params = {"MessageSid": sid or "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32,
                  "From": phone, "To": BOT_NUMBER, "NumMedia": "0"}
        if body is not None:
            params["Body"] = body
        params.update(extra or {})
        signature = RequestValidator(token).compute_signature(self.base_url + path, params)
        request = urllib.request.Request(
            self.base_url + path, data=urllib.parse.urlencode(params).encode(),
            headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, [], error.read().decode(errors="replace")
        texts = []
        if raw.strip():
            for message in ElementTree.fromstring(raw).iter("Message"):
                body_el = message.find("Body")
                value = body_el.text if body_el is not None else message.text
                if value and value.strip():
                    texts.append(value.strip())
        return status, texts, raw

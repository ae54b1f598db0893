"""`make run`'s foreground launcher: Rasa, the action server, the console and the worker.

Fills in development defaults for unset variables (and says which), prints where to talk to the
bot, restarts a child that dies (with a growing pause, so a crash loop does not spin), and on
Ctrl-C stops every child process cleanly.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Optional

from bot.settings import DEV_DEFAULTS, ROOT, VAR_DIR, dev_defaults_in_use, refuse_development_defaults

PY = sys.executable
RASA = str(Path(PY).with_name("rasa"))
MODEL = ROOT / "models" / "onestory.tar.gz"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    for name, value in DEV_DEFAULTS.items():
        if not env.get(name):
            env[name] = value
    env.setdefault("RASA_TRACKER_DB", str(VAR_DIR / "rasa_tracker.db"))
    env.setdefault("PYTHONPATH", str(ROOT))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def commands(env: dict[str, str]) -> dict[str, list[str]]:
    rasa_port = env.get("RASA_PORT", "5005")
    found = {
        "actions": [PY, "-m", "rasa_sdk", "--actions", "actions", "--port", env.get("ACTIONS_PORT", "5055")],
        "rasa": [RASA, "run", "--model", str(MODEL), "--endpoints", env.get("RASA_ENDPOINTS", "endpoints.yml"),
                 "--credentials", "credentials.yml", "--port", rasa_port, "--enable-api",
                 "--auth-token", env["RASA_API_TOKEN"], "--cors", "*"],
        "worker": [PY, "-m", "bot.worker"],
    }
    if (ROOT / "bot" / "console" / "__main__.py").exists():
        found["console"] = [PY, "-m", "bot.console"]
    return found


def wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except Exception:
            time.sleep(0.5)
    return False


class Supervisor:
    """Keeps every child running: one that dies is restarted after a growing pause (1 s, 2 s, ...
    up to a minute; back to 1 s once it has stayed up a while), and the others carry on."""

    def __init__(self, commands: dict[str, list[str]], env: dict[str, str], cwd: Path = ROOT,
                 first_delay: float = 1.0, max_delay: float = 60.0, settled_after: float = 120.0) -> None:
        self.commands, self.env, self.cwd = commands, env, cwd
        self.first_delay, self.max_delay, self.settled_after = first_delay, max_delay, settled_after
        self.children: dict[str, subprocess.Popen] = {}
        self.started_at: dict[str, float] = {}
        self.failures: dict[str, int] = {name: 0 for name in commands}
        self.restart_at: dict[str, float] = {}
        self.restarts: dict[str, int] = {name: 0 for name in commands}

    def start(self, name: str) -> None:
        self.children[name] = subprocess.Popen(self.commands[name], cwd=self.cwd, env=self.env,
                                               start_new_session=True)
        self.started_at[name] = time.monotonic()

    def start_all(self) -> None:
        for name in self.commands:
            self.start(name)

    def check(self) -> None:
        """Notice children that exited and restart those whose pause is over."""
        now = time.monotonic()
        for name, process in self.children.items():
            if name in self.restart_at or process.poll() is None:
                continue
            if now - self.started_at[name] >= self.settled_after:
                self.failures[name] = 0  # it had been running fine: this is a fresh failure
            delay = min(self.first_delay * 2 ** self.failures[name], self.max_delay)
            self.failures[name] += 1
            self.restart_at[name] = now + delay
            print(f"{name} exited with {process.returncode}; restarting it in {delay:.0f} s.", flush=True)
        for name, when in list(self.restart_at.items()):
            if now >= when:
                del self.restart_at[name]
                self.restarts[name] += 1
                self.start(name)

    def stop_all(self, grace: float = 15.0) -> None:
        self.restart_at.clear()
        for process in self.children.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.children.values():
            try:
                process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def supervise(supervisor: Supervisor, ready: Optional[Callable[[], None]] = None) -> int:
    """Run the children until Ctrl-C (or SIGTERM), restarting any that die; then stop them all."""
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    supervisor.start_all()
    if ready is not None:  # in the background: Ctrl-C and restarts must not wait for Rasa to load
        threading.Thread(target=ready, name="ready", daemon=True).start()
    while not stopping:
        supervisor.check()
        time.sleep(0.5)
    supervisor.stop_all()
    print("OneStory stopped.", flush=True)
    return 0


def main() -> int:
    refuse_development_defaults()  # a public PUBLIC_BASE_URL needs real secrets and no demo passwords
    env = environment()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    defaults = dev_defaults_in_use()
    if defaults:
        print("Development defaults in use (set these for real use): " + ", ".join(defaults))
    port = env.get("RASA_PORT", "5005")

    def ready() -> None:
        if wait_for(f"http://localhost:{port}/", 240):
            print(f"""
OneStory is running (Ctrl-C stops everything):
  SMS webhook   POST http://localhost:{port}/webhooks/twilio/webhook  (signed with TWILIO_AUTH_TOKEN)
  REST channel  POST http://localhost:{port}/webhooks/rest/webhook  {{"sender": "me", "message": "hi"}}
  Web chat      http://localhost:{port}/chat
  Actions       http://localhost:{env.get('ACTIONS_PORT', '5055')}/health
  Console       {env['CONSOLE_URL']}
  Try it:       make eval FILE=tests/eval/cases-public.yml   (another terminal)
""", flush=True)
        else:
            print("Rasa did not come up within 4 minutes; see the output above.", flush=True)

    return supervise(Supervisor(commands(env), env), ready)


if __name__ == "__main__":
    sys.exit(main())

"""`make run`'s foreground launcher: Rasa, the action server, the console and the worker.

Fills in development defaults for unset variables (and says which), prints where to talk to the
bot, and on Ctrl-C stops every child process cleanly.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


def main() -> int:
    refuse_development_defaults()  # a public PUBLIC_BASE_URL needs real secrets and no demo passwords
    env = environment()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    defaults = dev_defaults_in_use()
    if defaults:
        print("Development defaults in use (set these for real use): " + ", ".join(defaults))
    children: dict[str, subprocess.Popen] = {}
    for name, command in commands(env).items():
        children[name] = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    def stop(*_args) -> None:
        for process in children.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in children.values():
            try:
                process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        print("OneStory stopped.")
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    port = env.get("RASA_PORT", "5005")
    if wait_for(f"http://localhost:{port}/", 240):
        print(f"""
OneStory is running (Ctrl-C stops everything):
  SMS webhook   POST http://localhost:{port}/webhooks/twilio/webhook  (signed with TWILIO_AUTH_TOKEN)
  REST channel  POST http://localhost:{port}/webhooks/rest/webhook  {{"sender": "me", "message": "hi"}}
  Web chat      http://localhost:{port}/chat
  Actions       http://localhost:{env.get('ACTIONS_PORT', '5055')}/health
  Console       {env['CONSOLE_URL']}
  Try it:       python ../shared/eval/carer_eval.py ../shared/eval/cases-public.yml
""", flush=True)
    else:
        print("Rasa did not come up within 4 minutes; see the output above.", flush=True)
    while True:
        for name, process in children.items():
            if process.poll() is not None:
                print(f"{name} exited with {process.returncode}; stopping the rest.", flush=True)
                stop()
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bot.console [--host H] [--port P]`: the staff console (default http://127.0.0.1:8080).

It listens on this machine only unless CONSOLE_HOST (or --host) says otherwise: in development the
demo accounts' password is published, and in production a reverse proxy serves it over HTTPS.
At a public address (PUBLIC_BASE_URL not localhost) it refuses development secrets and demo
passwords, as the launcher does.
"""
from __future__ import annotations

import argparse
import logging
import os

from bot import models_registry  # noqa: F401  (every table known before the first query)
from bot.console.app import create_app
from bot.settings import refuse_development_defaults

DEFAULT_HOST = "127.0.0.1"


def main() -> None:
    refuse_development_defaults()
    parser = argparse.ArgumentParser(prog="python -m bot.console")
    parser.add_argument("--host", default=os.environ.get("CONSOLE_HOST") or DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=int(os.environ.get("CONSOLE_PORT", "8080")))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s console %(levelname)s %(message)s")
    app = create_app("onestory_console")
    app.run(host=args.host, port=args.port, access_log=False, workers=1, motd=False)


if __name__ == "__main__":
    main()

"""`python -m bot.console [--host H] [--port P]`: the staff console (default http://0.0.0.0:8080)."""
from __future__ import annotations

import argparse
import logging
import os

from bot import models_registry  # noqa: F401  (every table known before the first query)
from bot.console.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.console")
    parser.add_argument("--host", default=os.environ.get("CONSOLE_HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("CONSOLE_PORT", "8080")))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s console %(levelname)s %(message)s")
    app = create_app("onestory_console")
    app.run(host=args.host, port=args.port, access_log=False, workers=1, motd=False)


if __name__ == "__main__":
    main()

"""Load the Eastmere demo data: the directory datapackage and the demo professionals.

Idempotent (re-importing updates by id), so `make run` can call it every time.
`python -m bot.demo [--database-url URL]`.
"""
from __future__ import annotations

import argparse
import sys

from bot import db
from bot.settings import ROOT

EASTMERE = ROOT / "data" / "directory" / "eastmere"


def load_directory() -> bool:
    from bot.directory.importer import import_feed

    report = import_feed(EASTMERE)
    if not report.ok:
        print(report.to_table())
        return False
    print(f"Eastmere directory: {report.summary()}")
    return True


def load_professionals() -> None:
    from bot.handoff import demo

    counts = demo.load()
    print(f"Eastmere professionals: {counts}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.demo")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    if args.database_url:
        db.configure(args.database_url)
    ok = load_directory()
    load_professionals()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

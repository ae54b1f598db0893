"""Load the demo data: the councils' directories and postcodes, and the demo professionals.

Eastmere (EM1-EM6) is the main demo borough: an HSDS datapackage with responsibility roles tagged.
Fenmoor (FM1-FM4) is a second fictional council whose feed comes in the older ORUK 1.0 shape with
no roles tagged, as real councils' feeds do. Idempotent (re-importing updates by id), so
`make run` can call it every time. `python -m bot.demo [--database-url URL]`.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot import db
from bot.settings import ROOT

DIRECTORY = ROOT / "data" / "directory"
EASTMERE = DIRECTORY / "eastmere"
FENMOOR = DIRECTORY / "fenmoor" / "services.json"


@dataclass(frozen=True)
class Council:
    code: str  # ONS-style, but no real council has these codes
    name: str
    feed: Path
    postcodes: Path


COUNCILS = (
    Council("E06999999", "Eastmere", EASTMERE, DIRECTORY / "postcodes" / "eastmere.csv"),
    Council("E06999998", "Fenmoor", FENMOOR, DIRECTORY / "postcodes" / "fenmoor.csv"),
)


def load_directory(councils: Optional[tuple[Council, ...]] = None) -> bool:
    from bot.directory import postcodes
    from bot.directory.importer import import_feed

    ok = True
    for council in councils or COUNCILS:
        if not council.feed.exists():
            continue
        report = import_feed(council.feed, authority=council.code, authority_name=council.name)
        if not report.ok:
            print(report.to_table())
            ok = False
            continue
        print(f"{council.name} directory: {report.summary()}")
        loaded = postcodes.load(council.postcodes)
        print(loaded.summary())
        ok = ok and loaded.ok
    return ok


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

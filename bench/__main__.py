"""`make bench`: every benchmark the issues ask for, printed as tables for the README."""
from __future__ import annotations

import importlib
import sys

SUITES = ["bench.conversations", "bench.directory"]


def main() -> int:
    wanted = sys.argv[1:] or SUITES
    for name in wanted:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            print(f"{name}: not available ({error})")
            continue
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Operator commands: `python -m bot.handoff outbox NUMBER [--limit N]` prints JSON lines."""
from __future__ import annotations

import argparse
import sys

from bot.handoff import outbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.handoff")
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("outbox", help="recent outbound messages for a number, as JSON lines")
    show.add_argument("number")
    show.add_argument("--limit", type=int, default=20)
    commands.add_parser("dispatch", help="send every due outbox message once")
    args = parser.parse_args(argv)
    if args.command == "outbox":
        for line in outbox.as_json_lines(outbox.recent_for(args.number, args.limit)):
            print(line)
    elif args.command == "dispatch":
        print(f"sent {outbox.dispatch_due()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""python -m tools.eval CASES.yml [--base-url URL] [--public-url URL] [--auth-token TOKEN]
[--bot-number NUMBER] [--only ID ...] [--verbose] [--json REPORT.json] [--follow-choice]

Plays each case against a running bot and prints PASS/FAIL per case (the transcript of a failure),
the turn latency, and last "N passed, M failed". Exits 0 only when every case passed.
--follow-choice answers "1" to a "did you mean" that fails a step and judges the answer to that
(the last line then says how many passes needed it).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from tools.eval.cases import CaseError, load_cases, run_case
from tools.eval.client import BotClient


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tools.eval", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", help="a cases file (YAML), e.g. tests/eval/cases-public.yml")
    p.add_argument("--base-url", default=os.environ.get("BOT_URL", "http://localhost:5005"),
                   help="where the bot answers (default $BOT_URL or http://localhost:5005)")
    p.add_argument("--public-url", default=os.environ.get("PUBLIC_BASE_URL"),
                   help="the bot's PUBLIC_BASE_URL, which signatures cover (default: the base URL)")
    p.add_argument("--auth-token", default=os.environ.get("TWILIO_AUTH_TOKEN") or "test-auth-token")
    p.add_argument("--bot-number", default=os.environ.get("TWILIO_NUMBER") or "+447700900000")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for one reply")
    p.add_argument("--only", action="append", default=[], metavar="ID", help="run only this case (repeatable)")
    p.add_argument("--verbose", action="store_true", help="print every transcript and play failing cases to the end")
    p.add_argument("--json", metavar="REPORT", help="write every case's result and transcript as JSON")
    p.add_argument("--follow-choice", action="store_true",
                   help='answer "1" to a "did you mean" that fails a step, and judge the answer to that')
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        cases = load_cases(args.cases)
    except (OSError, CaseError) as error:
        print(f"cannot read the cases: {error}", file=sys.stderr)
        return 2
    if args.only:
        unknown = set(args.only) - {case["id"] for case in cases}
        if unknown:
            print(f"no such case: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        cases = [case for case in cases if case["id"] in args.only]
    bot = BotClient(args.base_url, args.public_url, args.auth_token, args.bot_number, args.timeout)
    results = []
    for case in cases:
        result = run_case(bot, case, keep_going=args.verbose, follow_choice=args.follow_choice)
        results.append(result)
        print(f"{'PASS' if result.passed else 'FAIL'} {result.id}: {result.about}", flush=True)
        if not result.passed or args.verbose:
            print(result.transcript(), flush=True)
    seconds = [step.seconds for result in results for step in result.steps]
    if seconds:
        print(f"turns: {len(seconds)}, latency p50 {percentile(seconds, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(seconds, 0.95) * 1000:.0f} ms")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump([result.as_dict() for result in results], handle, indent=1, ensure_ascii=False)
    passed = sum(result.passed for result in results)
    chose = sum(result.chose_first for result in results)
    print(f"{passed} passed, {len(results) - passed} failed" + (
        f" ({chose} of the passes by choosing 1 in a \"did you mean\"; {passed - chose} without)"
        if args.follow_choice else ""))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())

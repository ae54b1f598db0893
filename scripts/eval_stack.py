"""Run carer evaluation sets against this checkout's bot on free ports (not `make run`'s fixed ones).

Starts Rasa and the action server from this tree on a fresh SQLite database with the Eastmere
demo data, runs the project's runner (`python -m tools.eval`, as `make eval` does) on each file,
prints each summary line, then stops. CARER_EVAL=path runs another runner script instead.

  .venv/bin/python scripts/eval_stack.py tests/eval/tell-once-dev.yml [more.yml ...] [--verbose]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.stack import AUTH_TOKEN, Stack  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--out", help="folder for the full transcripts (one .txt per file)")
    parser.add_argument("--follow-choice", action="store_true",
                        help='answer "1" to a "did you mean" that fails a step (tools.eval --follow-choice)')
    args = parser.parse_args()
    runner = [sys.executable, os.environ["CARER_EVAL"]] if os.environ.get("CARER_EVAL") else \
        [sys.executable, "-m", "tools.eval"]
    var_dir = Path(tempfile.mkdtemp(prefix="onestory-eval-"))
    url = f"sqlite:///{var_dir / 'onestory.db'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "bot.migrate", url], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "bot.demo", "--database-url", url], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    stack = Stack(database_url=url, var_dir=var_dir)
    stack.start()
    status = 0
    try:
        for name in args.files:
            command = runner + [name, "--base-url", stack.base_url,
                                "--public-url", stack.base_url, "--auth-token", AUTH_TOKEN]
            if args.verbose:
                command.append("--verbose")
            if args.follow_choice:
                command.append("--follow-choice")
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            if args.out:
                Path(args.out).mkdir(parents=True, exist_ok=True)
                (Path(args.out) / (Path(name).stem + ".txt")).write_text(done.stdout + done.stderr)
            elif args.verbose:
                print(done.stdout)
            lines = done.stdout.strip().splitlines()
            print(f"{name}: {lines[-1] if lines else done.stderr[-500:]}")
            status = status or done.returncode
    finally:
        stack.stop()
    return status


if __name__ == "__main__":
    raise SystemExit(main())

"""Skipped tests are said out loud: recorded per stage and listed at the end of `make test`; on CI
(CI=true) a skip is a failure, because CI must run everything.

As a pytest plugin (tests/conftest.py imports its hooks) it records every skipped test or module
with its reason in a JSON-lines file (ONESTORY_SKIP_REPORT, default var/test-skips.jsonl), under
the stage named by ONESTORY_STAGE (the Makefile sets it) or else the test's folder.
`python -m tests.skip_report` prints the list; `make test` runs it last.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parents[1]


def report_path() -> Path:
    return Path(os.environ.get("ONESTORY_SKIP_REPORT", ROOT / "var" / "test-skips.jsonl"))


def strict() -> bool:
    """On CI nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def stage_of(path: Optional[str] = None) -> str:
    if os.environ.get("ONESTORY_STAGE"):
        return os.environ["ONESTORY_STAGE"]
    parts = Path(path or "").parts
    return parts[parts.index("tests") + 1] if "tests" in parts[:-1] else "pytest"


def record(stage: str, reason: str, tests: Optional[int] = 1) -> None:
    path = report_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"stage": stage, "reason": reason, "tests": tests}) + "\n")


def _reason(longrepr) -> str:
    # A skip's longrepr is (file, line, "Skipped: why").
    text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return text.removeprefix("Skipped: ").strip()


def _handle(report, path: str) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = _reason(report.longrepr)
    if strict():
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, where nothing may be skipped: {reason}"
    else:
        record(stage_of(path), reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _handle(outcome.get_result(), str(item.path))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _handle(outcome.get_result(), str(getattr(collector, "path", "")))


def summary(path: Optional[Path] = None) -> list[str]:
    """One line per stage and reason, in the order first seen."""
    path = path or report_path()
    if not path.exists():
        return []
    counts: Counter = Counter()
    unknown: set = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            key = (entry["stage"], entry["reason"])
            counts[key] += entry["tests"] or 0
            if entry["tests"] is None:
                unknown.add(key)
    return [f"{stage}: {reason}" if key in unknown and not n else f"{stage}: {n} skipped: {reason}"
            for key, n in counts.items() for stage, reason in [key]]


def main() -> int:
    lines = summary()
    if not lines:
        print("make test: nothing was skipped.")
        return 0
    print("make test skipped these (install what they need to run everything; CI=true refuses to skip):")
    for line in lines:
        print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

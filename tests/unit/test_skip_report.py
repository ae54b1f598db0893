"""`make test` lists what it skipped and why; with CI=true a skip fails the run instead."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = '''
import pytest

def test_runs():
    pass

def test_needs_a_tool():
    pytest.skip("frobnicator missing")

@pytest.mark.skipif(True, reason="PostgreSQL does not answer")
def test_needs_postgres():
    pass

@pytest.mark.xfail(reason="known", strict=False)
def test_expected_failure():
    assert False
'''
MODULE_SKIP = 'import pytest\npytest.skip("chromium missing", allow_module_level=True)\n'


def run(tmp_path: Path, ci: str, stage: str = "browser", only: str = "") -> subprocess.CompletedProcess:
    tests = tmp_path / "tests"
    (tests / "browser").mkdir(parents=True, exist_ok=True)
    (tests / "test_sample.py").write_text(SAMPLE)
    (tests / "browser" / "test_module.py").write_text(MODULE_SKIP)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONESTORY_SKIP_REPORT": str(tmp_path / "skips.jsonl"),
           "CI": ci, "ONESTORY_STAGE": stage}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.skip_report", "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), str(tests / only)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def listing(tmp_path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONESTORY_SKIP_REPORT": str(tmp_path / "skips.jsonl")}
    return subprocess.run([sys.executable, "-m", "tests.skip_report"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True).stdout


def test_skips_are_listed_by_stage_and_reason(tmp_path):
    result = run(tmp_path, ci="", stage="e2e")
    assert result.returncode == 0, result.stdout + result.stderr
    out = listing(tmp_path)
    assert "e2e: 1 skipped: frobnicator missing" in out
    assert "e2e: 1 skipped: PostgreSQL does not answer" in out
    assert "e2e: 1 skipped: chromium missing" in out
    assert "known" not in out  # an expected failure is not a skip


def test_on_ci_every_skip_is_a_failure(tmp_path):
    result = run(tmp_path, ci="true", only="test_sample.py")
    assert result.returncode != 0 and "1 passed" in result.stdout and "1 xfailed" in result.stdout
    assert result.stdout.count("skipped on CI, where nothing may be skipped") == 2, result.stdout
    assert "frobnicator missing" in result.stdout and "PostgreSQL does not answer" in result.stdout
    result = run(tmp_path, ci="true", only="browser")  # a module skipped whole fails its collection
    assert result.returncode != 0 and "skipped on CI, where nothing may be skipped: chromium missing" in result.stdout
    assert "nothing was skipped" in listing(tmp_path)


def test_nothing_skipped_says_so(tmp_path):
    assert listing(tmp_path).strip() == "make test: nothing was skipped."

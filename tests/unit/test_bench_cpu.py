"""The benchmark's CPU meter: it finds a process's descendants and counts the CPU they use."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.cpu import CpuMeter, part_of, tree


def burner(go: Path, done: Path) -> str:
    """A child that waits for `go`, spends 0.4 s of CPU, then says so in `done` and sleeps."""
    return (f"import os, time\nwhile not os.path.exists({str(go)!r}): time.sleep(0.01)\n"
            "end = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
            f"open({str(done)!r}, 'w').close()\ntime.sleep(60)")


def test_a_grandchild_is_in_its_tree_and_its_cpu_is_counted(tmp_path):
    go, done = tmp_path / "go", tmp_path / "done"
    parent = subprocess.Popen([sys.executable, "-c",
                               f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', "
                               f"{burner(go, done)!r}])\ntime.sleep(60)"])
    try:
        meter = CpuMeter({"burner": part_of(lambda: [parent.pid], having="process_time", lacking=("subprocess",)),
                          "all": part_of(lambda: [parent.pid])})
        deadline = time.monotonic() + 30
        while len(tree([parent.pid])) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = meter.snapshot()
        assert len(before["all"]) == 2 and len(before["burner"]) == 1
        go.touch()
        while not done.exists() and time.monotonic() < deadline + 60:  # however busy the machine is
            time.sleep(0.05)
        used = CpuMeter.used(before, meter.snapshot())
        assert used["burner"] >= 0.35
        assert used["all"] >= used["burner"]
    finally:
        for pid in tree([parent.pid]):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        parent.wait()


def test_the_tree_of_a_gone_process_is_empty_of_it():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert tree([process.pid]) <= {process.pid}
    assert CpuMeter.used({}, CpuMeter({"gone": lambda: {process.pid}}).snapshot())["gone"] == 0.0


def test_a_single_busy_process_keeps_one_core_busy_however_many_there_are():
    before = {"rasa": {1: 0.0}, "actions": {2: 0.0, 3: 0.0}}
    assert CpuMeter.busy_processes(before, {"rasa": {1: 9.0}, "actions": {2: 0.2, 3: 0.1}}) == 1
    assert CpuMeter.busy_processes(before, {"rasa": {1: 5.0}, "actions": {2: 4.0, 3: 0.1}}) == 2

"""The launcher keeps its children running: a crashed one is restarted, Ctrl-C stops them all."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bot.serve import Supervisor

PY = sys.executable


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has exited all the same.
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "zombie" not in status.read_text()


def test_a_crashed_child_is_restarted_with_growing_pauses_and_the_others_carry_on(tmp_path):
    commands = {"crashes": [PY, "-c", "import sys; sys.exit(3)"],
                "steady": [PY, "-c", "import time; time.sleep(60)"]}
    supervisor = Supervisor(commands, dict(os.environ), cwd=tmp_path, first_delay=0.2, max_delay=0.8)
    supervisor.start_all()
    steady_pid = supervisor.children["steady"].pid
    try:
        deadline = time.monotonic() + 10
        restarted_at = []
        while time.monotonic() < deadline and supervisor.restarts["crashes"] < 4:
            before = supervisor.restarts["crashes"]
            supervisor.check()
            if supervisor.restarts["crashes"] > before:
                restarted_at.append(time.monotonic())
            time.sleep(0.02)
        assert supervisor.restarts["crashes"] >= 4
        pauses = [b - a for a, b in zip(restarted_at, restarted_at[1:], strict=False)]
        assert pauses[-1] > pauses[0]  # backs off instead of spinning
        assert supervisor.children["steady"].pid == steady_pid and _alive(steady_pid)
        assert supervisor.restarts["steady"] == 0
    finally:
        supervisor.stop_all(grace=5)
    assert not _alive(steady_pid)


def test_ctrl_c_stops_every_child(tmp_path):
    child = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(120)"
    script = textwrap.dedent(f"""
        import os, sys
        from bot.serve import Supervisor, supervise
        children = {{name: [sys.executable, "-c", {child!r}, os.path.join({str(tmp_path)!r}, name)]
                    for name in ("rasa", "actions")}}
        sys.exit(supervise(Supervisor(children, dict(os.environ))))
    """)
    launcher = subprocess.Popen([PY, "-c", script], env=dict(os.environ, PYTHONPATH=os.getcwd()),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    pid_files = [tmp_path / "rasa", tmp_path / "actions"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(p.exists() and p.read_text() for p in pid_files):
        time.sleep(0.1)
    pids = [int(p.read_text()) for p in pid_files]
    assert all(_alive(pid) for pid in pids)
    launcher.send_signal(signal.SIGINT)
    output, _ = launcher.communicate(timeout=30)
    assert launcher.returncode == 0, output
    assert "OneStory stopped." in output
    assert not any(_alive(pid) for pid in pids)

"""CPU time spent per turn, by process group: a figure a busy, shared machine does not distort much.

Turns per second and latency depend on what else the machine is doing. The CPU time a layout's
processes use to answer a given number of turns depends far less on it, and it says what the
layout would sustain with the machine to itself: at saturation, turns/s is about the number of
cores divided by the CPU seconds one turn costs.

A group is a set of process trees (a supervisord and everything it started, one `rasa run`) or of
PostgreSQL backends serving named databases. Reads /proc only (Linux), so it needs no package.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds) of a live process; (0, 0.0) once it has gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0, 0.0
    fields = raw[raw.rindex(")") + 2:].split()  # the command name may hold spaces and brackets
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def tree(roots: Iterable[int]) -> set[int]:
    """The roots and every process descended from them."""
    parents = {pid: _stat(pid)[0] for pid in _all_pids()}
    found = {pid for pid in roots if pid}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found


def postgres_backends(admin_url: str, databases: Iterable[str]) -> set[int]:
    """The server processes currently connected to these databases."""
    import psycopg2

    names = list(databases)
    if not names:
        return set()
    with psycopg2.connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = ANY(%s)", (names,))
        return {row[0] for row in cursor.fetchall()}


def pids_named(name: str) -> set[int]:
    found = set()
    for pid in _all_pids():
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == name:
                found.add(pid)
        except OSError:
            continue
    return found


@dataclass
class CpuMeter:
    """Snapshot the CPU seconds of named groups of processes before and after some work.

    `groups` maps a label to a function giving the group's pids now; each group's pids are
    found again at the end too, so a process started or restarted meanwhile is counted from its
    start (and one that ended is lost: keep the measured layout steady while it runs)."""

    groups: dict[str, Callable[[], set[int]]]

    def snapshot(self) -> dict[str, dict[int, float]]:
        return {label: {pid: _stat(pid)[1] for pid in find()} for label, find in self.groups.items()}

    @staticmethod
    def used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
        """CPU seconds each group used between two snapshots."""
        return {label: sum(seconds - before.get(label, {}).get(pid, 0.0) for pid, seconds in now.items())
                for label, now in after.items()}

    @staticmethod
    def busy_processes(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]],
                       share: float = 0.1) -> int:
        """How many processes each did at least `share` of the work: a layout cannot keep more
        cores than that busy (one `rasa run` uses one core, however many the machine has)."""
        spent = [seconds - before.get(label, {}).get(pid, 0.0)
                 for label, now in after.items() for pid, seconds in now.items()]
        total = sum(spent)
        return sum(1 for seconds in spent if total and seconds >= share * total)


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def part_of(roots: Callable[[], Iterable[int]], *, having: str = "", lacking: tuple[str, ...] = ()) \
        -> Callable[[], set[int]]:
    """A group: the processes under `roots` whose command line holds `having` and none of `lacking`."""
    def find() -> set[int]:
        found = set()
        for pid in tree(roots()):
            line = cmdline(pid)
            if having in line and not any(word in line for word in lacking):
                found.add(pid)
        return found
    return find

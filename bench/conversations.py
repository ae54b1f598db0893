"""Turn throughput and latency of the production layout, next to a bare `rasa init` bot.

Each simulated carer has a five-turn conversation (greeting, consent, two facts, a summary) over
the signed SMS webhook. Measured in one run, at 1, 20 and 50 concurrent conversations:
  bare      Rasa's own starter bot (`rasa init`, REST channel, in-memory tracker), the reference
  cluster2  `make cluster`'s layout (tools/cluster.py) through HAProxy: two `rasa run` replicas
            on the PostgreSQL tracker store and the Redis lock store, two action servers
  cluster1  the same cluster with node 2's Rasa and action server stopped: one replica
  sqlite    `make run`'s single-process layout on SQLite (only when asked for in BENCH_LAYOUTS)
Prints turns/s and p50/p95 turn latency, and the CPU time one turn costs in each kind of process
(bench/cpu.py): on a shared machine the first two depend on the other work, the third much less,
and cores / CPU per turn is the turns/s the layout sustains with the machine to itself.
BENCH_QUICK=1 runs fewer conversations per level (a
rough figure in a few minutes); BENCH_LAYOUTS=bare,cluster2 picks layouts.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.cpu import CpuMeter, part_of, pids_named, postgres_backends
from tools import cluster as launcher
from tools.eval.client import BotClient

SCRIPT = ["hi", "yes", "my mum has dementia and takes donepezil 10mg at night",
          "she lives at EM2 3AB and her GP is Riverside Surgery", "what do you know about mum?"]
BARE_SCRIPT = ["hi", "yes", "I am sad", "yes", "bye"]
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
# (concurrent conversations, conversations in all): enough that the busy part dominates.
LEVELS = ((1, 3), (20, 20), (50, 50)) if QUICK else ((1, 10), (20, 40), (50, 100))
LAYOUTS = os.environ.get("BENCH_LAYOUTS", "bare,cluster2,cluster1").split(",")
_numbers = itertools.count(10_000)
Send = Callable[[str, str], None]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def run_load(send: Send, script: list[str], conversations: int, concurrency: int) -> dict:
    """`conversations` carers, `concurrency` at a time, each sending `script` in order."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def one(_: int) -> None:
        with lock:
            sender = f"+4477009{next(_numbers):05d}"
        for text in script:
            started = time.perf_counter()
            try:
                send(sender, text)
            except Exception as error:  # counted and reported: a lost turn is a finding, not a crash
                failures.append(" ".join(f"{error.__class__.__name__}: {error}".split())[:160])
                continue
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(conversations)))
    elapsed = time.perf_counter() - started
    if not latencies:
        raise RuntimeError(f"every turn failed: {failures[:3]}")
    return {"turns": len(latencies), "failed": len(failures), "turns_per_s": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 0.5) * 1000, "p95_ms": percentile(latencies, 0.95) * 1000,
            "mean_ms": statistics.mean(latencies) * 1000, "errors": failures[:3]}


def levels(results: dict, layout: str, send: Send, script: list[str], meter: CpuMeter) -> None:
    send("+447700900001", script[0])  # warm-up turn: first-call costs are start-up, not throughput
    for concurrency, conversations in LEVELS:
        before = meter.snapshot()
        found = run_load(send, script, conversations, concurrency)
        after = meter.snapshot()
        used = CpuMeter.used(before, after)
        found["cpu_ms"] = {group: seconds * 1000 / found["turns"] for group, seconds in used.items()}
        found["busy_processes"] = CpuMeter.busy_processes(before, after)
        results[(layout, concurrency)] = found
        print(f"  measured {layout} at {concurrency}", flush=True)


def sms_sender(client: BotClient) -> Send:
    def send(sender: str, text: str) -> None:
        reply = client.sms(client.sms_params(sender, text))
        if reply.status != 200:
            raise RuntimeError(f"HTTP {reply.status}: {' '.join(reply.texts)[:150]}")
    return send


def wait_http(url: str, seconds: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {seconds:.0f} s")


def bare_bot() -> Path:
    """Rasa's own starter bot (`rasa init`), trained on this machine once and kept in var/ (its
    training takes minutes; `rm -r var/bench-rasa-init` trains it again)."""
    import rasa

    folder = launcher.ROOT / "var" / "bench-rasa-init"
    if (folder / "VERSION").exists() and (folder / "VERSION").read_text() == rasa.__version__:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    subprocess.run([str(Path(sys.executable).with_name("rasa")), "init", "--no-prompt", "--init-dir", str(folder)],
                   check=True, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (folder / "VERSION").write_text(rasa.__version__)
    return folder


def bare(results: dict, work: Path) -> None:
    """The starter bot served by `rasa run` with its defaults."""
    rasa = str(Path(sys.executable).with_name("rasa"))
    folder = bare_bot()
    port = launcher.free_port()
    process = subprocess.Popen([rasa, "run", "--port", str(port)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/", 300, process)
        client = BotClient(f"http://127.0.0.1:{port}", timeout=120)

        def send(sender: str, text: str) -> None:
            reply = client.web(sender, text)
            if reply.status != 200:
                raise RuntimeError(f"HTTP {reply.status}")
        levels(results, "bare", send, BARE_SCRIPT, CpuMeter({"rasa": part_of(lambda: [process.pid])}))
    finally:
        process.terminate()
        process.wait(30)


def cluster(results: dict, work: Path) -> None:
    """The production layout on free ports and throwaway databases, through HAProxy."""
    env = launcher.scratch_env(work / "cluster", f"onestory_bench_{uuid.uuid4().hex[:8]}")
    try:
        launcher.start(env)
        client = BotClient(f"http://127.0.0.1:{env['HAPROXY_PORT']}", env["PUBLIC_BASE_URL"],
                           env["TWILIO_AUTH_TOKEN"], env["TWILIO_NUMBER"], timeout=120)
        meter = cluster_meter(env)
        if "cluster2" in LAYOUTS:
            levels(results, "cluster2", sms_sender(client), SCRIPT, meter)
        if "cluster1" in LAYOUTS:
            # One application host: node 2's replica and action server stopped, HAProxy routes round them.
            launcher.supervisorctl(env, 2, "stop", "rasa", "actions", check=True)
            deadline = time.monotonic() + 60
            while any(s.startswith("UP") for n, s in launcher.haproxy_servers(env).items() if n.endswith("2")):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"HAProxy still sees node 2: {launcher.haproxy_servers(env)}")
                time.sleep(1)
            levels(results, "cluster1", sms_sender(client), SCRIPT, meter)
    finally:
        try:
            launcher.stop(env)
        finally:
            for url in (env["DATABASE_URL"], env["ONESTORY_TRACKER_DB_URL"]):
                launcher.drop_database(url)


def cluster_meter(env: dict[str, str]) -> CpuMeter:
    """Rasa replicas, action servers, the rest of the nodes (HAProxy, workers, console,
    supervisord), this cluster's PostgreSQL backends, and Redis (which other work may share)."""
    nodes = lambda: [launcher.supervisord_pid(env, node) or 0 for node in launcher.NODES]  # noqa: E731
    databases = [url.rsplit("/", 1)[-1] for url in (env["DATABASE_URL"], env["ONESTORY_TRACKER_DB_URL"])]
    admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    return CpuMeter({
        "rasa": part_of(nodes, having="rasa run"),
        "actions": part_of(nodes, having="rasa_sdk"),
        "rest of nodes": part_of(nodes, lacking=("rasa run", "rasa_sdk")),
        "postgres": lambda: postgres_backends(admin, databases),
        "redis": lambda: pids_named("redis-server"),
    })


def stack_pids(stack) -> Callable[[], list[int]]:
    return lambda: [process.pid for process in stack.processes.values()]


def single_sqlite(results: dict, work: Path) -> None:
    """`make run`'s layout: one Rasa, one action server, SQLite."""
    from bot.migrate import upgrade
    from tests.e2e.stack import AUTH_TOKEN, Stack

    stack = Stack(database_url=f"sqlite:///{work / 'onestory.db'}", var_dir=work)
    upgrade(stack.database_url)
    subprocess.run([sys.executable, "-m", "bot.demo"], check=True, capture_output=True,
                   env={**os.environ, "DATABASE_URL": stack.database_url})
    stack.start()
    try:
        client = BotClient(stack.base_url, auth_token=AUTH_TOKEN, timeout=120)
        levels(results, "sqlite", sms_sender(client), SCRIPT, CpuMeter({"stack": part_of(stack_pids(stack))}))
    finally:
        stack.stop()


LABELS = {"bare": "bare `rasa init` bot (REST)", "cluster2": "OneStory cluster, 2 replicas",
          "cluster1": "OneStory cluster, 1 replica", "sqlite": "OneStory make run (SQLite)"}


def table(results: dict) -> str:
    lines = [f"{'setup':30} {'conc':>4} {'turns':>6} {'failed':>6} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
             f" {'vs bare t/s':>11} {'vs bare p95':>11}"]
    for (layout, concurrency), r in results.items():
        ref = results.get(("bare", concurrency))
        ratio = (f" {r['turns_per_s'] / ref['turns_per_s']:>11.2f} {r['p95_ms'] / ref['p95_ms']:>11.2f}"
                 if ref and layout != "bare" else "")
        lines.append(f"{LABELS[layout]:30} {concurrency:>4} {r['turns']:>6} {r['failed']:>6} "
                     f"{r['turns_per_s']:>8.1f} {r['p50_ms']:>8.0f} {r['p95_ms']:>8.0f}{ratio}")
        lines.extend(f"    error: {e}" for e in r["errors"])
    return "\n".join(lines)


def cpu_table(results: dict) -> str:
    """CPU milliseconds per turn by kind of process, and the turns/s that implies with the machine
    to itself: the cores the layout can keep busy (no more than its busy processes) divided by
    the CPU one turn costs. The load generator's own CPU is not counted on either side."""
    groups = list(dict.fromkeys(g for r in results.values() for g in r.get("cpu_ms", {})))
    cores = os.cpu_count() or 1

    def capacity(r: dict) -> float:
        total = sum(r.get("cpu_ms", {}).values())
        return min(cores, max(1, r.get("busy_processes", 1))) * 1000 / total if total else 0.0

    lines = [f"{'CPU ms per turn':30} {'conc':>4}" + "".join(f" {g:>13}" for g in groups)
             + f" {'total':>8} {'cores used':>10} {'capacity t/s':>12} {'vs bare':>8}"]
    for (layout, concurrency), r in results.items():
        cpu = r.get("cpu_ms", {})
        ref = results.get(("bare", concurrency))
        versus = f" {capacity(r) / capacity(ref):>8.2f}" if ref and layout != "bare" and capacity(ref) else ""
        lines.append(f"{LABELS[layout]:30} {concurrency:>4}" + "".join(
            f" {cpu[g]:>13.1f}" if g in cpu else f" {'':>13}" for g in groups)
            + f" {sum(cpu.values()):>8.1f} {min(cores, max(1, r.get('busy_processes', 1))):>10}"
            f" {capacity(r):>12.1f}{versus}")
    return "\n".join(lines)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="onestory-bench-"))
    results: dict = {}
    load = os.getloadavg()
    started = time.perf_counter()
    try:
        if "bare" in LAYOUTS:
            bare(results, work)
        if "cluster2" in LAYOUTS or "cluster1" in LAYOUTS:
            cluster(results, work)
        if "sqlite" in LAYOUTS:
            single_sqlite(results, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nConversation benchmark ({os.cpu_count()} cores, load average before "
          f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}, after {os.getloadavg()[0]:.1f}; "
          f"{'quick' if QUICK else 'full'} run, {time.perf_counter() - started:.0f} s; "
          "five-turn conversations)")
    print(table(results))
    print(cpu_table(results))
    print(json.dumps({f"{k[0]}_c{k[1]}": {n: round(v, 1) for n, v in r.items() if isinstance(v, float)}
                      | {"cpu_ms": {g: round(v, 1) for g, v in r.get("cpu_ms", {}).items()}}
                      for k, r in results.items()}))

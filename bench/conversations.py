"""Turn throughput and latency over the signed SMS webhook, next to a bare `rasa init` bot.

Each simulated carer has a five-turn conversation (greeting, consent, two facts, a summary).
Runs with 1 and 20 concurrent conversations; prints turns/s and p50/p95 turn latency.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.e2e.stack import Stack, free_port

SCRIPT = ["hi", "yes", "my mum has dementia and takes donepezil 10mg at night",
          "she lives at EM2 3AB and her GP is Riverside Surgery", "what do you know about mum?"]
BARE_SCRIPT = ["hi", "yes", "I am sad", "yes", "bye"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def run_load(send, script: list[str], conversations: int, concurrency: int) -> dict:
    latencies: list[float] = []

    def one(index: int) -> None:
        sender = "+4477009" + f"{random.randrange(10**5):05d}"
        for text in script:
            started = time.perf_counter()
            send(sender, text)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(conversations)))
    elapsed = time.perf_counter() - started
    return {"turns": len(latencies), "turns_per_s": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 0.5) * 1000, "p95_ms": percentile(latencies, 0.95) * 1000,
            "mean_ms": statistics.mean(latencies) * 1000}


def bare_rasa_bot(workdir: Path) -> None:
    """`rasa init` in a scratch folder: Rasa's own starter bot, trained on this machine."""
    rasa = str(Path(sys.executable).with_name("rasa"))
    workdir.mkdir(parents=True, exist_ok=True)  # rasa init wants the folder to exist
    subprocess.run([rasa, "init", "--no-prompt", "--init-dir", str(workdir)], check=True, cwd=workdir,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="onestory-bench-"))
    stack = Stack(database_url=f"sqlite:///{var / 'onestory.db'}", var_dir=var)
    from bot.migrate import upgrade

    upgrade(stack.database_url)
    subprocess.run([sys.executable, "-m", "bot.demo", "--database-url", stack.database_url], check=False,
                   env={**os.environ, "DATABASE_URL": stack.database_url})
    stack.start()
    results = {}
    try:
        def ours(sender: str, text: str) -> None:
            status, _, raw = stack.sms(sender, text)
            assert status == 200, raw

        for concurrency, conversations in ((1, 10), (20, 40)):
            results[f"onestory_sms_c{concurrency}"] = run_load(ours, SCRIPT, conversations, concurrency)
    finally:
        stack.stop()

    bare_dir = var / "bare"
    bare_rasa_bot(bare_dir)
    port = free_port()
    rasa = str(Path(sys.executable).with_name("rasa"))
    process = subprocess.Popen([rasa, "run", "--port", str(port)], cwd=bare_dir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except Exception:
                time.sleep(0.5)

        def bare(sender: str, text: str) -> None:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                                             data=json.dumps({"sender": sender, "message": text}).encode(),
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=60).read()

        for concurrency, conversations in ((1, 10), (20, 40)):
            results[f"bare_rasa_init_rest_c{concurrency}"] = run_load(bare, BARE_SCRIPT, conversations, concurrency)
    finally:
        process.terminate()
        process.wait(20)
        shutil.rmtree(var, ignore_errors=True)

    print(f"\nConversation benchmark ({os.cpu_count()} cores)")
    print(f"{'setup':34} {'turns':>6} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, figures in results.items():
        print(f"{name:34} {figures['turns']:>6} {figures['turns_per_s']:>8.1f} "
              f"{figures['p50_ms']:>8.0f} {figures['p95_ms']:>8.0f}")

"""The production layout, started for real (tools/cluster.py: HAProxy, two supervisord hosts, two
Rasa replicas, PostgreSQL, Redis) on free ports and throwaway databases, with a stand-in for
Twilio's Messages API that counts what the workers send."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.fake_twilio import FakeTwilio
from tools import cluster as launcher
from tools.eval.client import BotClient

pytestmark = pytest.mark.e2e

AUTH_TOKEN = "cluster-test-auth-token"
RASA_TOKEN = "cluster-test-rasa-token"


def _missing(env: dict[str, str]) -> list[str]:
    missing = []
    if not any((Path(d) / "haproxy").exists() for d in launcher.node_env(env, 1)["PATH"].split(os.pathsep)):
        missing.append("haproxy (apt-get install haproxy)")
    for name, host, port in (("PostgreSQL", env["PG_HOST"], env["PG_PORT"]),
                             ("Redis", env["REDIS_HOST"], env["REDIS_PORT"])):
        try:
            socket.create_connection((host, int(port)), timeout=2).close()
        except OSError:
            missing.append(f"{name} on {host}:{port}")
    return missing


@dataclass
class Cluster:
    env: dict[str, str]
    twilio: FakeTwilio
    records: Engine

    @property
    def public_url(self) -> str:
        return self.env["PUBLIC_BASE_URL"]

    def client(self, base_url: str | None = None) -> BotClient:
        """A phone texting through HAProxy (or straight at one replica: the signature covers the
        public address either way)."""
        return BotClient(base_url or f"http://127.0.0.1:{self.env['HAPROXY_PORT']}", self.public_url,
                         AUTH_TOKEN, self.env["TWILIO_NUMBER"], timeout=60)

    def replica_url(self, node: int) -> str:
        return "http://" + self.env[f"RASA_{node}_ADDR"]

    def pid(self, node: int, program: str) -> int:
        result = launcher.supervisorctl(self.env, node, "pid", program)
        return int(result.stdout.strip())

    def kill(self, node: int, program: str) -> int:
        pid = self.pid(node, program)
        os.kill(pid, signal.SIGKILL)
        return pid

    def program_state(self, node: int, program: str) -> str:
        return launcher.supervisorctl(self.env, node, "status", program).stdout.split()[1]

    def supervisorctl(self, node: int, *args: str) -> str:
        return launcher.supervisorctl(self.env, node, *args).stdout

    def haproxy(self) -> dict[str, str]:
        return launcher.haproxy_servers(self.env)

    def wait_for(self, what: str, check, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(1)
        raise AssertionError(f"{what}: not within {seconds:.0f} s (HAProxy sees {self.haproxy()})")

    def tracker_events(self, sender_id: str) -> list[dict]:
        url = f"{self.replica_url(1)}/conversations/{sender_id}/tracker?token={RASA_TOKEN}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())["events"]

    def outbox_statuses(self) -> dict[str, int]:
        with self.records.connect() as connection:
            rows = connection.execute(text("SELECT status, count(*) FROM outbox WHERE channel = 'sms' GROUP BY status"))
            return {status: count for status, count in rows}

    def log(self, node: int, program: str, lines: int = 60) -> str:
        path = Path(self.env["ONESTORY_CLUSTER_DIR"]) / f"node{node}" / f"{program}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if not (launcher.ROOT / "models" / "onestory.tar.gz").exists():
        pytest.fail("no trained model: run `make model` first (make test does)")
    # The hosts' logs stay in var/cluster-test after the run, to read when it fails.
    folder = launcher.ROOT / "var" / "cluster-test"
    shutil.rmtree(folder, ignore_errors=True)
    env = launcher.scratch_env(folder, f"onestory_ct_{uuid.uuid4().hex[:8]}", {
        "ONESTORY_SECRET_KEY": os.environ["ONESTORY_SECRET_KEY"],  # so the test computes sender ids
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": "AC" + "7" * 32,  # sending for real, to the stand-in below
        "RASA_API_TOKEN": RASA_TOKEN,
        # How long the SMS channel waits before another process takes over a message whose
        # process died (its default is minutes; a test cannot wait that long).
        "ONESTORY_INBOUND_STALE_SECONDS": "20",
    })
    missing = _missing(env)
    if missing:
        pytest.skip("the cluster test needs " + ", ".join(missing))
    with FakeTwilio() as twilio:
        env["TWILIO_API_BASE_URL"] = twilio.url
        records = create_engine(env["DATABASE_URL"])
        try:
            try:
                launcher.start(env)
            except SystemExit as error:  # the launcher's clear message, as a test failure
                pytest.fail(f"make cluster failed: {error}")
            yield Cluster(env, twilio, records)
        finally:
            try:
                launcher.stop(env)
            except SystemExit:  # a host that would not stop: end its processes by their ids
                for node in launcher.NODES:
                    pid = launcher.supervisord_pid(env, node)
                    if pid:
                        children = launcher.supervisorctl(env, node, "pid", "all").stdout.split()
                        for child in [int(c) for c in children if c.isdigit() and c != "0"] + [pid]:
                            with contextlib.suppress(OSError):
                                os.kill(child, signal.SIGKILL)
            records.dispose()
            for url in (env["DATABASE_URL"], env["ONESTORY_TRACKER_DB_URL"]):
                launcher.drop_database(url)

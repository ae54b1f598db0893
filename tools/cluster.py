"""`make cluster` / `make cluster-stop`: the production layout on one machine.

    python -m tools.cluster start [--no-wait] | stop | status

Two application hosts ("nodes"), each a supervisord running deploy/supervisord.conf: Rasa, an
action server and a worker on both, HAProxy and the staff console on node 1. PostgreSQL holds
records, directory and Rasa's tracker store; Redis is Rasa's lock store. Variables come from the
environment, defaulted from deploy/cluster.env. `start` creates and migrates the cluster's
databases, loads the demo data, starts both nodes and waits until HAProxy sees both replicas up.
The cluster end-to-end test drives this same module with its own ports and databases.
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NODES = (1, 2)
_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


# --- configuration -----------------------------------------------------------------------------

def load_env(base: Optional[dict[str, str]] = None, defaults: Path = DEPLOY / "cluster.env") -> dict[str, str]:
    """The environment with deploy/cluster.env's defaults filled in for unset variables.

    Lines are NAME=VALUE; `#` starts a comment at the beginning of a line; ${NAME} in a value is
    replaced by that variable's value so far (the environment's, or a default above it).
    """
    env = dict(os.environ if base is None else base)
    for number, line in enumerate(defaults.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name.strip()):
            raise ValueError(f"{defaults}:{number}: expected NAME=VALUE")
        name = name.strip()
        if name in env:
            continue
        env[name] = _REF.sub(lambda m: env.get(m.group(1), ""), value.strip())
        if name == "ONESTORY_CLUSTER_DIR":
            env[name] = str((ROOT / env[name]).resolve())
    return env


def _port(address: str) -> str:
    return address.rsplit(":", 1)[1]


def node_env(env: dict[str, str], node: int) -> dict[str, str]:
    """What one application host's supervisord sees: the shared variables and this host's own."""
    node_dir = Path(env["ONESTORY_CLUSTER_DIR"]) / f"node{node}"
    venv_bin = str(Path(sys.executable).parent)
    return {
        **env,
        "ONESTORY_NODE": str(node),
        "ONESTORY_NODE_DIR": str(node_dir),
        "ONESTORY_VAR_DIR": str(node_dir),
        "ONESTORY_SPOOL_DIR": str(node_dir / "spool"),  # local disk: each host replays its own
        "RASA_PORT": _port(env[f"RASA_{node}_ADDR"]),
        "ACTIONS_PORT": _port(env[f"ACTIONS_{node}_ADDR"]),
        "ONESTORY_RUN_EDGE": "true" if node == 1 else "false",
        "ONESTORY_RUN_CONSOLE": "true" if node == 1 else "false",
        "PATH": os.pathsep.join([venv_bin, "/usr/sbin", "/usr/local/sbin", env.get("PATH", "/usr/bin:/bin")]),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_env(folder: Path, database: str, overrides: Optional[dict[str, str]] = None) -> dict[str, str]:
    """A cluster of its own beside any other (the cluster test, the benchmark): free ports,
    databases `database` and `database`_tracker, its hosts' folders under `folder`. Settings for
    the cluster inherited from the calling environment are ignored; `overrides` win."""
    defaults = (DEPLOY / "cluster.env").read_text(encoding="utf-8")
    ours = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", defaults, re.MULTILINE))
    base = {name: value for name, value in os.environ.items() if name not in ours}
    base.update({
        "ONESTORY_CLUSTER_DIR": str(folder),
        "HAPROXY_PORT": str(free_port()),
        "HAPROXY_ACTIONS_BIND": f"127.0.0.1:{free_port()}",
        "RASA_1_ADDR": f"127.0.0.1:{free_port()}", "RASA_2_ADDR": f"127.0.0.1:{free_port()}",
        "ACTIONS_1_ADDR": f"127.0.0.1:{free_port()}", "ACTIONS_2_ADDR": f"127.0.0.1:{free_port()}",
        "CONSOLE_PORT": str(free_port()),
        "RASA_TRACKER_DB_NAME": f"{database}_tracker",
    })
    env = load_env({**base, **(overrides or {})})
    pg = f"postgresql://{env['PG_USER']}:{env['PG_PASSWORD']}@{env['PG_HOST']}:{env['PG_PORT']}"
    for name, value in (("DATABASE_URL", f"{pg}/{database}"), ("ONESTORY_TRACKER_DB_URL", f"{pg}/{database}_tracker")):
        if name not in (overrides or {}):
            env[name] = value
    return env


def drop_database(url: str) -> None:
    """Drop the PostgreSQL database the URL names (its connections first)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                               {"name": target.database})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
    finally:
        admin.dispose()


# --- preparing ---------------------------------------------------------------------------------

def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")


def create_database(url: str) -> None:
    """Create the PostgreSQL database the URL names, if it does not exist yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": target.database}).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def check_host(env: dict[str, str]) -> None:
    """What this machine needs to run the hosts; fails with a clear message."""
    probe = node_env(env, 1)
    for tool in ("haproxy", "supervisord", "rasa"):
        if not any((Path(d) / tool).exists() for d in probe["PATH"].split(os.pathsep)):
            raise SystemExit(f"{tool} not found: see the README's prerequisites (apt-get install haproxy; "
                             "make venv for supervisord and rasa)")
    if not (ROOT / "models" / "onestory.tar.gz").exists():
        raise SystemExit("no trained model: run `make model` first (make cluster does)")
    for node in NODES:
        (Path(env["ONESTORY_CLUSTER_DIR"]) / f"node{node}" / "spool").mkdir(parents=True, exist_ok=True)
    _run(["haproxy", "-c", "-q", "-f", str(DEPLOY / "haproxy.cfg")], probe, "checking deploy/haproxy.cfg")


def prepare(env: dict[str, str]) -> None:
    """The shared state, before any host starts: the databases exist and are migrated, and the
    demo data is loaded unless ONESTORY_DEMO_DATA is false (compose.yaml runs this too)."""
    from sqlalchemy.engine import make_url

    records = make_url(env["DATABASE_URL"])
    for name, host, port in (("PostgreSQL", records.host or "127.0.0.1", records.port or 5432),
                             ("Redis", env["REDIS_HOST"], env["REDIS_PORT"])):
        try:
            socket.create_connection((host, int(port)), timeout=3).close()
        except OSError:
            raise SystemExit(f"{name} does not answer on {host}:{port} (README, prerequisites)") from None
    create_database(env["DATABASE_URL"])
    create_database(env["ONESTORY_TRACKER_DB_URL"])
    _run([sys.executable, "-m", "bot.migrate"], node_env(env, 1), "migrating the records database")
    if env.get("ONESTORY_DEMO_DATA", "true").lower() != "false":
        _run([sys.executable, "-m", "bot.demo"], node_env(env, 1), "loading the demo data")


# --- running -----------------------------------------------------------------------------------

def supervisorctl(env: dict[str, str], node: int, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["supervisorctl", "-c", str(DEPLOY / "supervisord.conf"), *args], cwd=ROOT,
                          env=node_env(env, node), capture_output=True, text=True, check=check)


def supervisord_pid(env: dict[str, str], node: int) -> Optional[int]:
    pidfile = Path(node_env(env, node)["ONESTORY_NODE_DIR"]) / "supervisord.pid"
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def haproxy_servers(env: dict[str, str]) -> dict[str, str]:
    """HAProxy's view, {"backend/server": "UP" | "DOWN" | ...}, from its stats socket."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(3)
            sock.connect(env["HAPROXY_STATS_SOCKET"])
            sock.sendall(b"show stat\n")
            raw = b""
            while chunk := sock.recv(65536):
                raw += chunk
    except OSError:
        return {}
    lines = raw.decode(errors="replace").splitlines()
    if not lines or not lines[0].startswith("# "):
        return {}
    header = lines[0][2:].split(",")
    found = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("svname") not in (None, "FRONTEND", "BACKEND"):
            found[f"{row['pxname']}/{row['svname']}"] = row.get("status", "")
    return found


def wait_until_up(env: dict[str, str], seconds: float = 900) -> None:
    """Until HAProxy sees every replica and action server up (Rasa loads its model first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        servers = haproxy_servers(env)
        if servers and all(status.startswith("UP") for status in servers.values()):
            return
        for node in NODES:
            if supervisord_pid(env, node) is None:
                raise SystemExit(f"node {node}'s supervisord is not running; see "
                                 f"{node_env(env, node)['ONESTORY_NODE_DIR']}/supervisord.log")
        time.sleep(2)
    raise SystemExit(f"the cluster did not come up in {seconds:.0f} s: {haproxy_servers(env)}")


def start(env: dict[str, str], wait: bool = True) -> None:
    check_host(env)
    prepare(env)
    for node in NODES:
        if supervisord_pid(env, node) is not None:
            print(f"node {node} is already running")
            continue
        _run(["supervisord", "-c", str(DEPLOY / "supervisord.conf")], node_env(env, node), f"starting node {node}")
        deadline = time.monotonic() + 20  # it writes its pid file once it has daemonised
        while supervisord_pid(env, node) is None and time.monotonic() < deadline:
            time.sleep(0.2)
    if wait:
        wait_until_up(env)
    print(summary(env))


def stop(env: dict[str, str], seconds: float = 60) -> None:
    for node in reversed(NODES):
        if supervisord_pid(env, node) is not None:
            supervisorctl(env, node, "shutdown")
    deadline = time.monotonic() + seconds
    while any(supervisord_pid(env, node) for node in NODES) and time.monotonic() < deadline:
        time.sleep(0.5)
    running = [node for node in NODES if supervisord_pid(env, node)]
    if running:
        raise SystemExit(f"nodes {running} did not stop in {seconds:.0f} s")
    print("OneStory cluster stopped.")


def summary(env: dict[str, str]) -> str:
    servers = ", ".join(f"{name} {status}" for name, status in sorted(haproxy_servers(env).items()))
    return f"""OneStory cluster (make cluster-stop stops it; logs in {env['ONESTORY_CLUSTER_DIR']}/node*/):
  Public address  {env['PUBLIC_BASE_URL']}  (HAProxy; SMS webhook /webhooks/twilio/webhook, web chat /chat)
  Console         {env['CONSOLE_URL']}
  Databases       {env['DATABASE_URL']} and tracker store {env['RASA_TRACKER_DB_NAME']}
  HAProxy sees    {servers or 'nothing yet'}
  Try it:         make eval BOT_URL={env['PUBLIC_BASE_URL']}"""


def status(env: dict[str, str]) -> int:
    for node in NODES:
        if supervisord_pid(env, node) is None:
            print(f"node {node}: not running")
        else:
            print(f"node {node}:\n{supervisorctl(env, node, 'status').stdout.rstrip()}")
    print(summary(env))
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status", "prepare"],
                        help="prepare: only create, migrate and load the databases (compose.yaml's first step)")
    parser.add_argument("--no-wait", action="store_true", help="start without waiting for the replicas")
    args = parser.parse_args(argv)
    env = load_env()
    if args.command == "start":
        start(env, wait=not args.no_wait)
    elif args.command == "prepare":
        prepare(env)
    elif args.command == "stop":
        stop(env)
    else:
        return status(env)
    return 0


if __name__ == "__main__":
    sys.exit(main())

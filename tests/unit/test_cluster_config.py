"""The production layout's files (deploy/) and `make cluster`'s launcher agree with each other:
every variable a config file reads is given a value, and HAProxy accepts its configuration."""
from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tools.cluster import DEPLOY, ROOT, load_env, node_env

CONFIGS = ["haproxy.cfg", "supervisord.conf", "endpoints.production.yml"]


def variables_in(text: str) -> set[str]:
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith((";", "#")))
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", text)) | set(re.findall(r"%\(ENV_([A-Z][A-Z0-9_]*)\)s", text))


def test_defaults_fill_unset_variables_expand_references_and_never_override(tmp_path):
    defaults = tmp_path / "cluster.env"
    defaults.write_text("# comment\nA=one\nB=${A}-two\n\nC=${B}/${UNSET}x\nD=kept\n")
    env = load_env({"D": "from the environment", "PATH": "/bin"}, defaults)
    assert env["B"] == "one-two" and env["C"] == "one-two/x" and env["D"] == "from the environment"
    env = load_env({"A": "mine"}, defaults)
    assert env["B"] == "mine-two"
    defaults.write_text("not a setting\n")
    with pytest.raises(ValueError, match="cluster.env:1"):
        load_env({}, defaults)


def test_each_node_gets_its_own_ports_folder_and_spool_and_one_edge():
    env = load_env({"PATH": "/usr/bin"})
    one, two = node_env(env, 1), node_env(env, 2)
    assert (one["RASA_PORT"], two["RASA_PORT"]) == ("5005", "5006")
    assert (one["ACTIONS_PORT"], two["ACTIONS_PORT"]) == ("5055", "5056")
    assert one["ONESTORY_SPOOL_DIR"] != two["ONESTORY_SPOOL_DIR"]
    assert (one["ONESTORY_RUN_EDGE"], two["ONESTORY_RUN_EDGE"]) == ("true", "false")
    assert env["PUBLIC_BASE_URL"] == "http://localhost:8000"  # signed SMS sent to :8000 validate
    assert Path(env["ONESTORY_CLUSTER_DIR"]).is_absolute()


@pytest.mark.parametrize("name", CONFIGS)
def test_every_variable_a_config_file_reads_is_set_for_every_node(name):
    env = load_env({"PATH": "/usr/bin"})
    wanted = variables_in((DEPLOY / name).read_text(encoding="utf-8"))
    assert wanted
    for node in (1, 2):
        missing = wanted - set(node_env(env, node))
        assert not missing, f"deploy/{name} reads {sorted(missing)}: add them to deploy/cluster.env"


def test_the_cluster_runs_rasa_with_the_production_endpoints_and_credentials_files():
    parser = configparser.RawConfigParser()
    parser.read_string((DEPLOY / "supervisord.conf").read_text(encoding="utf-8"))
    for program in ("haproxy", "rasa", "actions", "worker", "console"):
        assert parser.has_section(f"program:{program}")
    command = parser.get("program:rasa", "command").split()
    # The development files turn on the anonymous REST channel and the SQLite tracker store.
    assert command[command.index("--endpoints") + 1] == "deploy/endpoints.production.yml"
    assert command[command.index("--credentials") + 1] == "deploy/credentials.production.yml"
    for name in ("deploy/endpoints.production.yml", "deploy/credentials.production.yml"):
        assert (ROOT / name).exists()


@pytest.mark.skipif(shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists(),
                    reason="haproxy is not installed (apt-get install haproxy)")
def test_haproxy_accepts_the_configuration(tmp_path):
    env = node_env(load_env({"PATH": "/usr/bin", "ONESTORY_CLUSTER_DIR": str(tmp_path)}), 1)
    result = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the container files mirror the tested layout ----------------------------------------------

def _compose() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def _dockerfile_env() -> set[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return {name for line in text.splitlines() if line.startswith("ENV ")
            for name in re.findall(r"([A-Z_][A-Z0-9_]*)=", line)}


@pytest.mark.parametrize("name", ["Dockerfile", "compose.yaml"])
def test_the_container_files_say_they_are_not_built_here(name):
    head = "\n".join((ROOT / name).read_text(encoding="utf-8").splitlines()[:12])
    assert "NOT BUILT OR RUN ON THIS PROJECT'S MACHINES" in head or "NOT RUN ON THIS PROJECT'S MACHINES" in head


def test_the_image_runs_the_tested_process_manager_configuration():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert 'CMD ["supervisord", "-c", "deploy/supervisord.conf"]' in dockerfile
    assert "apt-get install -y --no-install-recommends haproxy" in dockerfile  # Debian's, as tested
    assert "requirements.lock.txt" in dockerfile and "package-lock.json" in dockerfile


def test_compose_runs_the_same_hosts_with_the_same_commands():
    services = _compose()["services"]
    for host in ("app1", "app2"):
        assert "command" not in services[host], f"{host} must run the image's supervisord, as make cluster does"
    assert services["prepare"]["command"] == ["python", "-m", "tools.cluster", "prepare"]
    assert services["app1"]["environment"]["ONESTORY_RUN_EDGE"] == "true"
    assert services["app2"]["environment"]["ONESTORY_RUN_EDGE"] == "false"


def test_compose_sets_only_the_layouts_variables_and_every_one_a_host_reads():
    layout = set(node_env(load_env({"PATH": "/usr/bin"}), 1))  # deploy/cluster.env's and the launcher's
    services = _compose()["services"]
    for host in ("app1", "app2"):
        given = set(services[host]["environment"]) | _dockerfile_env()
        assert given - layout <= {"PATH", "HOME"}, f"{host} sets variables the tested layout does not: " \
                                                   f"{sorted(given - layout - {'PATH', 'HOME'})}"
        for name in CONFIGS:
            wanted = variables_in((DEPLOY / name).read_text(encoding="utf-8"))
            assert not wanted - given, f"{host} leaves unset what deploy/{name} reads: {sorted(wanted - given)}"

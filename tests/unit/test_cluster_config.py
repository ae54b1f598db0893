"""The production layout's files (deploy/) and `make cluster`'s launcher agree with each other:
every variable a config file reads is given a value, and HAProxy accepts its configuration."""
from __future__ import annotations

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


def test_the_cluster_runs_the_production_endpoints_file_and_the_development_credentials():
    conf = (DEPLOY / "supervisord.conf").read_text(encoding="utf-8")
    assert "--endpoints deploy/endpoints.production.yml" in conf and "--credentials credentials.yml" in conf
    for program in ("haproxy", "rasa", "actions", "worker", "console"):
        assert f"[program:{program}]" in conf


@pytest.mark.skipif(shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists(),
                    reason="haproxy is not installed (apt-get install haproxy)")
def test_haproxy_accepts_the_configuration(tmp_path):
    env = node_env(load_env({"PATH": "/usr/bin", "ONESTORY_CLUSTER_DIR": str(tmp_path)}), 1)
    result = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

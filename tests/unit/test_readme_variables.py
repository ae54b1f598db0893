"""Every environment variable the code and the deployment files read is documented in the README."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by the launchers for libraries (Python, TensorFlow, SQLAlchemy), not OneStory settings.
NOT_SETTINGS = {"PYTHONPATH", "PYTHONUNBUFFERED", "TF_CPP_MIN_LOG_LEVEL", "SQLALCHEMY_SILENCE_UBER_WARNING"}
PYTHON_READS = [
    re.compile(r"""\b(?:environ|env)(?:\.get|\.setdefault|\.pop)?\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""\b(?:environ|env)\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]"""),
    re.compile(r"""\bgetenv\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
]
# ${NAME} and ${NAME:-default} (YAML, HAProxy, compose), %(ENV_NAME)s (supervisord), "$NAME" (shell).
CONFIG_READS = re.compile(r"\$\{([A-Z][A-Z0-9_]+)(?::?[-=][^}]*)?\}"
                          r"|%\(ENV_([A-Z][A-Z0-9_]+)\)s|\"\$([A-Z][A-Z0-9_]+)\"")


def variables_read() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("actions/**/*.py")]:
        for pattern in PYTHON_READS:
            for name in pattern.findall(path.read_text(encoding="utf-8")):
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    for path in [ROOT / "endpoints.yml", ROOT / "credentials.yml", *sorted((ROOT / "deploy").rglob("*"))]:
        if not path.is_file():
            continue
        lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
                 if not line.lstrip().startswith(("#", ";"))]  # comments may say ${NAME} in prose
        names = {name for groups in CONFIG_READS.findall("\n".join(lines)) for name in groups if name}
        if path.suffix == ".env":  # NAME=VALUE defaults files: what they set is a setting too
            names |= {line.split("=", 1)[0].strip() for line in lines if "=" in line}
        for name in names:
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    from bot.settings import DEV_DEFAULTS

    for name in DEV_DEFAULTS:
        found.setdefault(name, set()).add("bot/settings.py")
    return {name: files for name, files in found.items() if name not in NOT_SETTINGS}


def test_the_scan_finds_the_variables_it_should():
    found = variables_read()
    assert {"DATABASE_URL", "ONESTORY_SPOOL_DIR", "RASA_TRACKER_DB_HOST", "REDIS_PORT", "CONSOLE_PORT"} <= set(found)


def test_every_variable_read_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = {name: sorted(files) for name, files in variables_read().items() if f"`{name}`" not in readme}
    assert not missing, f"document these in the README's Configuration tables: {missing}"

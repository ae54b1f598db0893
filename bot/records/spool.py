"""Messages that arrived while the database was down, kept on disk (encrypted) until it is back.

The worker replays each one through the normal conversation and texts the carer the answer, so a
database outage delays a message but never loses it.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bot import crypto
from bot.settings import VAR_DIR

log = logging.getLogger(__name__)


def spool_dir() -> Path:
    path = Path(os.environ.get("ONESTORY_SPOOL_DIR", VAR_DIR / "spool"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(turn) -> Path:
    """Write the turn atomically (temp file + rename) so a crash never leaves half a message."""
    path = spool_dir() / f"{uuid.uuid4().hex}.msg"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(crypto.encrypt(json.dumps(asdict(turn))), encoding="ascii")
    os.replace(tmp, path)
    log.warning("database unavailable: message kept in the spool for later")
    return path


def pending() -> list[Path]:
    return sorted(spool_dir().glob("*.msg"), key=lambda p: p.stat().st_mtime)


def replay(process: Callable[[dict], bool]) -> int:
    """Hand each kept message to `process`; delete it only when that succeeded."""
    done = 0
    for path in pending():
        try:
            data = json.loads(crypto.decrypt(path.read_text(encoding="ascii")))
        except (OSError, ValueError, crypto.DecryptionError):
            # Written under a key we no longer hold: set aside for an operator, don't retry forever.
            quarantine = spool_dir() / "unreadable"
            quarantine.mkdir(exist_ok=True)
            os.replace(path, quarantine / path.name)
            log.error("spooled message %s cannot be read; moved to %s", path.name, quarantine)
            continue
        if process(data):
            path.unlink(missing_ok=True)
            done += 1
        else:
            break  # still down: keep order, try again later
    return done

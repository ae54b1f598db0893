"""Messages kept on disk (encrypted) until they can be answered, one file per message.

Two shelves:
- turns: a turn the dialogue could not process because the database was down. The worker
  replays each through the normal conversation and texts the carer the answer.
- inbound: an SMS the channel holds while it works on it, and keeps when no answer could be made
  (the action server down, a crash). The SMS channel replays it through Rasa when it can.

Each file is named after the message's own id (Twilio's MessageSid, or an id given when it
arrived), so the same message kept twice is kept once, and two messages with the same words
are two messages. A delay, never a loss.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Optional

from bot import crypto
from bot.settings import VAR_DIR

log = logging.getLogger(__name__)

INBOUND = "inbound"


def spool_dir(shelf: str = "") -> Path:
    path = Path(os.environ.get("ONESTORY_SPOOL_DIR", VAR_DIR / "spool"))
    if shelf:
        path = path / shelf
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(shelf: str, key: str) -> Path:
    return spool_dir(shelf) / f"{hashlib.sha256(key.encode()).hexdigest()[:40]}.msg"


def _write(path: Path, data: dict, replace: bool) -> bool:
    """Write atomically (temp file + rename) so a crash never leaves half a message."""
    if path.exists() and not replace:
        return False
    tmp = path.with_name(f"{path.stem}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(crypto.encrypt(json.dumps(data)), encoding="ascii")
    os.replace(tmp, path)
    return True


def _read(path: Path) -> Optional[dict]:
    """The kept message, or None when it is gone (answered meanwhile) or cannot be read."""
    try:
        return json.loads(crypto.decrypt(path.read_text(encoding="ascii")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, crypto.DecryptionError):
        # Written under a key we no longer hold: set aside for an operator, don't retry forever.
        quarantine = path.parent / "unreadable"
        quarantine.mkdir(exist_ok=True)
        os.replace(path, quarantine / path.name)
        log.error("spooled message %s cannot be read; moved to %s", path.name, quarantine)
        return None


def _by_age(shelf: str) -> list[Path]:
    found = []
    for path in spool_dir(shelf).glob("*.msg"):
        try:
            found.append((path.stat().st_mtime, path))
        except FileNotFoundError:
            continue
    return [path for _, path in sorted(found)]


# --- turns the dialogue could not process ----------------------------------------------------

def keep(turn) -> Path:
    """Keep a turn for the worker; keyed on its message id (one is given if it has none)."""
    if not getattr(turn, "message_id", None):
        turn.message_id = f"kept-{uuid.uuid4().hex}"
    path = _path("", turn.message_id)
    if _write(path, asdict(turn), replace=False):
        log.warning("database unavailable: message kept in the spool for later")
    return path


def pending() -> list[Path]:
    return _by_age("")


def replay(process: Callable[[dict], bool]) -> int:
    """Hand each kept turn to `process`, oldest first; delete it only when that succeeded."""
    done = 0
    for path in pending():
        data = _read(path)
        if data is None:
            continue
        data.setdefault("message_id", None)
        data["message_id"] = data["message_id"] or f"kept-{path.stem}"  # kept before ids were
        if process(data):
            path.unlink(missing_ok=True)
            done += 1
        else:
            break  # still down: keep order, try again later
    return done


# --- inbound messages held by a channel ------------------------------------------------------

def hold(key: str, data: dict[str, Any], replace: bool = False) -> bool:
    """Hold an inbound message under its id; False if it was held already (and replace is off)."""
    return _write(_path(INBOUND, key), data, replace)


def release(key: str) -> None:
    """The message was answered: forget it."""
    _path(INBOUND, key).unlink(missing_ok=True)


def holding() -> bool:
    """Whether any inbound message is held (cheap: nothing is read)."""
    return any(spool_dir(INBOUND).glob("*.msg"))


def held() -> list[tuple[dict[str, Any], float]]:
    """Every held message with the time it was last written, oldest first."""
    found = []
    for path in _by_age(INBOUND):
        try:
            written = path.stat().st_mtime
        except FileNotFoundError:
            continue
        data = _read(path)
        if data is not None:
            found.append((data, written))
    return found

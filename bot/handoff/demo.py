"""Load the Eastmere demo professionals and duty team (data/demo/professionals.yml).

Idempotent: people are matched by username and updated; patches are made to match the file;
a password is set only when the account is created, so a changed password survives a reload.
`python -m bot.handoff.demo [--path FILE]`; `--reset-passwords` gives the file's accounts the
password in ONESTORY_DEMO_PASSWORD (the launcher refuses a public address while any account
still accepts the published one).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import yaml
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import passwords
from bot.handoff import staff_models as sm
from bot.settings import ROOT

DEMO_FILE = ROOT / "data" / "demo" / "professionals.yml"
DEMO_PASSWORD = "eastmere-demo-1"  # documented in docs/console.md; demo data only
FIELDS = ("name", "role", "job_title", "organisation", "phone", "email", "caseload_cap", "working_hours",
          "kinds")


def demo_password() -> str:
    return os.environ.get("ONESTORY_DEMO_PASSWORD") or DEMO_PASSWORD


def load(path: Path = DEMO_FILE) -> dict[str, int]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    area = data.get("area", "eastmere")
    people = [dict(data["duty_team"], role=sm.DUTY, is_team=True)] + list(data["professionals"])
    counts = {"created": 0, "updated": 0}
    password_hash = passwords.hash_password(demo_password())
    with session_scope() as session:
        for entry in people:
            row = session.execute(select(sm.Professional).where(
                sm.Professional.username == entry["username"])).scalar_one_or_none()
            if row is None:
                row = sm.Professional(username=entry["username"], area=entry.get("area", area),
                                      password_hash=passwords.UNUSABLE if entry.get("is_team") else password_hash)
                session.add(row)
                counts["created"] += 1
            else:
                counts["updated"] += 1
            row.area, row.is_team, row.active = entry.get("area", area), bool(entry.get("is_team")), True
            for name in FIELDS:
                if name in entry:
                    setattr(row, name, entry[name])
            if row.working_hours is None:
                row.working_hours = dict(sm.DEFAULT_HOURS)
            if row.kinds is None:
                row.kinds = []
            if row.caseload_cap is None:
                row.caseload_cap = sm.DEFAULT_CASELOAD_CAP
            session.flush()
            wanted = {d.upper() for d in entry.get("patch", [])}
            have = {p.district: p for p in session.execute(select(sm.Patch).where(
                sm.Patch.professional_id == row.id)).scalars()}
            for district in wanted - set(have):
                session.add(sm.Patch(professional_id=row.id, district=district))
            for district in set(have) - wanted:
                session.delete(have[district])
    return counts


def accounts_with_demo_password() -> list[str]:
    """Usernames of active console accounts that accept the published demo password."""
    with session_scope() as session:
        rows = session.execute(select(sm.Professional.username, sm.Professional.password_hash).where(
            sm.Professional.active.is_(True), sm.Professional.is_team.is_(False))).all()
    return [username for username, stored in rows
            if stored != passwords.UNUSABLE and passwords.verify(stored, DEMO_PASSWORD)]


def reset_passwords(path: Path = DEMO_FILE) -> int:
    """Give the demo file's accounts the password in ONESTORY_DEMO_PASSWORD. Returns how many."""
    if demo_password() == DEMO_PASSWORD:
        raise SystemExit("Set ONESTORY_DEMO_PASSWORD to the new password first.")
    usernames = [entry["username"] for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["professionals"]]
    password_hash = passwords.hash_password(demo_password())
    with session_scope() as session:
        rows = session.execute(select(sm.Professional).where(sm.Professional.username.in_(usernames),
                                                             sm.Professional.is_team.is_(False))).scalars().all()
        for row in rows:
            row.password_hash = password_hash
        return len(rows)
def loaded() -> bool:
    """Whether the Eastmere demo staff are in this database (the console's footer says so)."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    usernames = [data["duty_team"]["username"]] + [p["username"] for p in data["professionals"]]
    with session_scope() as session:
        return session.execute(select(sm.Professional.id).where(
            sm.Professional.username.in_(usernames), sm.Professional.active.is_(True)).limit(1)).first() is not None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.handoff.demo")
    parser.add_argument("--path", type=Path, default=DEMO_FILE)
    parser.add_argument("--reset-passwords", action="store_true",
                        help="set the file's accounts' password to ONESTORY_DEMO_PASSWORD")
    args = parser.parse_args(argv)
    if args.reset_passwords:
        print(f"demo professionals: {reset_passwords(args.path)} passwords reset")
        return
    counts = load(args.path)
    print(f"demo professionals: {counts['created']} created, {counts['updated']} updated")


if __name__ == "__main__":
    main()

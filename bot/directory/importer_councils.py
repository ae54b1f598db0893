"""Which council each imported organisation and service belongs to.

A feed row that names its council (`local_authority_code`, as OneStory's own exports do) keeps
it. Otherwise a service takes its organisation's council, and anything still without one takes the
import's `--authority`. Rows filled in this way count the column as given, so re-importing a
council's feed with the same authority changes nothing, and a new authority moves them.

National services stay national: a service whose only coverage in the feed is a whole country
(`country:England`), like the DWP or Samaritans lines a council lists, takes no council, and
neither does an organisation whose services in the feed are all national.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection

from bot.directory import authorities
from bot.directory.models import EXTENT_COUNTRY, TABLES
from bot.directory.validation import Located

COLUMN = "local_authority_code"


def assign(rows: dict[str, dict[str, Located]], default: Optional[str]) -> None:
    """Fill in the council of organisations and services that do not name one (in place)."""
    organizations = rows.get("organizations", {})
    services = rows.get("services", {})
    national = _national_services(rows)
    if default:
        local_orgs = {loc.values.get("organization_id") for sid, loc in services.items() if sid not in national}
        with_services = {loc.values.get("organization_id") for loc in services.values()}
        for org_id, located in organizations.items():
            if org_id in local_orgs or org_id not in with_services:
                _fill(located, default)
    for service_id, located in services.items():
        if located.values.get(COLUMN) or service_id in national:
            continue
        org = organizations.get(located.values.get("organization_id") or "")
        inherited = org.values.get(COLUMN) if org is not None else None
        if inherited or default:
            _fill(located, inherited or default)


def _national_services(rows: dict[str, dict[str, Located]]) -> set[str]:
    extents: dict[str, set[str]] = {}
    for located in rows.get("service_areas", {}).values():
        service_id = located.values.get("service_id")
        if service_id:
            extents.setdefault(service_id, set()).add(located.values.get("extent") or "")
    return {sid for sid, found in extents.items()
            if found and all(e.startswith(f"{EXTENT_COUNTRY}:") for e in found)}


def _fill(located: Located, code: str) -> None:
    if not located.values.get(COLUMN):
        located.values[COLUMN] = code
        located.given.add(COLUMN)


def inherit_from_stored(conn: Connection, rows: dict[str, dict[str, Located]]) -> None:
    """Services still without a council whose organisation is already in the directory take its council."""
    waiting = [loc for loc in rows.get("services", {}).values()
               if not loc.values.get(COLUMN) and loc.values.get("organization_id")
               and loc.values["organization_id"] not in rows.get("organizations", {})]
    if not waiting:
        return
    org = TABLES["organizations"]
    ids = sorted({loc.values["organization_id"] for loc in waiting})
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        found.update({i: c for i, c in conn.execute(select(org.c.id, org.c[COLUMN]).where(
            org.c.id.in_(ids[start:start + 500]), org.c[COLUMN].isnot(None)))})
    for located in waiting:
        code = found.get(located.values["organization_id"])
        if code:
            _fill(located, code)


def register(conn: Connection, rows: dict[str, dict[str, Located]], default: Optional[str],
             default_name: Optional[str]) -> None:
    """Make sure every council the import names is in the local_authorities table."""
    codes = {loc.values.get(COLUMN) for table in ("organizations", "services")
             for loc in rows.get(table, {}).values()} - {None, ""}
    if default:
        codes.add(default)
    for code in sorted(codes):
        authorities.ensure(conn, code, default_name if code == default else None)

"""The responsibility rules view: each role in the rule book, its rules, and which local service fills
it in each district (and where none does)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy.orm import Session

from bot.directory import places


@dataclass
class RoleCoverage:
    code: str
    name: str
    rules: list[Any]
    by_district: dict[str, list[str]]  # district -> local service names ("" list = none)
    national: list[str]

    @property
    def gaps(self) -> list[str]:
        return [district for district, names in self.by_district.items() if not names]


def rules_overview(session: Session, districts: Sequence[str] = places.DEMO_DISTRICTS,
                   codes: Optional[Sequence[str]] = None) -> list[RoleCoverage]:
    """Each role in the rule book (or those in `codes`: one page of them), its rules, and which
    local service fills it in each district."""
    from bot.directory import search
    from bot.directory.responsibility import rulebook

    book = rulebook()
    out = []
    for code, role in book.roles.items():
        if codes is not None and code not in codes:
            continue
        rules = [r for r in book.rules if r.role == code]
        by_district: dict[str, list[str]] = {}
        national: list[str] = []
        for district in districts:
            found = search.services_for_role(session, code, places.parse(district), limit=5)
            by_district[district] = [s.name for s in found if not s.national]
            national = national or [s.name for s in found if s.national]
        out.append(RoleCoverage(code, role.name, rules, by_district, national))
    return out

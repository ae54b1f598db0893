"""The console's navigation, by role. Pages added later (the directory maintainers' pages)
register their own entries here and a blueprint in bot/console/app.py's PAGE_MODULES."""
from __future__ import annotations

from dataclasses import dataclass

from bot.handoff import staff_models as sm


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    roles: tuple[str, ...]


ITEMS: list[NavItem] = [
    NavItem("Handoffs", "/inbox", (sm.LEAD, sm.DUTY)),
    NavItem("Caseload", "/caseload", (sm.LEAD,)),
    NavItem("Families and leads", "/admin/families", (sm.ADMIN,)),
    NavItem("Staff", "/admin/staff", (sm.ADMIN,)),
]


def register(label: str, url: str, roles: tuple[str, ...]) -> None:
    if not any(item.url == url for item in ITEMS):
        ITEMS.append(NavItem(label, url, roles))


def items_for(role: str) -> list[NavItem]:
    return [item for item in ITEMS if role in item.roles]


HOME = {sm.LEAD: "/inbox", sm.DUTY: "/inbox", sm.ADMIN: "/admin/families", sm.MAINTAINER: "/directory"}

"""Local authorities: the councils whose directories OneStory holds, by ONS code and name.

Every organisation and service carries `local_authority_code` (an ONS local authority district
code such as E06000023); national bodies carry none. The code is set at import
(`--authority CODE`) or in the console, and this table gives each code its name. Codes are not a
foreign key: a feed or an export from elsewhere may name a council this directory has not met yet,
and the importer registers it (named by its code until someone names it).

The demo councils are fictional and use codes no real council has (E069999xx).
"""
from __future__ import annotations

import re
from typing import Optional

from sqlalchemy import Column, String, Text, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.db import Base

CODE_LENGTH = 16
# ONS GSS codes: a letter for the nation and eight digits (E06000023, W06000015, S12000036).
_CODE = re.compile(r"^[EWSN]\d{8}$")


class LocalAuthority(Base):
    __tablename__ = "local_authorities"

    code = Column(String(CODE_LENGTH), primary_key=True)
    name = Column(Text, nullable=False)


def normalise_code(text: Optional[str]) -> Optional[str]:
    """'e06000023 ' -> 'E06000023'; None when it is not an ONS code."""
    code = (text or "").strip().upper()
    return code if _CODE.match(code) else None


def names(conn: Connection | Session) -> dict[str, str]:
    """code -> name for every known authority."""
    return dict(conn.execute(select(LocalAuthority.code, LocalAuthority.name)).all())


def names_for(conn: Connection | Session, codes: list[str]) -> dict[str, str]:
    """code -> name for these codes (those known)."""
    if not codes:
        return {}
    table = LocalAuthority.__table__
    return dict(conn.execute(select(table.c.code, table.c.name).where(table.c.code.in_(codes))).all())


def ensure(conn: Connection | Session, code: str, name: Optional[str] = None) -> None:
    """Register an authority (or rename it when a name is given). Never commits."""
    table = LocalAuthority.__table__
    existing = conn.execute(select(table.c.name).where(table.c.code == code)).scalar_one_or_none()
    if existing is None:
        conn.execute(table.insert().values(code=code, name=(name or "").strip() or code))
    elif name and name.strip() and name.strip() != existing:
        conn.execute(table.update().where(table.c.code == code).values(name=name.strip()))


def by_name(conn: Connection | Session, text: str) -> Optional[tuple[str, str]]:
    """(code, name) of the authority with this name or code, case-insensitively."""
    value = (text or "").strip()
    if not value:
        return None
    code = normalise_code(value)
    table = LocalAuthority.__table__
    condition = table.c.code == code if code else func.lower(table.c.name) == value.lower()
    row = conn.execute(select(table.c.code, table.c.name).where(condition)).first()
    return (row[0], row[1]) if row else None

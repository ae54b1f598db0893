"""Where a carer is, as far as the directory is concerned: the council, the point, and whether the
directory holds that council's services.

    place = place_in(session, "is there a dementia cafe in BS5?")
    place.authority_code, place.local_authority, place.point, place.covered

The postcode table (bot.directory.postcodes) says which council a postcode belongs to. When it
holds nothing for the place, the directory's own coverage stands in: the council whose local
services cover that postcode district. A place is `covered` when the directory holds active
services of its council (or, with no council known, local services covering its district).
"""
from __future__ import annotations

import dataclasses
from typing import Optional

from sqlalchemy import exists, func, select

from bot.directory import authorities, places, postcodes
from bot.directory import models as d
from bot.directory.places import Place

LOCAL_EXTENT_KINDS = (d.EXTENT_POSTCODE_DISTRICT, d.EXTENT_POSTCODE_SECTOR)


def place_in(conn, text: Optional[str]) -> Optional[Place]:
    """The place named in the text (a full postcode or a district), filled in from the directory.

    A bare district the static parser does not know ("bs5" in lower case, a district of a council
    loaded from the postcode table) counts when the postcode table holds it.
    """
    place = places.parse(text)
    if place is None:
        district = postcodes.district_known(conn, places.district_candidates(text))
        if district is not None:
            place = Place(district, None, None)
    return locate(conn, place)


def locate(conn, place: Optional[Place]) -> Optional[Place]:
    """The place with its council, point and `has_directory` filled in (idempotent)."""
    if place is None or place.has_directory is not None:
        return place
    found = postcodes.lookup(conn, place)
    code = found.authority_code if found else None
    if code is None:
        code = _authority_from_coverage(conn, place)
    name = place.local_authority
    if code is not None:
        name = authorities.names_for(conn, [code]).get(code) or name
        has_directory = _has_services(conn, code) or _has_local_coverage(conn, place)
    else:
        has_directory = _has_local_coverage(conn, place)
    return dataclasses.replace(
        place, authority_code=code, local_authority=name, has_directory=has_directory,
        latitude=found.latitude if found else None, longitude=found.longitude if found else None)


def _local_extents(place: Place) -> list[str]:
    extents = [d.extent(d.EXTENT_POSTCODE_DISTRICT, place.district)]
    if place.sector:
        extents.append(d.extent(d.EXTENT_POSTCODE_SECTOR, place.sector))
    return extents


def _authority_from_coverage(conn, place: Place) -> Optional[str]:
    """The council whose services most often cover this district (no postcode table needed)."""
    s, a = d.Service.__table__, d.ServiceArea.__table__
    row = conn.execute(
        select(s.c.local_authority_code, func.count())
        .select_from(s.join(a, a.c.service_id == s.c.id))
        .where(a.c.extent.in_(_local_extents(place)), s.c.local_authority_code.isnot(None))
        .group_by(s.c.local_authority_code).order_by(func.count().desc()).limit(1)).first()
    return row[0] if row else None


def _has_services(conn, code: str) -> bool:
    s = d.Service.__table__
    return bool(conn.execute(select(exists().where(s.c.local_authority_code == code,
                                                   s.c.status == "active"))).scalar())


def _has_local_coverage(conn, place: Place) -> bool:
    s, a = d.Service.__table__, d.ServiceArea.__table__
    return bool(conn.execute(select(exists().where(
        a.c.extent.in_(_local_extents(place)), a.c.service_id == s.c.id, s.c.status == "active"))).scalar())

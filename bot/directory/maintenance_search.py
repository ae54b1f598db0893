"""Finding services in the maintainers' console: by name, need, postcode, organisation and council."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.directory import localities, places
from bot.directory import models as d
from bot.directory.history import ServiceUsage
from bot.directory.maintenance_errors import ValidationFailed
from bot.directory.search import has_own_areas


@dataclass(frozen=True)
class ServiceRow:
    id: str
    name: str
    organization: Optional[str]
    status: str
    assured_date: Optional[dt.date]
    phone: Optional[str]
    times_offered: int = 0


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_services(session: Session, *, text: str = "", need: str = "", postcode: str = "",
                    organisation: str = "", authority: str = "", limit: int = 50) -> list[ServiceRow]:
    """Services matching every filter given (all services when none is), by name."""
    s, o = d.Service, d.Organization
    conditions: list[Any] = []
    if text.strip():
        conditions.append(or_(func.lower(s.name).like(_like(text), escape="\\"),
                              func.lower(s.description).like(_like(text), escape="\\"),
                              s.id == text.strip()))
    if organisation.strip():
        conditions.append(s.organization_id.in_(select(o.id).where(
            func.lower(o.name).like(_like(organisation), escape="\\"))))
    if need.strip():
        conditions.append(s.id.in_(_services_for_need(need)))
    if postcode.strip():
        place = localities.place_in(session, postcode)
        if place is None:
            raise ValidationFailed({"postcode": "Enter a postcode or postcode district, like EM3 1AB or EM3"})
        covered = select(d.ServiceArea.service_id).where(d.ServiceArea.extent.in_(places.extents_for(place)))
        if place.authority_code:  # the council's services with no postcode areas of their own
            covered = covered.union(select(s.id).where(s.local_authority_code == place.authority_code,
                                                       ~has_own_areas(s.id)))
        conditions.append(s.id.in_(covered))
    if authority:
        conditions.append(s.local_authority_code == authority)
    query = (select(s.id, s.name, o.name, s.status, s.assured_date, ServiceUsage.times_offered)
             .outerjoin(o, o.id == s.organization_id).outerjoin(ServiceUsage, ServiceUsage.service_id == s.id)
             .where(*conditions).order_by(s.name, s.id).limit(limit))
    rows = session.execute(query).all()
    phones = first_phones(session, [r[0] for r in rows])
    return [ServiceRow(r[0], r[1], r[2], r[3], r[4], phones.get(r[0]), r[5] or 0) for r in rows]


def _services_for_need(need: str):
    """Ids of services linked to a need term whose code, name or synonym matches the words."""
    t, syn, attr = d.TaxonomyTerm, d.TaxonomyTermSynonym, d.Attribute
    pattern = _like(need)
    terms = select(t.id).where(or_(func.lower(t.name).like(pattern, escape="\\"),
                                   func.lower(t.code).like(pattern, escape="\\"),
                                   t.id.in_(select(syn.taxonomy_term_id).where(
                                       func.lower(syn.synonym).like(pattern, escape="\\")))))
    return select(attr.link_id).where(attr.taxonomy_term_id.in_(terms), attr.link_entity == "service")


def first_phones(session: Session, service_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if service_ids:
        for sid, number in session.execute(select(d.Phone.service_id, d.Phone.number)
                                           .where(d.Phone.service_id.in_(service_ids)).order_by(d.Phone.id)):
            out.setdefault(sid, number)
    return out


def organisations(session: Session) -> list[tuple[str, str]]:
    return list(session.execute(select(d.Organization.id, d.Organization.name).order_by(d.Organization.name)))


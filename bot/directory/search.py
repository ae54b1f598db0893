"""Finding services in the directory: by responsibility role or need, for a place.

Queries return plain ServiceInfo values (no ORM objects escape), most local first, then the most
recently assured. Only active services are offered to carers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.directory import models as d
from bot.directory.places import Place, extents_for


@dataclass(frozen=True)
class ServiceInfo:
    id: str
    name: str
    organization: Optional[str]
    description: Optional[str]
    phones: list[tuple[str, Optional[str]]] = field(default_factory=list)
    schedules: list[dict] = field(default_factory=list)
    assured_date: Optional[date] = None
    coverage: str = ""  # the extent that matched, e.g. "postcode_district:EM2"
    url: Optional[str] = None
    email: Optional[str] = None
    minimum_age: Optional[int] = None
    maximum_age: Optional[int] = None

    @property
    def national(self) -> bool:
        return self.coverage.startswith("country:")

    @property
    def phone(self) -> Optional[str]:
        return self.phones[0][0] if self.phones else None


SCHEDULE_FIELDS = ("freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "dtstart", "until",
                   "description", "notes", "bymonthday", "interval")


def _role_term_ids(session: Session, codes: list[str]) -> list[str]:
    return list(session.execute(select(d.TaxonomyTerm.id).where(d.TaxonomyTerm.code.in_(codes))).scalars())


def _matching(session: Session, term_ids: list[str], place: Optional[Place], age: Optional[int],
              limit: int) -> list[tuple[str, str]]:
    """(service id, matched extent) for services linked to any of the terms and covering the place.

    A service covers the places its service areas name; a council's service with no postcode
    district or sector of its own (as real feeds mostly are) covers its whole council, ranked
    with the council-wide services.
    """
    if not term_ids:
        return []
    extents = extents_for(place)
    rank = case({extent: index for index, extent in enumerate(extents)}, value=d.ServiceArea.extent)
    tagged = and_(d.Attribute.link_id == d.Service.id, d.Attribute.link_entity == "service")
    query = (
        select(d.Service.id, d.ServiceArea.extent, rank.label("rank"))
        .join(d.Attribute, tagged)
        .join(d.ServiceArea, d.ServiceArea.service_id == d.Service.id)
        .where(d.Attribute.taxonomy_term_id.in_(term_ids), d.ServiceArea.extent.in_(extents),
               d.Service.status == "active")
    )
    query = _for_age(query, age)
    query = query.order_by(rank, d.Service.assured_date.desc().nullslast(), d.Service.name).limit(limit * 4)
    seen: dict[str, str] = {}
    for service_id, extent, _ in session.execute(query):
        seen.setdefault(service_id, extent)
        if len(seen) >= limit:
            break
    if place is not None and place.authority_code and len(seen) < limit:
        _council_wide(session, term_ids, place, age, limit, seen)
    return list(seen.items())


def _for_age(query, age: Optional[int]):
    if age is None:
        return query
    return query.where(func.coalesce(d.Service.minimum_age, 0) <= age,
                       func.coalesce(d.Service.maximum_age, 200) >= age)


def has_own_areas(service_id_column):
    """EXISTS: the service names a postcode district or sector it covers (so not its whole council).
    Correlated, so each candidate costs one look-up in the service_areas index."""
    a = d.ServiceArea
    return exists().where(a.service_id == service_id_column, or_(
        a.extent.like(f"{d.EXTENT_POSTCODE_DISTRICT}:%"), a.extent.like(f"{d.EXTENT_POSTCODE_SECTOR}:%")))


def _council_wide(session: Session, term_ids: list[str], place: Place, age: Optional[int], limit: int,
                  seen: dict[str, str]) -> None:
    """Add the council's tagged services that name no postcode district or sector of their own."""
    query = (select(d.Service.id)
             .join(d.Attribute, and_(d.Attribute.link_id == d.Service.id, d.Attribute.link_entity == "service"))
             .where(d.Attribute.taxonomy_term_id.in_(term_ids), d.Service.status == "active",
                    d.Service.local_authority_code == place.authority_code, ~has_own_areas(d.Service.id))
             .order_by(d.Service.assured_date.desc().nullslast(), d.Service.name).limit(limit * 4))
    label = d.extent(d.EXTENT_LOCAL_AUTHORITY, place.local_authority or place.authority_code)
    found = [sid for sid in session.execute(_for_age(query, age)).scalars() if sid not in seen]
    # Council-wide coverage ranks after a postcode district's or sector's own services.
    before_council = [(sid, ext) for sid, ext in seen.items() if not ext.startswith(d.EXTENT_COUNTRY)]
    national = [(sid, ext) for sid, ext in seen.items() if ext.startswith(d.EXTENT_COUNTRY)]
    merged = before_council + [(sid, label) for sid in dict.fromkeys(found)] + national
    seen.clear()
    seen.update(dict(merged[:limit]))


def load_infos(session: Session, matches: list[tuple[str, str]]) -> list[ServiceInfo]:
    if not matches:
        return []
    ids = [service_id for service_id, _ in matches]
    services = {s.id: s for s in session.execute(select(d.Service).where(d.Service.id.in_(ids))).scalars()}
    orgs = dict(session.execute(select(d.Organization.id, d.Organization.name).where(
        d.Organization.id.in_({s.organization_id for s in services.values() if s.organization_id}))).all())
    phones: dict[str, list[tuple[str, Optional[str]]]] = {}
    # The service's own numbers, then (feeds often give them only there; ORUK 1.0 always does) its
    # contacts' numbers. Two plain look-ups rather than one UNION: with a join to contacts in it,
    # PostgreSQL guessed 100,000 rows for a feed without contacts and started parallel workers
    # for every answer (15 ms instead of 0.1).
    own = session.execute(select(d.Phone.service_id, d.Phone.number, d.Phone.description)
                          .where(d.Phone.service_id.in_(ids)).order_by(d.Phone.id)).all()
    contact_services = dict(session.execute(
        select(d.Contact.id, d.Contact.service_id).where(d.Contact.service_id.in_(ids))).all())
    of_contacts = [] if not contact_services else [
        (contact_services[contact_id], number, description) for contact_id, number, description in session.execute(
            select(d.Phone.contact_id, d.Phone.number, d.Phone.description)
            .where(d.Phone.contact_id.in_(list(contact_services))).order_by(d.Phone.id))]
    for service_id, number, description in list(own) + of_contacts:
        known = phones.setdefault(service_id, [])
        if all(number != n for n, _ in known):
            known.append((number, description))
    schedules: dict[str, list[dict]] = {}
    for row in session.execute(select(d.Schedule).where(d.Schedule.service_id.in_(ids))
                               .order_by(d.Schedule.id)).scalars():
        schedules.setdefault(row.service_id, []).append({f: getattr(row, f) for f in SCHEDULE_FIELDS})
    found = []
    for service_id, extent in matches:
        s = services[service_id]
        found.append(ServiceInfo(
            id=s.id, name=s.name, organization=orgs.get(s.organization_id), description=s.description,
            phones=phones.get(s.id, []), schedules=schedules.get(s.id, []), assured_date=s.assured_date,
            coverage=extent, url=s.url, email=s.email, minimum_age=s.minimum_age, maximum_age=s.maximum_age))
    return found


def services_for_role(session: Session, role_code: str, place: Optional[Place], age: Optional[int] = None,
                      limit: int = 3, need_codes: Optional[list[str]] = None) -> list[ServiceInfo]:
    """The services that fill a responsibility role where the family lives.

    Among equally local ones, a service that also lists the need asked about comes first (the
    carers' assessment team before the out-of-hours duty team, for a carer's assessment).
    """
    matches = _matching(session, _role_term_ids(session, [role_code]), place, age, limit * 5)
    if need_codes and matches:
        need_terms = _role_term_ids(session, need_codes)
        ids = [service_id for service_id, _ in matches]
        specific = set(session.execute(select(d.Attribute.link_id).where(
            d.Attribute.link_id.in_(ids), d.Attribute.taxonomy_term_id.in_(need_terms),
            d.Attribute.link_entity == "service")).scalars()) if need_terms else set()
        extents = extents_for(place)
        matches.sort(key=lambda m: (extents.index(m[1]) if m[1] in extents else 99, m[0] not in specific))
    return load_infos(session, matches[:limit])


def services_for_needs(session: Session, need_codes: list[str], place: Optional[Place],
                       age: Optional[int] = None, limit: int = 5) -> list[ServiceInfo]:
    """Need + place search (what a directory's own search box does)."""
    return load_infos(session, _matching(session, _role_term_ids(session, need_codes), place, age, limit))


def service_by_id(session: Session, service_id: str) -> Optional[ServiceInfo]:
    found = load_infos(session, [(service_id, "")]) if session.get(d.Service, service_id) else []
    return found[0] if found else None


def need_vocabulary(session: Session, codes: Optional[list[str]] = None) -> list[tuple[str, list[str]]]:
    """(need code, [name, synonyms...]) for every term of the needs taxonomy (or those with these codes)."""
    query = (select(d.TaxonomyTerm.id, d.TaxonomyTerm.code, d.TaxonomyTerm.name)
             .outerjoin(d.Taxonomy, d.Taxonomy.id == d.TaxonomyTerm.taxonomy_id)
             .where((d.Taxonomy.name == d.NEEDS_TAXONOMY) | (d.TaxonomyTerm.taxonomy == d.NEEDS_TAXONOMY)))
    if codes is not None:
        query = query.where(d.TaxonomyTerm.code.in_(codes))
    terms = session.execute(query).all()
    by_id = {term_id: (code or term_id, [name]) for term_id, code, name in terms}
    if by_id:
        for term_id, synonym in session.execute(select(
                d.TaxonomyTermSynonym.taxonomy_term_id, d.TaxonomyTermSynonym.synonym).where(
                d.TaxonomyTermSynonym.taxonomy_term_id.in_(list(by_id)))):
            by_id[term_id][1].append(synonym)
    return list(by_id.values())


def need_words(session: Session, codes: Optional[list[str]] = None) -> list[tuple[str, list[str]]]:
    """(need code, words) from the rule book and the directory (its need terms and maintainers'
    synonyms), for every need or those with these codes. A directory of councils' feeds holds only
    the needs maintainers gave services, so the rule book's own words are always there."""
    from bot.directory.tagging import book

    words = {n.code: [n.name, *n.synonyms] for n in book().needs.values() if codes is None or n.code in codes}
    for code, extra in need_vocabulary(session, codes):
        known = words.setdefault(code, [])
        known.extend(w for w in extra if w not in known)
    return list(words.items())


def vocabulary_fingerprint(session: Session) -> tuple:
    """Changes whenever a maintainer adds, removes or edits a need term or synonym."""
    synonym_length = func.coalesce(func.sum(func.length(d.TaxonomyTermSynonym.synonym)), 0)
    synonyms = session.execute(select(func.count(), synonym_length, func.max(d.TaxonomyTermSynonym.id))).one()
    terms = session.execute(select(func.count(), func.coalesce(func.sum(func.length(d.TaxonomyTerm.name)), 0),
                                   func.max(d.TaxonomyTerm.id))).one()
    return tuple(synonyms) + tuple(terms)

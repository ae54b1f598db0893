"""A service's OneStory roles and needs: what maintainers give it so the rules find it by role.

Roles and needs are taxonomy terms of the taxonomies "OneStory responsibility roles" and "OneStory
needs" (their codes are the rule book's, data/responsibility/rules.yml), linked to a service by
`attributes` rows. A directory that holds only councils' own feeds has no such terms yet: they are
made from the rule book when first given. Only these attributes are touched here; a feed's own
taxonomy links stay as they are, and re-importing a council's feed keeps what maintainers gave
(see importer_curation).
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.directory import models as d
from bot.directory.rules import RuleBook

ROLES, NEEDS = "roles", "needs"
TAXONOMY_OF = {ROLES: d.ROLES_TAXONOMY, NEEDS: d.NEEDS_TAXONOMY}
_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://onestory.invalid/directory/tags")


@lru_cache(maxsize=1)
def book() -> RuleBook:
    """The rule book, read without the need matcher (the console need not load spaCy for it)."""
    return RuleBook.load()


def choices() -> dict[str, list[tuple[str, str]]]:
    """{"roles": [(code, name), ...], "needs": [...]} from the rule book, by name."""
    rules = book()
    return {ROLES: sorted(((c, r.name) for c, r in rules.roles.items()), key=lambda x: x[1].lower()),
            NEEDS: sorted(((c, n.name) for c, n in rules.needs.items()), key=lambda x: x[1].lower())}


def _terms(session: Session, kind: str) -> dict[str, str]:
    """code -> term id for the OneStory taxonomy of this kind, as the directory holds it."""
    name = TAXONOMY_OF[kind]
    rows = session.execute(
        select(d.TaxonomyTerm.code, d.TaxonomyTerm.id)
        .outerjoin(d.Taxonomy, d.Taxonomy.id == d.TaxonomyTerm.taxonomy_id)
        .where(or_(d.Taxonomy.name == name, d.TaxonomyTerm.taxonomy == name), d.TaxonomyTerm.code.isnot(None))
    ).all()
    return {code: term_id for code, term_id in rows}


def curated_term_ids(session_or_conn) -> set[str]:
    """Every term id of OneStory's own roles and needs taxonomies."""
    names = list(TAXONOMY_OF.values())
    t, tax = d.TaxonomyTerm.__table__, d.Taxonomy.__table__
    return set(session_or_conn.execute(select(t.c.id).select_from(t.outerjoin(tax, tax.c.id == t.c.taxonomy_id))
                                       .where(or_(tax.c.name.in_(names), t.c.taxonomy.in_(names)))).scalars())


def _ensure_terms(session: Session, kind: str, codes: Iterable[str]) -> dict[str, str]:
    """Term ids for these codes, making the taxonomy and terms from the rule book when missing."""
    known = _terms(session, kind)
    missing = [c for c in codes if c not in known]
    if not missing:
        return known
    name = TAXONOMY_OF[kind]
    taxonomy = session.execute(select(d.Taxonomy).where(d.Taxonomy.name == name)).scalars().first()
    if taxonomy is None:
        taxonomy = d.Taxonomy(id=str(uuid.uuid5(_NS, name)), name=name,
                              description="OneStory's own vocabulary (data/responsibility/rules.yml).")
        session.add(taxonomy)
    rules = book()
    entries = rules.roles if kind == ROLES else rules.needs
    for code in missing:
        entry = entries[code]
        term = d.TaxonomyTerm(id=str(uuid.uuid5(_NS, code)), code=code, name=entry.name, taxonomy=name,
                              taxonomy_id=taxonomy.id, description=getattr(entry, "description", None) or entry.name)
        session.add(term)
        known[code] = term.id
    session.flush()
    return known


def tags_of(session: Session, service_id: str) -> dict[str, list[str]]:
    """{"roles": [codes], "needs": [codes]} the service has."""
    out: dict[str, list[str]] = {}
    for kind in (ROLES, NEEDS):
        by_id = {term_id: code for code, term_id in _terms(session, kind).items()}
        linked = session.execute(select(d.Attribute.taxonomy_term_id).where(
            d.Attribute.link_id == service_id, d.Attribute.taxonomy_term_id.in_(list(by_id)))).scalars()
        out[kind] = sorted({by_id[t] for t in linked})
    return out


def unknown_codes(kind: str, codes: Iterable[str]) -> list[str]:
    known = {c for c, _ in choices()[kind]}
    return [c for c in codes if c not in known]


def set_tags(session: Session, service_id: str, kind: str, codes: Iterable[str]) -> None:
    """Give the service exactly these roles (or needs). Never commits."""
    wanted = list(dict.fromkeys(codes))
    terms = _ensure_terms(session, kind, wanted)
    ours = {term_id: code for code, term_id in terms.items()}
    existing = session.execute(select(d.Attribute).where(
        d.Attribute.link_id == service_id, d.Attribute.taxonomy_term_id.in_(list(ours)))).scalars().all()
    have = {ours[a.taxonomy_term_id] for a in existing}
    for attribute in existing:
        if ours[attribute.taxonomy_term_id] not in wanted:
            session.delete(attribute)
    for code in wanted:
        if code not in have:
            session.add(d.Attribute(id=str(uuid.uuid5(_NS, f"{service_id}/{terms[code]}")), link_id=service_id,
                                    link_type="service", link_entity="service", taxonomy_term_id=terms[code]))
    session.flush()


def add_tag(session: Session, service_id: str, kind: str, code: str) -> bool:
    """Add one role (or need) to the service; False when it already had it."""
    current = tags_of(session, service_id)[kind]
    if code in current:
        return False
    set_tags(session, service_id, kind, [*current, code])
    return True


def role_name(code: Optional[str]) -> str:
    role = book().roles.get(code or "")
    return role.name if role else (code or "")

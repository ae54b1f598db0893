"""Suggested roles: for a council's services with no OneStory role, the roles their text speaks of.

Each role in the rule book is described by its name and by the names and carers' words of the
needs its rules answer (data/responsibility/rules.yml). A service's searchable document (its name,
its organisation's, its description and the feed's own taxonomy terms; see fulltext) is matched
against each role's phrases: a phrase found in the name counts three, in the rest one. The best
role for each service, with the phrases that matched, is offered to maintainers, who accept the
ones that are right in bulk (maintenance.give_roles). Nothing is tagged without a person.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory import fulltext, tagging
from bot.directory import models as d

TITLE_WEIGHT, BODY_WEIGHT = 3, 1
MIN_SCORE = 2  # one phrase in the name, or two in the description and terms
MIN_WORD = 4  # one-word phrases shorter than this ("gp", "ot", "bed") match too much to suggest on


@dataclass(frozen=True)
class Suggestion:
    service_id: str
    service_name: str
    organisation: Optional[str]
    role: str
    role_name: str
    score: int
    matched: tuple[str, ...] = field(default_factory=tuple)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _normal(text: str) -> str:
    return " " + " ".join(_stem(w) for w in fulltext.words(text)) + " "


@lru_cache(maxsize=1)
def role_phrases() -> dict[str, tuple[str, ...]]:
    """role code -> its phrases, normalised (" memory cafe "), from the rule book."""
    book = tagging.book()
    phrases: dict[str, set[str]] = {}
    for rule in book.rules:
        found = phrases.setdefault(rule.role, set())
        role = book.roles.get(rule.role)
        if role is not None:
            found.add(role.name)
        for code in rule.needs:
            need = book.needs.get(code)
            if need is not None:
                found.update([need.name, *need.synonyms])
    out = {}
    for code, texts in phrases.items():
        normal = {_normal(t) for t in texts}
        out[code] = tuple(sorted(p for p in normal if len(p.split()) > 1 or len(p.strip()) >= MIN_WORD))
    return out


def _score(title: str, body: str, phrases: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    score, matched = 0, []
    for phrase in phrases:
        if phrase in title:
            score += TITLE_WEIGHT
            matched.append(phrase.strip())
        elif phrase in body:
            score += BODY_WEIGHT
            matched.append(phrase.strip())
    return score, tuple(matched)


def suggest_roles(session: Session, authority: Optional[str] = None, limit: int = 300) -> list[Suggestion]:
    """The best role for each active service (of the council, when given) that has no role yet."""
    doc, s, org = fulltext.ServiceDocument, d.Service, d.Organization
    tagged = set(session.execute(select(d.Attribute.link_id).where(
        d.Attribute.taxonomy_term_id.in_(list(_role_term_ids(session))))).scalars())
    query = (select(doc.service_id, doc.title, doc.body, s.name, org.name)
             .join(s, s.id == doc.service_id).outerjoin(org, org.id == s.organization_id)
             .where(s.status == "active"))
    if authority:
        query = query.where(doc.local_authority_code == authority)
    phrases = role_phrases()
    found = []
    for service_id, title, body, name, organisation in session.execute(query):
        if service_id in tagged:
            continue
        title_n, body_n = _normal(title), _normal(body)
        best: Optional[tuple[int, str, tuple[str, ...]]] = None
        for role, role_words in phrases.items():
            score, matched = _score(title_n, body_n, role_words)
            if score >= MIN_SCORE and (best is None or score > best[0]):
                best = (score, role, matched)
        if best is not None:
            found.append(Suggestion(service_id, name, organisation, best[1], tagging.role_name(best[1]),
                                    best[0], best[2]))
    found.sort(key=lambda x: (-x.score, x.service_name.lower()))
    return found[:limit]


def _role_term_ids(session: Session) -> set[str]:
    names = (d.ROLES_TAXONOMY,)
    t, tax = d.TaxonomyTerm, d.Taxonomy
    return set(session.execute(select(t.id).outerjoin(tax, tax.id == t.taxonomy_id).where(
        (tax.name.in_(names)) | (t.taxonomy.in_(names)))).scalars())


_CODE = re.compile(r"^role\.[a-z0-9-]+$")


def parse_choice(value: str) -> Optional[tuple[str, str]]:
    """A ticked box's value "SERVICE_ID|role.code" -> (service id, role code)."""
    service_id, _, role = (value or "").rpartition("|")
    return (service_id, role) if service_id and _CODE.match(role) else None


def accept(session: Session, choices: list[tuple[str, str]], editor) -> int:
    """Give each service its accepted role, as a maintainer's edit (a version in its history).
    Returns how many services changed. Never commits."""
    from bot.directory import maintenance as mt

    changed = 0
    for service_id, role in choices:
        if session.get(d.Service, service_id) is None or tagging.unknown_codes(tagging.ROLES, [role]):
            continue
        current = tagging.tags_of(session, service_id)[tagging.ROLES]
        if role in current:
            continue
        mt.edit_service(session, service_id, mt.ServiceChanges(roles=[*current, role]), editor,
                        note=f"Suggested role accepted: {tagging.role_name(role)}")
        changed += 1
    return changed

"""Who is responsible: carers' words -> needs -> a rule -> the local services that fill its role.

The rules live in one data file (data/responsibility/rules.yml, read by bot.directory.rules); this
module applies them. Need matching uses the directory's own vocabulary (need terms and synonyms in
the database), rebuilt whenever a maintainer changes it, so a new synonym works at once.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from sqlalchemy.orm import Session

from bot.directory import search
from bot.directory.places import Place
from bot.directory.rules import Clarification, Resolution, Rule, RuleBook, Situation
from bot.language.needs import NeedMatcher

_VOCAB_CHECK_SECONDS = 1.0


@lru_cache(maxsize=1)
def rulebook() -> RuleBook:
    return RuleBook.load()


class _NeedIndex:
    """The NeedMatcher over the database's need vocabulary, rebuilt when the vocabulary changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matcher: Optional[NeedMatcher] = None
        self._fingerprint: Optional[tuple] = None
        self._checked = 0.0

    def matcher(self, session: Session) -> NeedMatcher:
        now = time.monotonic()
        with self._lock:
            if self._matcher is not None and now - self._checked < _VOCAB_CHECK_SECONDS:
                return self._matcher
            fingerprint = search.vocabulary_fingerprint(session)
            if self._matcher is None or fingerprint != self._fingerprint:
                vocabulary = search.need_vocabulary(session)
                if not vocabulary:  # an empty directory: fall back to the rule book's own words
                    vocabulary = [(n.code, [n.name, *n.synonyms]) for n in rulebook().needs.values()]
                self._matcher = NeedMatcher(vocabulary)
                self._fingerprint = fingerprint
            self._checked = now
            return self._matcher

    def reset(self) -> None:
        with self._lock:
            self._matcher, self._fingerprint, self._checked = None, None, 0.0


NEED_INDEX = _NeedIndex()


def match_needs(session: Session, text: str) -> list[str]:
    """Need codes the carer's words point to, best first."""
    codes: list[str] = []
    for match in NEED_INDEX.matcher(session).match(text):
        if match.term_id not in codes:
            codes.append(match.term_id)
    return codes


@dataclass
class Answer:
    kind: str  # rule | clarify | no_rule | no_need
    need_codes: list[str] = field(default_factory=list)
    rule: Optional[Rule] = None
    role_name: Optional[str] = None
    clarification: Optional[Clarification] = None
    services: list[search.ServiceInfo] = field(default_factory=list)
    place: Optional[Place] = None

    @property
    def local(self) -> list[search.ServiceInfo]:
        return [s for s in self.services if not s.national]


def resolve(session: Session, need_codes: list[str], situation: Situation, place: Optional[Place],
            age: Optional[int] = None) -> Answer:
    """Apply the rules to the needs and facts; find the services for the responsible role."""
    if not need_codes:
        return Answer("no_need", place=place)
    resolution: Resolution = rulebook().resolve(need_codes, situation)
    if resolution.needs_clarification:
        return Answer("clarify", list(resolution.need_codes), clarification=resolution.clarification,
                      place=place)
    if resolution.is_no_rule or resolution.rule is None:
        return Answer("no_rule", list(resolution.need_codes), place=place)
    rule = resolution.rule
    role = rulebook().roles.get(rule.role)
    services = search.services_for_role(session, rule.role, place, age, need_codes=list(resolution.need_codes))
    return Answer("rule", list(resolution.need_codes), rule=rule, role_name=role.name if role else rule.role,
                  services=services, place=place)


def answer_question(session: Session, text: str, situation: Situation, place: Optional[Place],
                    age: Optional[int] = None) -> Answer:
    return resolve(session, match_needs(session, text), situation, place, age)

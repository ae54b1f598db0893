"""Whom each part of a message is about: clauses, their subjects, and he/she/they.

A message is split into sentences and clauses. A clause's facts belong to the person who is its
subject: the last person named (by relationship, name, or a subject pronoun that agrees in
gender) before the fact and not in object position ("mum lives with me at EM4 2BN" is about mum,
not me). When the carer is the subject and then names someone ("I care for my grandad Walter who
has cancer", "I help her get dressed"), the facts are about that person. "Mum and dad both have
..." is about both. A clause that names nobody carries the subject of the clause before it.
"""
from __future__ import annotations

from bot.language.mentions import Mention, PersonMention
from bot.language.parse import Parsed

# A person right after these is an object, not the clause's subject.
_OBJECT_BEFORE = {"with", "to", "at", "for", "about", "after", "from", "by", "than", "near", "beside", "like",
                  "visit", "visits", "visiting", "see", "sees", "seeing", "call", "calls", "phone", "ring", "tell",
                  "ask", "help", "helps", "helping", "take", "takes", "taking", "bring", "brings", "drive", "drives",
                  "support", "supports", "of"}
_SUBJECT_PRONOUNS = {"she", "he", "they", "i", "we", "she's", "he's", "they're", "shes", "hes", "i'm", "we're"}
_PLURAL_VERBS = {"both", "have", "are", "were", "'ve", "'re", "take", "live", "need", "use", "get", "go"}


def eligible(m: Mention) -> bool:
    """Could this mention be what a fact is about? Not someone else's relative, a professional,
    an invitee or a person named as a contact."""
    if m.kind in ("rel", "name"):
        return not (m.third or m.role or "object" in m.flags)
    return m.kind in ("pron", "self", "we")


def _in_object_position(p: Parsed, m: Mention) -> bool:
    if m.kind == "pron":
        return p.toks[m.start].low not in _SUBJECT_PRONOUNS
    j = m.start - 1
    while j >= 0 and p.toks[j].low in ("my", "our", "your", "his", "her", "their", "the", "little", "older",
                                       "younger", "big", "baby"):
        j -= 1
    return j >= 0 and p.toks[j].low in _OBJECT_BEFORE and not p.clause_break[j]


# "my parents", "our folks": both of them, as mum and dad
_PARENTS = {"parents", "folks", "parent's", "parents'"}
_PARENT_MENTIONS = {rel: Mention(-1, -1, "rel", rel=rel, gender="f" if rel == "mother" else "m",
                                 person=PersonMention(rel, None)) for rel in ("mother", "father")}

# The subject of a clause about someone outside the family ("mums friend Doreen who has COPD"):
# its facts are not kept on anyone.
OTHER = Mention(-1, -1, "other")


def _outsider(m: Mention) -> bool:
    return m.kind in ("rel", "name") and m.third and not m.role


class Attribution:
    """The subject (one person, or several for "both") of every token of one message."""

    def __init__(self, p: Parsed, mentions: list[Mention]):
        self.p = p
        self.mentions = [m for m in mentions if eligible(m) or _outsider(m)]

    def _clause_mentions(self, tok: int) -> list[Mention]:
        start = self.p.clause_start(tok)
        return [m for m in self.mentions if m.end > start and m.start < tok]

    def _group(self, m: Mention) -> list[Mention] | None:
        """"dad and my son Ollie both have epilepsy": the subject is both of them."""
        if m.kind not in ("rel", "name"):
            return None
        before = [x for x in self.mentions if x.end <= m.start and x.kind in ("rel", "name") and eligible(x)]
        if not before:
            return None
        first = before[-1]
        between = [t.low for t in self.p.toks[first.end:m.start] if t.low not in ("my", "our", "the")]
        after = self.p.toks[m.end].low if m.end < len(self.p) else ""
        if between == ["and"] and after in _PLURAL_VERBS and first.person != m.person:
            return [first, m]
        return None

    def subject_at(self, tok: int) -> Mention | list[Mention] | None:
        """The person (or people) a fact starting at token `tok` is about."""
        while tok > 0:
            clause = self._clause_mentions(tok)
            subject = self._subject(clause) if clause else None
            if subject is not None:
                return subject
            # nothing named in this clause: the subject of the clause before carries over
            start = self.p.clause_start(tok)
            if start == 0:
                return None
            tok = start - 1
        return None

    def _subject(self, clause: list[Mention]) -> Mention | list[Mention] | None:
        subjects = [m for m in clause if not _in_object_position(self.p, m)]
        if subjects and _outsider(subjects[-1]):
            return OTHER
        objects = [m for m in clause if not _outsider(m)]
        if not subjects and not objects:
            return None  # only someone else's relative, as an object: look to the clause before
        chosen = subjects[-1] if subjects else objects[-1]
        if chosen.kind in ("self", "we") and chosen.end < len(self.p) and self.p.toks[chosen.end].low in _PARENTS:
            return [_PARENT_MENTIONS["mother"], _PARENT_MENTIONS["father"]]  # "both my parents have dementia"
        if chosen.kind in ("self", "we"):
            later = [m for m in clause if m.start > chosen.start and m.kind in ("rel", "name", "pron")
                     and (m.person is not None or m.kind == "pron") and eligible(m)]
            if later:
                chosen = later[-1]
        return self._group(chosen) or chosen

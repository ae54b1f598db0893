"""The SBAR handoff packet, built from the care record so the professional never asks again.

Situation (why now), Background (people, conditions, medicines, access, services, recent
timeline), Assessment (what the bot answered and what it could not), Recommendation (what the
carer asked for), and the recent conversation. Kept as a JSON snapshot on the handoff (what the
professional was sent) and rendered as short labelled lines that read well on a phone.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

from sqlalchemy.orm import Session

from bot.dialogue.summary import RELATION_WORDS, category_of, headings, headline
from bot.handoff import staff_models as sm
from bot.records.audit import Actor
from bot.records.notes import read_notes
from bot.records.service import RecordView, read_record
from bot.timeutil import UK

TRIGGER_WORDS = {
    sm.ASKED: "The carer asked to speak to a person.",
    sm.FAILURES: "The assistant failed to help twice in a row.",
    sm.UNANSWERED: "The carer asked something no responsibility rule covers.",
    sm.RISK: "The carer's words suggest risk.",
}
RISK_WORDS = {
    "danger_to_life": "danger to life", "self_harm": "self-harm or suicidal talk",
    "abuse_or_neglect": "abuse or neglect", "not_eating": "someone not eating or drinking",
    "missed_care": "care visits not happening",
}
# The record's About Me headings (care plans and wishes first); notes from professionals come last.
BACKGROUND = [(h.categories, h.label) for h in headings()] + [(("note",), "Professional notes")]


@dataclass
class Packet:
    situation: str
    people: list[str] = field(default_factory=list)
    background: list[tuple[str, list[str]]] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    could_not: list[str] = field(default_factory=list)
    recommendation: str = ""
    conversation: list[str] = field(default_factory=list)
    has_record: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Packet:
        data = dict(data)
        data["background"] = [(label, list(values)) for label, values in data.get("background", [])]
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _people(record: RecordView) -> list[str]:
    lines = []
    for person in record.cared_for:
        lines.append("Cared for: " + headline(person, record.facts_for(person.id)))
    for carer in record.carers:
        relation = "the carer who first got in touch" if carer.relation == "self" else \
            RELATION_WORDS.get(carer.relation or "", carer.relation or "family member")
        status = "" if carer.status == "confirmed" else f" ({carer.status})"
        lines.append(f"Carer: {carer.name or 'name not given'}, {relation}{status}")
    return lines


def build(session: Session, *, family_id: Optional[str], trigger: str, risk_kind: Optional[str],
          latest: str, previous: list[str], asked_for: str, answered: list[str] = (),
          could_not: list[str] = (), actor: Optional[Actor] = None) -> Packet:
    """A packet from the current record (audited as a read for the handoff) and the conversation."""
    situation = TRIGGER_WORDS.get(trigger, trigger)
    if risk_kind:
        situation += f" Risk: {RISK_WORDS.get(risk_kind, risk_kind)}. Emergency routes were given at once."
    situation += f' Latest message: "{latest[:300]}"'
    packet = Packet(situation=situation, recommendation=asked_for,
                    conversation=[text[:300] for text in list(previous)[-5:] + [latest] if text],
                    answered=list(answered), could_not=list(could_not))
    if family_id is None:
        packet.has_record = False
        packet.people = ["No care record: this carer has not agreed to one. Only this conversation "
                         "was shared with you."]
        return packet
    record = read_record(session, family_id, actor or Actor("system", None, "system"), "handoff.packet")
    packet.people = _people(record)
    names = {p.id: p.name or RELATION_WORDS.get(p.relation or "", "them") for p in record.cared_for}
    words = [f'"{note.text[:300]}"' + (f" ({', '.join(names[p] for p in note.person_ids if p in names)})"
                                        if len(record.cared_for) > 1 and note.person_ids else "")
             for note in read_notes(session, family_id, actor or Actor("system", None, "system"), "handoff.packet")]
    if words:  # the carer's own words come first, most recent first
        packet.background.append(("In the carer's own words", list(reversed(words))[:8]))
    for categories, label in BACKGROUND:
        values = []
        for fact in record.facts:
            if category_of(fact) in categories:
                who = names.get(fact.person_id)
                values.append(f"{fact.value} ({who})" if who and len(record.cared_for) > 1 else fact.value)
        if values:
            packet.background.append((label, list(dict.fromkeys(values))))
    labels = {category: label for categories, label in BACKGROUND for category in categories}
    for fact in sorted(record.facts, key=lambda f: f.said_at, reverse=True)[:10]:
        when = fact.said_at.astimezone(UK).strftime("%d %b %H:%M")
        packet.timeline.append(f"{when} {labels.get(fact.category, fact.category.title())}: {fact.value} "
                               f"(from {fact.said_by_kind} by {fact.channel})")
    return packet


def as_text(packet: Packet) -> str:
    """Plain, phone-width text of the whole packet."""
    lines = ["SITUATION", packet.situation, "", "BACKGROUND"] + packet.people
    for label, values in packet.background:
        lines.append(f"{label}: {'; '.join(values)}")
    if packet.timeline:
        lines += ["Recent timeline:"] + [f"- {item}" for item in packet.timeline]
    lines += ["", "ASSESSMENT"]
    lines += [f"Answered: {item}" for item in packet.answered] or ["Answered: nothing in this conversation"]
    lines += [f"Could not: {item}" for item in packet.could_not]
    lines += ["", "RECOMMENDATION", packet.recommendation, "", "RECENT CONVERSATION"]
    lines += [f"Carer: {text}" for text in packet.conversation]
    return "\n".join(lines)

"""The SBAR handoff packet, built from the care record so the professional never asks again.

Before SBAR come the things a professional must not miss: resuscitation and end-of-life wishes
(care plans), then the About Me summary (what matters, how to communicate) and the carer's own
words from the record. Then Situation (why now), Background (people, conditions, medicines, access, services, recent
timeline), Assessment (what the bot answered and what it could not), Recommendation (what the
carer asked for), and the recent conversation. Kept as a JSON snapshot on the handoff (what the
professional was sent) and rendered as short labelled lines that read well on a phone.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

from sqlalchemy.orm import Session

from bot.dialogue.summary import category_of, headings
from bot.handoff import names as naming
from bot.handoff import risk
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
RISK_WORDS = risk.labels()  # the risk policy's kinds in words (data/risk/policy.yml)
# Shown above SBAR, in this order; each category appears in one place only.
WISHES = ("care_plan",)
ABOUT_ME = [("preference", "What matters"), ("communication", "How to communicate")]
OWN_WORDS = ("own_words",)
FIRST = set(WISHES) | {category for category, _ in ABOUT_ME} | set(OWN_WORDS)
# The rest of the record under its About Me headings; notes from professionals come last.
BACKGROUND = [(kept, h.label) for h in headings()
              if (kept := tuple(c for c in h.categories if c not in FIRST))] + [(("note",), "Professional notes")]
CARER, ASSISTANT = "carer", "assistant"


@dataclass
class Packet:
    situation: str
    latest: str = ""  # the carer's latest message, verbatim (shown as a quotation)
    people: list[str] = field(default_factory=list)
    background: list[tuple[str, list[str]]] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    could_not: list[str] = field(default_factory=list)
    recommendation: str = ""
    # Both sides, oldest first: [speaker, text] with speaker "carer" or "assistant".
    conversation: list[list[str]] = field(default_factory=list)
    has_record: bool = True
    wishes: list[str] = field(default_factory=list)
    about_me: list[tuple[str, list[str]]] = field(default_factory=list)
    own_words: list[str] = field(default_factory=list)
    emergency_routes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Packet:
        data = dict(data)
        data["background"] = [(label, list(values)) for label, values in data.get("background", [])]
        data["about_me"] = [(label, list(values)) for label, values in data.get("about_me", [])]
        # Packets stored before both sides were kept hold the carer's messages as plain strings.
        data["conversation"] = [[CARER, item] if isinstance(item, str) else list(item)
                                for item in data.get("conversation", [])]
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _people(record: RecordView) -> list[str]:
    """Neutral, from the professional's side: 'Cared for: Margaret Hall (carer's mother), 84'."""
    lines = []
    for person in record.cared_for:
        lines.append("Cared for: " + naming.cared_for(person, record.facts_for(person.id)))
    for carer in record.carers:
        status = "" if carer.status == "confirmed" else f" ({carer.status})"
        lines.append(f"Carer: {naming.carer(carer)}{status}")
    return lines


def build(session: Session, *, family_id: Optional[str], trigger: str, risk_kind: Optional[str],
          latest: str, previous: list[str], asked_for: str, answered: list[str] = (),
          could_not: list[str] = (), actor: Optional[Actor] = None,
          exchange: list[tuple[str, str]] = (), routes_given: list[str] = ()) -> Packet:
    """A packet from the current record (audited as a read for the handoff) and the conversation.

    `exchange` is the conversation so far on both sides (from the tracker); without it only the
    carer's earlier messages (`previous`) are known. `routes_given` is what the assistant told the
    carer in answer to `latest` (the emergency routes), shown as its reply.
    """
    situation = TRIGGER_WORDS.get(trigger, trigger)
    if risk_kind:
        situation += f" Risk: {RISK_WORDS.get(risk_kind, risk_kind)}. Emergency routes were given at once."
    earlier = [[who, text] for who, text in exchange] if exchange else [[CARER, text] for text in previous]
    said = [[who, text[:1000]] for who, text in earlier[-10:] + [[CARER, latest]] if text]
    said += [[ASSISTANT, text] for text in routes_given if text]
    packet = Packet(situation=situation, latest=latest[:300], recommendation=asked_for, conversation=said,
                    answered=list(answered), could_not=list(could_not),
                    emergency_routes=[text for text in routes_given if text])
    if family_id is None:
        packet.has_record = False
        packet.people = ["No care record: this carer has not agreed to one. Only this conversation "
                         "was shared with you."]
        return packet
    record = read_record(session, family_id, actor or Actor("system", None, "system"), "handoff.packet")
    packet.people = _people(record)
    names = {p.id: naming.short(p) for p in record.cared_for}

    def values_of(categories: tuple[str, ...]) -> list[str]:
        values = []
        for fact in record.facts:
            if category_of(fact) in categories:
                who = names.get(fact.person_id)
                values.append(f"{fact.value} ({who})" if who and len(record.cared_for) > 1 else fact.value)
        return list(dict.fromkeys(values))

    packet.wishes = values_of(WISHES)
    packet.about_me = [(label, values) for category, label in ABOUT_ME if (values := values_of((category,)))]
    # The carer's own words, whole and most recent first: the messages kept in the notes table,
    # then any kept as facts.
    notes = read_notes(session, family_id, actor or Actor("system", None, "system"), "handoff.packet")
    packet.own_words = list(dict.fromkeys([note.text for note in reversed(notes)][:8] + values_of(OWN_WORDS)))
    for categories, label in BACKGROUND:
        values = values_of(categories)
        if values:
            packet.background.append((label, values))
    labels = {category: label for categories, label in BACKGROUND for category in categories}
    for fact in sorted(record.facts, key=lambda f: f.said_at, reverse=True)[:10]:
        when = fact.said_at.astimezone(UK).strftime("%d %b %H:%M")
        packet.timeline.append(f"{when} {labels.get(fact.category, fact.category.title())}: {fact.value} "
                               f"(from {fact.said_by_kind} by {fact.channel})")
    return packet


def as_text(packet: Packet) -> str:
    """Plain, phone-width text of the whole packet."""
    lines = []
    if packet.wishes:
        lines += ["CARE PLANS AND WISHES"] + packet.wishes + [""]
    if packet.about_me or packet.own_words:
        lines += ["ABOUT ME"] + [f"{label}: {'; '.join(values)}" for label, values in packet.about_me]
        lines += [f'In their words: "{text}"' for text in packet.own_words] + [""]
    situation = packet.situation + (f' Latest message: "{packet.latest}"' if packet.latest else "")
    lines += ["SITUATION", situation, "", "BACKGROUND"] + packet.people
    for label, values in packet.background:
        lines.append(f"{label}: {'; '.join(values)}")
    if packet.timeline:
        lines += ["Recent timeline:"] + [f"- {item}" for item in packet.timeline]
    lines += ["", "ASSESSMENT"]
    lines += [f"Answered: {item}" for item in packet.answered]
    lines += [f"Emergency routes given: {text}" for text in packet.emergency_routes]
    lines += [f"Could not: {item}" for item in packet.could_not]
    lines += ["", "RECOMMENDATION", packet.recommendation, "", "RECENT CONVERSATION"]
    lines += [f"{'Carer' if who == CARER else 'Assistant'}: {text}" for who, text in packet.conversation]
    return "\n".join(lines)

"""Saying a care record back in a few plain lines that fit an SMS."""
from __future__ import annotations

from typing import Optional

from bot.records.service import FactView, PersonView, RecordView

# Three GSM-7 segments of a concatenated SMS.
SMS_SUMMARY_LIMIT = 3 * 153

RELATION_WORDS = {
    "mother": "mum", "father": "dad", "husband": "husband", "wife": "wife", "partner": "partner",
    "son": "son", "daughter": "daughter", "brother": "brother", "sister": "sister",
    "grandmother": "nan", "grandfather": "grandad", "aunt": "aunt", "uncle": "uncle",
    "mother_in_law": "mother-in-law", "father_in_law": "father-in-law", "baby": "baby",
    "child": "child", "friend": "friend", "neighbour": "neighbour",
}

# Order and labels for the summary: what a new professional needs first.
SECTIONS: list[tuple[str, str]] = [
    ("condition", "Conditions"),
    ("medicine", "Medicines"),
    ("need", "Needs and equipment"),
    ("access", "Access and safety"),
    ("communication", "Communication"),
    ("preference", "What matters"),
    ("situation", "Now"),
    ("gp", "GP"),
    ("address", "Address"),
    ("service", "Services involved"),
    ("appointment", "Appointments"),
    ("event", "Recent events"),
]
CATEGORY_LABELS = dict(SECTIONS)


def display_name(person: PersonView) -> str:
    if person.name:
        return person.name
    word = RELATION_WORDS.get(person.relation or "")
    return f"your {word}" if word else "the person you care for"


def possessive(person: PersonView) -> str:
    name = display_name(person)
    return f"{name}'s" if not name.startswith("your ") and not name.startswith("the ") else f"{name}'s"


def headline(person: PersonView, facts: list[FactView]) -> str:
    parts = [display_name(person).capitalize() if not person.name else person.name]
    relation = RELATION_WORDS.get(person.relation or "")
    if person.name and relation:
        parts[0] += f" ({relation})"
    age = next((f.value for f in facts if f.category == "personal" and "age" in f.detail.get("kind", "age")), None)
    if age:
        parts.append(f"age {age}" if age[0].isdigit() and "week" not in age and "month" not in age else age)
    return ", ".join(parts)


def section_lines(facts: list[FactView], categories: Optional[list[str]] = None) -> list[str]:
    lines = []
    for category, label in SECTIONS:
        if categories and category not in categories:
            continue
        values = [f.value for f in facts if f.category == category]
        if values:
            lines.append(f"{label}: {'; '.join(dict.fromkeys(values))}.")
    return lines


def person_summary(record: RecordView, person: PersonView, limit: int = SMS_SUMMARY_LIMIT,
                   categories: Optional[list[str]] = None) -> tuple[str, bool]:
    """One person's record in at most `limit` characters; says whether anything was left out."""
    facts = record.facts_for(person.id)
    lines = [headline(person, facts) + "."] + section_lines(facts, categories)
    text, truncated = "", False
    for line in lines:
        candidate = f"{text} {line}".strip()
        if len(candidate) > limit:
            truncated = True
            break
        text = candidate
    return text, truncated


def record_summary(record: RecordView, people: list[PersonView], limit: int = SMS_SUMMARY_LIMIT
                   ) -> tuple[str, bool]:
    """A short summary of one or more cared-for people within `limit` characters."""
    if not people:
        return "", False
    share = max(limit // len(people) - 2, 120)
    parts, truncated = [], False
    for person in people:
        text, cut = person_summary(record, person, share)
        parts.append(text)
        truncated = truncated or cut
    return "\n".join(parts), truncated


def full_record(record: RecordView) -> str:
    """Everything current, for 'more': several messages' worth, split by the channel."""
    blocks = []
    for person in record.cared_for:
        facts = record.facts_for(person.id)
        blocks.append(" ".join([headline(person, facts) + "."] + section_lines(facts)))
    members = [p for p in record.carers if p.status == "confirmed"]
    if members:
        names = ", ".join(p.name or RELATION_WORDS.get(p.relation or "", "a family member")
                          for p in members if p.relation != "self") or ""
        if names:
            blocks.append(f"Family members who can see this: you, {names}.")
    return "\n".join(blocks)

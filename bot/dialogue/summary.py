"""Saying a care record back in a few plain lines that fit an SMS, under the About Me headings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import yaml

from bot.language.nlp import once
from bot.records.service import FactView, PersonView, RecordView
from bot.settings import ROOT

# Three GSM-7 segments of a concatenated SMS.
SMS_SUMMARY_LIMIT = 3 * 153
ABOUT_ME = ROOT / "data" / "vocabulary" / "about_me.yml"

RELATION_WORDS = {
    "mother": "mum", "father": "dad", "husband": "husband", "wife": "wife", "partner": "partner",
    "son": "son", "daughter": "daughter", "brother": "brother", "sister": "sister",
    "grandmother": "nan", "grandfather": "grandad", "aunt": "aunt", "uncle": "uncle",
    "mother_in_law": "mother-in-law", "father_in_law": "father-in-law", "baby": "baby",
    "child": "child", "friend": "friend", "neighbour": "neighbour", "stepmother": "stepmum",
    "stepfather": "stepdad", "grandson": "grandson", "granddaughter": "granddaughter",
    "great_grandmother": "great-nan", "great_grandfather": "great-grandad", "niece": "niece",
    "nephew": "nephew", "cousin": "cousin", "grandchild": "grandchild", "sibling": "sibling",
}


@dataclass(frozen=True)
class Heading:
    id: str
    label: str  # the About Me heading, as a professional reads it
    short: str  # the same, short enough for an SMS line
    categories: tuple[str, ...]


@once
def _about_me() -> tuple[tuple[Heading, ...], dict[str, tuple[str, ...]]]:
    data = yaml.safe_load(ABOUT_ME.read_text())
    headings = tuple(Heading(h["id"], h["label"], h["short"], tuple(h["categories"])) for h in data["headings"])
    return headings, {topic: tuple(cats) for topic, cats in data["topics"].items()}


@once
def topics_with_own_words() -> frozenset[str]:
    """Topics whose answer also gives what the carer said in their own words (see about_me.yml)."""
    return frozenset(yaml.safe_load(ABOUT_ME.read_text()).get("answered_with_own_words") or ())


def headings() -> tuple[Heading, ...]:
    return _about_me()[0]


def topic_categories(topic: Optional[str]) -> Optional[tuple[str, ...]]:
    """The fact categories that answer a question about this topic (None: everything)."""
    return _about_me()[1].get(topic or "")


def category_of(fact: FactView) -> str:
    """The fact's category; allergies once kept as conditions count as allergies."""
    if fact.category == "condition" and fact.key.startswith("condition:allergy:"):
        return "allergy"
    return fact.category


def heading_of(category: str) -> Optional[Heading]:
    return next((h for h in headings() if category in h.categories), None)


# Old name kept for callers that label single categories (the handoff packet).
SECTIONS: list[tuple[str, str]] = [(c, h.short) for h in headings() for c in h.categories]
CATEGORY_LABELS = dict(SECTIONS)


def relation_word(person: PersonView) -> Optional[str]:
    return RELATION_WORDS.get(person.relation or "") or (person.relation or "").replace("_", " ") or None


def display_name(person: PersonView) -> str:
    if person.name:
        return person.name
    word = relation_word(person)
    return f"your {word}" if word else "the person you care for"


def label(person: PersonView) -> str:
    """"Sheila (mum)", "your dad", "Leon (baby)"."""
    word = relation_word(person)
    if person.name and word:
        return f"{person.name} ({word})"
    return display_name(person)


def possessive(person: PersonView) -> str:
    return f"{display_name(person)}'s"


def _age(facts: list[FactView]) -> Optional[str]:
    return next((f.value for f in reversed(facts) if f.category == "personal" and f.key in ("personal:age", "")
                 and "age" in f.detail.get("kind", "age")), None)


def headline(person: PersonView, facts: list[FactView]) -> str:
    parts = [label(person)]
    parts[0] = parts[0][0].upper() + parts[0][1:]
    age = _age(facts)
    if age:
        parts.append(f"age {age}" if age[0].isdigit() and "week" not in age and "month" not in age else age)
    if any(f.key == "event:death" for f in facts):
        parts.append("has died")
    return ", ".join(parts)


def _shown(fact: FactView) -> bool:
    return not (fact.category == "personal" and fact.key in ("personal:age", "")) and fact.key != "event:death"


def section_lines(facts: list[FactView], categories: Optional[tuple[str, ...] | list[str]] = None,
                  long_labels: bool = False) -> list[str]:
    """One line per About Me heading that has facts, care plans first."""
    lines = []
    for heading in headings():
        wanted = [c for c in heading.categories if not categories or c in categories]
        values = [f.value for f in facts if category_of(f) in wanted and _shown(f)]
        if values:
            lines.append(f"{heading.label if long_labels else heading.short}: {'; '.join(dict.fromkeys(values))}.")
    return lines


def ordered(facts: list[FactView], categories: tuple[str, ...]) -> list[FactView]:
    """Facts in the order of the categories asked for (care plans first for an emergency)."""
    rank = {c: n for n, c in enumerate(categories)}
    return sorted((f for f in facts if category_of(f) in rank), key=lambda f: rank[category_of(f)])


def person_summary(record: RecordView, person: PersonView, limit: int = SMS_SUMMARY_LIMIT,
                   categories: Optional[tuple[str, ...]] = None, notes: Optional[list[str]] = None
                   ) -> tuple[str, bool]:
    """One person's record in at most `limit` characters; says whether anything was left out."""
    facts = record.facts_for(person.id)
    lines = [headline(person, facts) + "."] + section_lines(facts, categories)
    if notes:
        lines.append("In your words: " + " / ".join(f'"{n}"' for n in notes))
    text, truncated = "", False
    for line in lines:
        candidate = f"{text} {line}".strip()
        if len(candidate) > limit:
            truncated = True
            room = limit - len(text) - 5
            if room > 40 and line.startswith("In your words"):
                text = f"{text} {line[:room].rstrip()}...".strip()
            break
        text = candidate
    return text, truncated


def record_summary(record: RecordView, people: list[PersonView], limit: int = SMS_SUMMARY_LIMIT,
                   notes: Optional[dict[str, list[str]]] = None) -> tuple[str, bool]:
    """A short summary of one or more cared-for people within `limit` characters."""
    if not people:
        return "", False
    share = max(limit // len(people) - 2, 120)
    parts, truncated = [], False
    for person in people:
        text, cut = person_summary(record, person, share, notes=(notes or {}).get(person.id))
        parts.append(text)
        truncated = truncated or cut
    return "\n".join(parts), truncated


def full_record(record: RecordView, notes: Optional[dict[str, list[str]]] = None) -> str:
    """Everything current, for 'more': several messages' worth, split by the channel."""
    blocks = []
    for person in record.cared_for:
        facts = record.facts_for(person.id)
        lines = [headline(person, facts) + "."] + section_lines(facts, long_labels=True)
        for note in (notes or {}).get(person.id, []):
            lines.append(f'In your words: "{note}"')
        blocks.append(" ".join(lines))
    members = [p for p in record.carers if p.status == "confirmed"]
    if members:
        names = ", ".join(p.name or RELATION_WORDS.get(p.relation or "", "a family member")
                          for p in members if p.relation != "self") or ""
        if names:
            blocks.append(f"Family members who can see this: you, {names}.")
    return "\n".join(blocks)

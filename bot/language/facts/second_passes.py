"""Second passes over the whole message, for phrasings the clause reader is wary of."""
from __future__ import annotations

import re

from bot.language.context import Context
from bot.language.facts.results import ExtractedFact, Invitation, Understanding
from bot.language.nlp import once
from bot.language.parse import Parsed
from bot.language.vocabulary import CONDITIONS

# Each adds only what a plain pattern makes certain, and never contradicts an earlier finding.

@once
def _condition_index() -> tuple[dict[str, tuple[str, str]], str]:
    """Every condition phrase -> (key, display), and one alternation of them, longest first."""
    phrases = {phrase: (key, display) for phrase, key, display in reversed(_condition_phrases())}
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return phrases, alternation


@once
def _after_with_re() -> re.Pattern:
    return re.compile(rf"\b(?:with|living with|suffers? from|suffering from)\s+"
                      rf"(?:[a-z0-9' -]{{0,40}}?\band\s+|[a-z0-9' ]{{0,40}}?,\s*)?(?P<c>{_condition_index()[1]})\b")


def conditions_after_with(text: str, understood: Understanding) -> Understanding:
    """"88 with heart failure and type 2 diabetes", "living with MS": conditions after "with"."""
    if not understood.people and understood.subject is None:
        return understood  # "a man with dementia came round" is not about the family
    lowered = text.lower().replace("’", "'")
    known = {f.key for f in understood.facts} | set(understood.ended_keys)
    phrases = _condition_index()[0]
    every = re.compile(rf"\b(?P<c>{_condition_index()[1]})\b")
    context: Context | None = None  # ConText on the message, made only when a pattern matches
    for match in _after_with_re().finditer(lowered):
        for found in every.finditer(lowered, match.start(), match.end()):  # "with ADHD and anxiety": both
            key, display = phrases[found.group("c")]
            if context is None:
                parsed = Parsed(text)
                context = Context(parsed)
            first, last = parsed.tok_at(found.start()), parsed.tok_at(found.end() - 1)
            if context.at(first, last + 1).status != "current":
                continue  # "not living with dementia", "might be living with MS", "her friend with COPD"
            if key not in known:
                understood.facts.append(ExtractedFact("condition", key, display, understood.subject,
                                                      {"name": display}))
                known.add(key)
    return understood


_STOP_VERBS = r"(?:stopped|stop|discontinued|taken (?:her|him|them) off|took (?:her|him|them) off|came off|come off)"


def stopped_by_someone(text: str, understood: Understanding) -> Understanding:
    """"The GP stopped her ramipril": a medicine ended, however the sentence is built."""
    lowered = text.lower().replace("’", "'")
    for fact in list(understood.facts):
        if fact.category != "medicine":
            continue
        name = str(fact.detail.get("name") or fact.value.split()[0]).lower()
        if re.search(rf"\b{_STOP_VERBS}\s+(?:the\s+|her\s+|his\s+|their\s+)?{re.escape(name)}\b", lowered):
            understood.facts.remove(fact)
            if fact.key not in understood.ended_keys:
                understood.ended_keys.append(fact.key)
            understood.is_correction = True
    return understood


def care_home_move(text: str, understood: Understanding) -> Understanding:
    """"She's moved into a care home": the setting is the care home, not home."""
    match = re.search(r"\b(?:moved|moving|gone|went|go(?:ing)?)\s+(?:in)?to\s+a\s+(care|nursing|residential)\s+home\b",
                      text.lower())
    if match and not any(f.key == "situation:location" and f.detail.get("name") for f in understood.facts):
        understood.facts[:] = [f for f in understood.facts if f.key != "situation:location"]
        understood.facts.append(ExtractedFact("situation", "situation:location", f"in a {match.group(1)} home",
                                              None, {"setting": "care_home"}))
    return understood


def invitee_name(text: str, understood: Understanding) -> Understanding:
    """"add my cousin leanne 07...": a lower-case name after the relationship word."""
    invitation = understood.invitation
    if invitation is None or invitation.name or not invitation.relationship:
        return understood
    match = re.search(r"\b(?:my|our)\s+[a-z-]+(?:\s+[a-z-]+)??\s+([a-z][a-z'-]{1,20})\b(?=[\s,]*(?:on|his|her|their|"
                      r"number|mobile|phone|is|\+|\d|$)|[\s,]+(?:as well|too|also|please)\b)", text.lower())
    if match and match.group(1) not in {"on", "his", "her", "their", "number", "mobile", "phone", "is", "too",
                                        "please", "as", "and", "to", "who", "so", "in"}:
        understood.invitation = Invitation(match.group(1).capitalize(), invitation.relationship, invitation.phone)
    return understood


@once
def _condition_phrases() -> list[tuple[str, str, str]]:
    """(lowercase phrase, key, display) for every condition, longest phrase first."""

    found = [(p.lower(), t.key, t.display) for t in CONDITIONS for p in t.phrases if len(p) >= 3]
    return sorted(found, key=lambda item: -len(item[0]))


_IT_IS = r"(?:it'?s|it is|its|it was|they said it'?s|(?:clinic|doctor|consultant|gp) (?:said|says) it'?s)"


def restated_diagnosis(text: str, understood: Understanding) -> Understanding:
    """"It's not Alzheimer's, it's Lewy body dementia": a diagnosis corrected without a verb."""
    lowered = text.lower().replace("’", "'")
    if not re.search(rf"\b{_IT_IS}\b", lowered):
        return understood
    phrases, alternation = _condition_index()
    for match in re.finditer(rf"\b{_IT_IS} (?P<neg>not )?(?:actually |really |definitely )?(?:a |an )?"
                             rf"(?P<c>{alternation})\b", lowered):
        key, display = phrases[match.group("c")]
        if match.group("neg"):
            if key not in understood.ended_keys:
                understood.ended_keys.append(key)
                understood.is_correction = True
        elif not any(f.key == key for f in understood.facts) and key not in understood.ended_keys:
            understood.facts.append(ExtractedFact("condition", key, display, understood.subject,
                                                  {"name": display}))
    return understood

""""Did you mean": when no need is certain but some are close, offer them as a short numbered list.

The carer answers with a number ("2", "the second one") or in words ("the money one"); the choice
is kept in the conversation (a pending `ChooseNeed`) with what was known when we asked.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.directory import responsibility
from bot.directory.rules import Resolution, Situation
from bot.language.need_classifier import NeedGuess

ORDINALS = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3}
_NUMBER = re.compile(r"^\W*(?:(?:it'?s|its|number|no\.?|option|the)\s+)*(\d|first|second|third|1st|2nd|3rd|one|two"
                     r"|three)\b(?:\s+one)?\W*$", re.IGNORECASE)
_NONE = re.compile(r"^\W*(none|neither|no|nope|not really|none of (them|those|these)|something else|"
                   r"none of the above)\b", re.IGNORECASE)
SMS_LIMIT = 2 * 153  # two GSM-7 segments
LABEL_LIMIT = 60


def label(code: str) -> str:
    """The need in plain words, as short as the list needs."""
    need = responsibility.rulebook().needs.get(code)
    text = need.plain if need else code.removeprefix("need.").replace("-", " ")
    return text if len(text) <= LABEL_LIMIT else text[:LABEL_LIMIT].rsplit(" ", 1)[0]


def offer_text(options: list[str]) -> str:
    """ "Did you mean: 1) ..., 2) ... or 3) ...? Reply with the number, or tell me in other words." """
    items = [f"{i}) {label(code)}" for i, code in enumerate(options, 1)]
    listed = ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else items[0]
    numbers = " or ".join(str(i) for i in range(1, len(options) + 1))
    text = f"I'm not sure which you mean. Is it {listed}? Reply {numbers}, or tell me in other words."
    if len(text) > SMS_LIMIT:  # keep to two segments: drop the last choice
        return offer_text(options[:-1]) if len(options) > 2 else text[:SMS_LIMIT]
    return text


def choices(guesses: list[NeedGuess]) -> list[str]:
    """The need codes to offer: two or three, most likely first."""
    return [g.code for g in guesses][:responsibility.CHOICES]


def by_number(text: str, options: list[str]) -> Optional[str]:
    """The option picked by its number ("2", "the second one"), or None."""
    found = _NUMBER.match(text.strip()) if options and isinstance(text, str) else None
    if not found:
        return None
    token = found.group(1).lower()
    number = int(token) if token.isdigit() else ORDINALS.get(token, 0)
    return options[number - 1] if 1 <= number <= len(options) else None


def settled_by(options: list[str], before: Situation, after: Situation) -> Optional[str]:
    """The one option whose own question the reply answered ("she's 79" for "which disability benefit",
    "a child, she's 11" for "an assessment of their care needs"): before the reply it needed to ask
    something, now its rule answers. None when no option, or more than one, was settled so."""
    if after == before:
        return None
    book = responsibility.rulebook()
    settled = [code for code in options if _settled(book.resolve([code], before), book.resolve([code], after))]
    return settled[0] if len(settled) == 1 else None


def _settled(before: Resolution, after: Resolution) -> bool:
    """The reply decided this option's answer: it had to ask before, or the reply changed its answer
    ("im 14" makes a carer's assessment a young carer's assessment)."""
    if not after.is_rule:
        return False
    return not before.is_rule or before.rule != after.rule


def chosen(text: str, options: list[str], reading: Optional[responsibility.NeedReading] = None,
           settled: Optional[str] = None) -> Optional[str]:
    """The option the carer picked, by number or in words; None if the reply doesn't pick one.

    In order: a number; an option named by a phrase of the rule book; the option the reply's facts
    settled (`settled`, from settled_by: "the benefits side, she's 79 and needs help dressing" shares
    "benefits" with the wrong label); the list's own words; the classifier's likeliest option."""
    if not options or not isinstance(text, str):
        return None
    if _NUMBER.match(text.strip()):
        return by_number(text, options)
    for code in reading.matched if reading is not None else ():
        if code in options:
            return code
    if settled in options:
        return settled
    words = set(re.findall(r"[a-z]{4,}", text.lower()))
    scored = [(len(words & set(re.findall(r"[a-z]{4,}", label(code).lower()))), code) for code in options]
    best = max(scored, default=(0, None))
    if best[0] and sum(1 for score, _ in scored if score == best[0]) == 1:
        return best[1]
    for guess in reading.guesses if reading is not None else ():
        if guess.code in options and guess.score >= responsibility.CLOSE:
            return guess.code
    return None


def declined(text: str) -> bool:
    """ "None of those", "neither", "no". """
    return bool(_NONE.match(text or ""))

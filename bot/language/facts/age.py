"""Age: "she's 84", "my 91 year old nan"."""
from __future__ import annotations

import re

from bot.language.facts.reader import Reader
from bot.language.facts.results import ExtractedFact
from bot.language.vocabulary import RELATIONSHIPS

_AGE_UNITS_BAD = (r"(?:mg|ml|kg|g|st|stone|lbs?|pounds?|%|percent|minutes?|mins?|hours?|hrs?|miles?|times|"
                  r"o'clock|am|pm|x|tablets?|pills?|units?|puffs?|p|pence|quid|floors?|th|nd|rd|foot|ft|feet|inch"
                  r"|inches|cm|metres?|doses?|drops?|calls?|visits?|carers?|people|children|kids|grandchildren|"
                  r"weeks? pregnant|falls?|strokes?|of|in|out|-|/|:|\.\d|\d)")
_AGE_RE = re.compile(
    r"\b(?P<who>she|he|they|i|who|mum|mam|mom|dad|it|[a-z]+)\s*(?:'s|is|was|'m|am|are|'re|turned|turns|will be|'ll be|"
    r"just turned|has just turned|be)\s+(?P<q>now\s+|only\s+|just\s+|nearly\s+|almost\s+|about\s+|over\s+|"
    r"coming up\s+|approaching\s+)?(?P<n>\d{1,3})(?P<u>\s*(?:years?\s+old|years?|yrs?|yo|weeks?\s+old|months?\s+old|"
    r"days?\s+old|weeks?|months?|days?))?(?!\s*" + _AGE_UNITS_BAD + r"\b)(?![\d.:/])"
    r"|\b(?P<n2>\d{1,3})\s*(?:-\s*)?(?P<u2>years?|yrs?|weeks?|months?|days?)(?:\s*-\s*|\s+)old\b"
    r"|\b(?P<n3>\d{1,3})\s*(?:yo|y/o)\b"
    r"|\b(?:aged?|age:)\s*(?P<n4>\d{1,3})\b(?!\s*(?:and over|\+|plus|or over|or under))")


def age_facts(r: Reader) -> None:
    low = r.p.low
    for mm in r.mentions:  # "my kids are Maisie 5 and Harvey 3"
        for flag in mm.flags:
            if flag.startswith("age:") and 0 < int(flag[4:]) <= 115:
                r.add(mm.end, ExtractedFact("personal", "personal:age", flag[4:], None, {"years": int(flag[4:])}),
                      mention=mm)
    for m in _AGE_RE.finditer(low):
        n = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4")
        unit = (m.group("u") or m.group("u2") or "").strip()
        if m.group("who"):
            who = m.group("who")
            if who not in ("she", "he", "they", "i", "it", "who") and who not in RELATIONSHIPS and \
                    not any(mm.kind == "name" and r.p.toks[mm.start].low == who for mm in r.mentions):
                continue
            if who == "it":
                continue
            if unit in ("weeks", "week", "months", "month", "days", "day") and not re.match(
                    r"^\s*old\b", low[m.end():m.end() + 5]):
                continue
        start = m.start("n") if m.group("n") else m.start()
        i = r.p.tok_at(start)
        if r.question_clause(i) or r.hedged(i):
            continue
        if re.search(r"\b(?:over|under|aged)\s*$", low[max(0, m.start() - 8):m.start()]) and not m.group("who") \
                and not m.group("n4"):
            continue
        val = int(n)
        years = weeks = months = days = None
        if unit.startswith("week"):
            weeks = val
        elif unit.startswith("month"):
            months = val
        elif unit.startswith("day"):
            days = val
        else:
            years = val
        if years is not None and not (0 < years <= 115) or weeks is not None and weeks > 104 or \
                months is not None and months > 48 or days is not None and days > 60:
            continue
        approx = (m.group("q") or "").strip()
        if years is not None:
            value, detail = str(years), {"years": years}
        elif weeks is not None:
            value, detail = f"{weeks} week{'s' if weeks != 1 else ''} old", {"weeks": weeks}
        elif months is not None:
            value, detail = f"{months} month{'s' if months != 1 else ''} old", {"months": months}
        else:
            value, detail = f"{days} day{'s' if days != 1 else ''} old", {"days": days}
        if approx in ("nearly", "almost", "about", "over", "coming up", "approaching"):
            value = f"{approx} {value}"
            detail["approximate"] = True
        # "my 84 year old mum": the person comes after
        mention = None
        after = [mm for mm in r.mentions if mm.start >= r.p.tok_at(m.end()) and mm.start - r.p.tok_at(m.end()) <= 1
                 and mm.kind in ("rel", "name")]
        if not m.group("who") and after:
            mention = after[0]
        r.add(i, ExtractedFact("personal", "personal:age", value, None, detail), mention=mention)

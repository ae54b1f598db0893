"""Communication: languages spoken, interpreters, hearing, sight and speech."""
from __future__ import annotations

import re

from bot.language.facts.reader import Reader, tidy
from bot.language.facts.results import ExtractedFact
from bot.language.vocabulary import COMMUNICATION_WAYS, SPOKEN_LANGUAGES

_LANG_RE_PART = "|".join(x.lower() for x in SPOKEN_LANGUAGES)
_COMM = [
    (re.compile(r"\b(?:is|'s|are|'re|am|'m|been|profoundly|severely|completely|totally|partially|very|quite|"
                r"going|stone|registered|a bit|bit)\s+(?:profoundly\s+|severely\s+|completely\s+|totally\s+|"
                r"partially\s+|very\s+|quite\s+|going\s+|stone\s+|a bit\s+|also\s+|now\s+)?"
                r"(?P<v>deafblind|deaf|hard of hearing)\b|\bdeaf in (?:one|her left|her right|his left|his right|both)"
                r" ears?\b|\bhard of hearing\b"), "communication:hearing", None),
    (re.compile(r"\b(?:wears?|wearing|has|have|got|uses?|with|needs?)\s+(?:a\s+|her\s+|his\s+|two\s+|2\s+)?"
                r"hearing\s+aids?\b|\b(?:her|his|their)\s+hearing\s+aids?\b"), "communication:hearing aid",
     "wears a hearing aid"),
    (re.compile(r"\b(?:uses?|using|signs?|communicates?(?: (?:in|with|using|through))?|speaks?|needs?|"
                r"first language is|language is|prefers|user|in)\s+(?:a\s+|an\s+)?(?:bsl|british sign language|"
                r"sign language)\b|\b(?:bsl|british sign language|sign language)\s+(?:user|interpreter)\b"),
     "communication:sign language", None),
    (re.compile(r"\b(?:uses?|using|communicates? (?:with|using|through)|knows?|does)\s+(?:some\s+)?makaton\b"
                r"|\bmakaton\s+(?:user|signs)\b"), "communication:makaton", "uses Makaton"),
    (re.compile(r"\b(?:uses?|using|has|with|communicates? (?:with|using|through))\s+(?:a\s+|an\s+|her\s+|his\s+)?"
                r"(?:pecs|picture cards|picture exchange|communication (?:book|board|aid|device|app)|"
                r"talker|aac device|aac|eye gaze|ipad to communicate|symbols)\b"),
     "communication:aac", None),
    (re.compile(r"\b(?:is|'s|are|completely|totally|mostly|fully)\s+(?:completely\s+|totally\s+|mostly\s+)?"
                r"(?:non verbal|nonverbal|non-verbal|pre verbal|preverbal|minimally verbal|mute|selectively mute)\b"
                r"|\b(?:can't|cannot|doesn't|does not|unable to)\s+(?:speak|talk)(?!\s+(?:to|with|about|much|"
                r"english|" + _LANG_RE_PART + r"|on|for|properly|up|very|loud))\b"
                r"|\bno speech\b|\blost (?:her|his) speech\b|\bnon verbal\b|\bnonverbal\b"),
     "communication:speech", None),
    (re.compile(r"\b(?:slurred speech|speech is slurred|speech (?:problems|difficulties)|struggles to speak|"
                r"difficulty speaking|hard to understand)\b"), "communication:speech", "speech difficulties"),
    (re.compile(r"\b(?:can't|cannot|can not|doesn't|does not|unable to|struggles to|never learned to|"
                r"never learnt to)\s+read(?:\s+(?:or|and)\s+write)?\b|\billiterate\b"),
     "communication:reading", None),
    (re.compile(r"\b(?:wears?|wearing|needs?|has|got)\s+(?:[a-z ]{0,24}?\s+and\s+)?(?:her\s+|his\s+|reading\s+)?"
                r"glasses\b"),
     "communication:sight", "wears glasses"),
    (re.compile(r"\b(?:is|'s|are|registered|completely|totally|partially|nearly|almost|going)\s+"
                r"(?:registered\s+|completely\s+|totally\s+|nearly\s+|almost\s+)?"
                r"(?P<s>blind|partially sighted|visually impaired|sight impaired|severely sight impaired)\b"),
     "communication:sight", None),
    (re.compile(r"\b(?:needs?|prefers?|uses?|reads?|requires?)\s+(?P<f>large print|big print|braille|easy read)\b"),
     "communication:format", None),
    (re.compile(r"\blip\s?reads?\b|\blip reading\b"), "communication:lip reading", "lip-reads"),
    (re.compile(r"\b(?:can't|cannot|doesn't|does not|won't|unable to|struggles to)\s+(?:use|answer|hear on|"
                r"manage)\s+the\s+(?:phone|telephone)\b|\bstruggles on the phone\b"),
     "communication:phone", "can't use the phone"),
]
_SPEAKS_RE = re.compile(
    r"\b(?:speaks?|speaking|talks?|understands?)\s+(?P<q>only\s+|mainly\s+|mostly\s+|just\s+|fluent\s+|good\s+|"
    r"a little\s+|little\s+|some\s+)?(?P<l>" + _LANG_RE_PART + r")\b"
    r"|\b(?:first|main|only|home)\s+language\s+is\s+(?P<l2>" + _LANG_RE_PART + r")\b"
    r"|\b(?P<l3>" + _LANG_RE_PART + r")\s+(?:is|as)\s+(?:her|his|their|my)\s+(?:first|main|only|home)\s+language\b"
    r"|\b(?P<l4>" + _LANG_RE_PART + r")\s+speaker\b")
_ENGLISH_RE = re.compile(r"\b(?:doesn't|does not|can't|cannot|don't|do not)\s+(?:speak|understand|read)\s+"
                         r"(?:much\s+|any\s+|very\s+much\s+|good\s+|very good\s+)?english\b"
                         r"|\b(?:little|limited|no|not much|poor|very little|basic)\s+english\b"
                         r"|\benglish (?:is not|isn't|is not really) (?:her|his|their) first language\b")
_INTERP_RE = re.compile(r"\b(?:needs?|requires?|uses?|has|have|with|through)\s+(?:a\s+|an\s+)?"
                        r"(?:(?P<l>" + _LANG_RE_PART + r"|bsl)\s+)?interpreter\b")


def communication_facts(r: Reader) -> None:
    _read_communication(r)
    communication_ways(r)


def _read_communication(r: Reader) -> None:
    low = r.p.low
    conditions = {f.key for _, f, _ in r.facts}
    for rx, key, fixed in _COMM:
        if key == "communication:hearing" and "condition:deafness" in conditions or \
                key == "communication:sight" and "condition:blindness" in conditions:
            continue  # "she's deaf": a condition, said once
        for m in rx.finditer(low):
            i = r.p.tok_at(m.start())
            if r.question_clause(i) or r.hedged(i):
                continue
            text = m.group(0)
            if key not in ("communication:speech", "communication:reading", "communication:phone") and (
                    r.negated_before(i + 1)
                    or re.search(r"\b(?:not|n't|never)\s*$", low[max(0, m.start() - 8):m.start()])
                    or re.search(r"\b(?:isn't|not|n't)\b", text)):
                continue
            value = fixed
            if value is None:
                if key == "communication:hearing":
                    v = (m.groupdict().get("v") or "").strip()
                    value = {"deafblind": "deafblind", "hard of hearing": "hard of hearing"}.get(v, "deaf")
                    if "hard of hearing" in text:
                        value = "hard of hearing"
                    if "profoundly" in text:
                        value = "profoundly deaf"
                    if re.search(r"deaf in", text):
                        value = tidy(text)
                elif key == "communication:sign language":
                    value = "uses BSL (British Sign Language)" if "bsl" in text or "british" in text else \
                        "uses sign language"
                elif key == "communication:aac":
                    value = "uses a communication aid (" + re.sub(
                        r"^(?:uses?|using|has|with|communicates? (?:with|using|through))\s+"
                        r"(?:a\s+|an\s+|her\s+|his\s+)?",
                        "", text) + ")"
                elif key == "communication:speech":
                    value = "non-verbal" if re.search(r"verbal|mute|no speech", text) else tidy(text).replace(
                        "cannot", "can't").replace("does not", "doesn't")
                elif key == "communication:reading":
                    value = "can't read or write" if "write" in text else (
                        "can't read" if "illiterate" not in text else "can't read or write")
                elif key == "communication:sight":
                    value = m.group("s")
                    if "registered" in text:
                        value = "registered blind" if value == "blind" else value
                elif key == "communication:format":
                    value = "needs " + m.group("f")
            if key == "communication:hearing aid" and re.search(r"\b(?:won't|doesn't|refuses to|will not)\s+wear",
                                                               low[max(0, m.start() - 20):m.end()]):
                value = "has a hearing aid but won't wear it"
            r.add(i, ExtractedFact("communication", key, value, None, {}))
    for m in _SPEAKS_RE.finditer(low):
        lang = next(g for g in (m.group("l"), m.group("l2"), m.group("l3"), m.group("l4")) if g)
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or r.negated_before(i):
            continue
        if lang == "english" or lang == "bsl":
            continue
        q = (m.group("q") or "").strip()
        value = f"speaks {('only ' if q in ('only', 'just') else 'mainly ' if q in ('mainly', 'mostly') else '')}" \
                f"{lang.capitalize()}"
        if m.group("l2") or m.group("l3"):
            value = f"first language is {lang.capitalize()}"
        r.add(i, ExtractedFact("communication", "communication:language", value, None, {"language": lang.capitalize()}))
    for m in _ENGLISH_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        t = m.group(0)
        value = "doesn't speak English" if re.search(r"speak|no english|understand", t) and "little" not in t and \
            "limited" not in t else "limited English"
        if "first language" in t:
            value = "English is not their first language"
        r.add(i, ExtractedFact("communication", "communication:english", value, None, {}))
    for m in _INTERP_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or r.negated_before(i + 1):
            continue
        lang = m.group("l")
        if lang:
            value = f"needs a {lang.upper() if lang == 'bsl' else lang.capitalize()} interpreter"
        else:
            value = "needs an interpreter"
        r.add(i, ExtractedFact("communication", "communication:interpreter", value.replace("  ", " "), None,
                               {"language": lang.capitalize() if lang else None}))


_WAYS = [(key, name, re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
                                + r")\b"), negative) for key, name, phrases, negative in COMMUNICATION_WAYS]


def communication_ways(r: Reader) -> None:
    """Aids and ways of communicating named in data/vocabulary/communication.yml ("uses a picture
    board", "needs things written down", "speak on her right side"), on the person the clause is about."""
    low = r.p.low
    have = {f.key for _, f, _ in r.facts}
    for key, name, rx, negative in _WAYS:
        if f"communication:{key}" in have:
            continue
        for m in rx.finditer(low):
            i = r.p.tok_at(m.start())
            before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
            if r.question_clause(i) or r.hedged(i, allow=frozenset({"sign", "signs"})) or not negative and (
                    r.negated_before(i, r.p.tok_at(m.end() - 1) + 1) or re.search(r"\b(?:not|never|no)\b|n't", before)):
                continue
            r.add(i, ExtractedFact("communication", f"communication:{key}", name.format(said=m.group(0)), None,
                                   {"said": m.group(0)}), span=(i, r.p.tok_at(m.end() - 1) + 1))
            break

"""The GP practice and doctor a person is registered with."""
from __future__ import annotations

import re

from bot.language.facts.reader import Reader
from bot.language.facts.results import ExtractedFact
from bot.language.nlp import english_words
from bot.language.vocabulary import PRACTICE_SUFFIXES

_PRACTICE_RE = re.compile(
    r"\b(?P<lead>(?:gp|gps|gp's|doctors?|doctor's|doctors'|surgery|practice|gp surgery|gp practice|"
    r"family doctor)\s+(?:is|'s|=|:|is at|is the|is with|are|is called)|registered\s+(?:at|with)|"
    r"(?:goes|go)\s+to|(?:is|are)\s+with|(?:is|are)\s+under|uses?|at)\s+(?:the\s+)?"
    r"(?P<name>(?:[a-z][a-z'&.]*\s+){0,4}?(?:" + PRACTICE_SUFFIXES + r"))\b")
# "mum is with a different practice, Harbour Medical Centre": the practice's name after the words
_OTHER_PRACTICE_RE = re.compile(
    r"\b(?P<lead>(?:a|another|the same|a different)\s+(?:different\s+|other\s+)?(?:gp\s+)?(?:practice|surgery|gp)"
    r"\s*(?:,|-|:|called|named|which is))\s+(?:the\s+)?"
    r"(?P<name>(?:[a-z][a-z'&.]*\s+){0,4}?(?:" + PRACTICE_SUFFIXES + r"))\b")
_DOCTOR_RE = re.compile(r"\b(?:dr|dr\.|doctor)\s+(?P<n>[a-z][a-z'-]+)\b")


def gp_facts(r: Reader) -> None:
    low, text = r.p.low, r.p.text
    for m in [*_PRACTICE_RE.finditer(low), *_OTHER_PRACTICE_RE.finditer(low)]:
        name_low = m.group("name")
        words = name_low.split()
        # "the surgery", "hip surgery": a practice needs a name before its suffix
        suffix_len = next(len(s.split()) for s in PRACTICE_SUFFIXES.split("|") if name_low.endswith(s))
        name_words = words[:-suffix_len]
        if not name_words or any(w in ("a", "my", "her", "his", "their", "local", "same", "new", "hip", "knee",
                                       "heart", "major", "keyhole", "emergency", "an", "some", "this", "that",
                                       "our", "your", "the", "doctors", "gp", "gp's") for w in name_words):
            continue
        lead = m.group("lead")
        at = re.search(r"^.*\b(?:at|from)\s+(?:the\s+)?", name_low)
        if at:  # "gp is dr shah at eastmere health centre": the practice is after "at"
            name_low = name_low[at.end():]
            name_words = name_low.split()[:-suffix_len]
            if not name_words:
                continue
        orig = text[m.end("name") - len(name_low):m.end("name")]
        is_caps = any(c.isupper() for c in orig[:len(" ".join(orig.split()[:len(name_words)]))])
        if lead == "at" and not re.search(r"\bgp\b|\bgp's\b|doctor|registered|\bdr\b", low[max(0, m.start() - 40):
                                                                                         m.start()]):
            continue
        if lead.startswith(("goes", "go", "is", "are", "use", "at")) and not is_caps and "gp" not in low[
                max(0, m.start() - 30):m.start()]:
            continue
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        if re.search(r"\b(?:not|n't|used to|old|previous|was)\s+(?:\w+\s+)?$", low[max(0, m.start() - 12):m.start()]):
            continue
        display = orig if is_caps else name_low.title()
        display = re.sub(r"\s+", " ", display).strip()
        r.add(i, ExtractedFact("gp", "gp:practice", display, None, {"practice": display}),
              span=(i, r.p.tok_at(m.end() - 1) + 1))
    for m in _DOCTOR_RE.finditer(low):
        n = m.group("n")
        strong = m.group(0).startswith("dr")
        if (n in english_words() and not text[m.start("n")].isupper() and not strong) or n in (
                "said", "says", "is", "and", "has", "told", "at", "to", "the", "who", "she", "he", "was", "thinks",
                "wants", "will", "would", "can", "appointment", "surgery", "says", "rang", "called", "on", "in"):
            continue
        s = r.p.sent_start(r.p.tok_at(m.start()))
        e = r.p.sent_end(r.p.tok_at(m.start()))
        sent = low[r.p.char_of(s):r.p.char_of(e)]
        if not re.search(r"\bgp\b|\bgp's\b|surgery|practice|medical centre|health centre|registered|family doctor|"
                         r"her doctor is|his doctor is|doctor is dr", sent):
            continue
        i = r.p.tok_at(m.start())
        if r.question_clause(i) and not re.search(r"\bgp\b", sent):
            continue
        name = "Dr " + n.capitalize().replace("'", "'")
        r.add(i, ExtractedFact("gp", "gp:doctor", name, None, {"doctor": name}))

"""Appointments: "her memory clinic appointment is on Tuesday"."""
from __future__ import annotations

import re

from bot.language import dates
from bot.language.facts.reader import Reader
from bot.language.facts.results import ExtractedFact
from bot.language.nlp import english_words
from bot.language.vocabulary import APPOINTMENT_TARGETS, APPOINTMENT_WORDS

_APPT_WORD_RE = re.compile(r"\b(?:" + APPOINTMENT_WORDS + r")\b")
_TARGET_RE = re.compile(r"\b(?:" + APPOINTMENT_TARGETS + r")\b")


def appointment_facts(r: Reader) -> None:
    low = r.p.low
    done: set[int] = set()
    for m in _APPT_WORD_RE.finditer(low):
        word = m.group(0)
        i = r.p.tok_at(m.start())
        s = r.p.sent_start(i)
        if s in done:
            continue
        e = r.p.sent_end(i)
        cs, ce = r.p.clause_start(i), r.p.clause_end(i)
        clause = low[r.p.char_of(cs):r.p.char_of(ce)]
        if r.question_clause(i) or r.hedged(i):
            continue
        if re.search(r"\b(?:can't|cannot|couldn't|won't|no|not|never|how|waiting for|wait for|get an|get a|book|"
                     r"booking|need an|need a|needs an|needs a|missed|cancelled|chase|chasing|any)\b", clause[:m.start()
                                                                                               - r.p.char_of(cs) + 1]):
            continue
        if word in ("clinic", "assessment", "review", "follow up", "consultation", "scan", "blood test",
                    "blood tests", "x ray", "xray", "mri", "ct scan", "check up", "checkup") and \
                not re.search(r"\b(?:has|have|got|'s got|is|'s|booked|due|on|at)\b", clause):
            continue
        if word == "clinic" and not re.search(r"appointment", clause):
            continue
        # when
        w = dates.find_when(low, r.p.char_of(s), r.p.char_of(e))
        trig = re.search(r"\b(?:has|have|got|'s got|booked|due|is on|is at|'s on|'s at|it's|is|are)\b", clause)
        target = None
        for t in _TARGET_RE.finditer(low, r.p.char_of(max(s, i - 6)), r.p.char_of(min(e, i + 8))):
            if t.start() == m.start():
                continue
            target = t.group(0)
            break
        dr = re.search(r"\b(?:dr|doctor)\s+([a-z]+)", low[r.p.char_of(max(s, i - 6)):r.p.char_of(min(e, i + 8))])
        if dr and dr.group(1) not in english_words():
            target = "Dr " + dr.group(1).capitalize()
        if not w and not (trig and target):
            continue
        if not trig and not w:
            continue
        kind = "appointment" if word in ("appointment", "appointments", "outpatient appointment") else word
        if target in ("hospital",) and kind == "appointment":
            what = "hospital"
        else:
            what = target or (kind if kind != "appointment" else None)
        if what in ("gp", "doctor", "doctors"):
            what = "GP"
        key = f"appointment:{(what or 'appointment').lower()}"
        value = f"{what} appointment" if what and kind == "appointment" else (
            f"{what} {kind}" if what and kind not in what else (what or "appointment"))
        detail = {"with": what, "kind": kind}
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("appointment", key, value, None, detail))
        done.add(s)

"""Situation, events and places: where a person is (hospital, hospice, respite, a care home, a ward, a
named place) and what happened (admissions, discharges, falls, births, deaths, operations, a date of birth)."""
from __future__ import annotations

import re

from bot.language import dates
from bot.language.facts.reader import Reader, self_subject
from bot.language.facts.results import ExtractedFact
from bot.language.nlp import english_words

_PLACE = (r"(?P<place>hospital|the hospital|a hospital|hospice|a hospice|the hospice|respite(?: care)?|"
          r"a care home|care home|the care home|a nursing home|nursing home|the nursing home|residential care|"
          r"a residential home|residential home|intensive care|icu|itu|a and e|a&e|rehab|a rehab unit|"
          r"the royal|the infirmary|the general|the ward|ward|a home)")
_IN_PLACE_RE = re.compile(r"\b(?P<pre>(?:[\w']+\s+){0,4}?)(?:in|into|to|at)\s+" + _PLACE + r"\b")
_WARD_RE = re.compile(r"\b(?:on|in)\s+ward\s+(?P<w>[a-z]?\d+[a-z]?|[a-z]+ ward)\b|\bward\s+(?P<w2>\d+[a-z]?)\b")
_HOME_RE = re.compile(
    r"\b(?P<v>came home|come home|got home|is home|'s home|are home|back home|home now|now home|home from hospital|"
    r"sent home|came out of hospital|come out of hospital|out of hospital|got out of hospital|left hospital|"
    r"came back from hospital|back from hospital|released from hospital|discharged(?: home)?|got discharged|"
    r"been discharged|was discharged|came out)\b")
_ADMIT_RE = re.compile(
    r"\b(?:went|gone|go|got|taken|rushed|admitted|ended up|blue lighted|blue lit|brought|"
    r"carted|whisked|sent|readmitted|re admitted|back)\s+(?:(?:back|straight|again|off|in)\s+)?(?:in\s+)?"
    r"(?:to|into|in)\s+(?:the\s+|a\s+)?(?:hospital|a and e|a&e|the royal|the infirmary|hospice)\b"
    r"|\bbeen\s+in\s+(?:the\s+)?hospital\s+since\b"
    r"|\b(?:was|were|been|got|has been|'s been|is)\s+(?:re\s?)?admitted\b|\badmitted (?:to|into|on)\b"
    r"|\bambulance took (?:her|him|them) in\b")
_FALL_RE = re.compile(r"\b(?:had|has had|'s had|have had|took|taken)\s+(?:a|another|two|2|three|3|a couple of|"
                      r"several|a few|a bad|a nasty|a big|an awful|a serious)\s+(?:\w+\s+)?(?:fall|falls|tumble)\b"
                      r"|\b(?:fell|fallen)\b(?!\s+(?:asleep|out|apart|pregnant|ill|behind|in love|through|for|short|"
                      r"silent|off the wagon|into a coma|away|back on))")
_BORN_RE = re.compile(r"\b(?:was|were|been)\s+born\b|\bgave birth\b|\bhad (?:the|my|our|her) baby\b")
_DOB_RE = re.compile(r"\b(?:date of birth|dob|d\.o\.b\.?|born on|born)\s*(?:is|was|:|-)?\s*(?:on\s+)?"
                     r"(?P<d>\d{1,2}(?:st|nd|rd|th)?[\s./-]+(?:\d{1,2}|[a-z]{3,9})[\s./-]+(?:19|20)?\d{2})\b")
_DEATH_RE = re.compile(r"\b(?:passed away|passed on|has passed|died|has died|is no longer with us|lost (?:her|his) "
                       r"(?:fight|battle))\b")
_OPERATION_RE = re.compile(r"\b(?:had|has had|'s had)\s+(?:an|her|his|a|the)\s+(?:\w+\s+){0,2}?(?:operation|op|surgery|"
                           r"replacement)\b")


def situation_facts(r: Reader) -> None:
    low = r.p.low
    discharged_at = []
    for m in _HOME_RE.finditer(low):
        v = m.group("v")
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or self_subject(r, i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        after = low[m.end():m.end() + 30]
        if v == "came out" and not re.match(r"^\s+(?:of\s+)?(?:hospital|on|last|yesterday|today|this)", after):
            continue
        if "discharged" in v and re.match(r"^\s+from\s+(?:the\s+)?(?!hospital|ward|the ward)", after):
            continue  # "discharged from the memory clinic" is about a service
        if re.search(r"\b(?:not|n't|never)\s+(?:\w+\s+)?$", before) and not re.search(r"not long", before):
            continue
        planned = bool(re.search(r"\b(?:will|'ll|going to|gonna|due|should|might|may|could|hoping|hope|"
                                 r"being|to be|ready|waiting|before|once|when|if|until|till|can)\b", before)) \
            or bool(re.search(r"^\s+(?:tomorrow|next|on (?:monday|tuesday|wednesday|thursday|friday|saturday|"
                              r"sunday) (?:hopefully|maybe))", after)) and not re.search(
                r"\b(?:was|got|been|came)\b", before + v)
        if v in ("is home", "'s home", "are home", "back home", "home now", "now home", "came home", "come home",
                 "got home") and re.match(r"^\s+(?:from work|from school|late|alone|to|for tea|for dinner)", after):
            continue
        if v == "come home" and not planned and not re.search(r"\bhas\s+$|\b(?:'s|has|have)\s+(?:now\s+)?$", before):
            planned = True
        if v == "out of hospital" and not re.search(r"\b(?:is|'s|are|now|been|got|came|come|was)\s+(?:\w+\s+)?$",
                                                    before):
            continue
        w = dates.find_when(low, m.start(), r.p.char_of(r.p.sent_end(r.p.tok_at(m.end()))))
        if w and w[1] > m.end() + 25:
            w = None
        if w is None:
            w0 = dates.find_when(low, r.p.char_of(r.p.clause_start(i)), m.start())
            w = w0
        is_hospital_leave = "hospital" in v or "discharged" in v or v in ("sent home", "came out", "left hospital") or \
            "hospital" in after[:20]
        if planned:
            if is_hospital_leave:
                detail = {"kind": "discharge", "planned": True}
                value = "discharge planned"
                if w:
                    detail["when"] = w[0]
                    value += " " + dates.display_when(w[0])
                r.add(i, ExtractedFact("event", "event:discharge", value, None, detail))
            continue
        if is_hospital_leave:
            detail = {"kind": "discharge"}
            value = "discharged from hospital"
            if w:
                detail["when"] = w[0]
                value += " " + dates.display_when(w[0])
            r.add(i, ExtractedFact("event", "event:discharge", value, None, detail))
        discharged_at.append(m.start())
        r.add(i, ExtractedFact("situation", "situation:location", "at home", None, {"place": "home"}))
    admitted_at = []
    for m in _ADMIT_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or self_subject(r, i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:not|n't|never|if|when|in case|might|may|could|would)\b", before):
            continue
        if re.search(r"admitted\s+(?:to|into)\s+(?:the\s+)?(?!hospital|ward|the ward|icu|a and e|itu|intensive)",
                     m.group(0)
                     + low[m.end():m.end() + 20]) and "hospital" not in m.group(0):
            tail = low[m.end():m.end() + 20]
            if not re.match(r"^\s*(?:hospital|ward|the ward|icu|itu|intensive|on|last|yesterday|today|this|"
                            r"$|[,.])", tail):
                continue
        w = dates.find_when(low, m.end(), min(len(low), m.end() + 40))
        if w and w[1] > m.end() + 20:
            w = None
        if w is None:
            w = dates.find_when(low, r.p.char_of(r.p.clause_start(i)), m.start())
        detail = {"kind": "admission"}
        value = "admitted to hospital" if "hospice" not in m.group(0) else "admitted to a hospice"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:admission", value, None, detail))
        admitted_at.append((m.start(), w[0] if w else None))
    # current place
    for m in _IN_PLACE_RE.finditer(low):
        pre = m.group("pre") or ""
        place = m.group("place")
        i = r.p.tok_at(m.start("place"))
        if r.question_clause(i) or r.hedged(i) or self_subject(r, i):
            continue
        pre_words = pre.split()
        if not pre_words:
            continue
        cur = re.search(r"(?:(?:^|\s)(?:is|are|am|still|now|currently|remains|remain|stuck|staying|"
                        r"lives|living|live|moved|gone|went|been|back|admitted|taken|rushed|ended)|'s|'re|'m)\s*"
                        r"(?:\w+\s+){0,2}$", pre + " ")
        if not cur:
            continue
        if re.search(r"\b(?:was|were|used to|had been|visit|visiting|visited|work|works|working|worked|"
                     r"go to|take|took|not|n't|never|no longer|out of|appointment|when|if|before|after|"
                     r"til|until|going)\b", pre) and not re.search(r"\b(?:still|now|currently|moved|gone|went|"
                                                                   r"admitted|taken|rushed)\b", pre):
            if re.search(r"(?:\bnot\b|n't|\bno longer\b)", pre) and re.search(r"\b(?:is|are)\b|'s|'re", pre):
                r.end("situation:location")
            continue
        if re.search(r"\b(?:visit|visiting|work|works|working|appointment|go to|going to)\b",
                     pre + low[m.end():m.end() + 14]):
            continue
        if "been" in pre and re.search(r"^\s*(?:\w+\s+){0,2}(?:times|twice)", low[m.end():m.end() + 25]):
            continue  # "she's been in hospital three times": history, not where she is
        if any(d > m.start() for d in discharged_at):
            continue
        when_far = next((w for s, w in admitted_at if abs(s - m.start()) < 60 and w and re.search(
            r"year|ago|month|19|20\d\d|last week", w)), None)
        if when_far:
            continue
        value, kind = _place_value(place)
        if place in ("a home",) and "care" not in pre:
            continue
        if place in ("the ward", "ward"):
            continue
        detail = {"place": kind}
        wm = _WARD_RE.search(low, m.start(), min(len(low), m.end() + 30))
        if wm:
            detail["ward"] = (wm.group("w") or wm.group("w2")).title()
            ward = detail["ward"]
            value += f" ({ward})" if ward.lower().endswith("ward") else f" (ward {ward})"
        r.add(i, ExtractedFact("situation", "situation:location", value, None, detail))
    if not any(f.key == "situation:location" for _, f, _ in r.facts):
        for m in _WARD_RE.finditer(low):
            i = r.p.tok_at(m.start())
            if r.question_clause(i) or r.hedged(i) or self_subject(r, i) or any(d > m.start() for d in discharged_at):
                continue
            before = low[max(0, m.start() - 20):m.start()]
            if re.search(r"\b(?:was|not|n't|visit|visiting|work|works)\b", before) or not m.group("w"):
                continue
            ward = m.group("w").title()
            r.add(i, ExtractedFact("situation", "situation:location", f"in hospital (ward {ward})", None,
                                   {"place": "hospital", "ward": ward}))
    if admitted_at and not discharged_at and not any(f.key == "situation:location" for _, f, _ in r.facts):
        s, w = admitted_at[-1]
        if not (w and re.search(r"year|ago|month|19|20\d\d|last week", w)):
            i = r.p.tok_at(s)
            r.add(i, ExtractedFact("situation", "situation:location", "in hospital", None, {"place": "hospital"}))


_NAMED_PLACE_RE = re.compile(r"\b(?:in|into|to|at)\s+(?:the\s+)?(?P<name>[a-z][\w']+(?:\s[a-z][\w']+)?)\s+"
                             r"(?P<kind>care home|nursing home|residential home|hospice)\b", re.IGNORECASE)


def named_places(r: Reader) -> None:
    """"in Oakdene care home", "went into Rosewood Nursing Home": the place is kept by its name."""
    english = english_words()
    for m in _NAMED_PLACE_RE.finditer(r.p.text):
        words = m.group("name").split()
        if all(w.lower() in english and not w[0].isupper() for w in words) or words[0].lower() in (
                "a", "an", "her", "his", "their", "my", "our", "local", "new", "same"):
            continue
        i = r.p.tok_at(m.start("kind"))
        if r.question_clause(i) or r.hedged(i) or self_subject(r, i):
            continue
        name = " ".join(w[:1].upper() + w[1:] for w in words)
        kind = m.group("kind").lower()
        r.facts[:] = [x for x in r.facts if x[1].key != "situation:location"]
        r.add(i, ExtractedFact("situation", "situation:location", f"in a {kind} ({name})", None,
                               {"place": "care home" if "home" in kind else kind, "name": name}))


def _place_value(place: str) -> tuple[str, str]:
    p = place.replace("the ", "").replace("a ", "")
    if "hospice" in p:
        return "in a hospice", "hospice"
    if "respite" in p:
        return "in respite care", "respite"
    if "care home" in p or "nursing" in p or "residential" in p or p == "home":
        return "in a care home", "care home"
    if "rehab" in p:
        return "in rehab", "rehab"
    return "in hospital", "hospital"


def event_facts(r: Reader) -> None:
    low = r.p.low
    for m in _FALL_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:not|n't|never|if|in case|might|may|could|would|'ll|will|keeps?|before)\s+(?:\w+\s+)?$",
                     before):
            continue
        if re.search(r"\b(?:falls|tumbles)\b", m.group(0)) and re.search(r"several|a few|three|3|two|2|couple",
                                                                         m.group(0)):
            r.add(i, ExtractedFact("access", "access:falls", "falls a lot", None, {}))
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 40))
        if w is None:
            w = dates.find_when(low, r.p.char_of(r.p.clause_start(i)), m.start())
        detail = {"kind": "fall"}
        value = "had a fall"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:fall", value, None, detail))
    for m in _BORN_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 40))
        if w is None:
            mm = re.match(r"^\s*(?:on\s+)?(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]+\s+(?:19|20)\d{2}|"
                          r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4})", low[m.end():m.end() + 30])
            w = (mm.group(1), 0, 0) if mm else None
        if w and re.search(r"(?:19|20)\d{2}|\d+[/.]\d+[/.]\d+", w[0]) and not re.search(r"ago|last|this", w[0]):
            continue  # a date of birth, handled below
        detail = {"kind": "birth"}
        value = "born"
        se0 = r.p.sent_start(i)
        baby = next((mm for mm in r.mentions if mm.kind == "rel" and mm.rel in ("baby", "child", "son", "daughter",
                                                                                  "grandchild")
                     and se0 <= mm.start < se and not mm.third), None)
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:birth", value, None, detail), mention=baby)
    for m in _DOB_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i):
            continue
        d = m.group("d")
        r.add(i, ExtractedFact("personal", "personal:date of birth", re.sub(r"\s+", " ", d).title().replace(
            "St ", "st ").replace("Nd ", "nd ").replace("Rd ", "rd ").replace("Th ", "th "), None, {"date": d}))
    for m in _DEATH_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or self_subject(r, i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:nearly|almost|could have|could've|would have|thought|if|not|n't|never|afraid|scared|"
                     r"before|when|after|since|wife|husband|who)\b", before):
            continue
        if not any(mm.kind in ("rel", "name", "pron") and mm.end <= i and not mm.third and not mm.role
                   for mm in r.mentions):
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 30))
        detail = {"kind": "death"}
        value = "died"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:death", value, None, detail))
    for m in _OPERATION_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:not|n't|never)\s*$", before):
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 30))
        what = re.sub(r"^(?:had|has had|'s had)\s+(?:an|her|his|a|the)\s+", "", m.group(0))
        detail = {"kind": "operation"}
        value = f"had {'an' if what[0] in 'aeiou' else 'a'} {what}"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:operation", value, None, detail))

"""Help needs: "needs help washing", "can't manage the stairs"."""
from __future__ import annotations

import re

from bot.language.facts.reader import Reader, self_subject
from bot.language.facts.results import ExtractedFact
from bot.language.vocabulary import HELP_ACTIVITIES

_ACT = {}
for _canon, _phr in HELP_ACTIVITIES.items():
    for _ph in _phr.split("|"):
        _ACT[_ph] = _canon
_ACT_RE = "|".join(sorted((re.escape(a) for a in _ACT), key=len, reverse=True))
_HELP_RE = re.compile(
    r"\b(?P<lead>needs?|needed|requires?|wants?)\s+(?:a\s+lot\s+of\s+|lots\s+of\s+|some\s+|more\s+|full\s+)?"
    r"(?:help|support|assistance|prompting|supervision|someone)\s+(?:(?:with|to|for|when|getting|from\s+\w+\s+with)\s+)?"
    r"(?P<act>" + _ACT_RE + r")\b"
    r"|\b(?P<lead2>can't|cannot|can not|unable to|struggles? (?:to|with)|struggling (?:to|with)|"
    r"finds? it (?:hard|difficult) to|has trouble|has difficulty|difficulty)\s+(?:\w+\s+)?"
    r"(?P<act2>manage the stairs|manage stairs|do the stairs|climb (?:the )?stairs|get up the stairs|"
    r"walk far|walk|stand|get out of bed|get up|get dressed|dress (?:herself|himself)|wash (?:herself|himself)|"
    r"wash|shower|bath|cook|feed (?:herself|himself)|eat|use the toilet|get to the toilet|"
    r"get (?:in|into) the bath|get in and out of bed|(?:manage|take) (?:her|his) (?:medication|tablets|meds)|"
    r"go out alone|go out on (?:her|his) own|manage)\b"
)
_ACT2 = {"manage the stairs": "stairs", "manage stairs": "stairs", "do the stairs": "stairs",
         "climb stairs": "stairs", "climb the stairs": "stairs", "get up the stairs": "stairs",
         "walk far": "walking", "walk": "walking", "stand": "getting up", "get out of bed": "getting up",
         "get up": "getting up", "get dressed": "dressing", "wash": "washing", "shower": "washing",
         "bath": "washing", "cook": "cooking", "eat": "eating", "use the toilet": "toileting",
         "get to the toilet": "toileting", "get in the bath": "washing", "get into the bath": "washing",
         "get in and out of bed": "getting up", "go out alone": "going out"}
_NEED_FIXED = [
    (re.compile(r"\b(?:can't|cannot|can not|shouldn't|should not|mustn't)\s+be\s+left\s+"
                r"(?:alone|on (?:her|his|their) own)"
                r"|\bneeds? (?:constant )?supervision\b|\bneeds? (?:someone|somebody) with (?:her|him|them)\b"),
     "need:supervision", "can't be left alone"),
    (re.compile(r"\b(?:needs?|has|gets|on)\s+(?:24 hour|24 hr|24/7|round the clock|full time)\s+care\b"),
     "need:24 hour care", "needs 24-hour care"),
    (re.compile(r"\b(?:double handed|double up|double handed care|two carers|2 carers)\b"),
     "need:two carers", "needs two carers (double-handed)"),
    (re.compile(r"\b(?:is|'s|are|now|been|completely|totally|mostly)\s+(?:now\s+|completely\s+|totally\s+|mostly\s+)?"
                r"(?:bed bound|bedbound|bedridden|bed ridden|bed-bound)\b"), "need:mobility", "bed-bound"),
    (re.compile(r"\b(?:is|'s|are|now|been)\s+(?:now\s+|completely\s+)?(?:housebound|house bound)\b"),
     "need:mobility", "housebound"),
    (re.compile(r"\bwheelchair user\b|\buses a wheelchair\b|\b(?:is|'s) in a wheelchair\b"),
     "need:wheelchair", "wheelchair user"),
    (re.compile(r"\b(?:is|'s)\s+(?:a\s+)?(?:full\s+)?hoist transfer\b|\bneeds? (?:to be )?hoisted\b"),
     "need:hoist", "needs hoisting"),
]


def need_patterns(r: Reader) -> None:
    low = r.p.low
    for m in _HELP_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.hedged(i) or r.question_clause(i) or self_subject(r, i):
            continue
        if m.group("act"):
            act = _ACT[m.group("act")]
            key, value = f"need:help {act}", f"needs help with {act}"
        else:
            phrase = m.group("act2")
            if phrase == "manage":
                continue
            act = _ACT2.get(phrase)
            if act is None:
                if "medication" in phrase or "tablets" in phrase or "meds" in phrase:
                    act = "medication"
                elif "feed" in phrase:
                    act = "eating"
                elif "dress" in phrase:
                    act = "dressing"
                elif "wash" in phrase:
                    act = "washing"
                else:
                    act = "going out"
            lead = m.group("lead2").replace("cannot", "can't").replace("can not", "can't")
            if r.low(r.p.tok_at(m.start()) - 1) in ("she", "he", "they") or True:
                key = f"need:help {act}"
                value = f"{lead} {phrase}"
                if act == "walking" or act == "stairs":
                    key = "need:mobility" if act == "walking" else "need:help stairs"
        if act in ("walking", "getting up") and m.group("act"):
            key = f"need:help {act}"
        r.add(i, ExtractedFact("need", key, value, None, {"activity": act}))
        if m.group("act"):  # "needs help washing and dressing"
            pos = m.end()
            while True:
                more = re.match(r"\s*(?:,|and|or|&)\s*(?:with\s+|getting\s+)?(" + _ACT_RE + r")\b", low[pos:])
                if not more:
                    break
                act = _ACT[more.group(1)]
                r.add(i, ExtractedFact("need", f"need:help {act}", f"needs help with {act}", None, {"activity": act}))
                pos += more.end()
    for rx, key, value in _NEED_FIXED:
        for m in rx.finditer(low):
            i = r.p.tok_at(m.start())
            if r.hedged(i) or r.question_clause(i):
                continue
            if r.negated_before(i + 1) or "not" in low[max(0, m.start() - 6):m.start()]:
                continue
            r.add(i, ExtractedFact("need", key, value, None, {}))

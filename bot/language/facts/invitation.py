"""An invitation to a family member to share the record, with their phone number."""
from __future__ import annotations

import re

from bot.language.facts.reader import Reader
from bot.language.facts.results import Invitation

_INVITE_RE = re.compile(
    r"\b(?:like|want|add|invite|include|"
    r"share\s+(?:this|it|the record|her record|his record|everything|the info)?\s*with|"
    r"give|let|can|could|allow|sign up|set up|send)\b")
_INVITE_AFTER = re.compile(r"^\s*(?:also\s+|too\s+|as well\s+)?"
                           r"(?:see|view|look at|access|have access|get access|be added|"
                           r"join|be included|know|get updates|get the updates|be kept|be on|use this|read|text you|"
                           r"message you|be part|have a look)")

# After "add my nan Edie": words that go on to describe her (age, conditions), not to invite her.
_DESCRIBED_AFTER = re.compile(r"^\s*(?:too|as well|also)?\s*[,.]?\s*(?:who|she|he|they|shes|hes|she's|he's|"
                              r"they're|theyre|is|has|aged|age|\d)\b")
_INVITE_WORDS = re.compile(r"\b(?:see|view|access|record|updates?|join|read|look at|know|invite|number|phone|mobile|"
                           r"text|message)\b")


def read_invitation(r: Reader, phone: str | None) -> Invitation | None:
    low = r.p.low
    for m in _INVITE_RE.finditer(low):
        verb = m.group(0).split()[0]
        i = r.p.tok_at(m.end())
        cands = [mm for mm in r.mentions if mm.kind in ("rel", "name") and i <= mm.start <= i + 3 and not mm.third]
        if not cands:
            continue
        mm = cands[0]
        if r.low(mm.end) in ("'s",):
            continue
        after = r.p.low[r.p.char_of(mm.end):r.p.char_of(mm.end) + 40]
        if verb in ("let", "can", "could", "allow", "give") and not (_INVITE_AFTER.match(after) or
                                                                     re.match(r"^\s*access", after)):
            continue
        if verb in ("like", "want") and not re.match(r"^\s*to\s+", after) or verb in ("like", "want") and \
                not _INVITE_AFTER.match(after.lstrip()[3:]):
            continue
        if verb == "add" and re.match(r"^\s*(?:'s|to the|that|as a)", after) and \
                not re.match(r"^\s*to the (?:record|family|group|chat|list)", after):
            continue
        if verb == "add" and phone is None and _DESCRIBED_AFTER.match(after) and not _INVITE_WORDS.search(after):
            continue  # "add our nan Edie too, she's 95 and has COPD": someone to care for, not an invitee
        if verb == "send" and not re.match(r"^\s*(?:a\s+)?(?:copy|this|updates|the record|an invite)", after):
            continue
        if verb in ("set", "sign") and not re.search(r"\bup\b", m.group(0)):
            continue
        mm.role = "invitee"
        return Invitation(mm.name, mm.rel, phone)
    return None

"""Words that mark a message as correcting something said before."""
from __future__ import annotations

import re

STRONG_CORRECTION = re.compile(
    r"\b(?:that'?s|that is|this is|it'?s|thats|it is|you'?ve got|you have got|you have|you got)\s+(?:not right|"
    r"wrong|incorrect|not true|a mistake|not correct|out of date|old)\b|\b(?:incorrect|correction|mistake|"
    r"i meant|sorry,? i meant|should (?:be|say|read|have said)|not right|got it wrong|that'?s not)\b")
WEAK_CORRECTION = re.compile(
    r"(?:^|[.,!?]\s*|\b(?:no|oh|sorry|wait)\s*,?\s*)actually\b|\bno longer\b|\bnot any ?more\b|\bany ?more\b|"
    r"\bstopped\b|\bchanged\b|\bswitched\b|\bmoved\b|\bcame off\b|\bcome off\b|\btaken off\b|\binstead\b|"
    r"\bnow lives\b|\bnew address\b|\bupdate\b|\bno more\b|\bnow on\b|\bnot on\b|\bisn'?t on\b|\bstill\b")

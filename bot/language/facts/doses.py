"""Medicine doses and times of day as carers write them: "10mg", "two puffs", "at night"."""
from __future__ import annotations

import re

DOSE = (r"(?:\d+(?:\.\d+)?|half|one|two|three|four|1/2|½)\s*(?:x\s*\d+(?:\.\d+)?\s*)?"
         r"(?:mg|milligrams?|mgs|mcg|micrograms?|µg|ug|g|grams?|ml|mls|millilitres?|units?|puffs?|tablets?|"
         r"capsules?|caps|drops?|sachets?|patch(?:es)?|sprays?|%|iu|mmol)(?![a-z])(?:\s*/\s*\d*\s*(?:ml|hr|hour))?")
DOSE_RE = re.compile(r"(?:\b|(?<=\s))" + DOSE)
_WHEN = (r"at night|at bedtime|before bed|at teatime|at tea time|in the mornings?|in the evenings?|"
         r"in the afternoons?|every (?:morning|evening|night|day|other day|week|\d+ hours|four hours|six hours)|"
         r"(?:with|after|before) (?:breakfast|lunch|dinner|tea|food|meals|her meals|his meals|a meal)|"
         r"twice (?:a|per) day|twice daily|once (?:a|per) day|once daily|"
         r"(?:three|four|five|six|seven|eight|[2-9]|1[0-2]) times (?:a|per) (?:day|week)|"
         r"(?:three|four|five|six|seven|eight|[2-9]|1[0-2]) times daily|"
         r"when needed|as needed|as required|when required|if needed|prn|"
         r"daily|weekly|once a week|once a fortnight|monthly|every month|morning and (?:night|evening)|"
         r"mornings|nights|bd|tds|qds|od|nocte|mane|at \d{1,2}(?::\d{2})?\s*(?:am|pm)|at lunchtime|"
         r"at lunch|at dinner time|at breakfast|first thing")
WHEN_RE = re.compile(r"\b(?:" + _WHEN + r")\b")


def norm_dose(d: str) -> str:
    d = re.sub(r"\s+", " ", d.strip())
    d = re.sub(r"\s*(milligrams?|mgs)\b", "mg", d)
    d = re.sub(r"^(\d+(?:\.\d+)?)\s+(mg|ml|g|mcg|iu)\b", r"\1\2", d)
    d = re.sub(r"\bmls\b", "ml", d)
    return d

"""When things happen, as carers write it: "on saturday", "3rd March", "next Tuesday at 2pm"."""
from __future__ import annotations

import re

_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|weds|thurs)"
_MONTH_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_MONTH = r"(?:" + _MONTH_FULL[3:-1] + r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_NUM = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}|a few|a couple of|couple of|few)"
_TIME = r"(?:\s+at\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?|\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)|\s+at\s+(?:noon|midday))"

_DATE = (
    r"(?:(?:this coming|this|next|last|coming|on)\s+)?" + _WEEKDAY
    + r"(?:\s+(?:morning|afternoon|evening|night|just gone|gone))?(?:\s+(?:the\s+)?" + _ORD + r")?"
    + r"(?:\s+(?:of\s+)?" + _MONTH_FULL + r")?"
    r"|(?:the\s+)?" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r"\b(?:\s+\d{4})?"
    r"|" + _MONTH_FULL + r"\s+" + _ORD + r"\b(?:\s*,?\s*\d{4})?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}\.\d{1,2}\.\d{2,4}"
    r"|(?:today|tonight|tomorrow|yesterday)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|the day before yesterday|last night|the other day|at the weekend|over the weekend"
    r"|(?:this|next|last)\s+(?:morning|afternoon|evening|week|weekend|month|year)"
    r"|earlier this (?:week|month|year)"
    r"|" + _NUM + r"\s+(?:days?|weeks?|months?|years?)\s+ago"
    r"|in\s+" + _NUM + r"\s+(?:days?|weeks?|months?)(?:'?s?\s+time)?"
    r"|(?:in|since|during|back in)\s+(?:" + _MONTH_FULL + r")(?:\s+\d{4})?"
    r"|(?:in|since|back in)\s+(?:19|20)\d{2}"
    r"|the\s+\d{1,2}(?:st|nd|rd|th)\b"
)
DATE_RE = re.compile(r"\b(?:on\s+)?(?P<d>" + _DATE + r")(?P<t>" + _TIME + r")?\b")
_CAPITALISE = re.compile(r"\b(" + _WEEKDAY[3:-1] + "|" + _MONTH_FULL[3:-1] + r")\b")


def find_when(low: str, start: int = 0, end: int | None = None) -> tuple[str, int, int] | None:
    """The first date/time expression in low[start:end]: (text, start, end) or None."""
    end = len(low) if end is None else end
    m = DATE_RE.search(low, start, end)
    if not m:
        return None
    text = (m.group("d") + (m.group("t") or "")).strip()
    text = re.sub(r"^on\s+", "", text)
    return re.sub(r"\s+", " ", text), m.start(), m.end()


def display_when(when: str) -> str:
    """'saturday' -> 'on Saturday'; 'last week' -> 'last week' (for a value shown to carers)."""
    pretty = _CAPITALISE.sub(lambda m: m.group(1).capitalize(), when)
    if re.match(r"^(?:" + _WEEKDAY + r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH
                + r"\b|\d{1,2}[/.]|the\s+\d)", when):
        return "on " + pretty
    return pretty


FREQUENCY_RE = re.compile(
    r"\b(?:(?:once|twice|three times|four times|\d+\s*times|\d+\s*x|x\s*\d+)\s+(?:a|per|each|every)\s+"
    r"(?:day|week|month|night|fortnight)"
    r"|(?:one|two|three|four|\d)\s+(?:calls|visits)\s+(?:a|per)\s+day"
    r"|daily|weekly|fortnightly|monthly|every day|every other day|every morning|every evening|every night"
    r"|every week|every weekday|every weekend|every fortnight|every (?:monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday)|on (?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
    r"|(?:mornings?|evenings?) and (?:evenings?|nights?|mornings?)|morning noon and night|24/7"
    r"|round the clock|each day)\b"
)

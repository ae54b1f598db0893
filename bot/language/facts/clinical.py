"""Conditions, medicines, needs and services found by the phrase vocabulary, kept only with evidence
in the sentence (a verb, a possessive, a dose), and a medicine's dose and timing."""
from __future__ import annotations

import re

from bot.language import dates, medicines
from bot.language.facts.doses import DOSE, DOSE_RE, WHEN_RE, norm_dose
from bot.language.facts.phrases import Hit, phrase_hits
from bot.language.facts.reader import (
    ENDERS,
    GENERIC_PEOPLE,
    GLUE,
    HAVE,
    MODIFIERS,
    NEED,
    POSSESSIVE,
    SERVICE,
    SWITCH,
    TAKE,
    Reader,
)
from bot.language.facts.results import ExtractedFact
from bot.language.mentions import Mention, name_at
from bot.language.vocabulary import (
    CARER_NOT_SERVICE,
    CONDITION_WORDS_NEEDING_CARE,
    NEED_WORDS_NEEDING_CARE,
    RELATIONSHIPS,
    WEAK_SERVICES,
)


def _verdict(r: Reader, h: Hit, triggers: set[str], prev: tuple[Hit, str] | None) -> str | None:
    """'pos' (a fact), 'neg' (denied), 'ended' (no longer true), or None (no evidence / hedged)."""
    s, e = h.start, h.end
    cat = h.term.category
    cs = r.p.clause_start(s)
    if r.after_says_ended(e) and cat in ("medicine", "condition", "service", "need"):
        return "ended" if not r.hedged(s) else None
    # nearest trigger before the match in the same clause
    for j in range(s - 1, max(cs, s - 9) - 1, -1):
        w = r.low(j)
        if w.startswith("refus") or w in ("decline", "declined", "declines", "declining"):
            return None  # "an advance decision refusing a feeding tube": refused, not had
        trig = None
        adjacent = j == s - 1 or all(r.low(k) in MODIFIERS or r.low(k).isdigit() for k in range(j + 1, s))
        if adjacent and w in POSSESSIVE and not (
                w in ("'s", "s") and r.low(j - 1) in ("she", "he", "it", "that", "there", "what", "who")):
            trig = "poss"
        if trig is None:
            trig = _trigger_kind(r, j, h, cs, triggers)
        if trig is None:
            continue
        if r.hedged(j if trig != "poss" else s):
            return None
        if trig == "end":
            return "ended"
        if trig != "poss" and r.question_clause(j) and not r.relative_ok(j):
            return None
        neg = r.negated_before(s, e)  # the mention itself, wherever the "not" sits in its clause
        if neg:
            return neg
        if trig == "poss" and r.question_clause(j) and cat not in ("condition", "medicine", "service"):
            return None
        return "pos"
    # lists: "takes donepezil, memantine and aspirin"
    if prev is not None:
        ph, pv = prev
        if ph.term.category == cat and ph.end <= s:
            gap = r.p.low[r.p.char_of(ph.end):r.p.char_of(s)].strip()
            if cat == "medicine":
                gap = DOSE_RE.sub(" ", gap)
                gap = WHEN_RE.sub(" ", gap)
                gap = medicines.forms_pattern().sub(" ", gap)  # "sytron drops, vitamin d and folic acid"
            if GLUE.match(gap.strip()):
                return pv
            # equipment listed with where it is: "a hospital bed in the front room, a hoist and an air mattress"
            listed = re.search(r"(?:,|\band)\s*(?:a|an|the)?\s*$", gap)
            if cat == "need" and pv == "pos" and s - ph.end <= 10 and listed \
                    and not re.search(r"\b(?:not|no|never|n't|need|needs|but|she|he|they|i|we)\b", gap):
                return pv
    return None


def _switched_from(r: Reader, h: Hit, later: list[Hit]) -> bool:
    """"swapped her sertraline for mirtazapine", "changed mum's omeprazole to lansoprazole": the
    medicine switched from stops; not "changed her metformin to the evening"."""
    if h.term.category != "medicine" or r.low(h.end) not in ("for", "to", "with", "onto"):
        return False
    cs = r.p.clause_start(h.start)
    switched = any(r.lem(k) in SWITCH or r.low(k) in SWITCH for k in range(max(cs, h.start - 4), h.start))
    return switched and any(x.term.category == "medicine" and h.end < x.start <= h.end + 3 for x in later)


def _is_end_trigger(r: Reader, j: int, cat: str) -> bool:
    """'stopped', 'came off', 'switched from', 'instead of'."""
    w, lem = r.low(j), r.lem(j)
    if lem in ENDERS or w in ENDERS or (w == "off" and cat == "medicine"):
        return True
    if w == "from" and any(r.lem(k) in SWITCH or r.low(k) in SWITCH for k in range(j - 2, j)):
        return True
    return w == "of" and r.low(j - 1) == "instead"


def _trigger_kind(r: Reader, j: int, h: Hit, cs: int, triggers: set[str]) -> str | None:
    """What token j says about the match after it: 'end', 'pos' or nothing."""
    w, lem = r.low(j), r.lem(j)
    cat = h.term.category
    if _is_end_trigger(r, j, cat):
        return "end"
    if w in ("to", "for", "onto", "with") and any(r.lem(k) in SWITCH or r.low(k) in SWITCH
                                                  for k in range(max(cs, j - 5), j)):
        return "pos"
    if lem not in triggers and w not in triggers:
        return None
    if w == "with" and not _with_ok(r, j):
        return None
    if w in ("in", "on") and cat == "need" and not _in_on_need_ok(r, j, h):
        return None
    if w == "on" and cat == "medicine" and r.low(j - 1) in ("go", "went", "carry", "come"):
        return None
    if lem == "get" and w not in ("got", "gets", "getting"):
        return None
    if w == "live" and r.low(j + 1) != "with":
        return None
    if w in ("see", "sees", "seeing", "saw") and cat == "service" and any(
            r.low(k) in ("to", "need", "needs", "want", "wants", "should") for k in range(j - 2, j)):
        return None
    return "pos"


def _with_ok(r: Reader, j: int) -> bool:
    """'with' counts after a person, 'lives with', 'in hospital with', 'diagnosed with'."""
    prev = r.low(j - 1)
    if prev in GENERIC_PEOPLE or r.lem(j - 1) in ("help", "support", "advice", "cope", "deal", "struggle",
                                                    "experience", "service", "clinic", "nurse", "group",
                                                    "work", "associate", "link", "connect"):
        return False
    if any(m.end == j for m in r.mentions if m.kind in ("rel", "name", "pron")):
        return True
    if any(r.lem(k) in ("hospital", "admit", "diagnose", "admitted") for k in r.window(j, 10)):
        return True
    return r.lem(j - 1) in ("live", "diagnose", "hospital", "admit", "ill", "unwell", "poorly", "bed",
                            "bedbound", "home", "'s", "be", "up", "down", "off", "struggle", "suffer") or \
        prev in ("living", "diagnosed", "hospital", "admitted", "in", "now", "been", "is", "was", "'s")


def _in_on_need_ok(r: Reader, j: int, h: Hit) -> bool:
    key = h.term.key
    if r.low(j) == "on":
        return key in ("need:oxygen", "need:dialysis", "need:thickened fluids", "need:peg feeding",
                       "need:pressure mattress", "need:catheter")
    return key in ("need:wheelchair", "need:hospital bed") and r.low(j + 1) in ("a", "her", "his", "the")


def _medicine_detail(r: Reader, h: Hit, next_start: int) -> tuple[str | None, str | None]:
    p = r.p
    a = p.toks[h.end - 1].end
    se = p.sent_end(h.end)
    limit = min(p.char_of(min(next_start, se)), a + 70)
    after = p.low[a:limit]
    dose = when = None
    m = re.match(r"^[\s,:-]*(?:(?:inhaler|tablets?|patch(?:es)?|injections?|liquid|spray|capsules?|pens?|"
                 r"syrup|sachets?)\s+)?(?:at\s+|of\s+|,\s*)?(" + DOSE + r")", after)
    if m:
        dose = norm_dose(m.group(1))
    else:
        cs = p.clause_start(h.start)
        before = p.low[p.char_of(max(cs, h.start - 5)):p.toks[h.start].start]
        m2 = re.search(r"(" + DOSE + r")\s*(?:of\s+)?(?:her\s+|his\s+|the\s+)?$", before)
        if m2:
            dose = norm_dose(m2.group(1))
    w = WHEN_RE.search(after)
    if w and not re.search(r"\b(?:and|but|also)\s+(?:she|he|they|i|we)\b", after[:w.start()]):
        when = w.group(0)
    return dose, when


def phrase_facts(r: Reader) -> None:
    hits = phrase_hits(r.p)
    last: dict[str, tuple[Hit, str]] = {}
    for n, h in enumerate(hits):
        term = h.term
        cat = term.category
        if any(k in r.used for k in range(h.start, h.end)):
            continue
        if cat == "service" and not _service_surface_ok(r, h):
            continue
        if cat == "condition" and h.surface.lower() in CONDITION_WORDS_NEEDING_CARE and not _said_as_condition(r, h):
            continue
        said = r.context.at(h.start, h.end)
        if said.status in ("other", "hypothetical"):
            continue  # "my neighbour has MS", "if she gets a chest infection": not a fact about the family
        if said.status == "hedged":
            _suspect(r, h)
            continue
        triggers = {"condition": HAVE, "medicine": TAKE, "need": NEED, "service": SERVICE}[cat]
        if cat == "condition" and h.surface.split()[0] in ("broke", "broken", "fractured", "had") and \
                r.low(h.start - 1) not in ("a", "the"):
            if r.hedged(h.start) or r.question_clause(h.start) and not r.relative_ok(h.start):
                continue
            verdict = r.negated_before(h.start, h.end) or "pos"
        elif _switched_from(r, h, hits[n + 1:]):
            verdict = "ended"
        else:
            verdict = _verdict(r, h, triggers, last.get(cat))
        if verdict is None and cat == "medicine":
            nxt = hits[n + 1].start if n + 1 < len(hits) else len(r.p)
            dose, when = _medicine_detail(r, h, nxt)
            # a dose or a time of day is evidence enough: "brown inhaler morning and night"
            if (dose or when) and not r.hedged(h.start) and not r.question_clause(h.start) and \
                    not r.negated_before(h.start, h.end):
                verdict = "pos"
        if verdict is None and cat in ("service", "need"):
            verdict = _post_trigger(r, h)
        if verdict is None and cat == "need" and _named_equipment(r, h):
            verdict = "pos"
        if verdict is None and cat == "condition" and _named_by_professionals(r, h):
            verdict = "pos"
        if verdict is None and _in_brackets_after_person(r, h):
            verdict = "pos"
        if verdict is None:
            continue
        last[cat] = (h, verdict)
        if verdict in ("neg", "ended"):
            if cat in ("condition", "medicine") or verdict == "ended" or (
                    cat in ("need", "service") and _neg_means_ended(r, h)):
                r.end(term.key, negated=verdict == "neg")
            continue
        _emit_phrase_fact(r, h, hits, n)


# Words that make equipment in a clause something sought, paid for or refused, not something the
# person has: "trying to get a stairlift", "who pays for a hoist", "they turned down the ramp".
_SEEKING = re.compile(
    r"\b(?:want|wants|wanted|try|trying|tried|apply|applying|applied|ask|asking|asked|need|needs|needed|"
    r"looking|waiting|wait|hope|hoping|fund|funding|funded|pay|paying|paid|afford|buy|buying|bought|cost|"
    r"costs|grant|assess|assessed|assessment|refuse|refused|refuses|refusing|decline|declined|declines|declining|"
    r"decision|against|rather|instead|turned|recommend|recommended|suggest|suggested|"
    r"should|could|would|might|if|when|whether|for|without|no|not|never|n't|"
    r"get(?:ting)?\s+(?:\w+\s+)?(?:a|an|one|the))\b")


def _named_equipment(r: Reader, h: Hit) -> bool:
    """Equipment carers list without a verb, as a fact about the person the clause is about:
    "long term catheter changed every 12 weeks, air mattress on the bed, ceiling hoist for
    transfers", "now on a zimmer frame", "up and down to the commode all day". Only unambiguous
    equipment words, in a plain statement about someone cared for."""
    if h.surface.lower() in NEED_WORDS_NEEDING_CARE or r.hedged(h.start) or r.question_clause(h.start):
        return False
    if r.negated_before(h.start, h.end):
        return False
    before = r.p.low[r.p.char_of(r.p.clause_start(h.start)):r.p.char_of(h.start)]
    if _SEEKING.search(before):
        return False
    subject = r.subject_for(h.start)
    members = subject if isinstance(subject, list) else [subject]
    return all(isinstance(m, Mention) and m.kind in ("rel", "name", "pron") for m in members)


def _said_as_condition(r: Reader, h: Hit) -> bool:
    """A word that is a condition only when said as one: "dad's got sugar", "she has sugar and
    angina", not "sugar in his tea", "her blood sugar" or "sugar levels"."""
    if r.low(h.start - 1) in ("blood", "her", "his", "their", "no", "low", "high", "of", "brown", "white"):
        return False
    nxt = h.end
    return nxt >= len(r.p) or r.p.clause_break[nxt] or r.low(nxt) in ("and", "but", "too", "now", "as", "so",
                                                                   "diabetes", "like", "which", "for", "since")


_NAMED_AFTER = re.compile(r"^\s*\)?\s*(?:is what\s+)?(?:they|the doctors?|doctors|docs?|the gp|the hospital|"
                          r"the consultant|the nurses?)\s+(?:call|calls|called|are calling)\s+it\b")
_NAMED_BEFORE = re.compile(r"\b(?:call|calls|called|calling)\s+it\s*$|\bit(?:'s| is| was) called\s*$")


def _named_by_professionals(r: Reader, h: Hit) -> bool:
    """"problems with his heart (heart failure they call it)", "they called it COPD": the
    condition's name as the doctors give it."""
    if r.hedged(h.start) or r.question_clause(h.start) or r.negated_before(h.start, h.end):
        return False
    subject = r.subject_for(h.start)
    if not isinstance(subject, Mention | list) or isinstance(subject, Mention) and subject.kind == "self":
        return False
    after = r.p.low[r.p.toks[h.end - 1].end:r.p.char_of(min(len(r.p), h.end + 8))]
    before = r.p.low[r.p.char_of(max(0, h.start - 4)):r.p.char_of(h.start)]
    return bool(_NAMED_AFTER.match(after) or _NAMED_BEFORE.search(before))


def _in_brackets_after_person(r: Reader, h: Hit) -> bool:
    """"mum (Barbara, parkinsons, madopar) and dad (Tony, bad knees, uses a stick)": what a carer
    lists in brackets after someone is told about them."""
    j = h.start - 1
    while j >= 0 and r.low(j) not in ("(", ")") and not r.p.sent_break[j]:
        j -= 1
    if j < 0 or r.low(j) != "(" or r.hedged(h.start) or r.negated_before(h.start, h.end):
        return False
    return any(m.kind in ("rel", "name") and not m.third and not m.role and m.start < j <= m.end
               for m in r.mentions)


def _suspect(r: Reader, h: Hit) -> None:
    """"They think it might be dementia": a suspected condition is not recorded as a diagnosis.
    It is kept as hedged: the Reading carries it with the carer's own words, so the dialogue keeps
    the message as a note in their words (record_talk.keep_words) and changes no structured fact.
    Anything else said with doubt ("she might be on warfarin") is not kept as a fact at all."""
    if h.term.category != "condition" or r.question_clause(h.start) and not r.relative_ok(h.start):
        return
    fact = ExtractedFact("condition", h.term.key, h.term.display, None, {**dict(h.term.detail), "said": h.surface})
    r.suspected.append((h.start, fact))
    r.used.update(range(h.start, h.end))


def _neg_means_ended(r: Reader, h: Hit) -> bool:
    cs = r.p.clause_start(h.start)
    return any(r.lem(k) in ("need", "use", "see") for k in range(cs, h.start))


def _service_surface_ok(r: Reader, h: Hit) -> bool:
    if h.term.key == "service:home carers":
        words = h.surface.split()
        nxt = r.low(h.end)
        if nxt in CARER_NOT_SERVICE or nxt in ("'s", "'", "s'") or r.low(h.start - 1) in ("young", "a", "unpaid",
                                                                                       "family", "fellow"):
            return False
        if words == ["carer"] and r.low(h.start - 1) not in ("her", "his", "their", "the", "'s"):
            return False
        if any(m.kind == "self" and m.end in (h.start - 1, h.start - 2, h.start - 3) for m in r.mentions) and \
                words[-1] in ("carer", "carers"):
            return False
    if h.term.key == "service:social worker" and r.low(h.end) in ("'s",):
        return True
    return True


def _post_trigger(r: Reader, h: Hit) -> str | None:
    """'district nurse comes daily', 'carers haven't turned up', 'commode would come on monday'."""
    if r.hedged(h.start) or r.question_clause(h.start):
        return None
    cat = h.term.category
    ce = r.p.clause_end(h.end)
    pre = r.low(h.start - 1)
    for j in range(h.end, min(ce, h.end + 4)):
        lem = r.lem(j)
        if cat == "service" and lem in ("come", "visit", "call", "pop", "turn", "go", "see", "help", "do",
                                        "be", "'s", "arrive", "say", "said", "told", "involve", "sort"):
            if lem in ("be", "'s") and not (r.low(j + 1) in ("involved", "coming", "visiting", "in") or
                                            _name_follows(r, j + 1)):
                continue
            if h.term.key in WEAK_SERVICES and lem not in ("come", "visit", "be", "'s", "involve", "call", "pop"):
                continue
            if pre in ("the", "her", "his", "their", "our", "my") or h.term.key == "service:home carers" or \
                    r.low(h.start - 2) in ("the", "her", "his") or (
                    h.term.key not in WEAK_SERVICES and lem in ("come", "visit", "call", "pop")):
                return "pos"
        if cat == "need" and lem in ("come", "arrive", "deliver", "turn", "fit", "install", "be"):
            if lem == "be" and r.low(j + 1) not in ("delivered", "coming", "fitted", "installed", "ordered",
                                                     "arriving", "promised"):
                continue
            return "pos"
    return None


def _name_follows(r: Reader, j: int) -> bool:
    if j >= len(r.p):
        return False
    all_lower = r.p.text == r.p.low
    return name_at(r.p, j, after_rel=True, all_lower=all_lower) is not None


def _emit_phrase_fact(r: Reader, h: Hit, hits: list[Hit], n: int) -> None:
    term = h.term
    cat = term.category
    detail = dict(term.detail)
    value = term.display
    if cat == "medicine":
        nxt = next((x.start for x in hits[n + 1:] if x.term.category == "medicine"), len(r.p))
        dose, when = _medicine_detail(r, h, nxt)
        detail.update({"name": term.display, "dose": dose, "when": when})
        if h.surface.lower() != term.display.lower():
            detail["said"] = h.surface
        value = " ".join(x for x in (medicines.display(term.display, h.surface), dose, when) if x)
    elif cat == "service":
        value, extra = _service_detail(r, h)
        detail.update(extra)
    elif cat == "need":
        text = r.p.low[r.p.char_of(max(r.p.clause_start(h.start), h.start - 4)):r.p.char_of(h.start)]
        clause = r.p.low[r.p.char_of(r.p.clause_start(h.start)):r.p.char_of(h.start)]
        wanting = [m.end() for m in re.finditer(r"\bneeds?\b|\bneeded\b|\bwaiting\b", clause)]
        having = [m.end() for m in re.finditer(r"\b(?:has|have|had|got|uses?|using|on|with)\b", clause)]
        if wanting and (not having or wanting[-1] > having[-1]):
            text += " needs"  # "needs a commode and a hospital bed": the whole list is needed
        after = r.p.low[r.p.toks[h.end - 1].end:r.p.char_of(r.p.clause_end(h.end))]
        if re.search(r"waiting|still not|never came|promised|supposed to|should have|was meant", text + after) \
                or re.search(r"would come|will come|coming|nothing came|never came|not arrived|hasn'?t come|"
                             r"didn'?t come", after):
            detail["status"] = "waiting"
            value = f"{term.display} (waiting for it)"
        elif re.search(r"\bneeds?\b|\bneeded\b", text):
            value = f"needs {term.display}" if term.key != "need:blue badge" else "needs a Blue Badge"
        else:  # has it, uses it, is on it: equipment, not a need
            cat = "equipment"
            key = "equipment:" + term.key.split(":", 1)[1]
            freq = dates.FREQUENCY_RE.search(r.p.low, r.p.toks[h.end - 1].end,
                                             r.p.char_of(min(r.p.sent_end(h.end), h.end + 8)))
            if freq:
                detail["frequency"] = freq.group(0)
                value = f"{term.display} {freq.group(0)}"
            r.add(h.start, ExtractedFact(cat, key, value, None, detail), span=(h.start, h.end))
            return
    elif cat == "condition":
        cs = r.p.clause_start(h.start)
        window = r.p.low[r.p.char_of(max(cs, h.start - 8)):r.p.char_of(h.start)]
        if re.search(r"diagnos", window):
            se = r.p.sent_end(h.end)
            w = dates.find_when(r.p.low, r.p.char_of(h.end), r.p.char_of(se))
            if not w:
                w = dates.find_when(r.p.low, r.p.char_of(cs), r.p.char_of(h.start))
            ev = {"kind": "diagnosis", "condition": term.display}
            v = f"diagnosed with {term.display}"
            if w:
                ev["when"] = w[0]
                v += " " + dates.display_when(w[0])
            r.add(h.start, ExtractedFact("event", "event:diagnosis:" + term.key.split(":", 1)[1], v, None, ev))
        elif term.key.split(":", 1)[1] in ("stroke", "tia", "heart attack", "hip fracture") or \
                term.key.startswith("condition:broken"):
            se = r.p.sent_end(h.end)
            w = dates.find_when(r.p.low, r.p.char_of(h.end), r.p.char_of(min(se, h.end + 6)))
            if w:
                kind = term.key.split(":", 1)[1]
                r.add(h.start, ExtractedFact("event", f"event:{kind}", f"{term.display} {dates.display_when(w[0])}",
                                             None, {"kind": kind, "when": w[0]}))
    r.add(h.start, ExtractedFact(cat, term.key, value, None, detail), span=(h.start, h.end))


def _service_detail(r: Reader, h: Hit) -> tuple[str, dict]:
    p = r.p
    term = h.term
    ce = p.clause_end(h.end)
    se = p.sent_end(h.end)
    a = p.toks[h.end - 1].end
    after_low = p.low[a:p.char_of(min(se, h.end + 10))]
    after_orig = p.text[a:p.char_of(min(se, h.end + 10))]
    detail: dict = {"service": term.display}
    parts = [term.display]
    m = re.match(r"^\s*(?:is called|is named|is|'s|=|:|called|named)\s+([A-Za-z][a-z]+)\b", after_orig)
    if m and _name_follows(r, p.tok_at(a + m.start(1))):
        detail["name"] = m.group(1).capitalize()
        parts[0] = f"{term.display}: {detail['name']}"
    m = re.match(r"^\s*(?:from|with|through|by)\s+(?:the\s+)?((?:[A-Z][\w&'-]*\s?){1,3})", after_orig)
    if m:
        provider = m.group(1).strip()
        if provider.lower() not in ("the", "monday", "tuesday") and provider.split()[0].lower() not in RELATIONSHIPS:
            detail["provider"] = provider
            parts.append(f"({provider})")
    freq = dates.FREQUENCY_RE.search(p.low, a, p.char_of(min(ce + 6, se)))
    if freq:
        detail["frequency"] = freq.group(0)
        parts.append(freq.group(0))
    elif re.search(r"^\s*(?:\w+\s+){0,2}(?:come|comes|visit|visits|call|calls)\s+(?:in\s+)?(?:every\s+)?"
                   r"(?:morning|evening|night)s?\b", after_low):
        f = re.search(r"(morning|evening|night)s?", after_low).group(0)
        detail["frequency"] = f
        parts.append(f)
    return ", ".join([parts[0]] + [x for x in parts[1:] if x.startswith("(")]).replace(", (", " (") + (
        ", " + detail["frequency"] if "frequency" in detail else ""), detail

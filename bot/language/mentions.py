"""Who a message is about: "my mum Margaret", "she", "I", "we", "his niece"."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.language.nlp import english_words
from bot.language.parse import Parsed
from bot.language.vocabulary import (
    AMBIGUOUS_NAMES,
    FEMALE,
    FEMALE_NAME_SET,
    FIRST_NAMES,
    MALE,
    MALE_NAME_SET,
    REL_NEED_DETERMINER,
    REL_THE_OK,
    RELATIONSHIPS,
    STREET_SUFFIXES,
)


@dataclass(frozen=True)
class PersonMention:
    relationship: str | None   # canonical, relative to the person texting (see vocabulary.RELATIONSHIPS)
    name: str | None           # "Margaret" (capitalised), or None
    # "she"/"he" with nobody of that sex named earlier in the message: someone from an earlier turn,
    # whom the dialogue finds by this (relationship and name are then None)
    gender: str | None = field(default=None, compare=False)


SELF = PersonMention("self", None)

_REL_TOKENS: dict[tuple[str, ...], str] = {tuple(k.split()): v for k, v in RELATIONSHIPS.items()}
_MAX_REL = max(len(k) for k in _REL_TOKENS)
_ADJ = {"little", "older", "elder", "younger", "big", "eldest", "youngest", "late", "dear", "poor", "old",
        "elderly", "disabled", "autistic", "beloved", "lovely", "darling", "year", "years", "month", "months",
        "week", "weeks", "-", "own", "frail", "sick", "poorly", "aged", "new", "adult", "grown", "up",
        "teenage", "wee", "only", "twin", "step", "oldest", "middle", "two", "three", "four", "both"}
_DETS = {"my": "my", "our": "my", "me": "my", "mi": "my", "the": "the", "his": "third", "her": "third",
         "their": "third", "your": "third", "ur": "third", "a": "a"}
_SELF = {"i", "me", "myself", "i'm", "i've", "i'd", "i'll"}
_WE = {"we", "us", "ourselves"}
_FEM = {"she", "her", "hers", "herself"}
_MASC = {"he", "him", "his", "himself"}
_THEY = {"they", "them", "their", "themselves"}
# A name right after these is a professional's, not the cared-for person's.
_PRO_WORDS = {"dr", "dr.", "doctor", "nurse", "worker", "gp", "consultant", "therapist", "ot", "physio",
              "midwife", "visitor", "manager", "matron", "sister", "from", "at", "called", "named", "is",
              "coordinator", "adviser", "advisor", "carer", "receptionist", "surgeon", "mr", "mrs", "ms",
              "miss", "team", "agency"}
_NAME_STOP = {"i", "a", "the", "has", "is", "was", "and", "but", "she", "he", "her", "his", "who", "with",
              "in", "on", "at", "to", "of", "for", "it", "that", "this", "we", "they", "gp", "nhs", "dr",
              "mr", "mrs", "ms", "miss", "ok", "hi", "hello", "yes", "no", "please", "thanks", "monday",
              "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
              "march", "april", "june", "july", "august", "september", "october", "november", "december",
              "christmas", "easter", "bsl", "copd", "uk", "em",
              # faiths are said with capitals too: "grandad is Sikh" names no one
              "sikh", "hindu", "muslim", "catholic", "jewish", "christian", "buddhist", "methodist", "anglican",
              "baptist", "quaker", "orthodox", "jain", "welsh", "polish", "irish", "scottish", "english"}
# verbs that make a mention the subject of something about their health or life
_STATE_VERBS = {"have", "be", "'s", "can", "will", "do", "need", "take", "live", "fall", "keep", "struggle",
                "suffer", "got", "go", "eat", "sleep", "refuse", "would", "use", "get", "come", "not"}
_CARE_VERBS = ("look after", "looks after", "looking after", "care for", "cares for", "caring for",
               "carer for", "carer to", "carer of", "support", "supports", "supporting", "help", "helps",
               "helping", "worried about", "worry about", "worrying about", "concerned about", "about",
               "for")
CONTACT_VERBS = {"phone", "call", "ring", "contact", "text", "ask", "tell", "email", "message"}


@dataclass
class Mention:
    start: int                    # token index
    end: int
    kind: str                     # rel | name | pron | self | we
    rel: str | None = None
    name: str | None = None
    gender: str | None = None     # "f" | "m" | None
    third: bool = False           # "his niece": someone else's relative
    role: str = ""                # "" | invitee | contact | professional
    person: PersonMention | None = None   # resolved
    flags: set = field(default_factory=set)


def _gender_of(rel: str | None, name: str | None) -> str | None:
    if rel in FEMALE:
        return "f"
    if rel in MALE:
        return "m"
    if name:
        low = name.lower()
        if low in FEMALE_NAME_SET and low not in MALE_NAME_SET:
            return "f"
        if low in MALE_NAME_SET and low not in FEMALE_NAME_SET:
            return "m"
    return None


def _is_capitalised(orig: str) -> bool:
    return len(orig) >= 2 and orig[0].isupper() and orig[1:].islower() and orig.isalpha()


def name_at(p: Parsed, i: int, after_rel: bool, all_lower: bool) -> str | None:
    """A first name at token i, or None. After "my mum" we accept more than on its own."""
    if i >= len(p):
        return None
    t = p.toks[i]
    low = t.low
    if not low.isalpha() or low in _NAME_STOP or low in RELATIONSHIPS:
        return None
    if low in FIRST_NAMES and low not in AMBIGUOUS_NAMES:
        return low.capitalize()
    if _is_capitalised(t.orig):
        if low in AMBIGUOUS_NAMES or low in FIRST_NAMES:
            return low.capitalize()
        if after_rel and len(low) >= 3 and low not in english_words():
            return t.orig
        if after_rel and len(low) >= 3 and low not in _NAME_STOP and i + 1 < len(p) and p.toks[i + 1].low in (
                ",", "'s", "has", "is", "who", "takes", "was", "needs", "lives", "and"):
            return t.orig
    if after_rel and all_lower and low in AMBIGUOUS_NAMES and low not in ("will", "may", "pop", "sue"):
        return low.capitalize()
    if after_rel and all_lower and len(low) >= 3 and low not in english_words() and i + 1 < len(p) and \
            p.toks[i + 1].low in _AFTER_LOWER_NAME:
        return low.capitalize()  # "my sibling jordan uses...", "my nan edie has...": a name not in the list
    return None


# After an unlisted lower-case word that follows a relationship, these make it a name.
_AFTER_LOWER_NAME = {",", "(", "'s", "has", "is", "who", "takes", "uses", "was", "needs", "lives", "and", "had",
                     "gets", "goes", "can", "can't", "does", "doesn't", "hes", "shes", "'"}


def find_mentions(p: Parsed, known: frozenset[str] = frozenset()) -> list[Mention]:
    """Everyone a message names. `known` holds names already in the family's record (lower case)."""
    out = _scan(p)
    _recover_names(p, out, known)
    _mark_roles(p, out)
    _resolve(out)
    return out


def _recover_names(p: Parsed, out: list[Mention], known: frozenset[str]) -> None:
    """"dad and my son Ollie ... ollie has keppra": a name seen once, or already on the record, counts
    wherever it appears, in any case, with or without a possessive s."""
    names = {m.name.lower() for m in out if m.name} | set(known)
    if not names:
        return
    taken = {i for m in out for i in range(m.start, m.end)}
    for t in p.toks:
        if t.i in taken or not t.low.isalpha():
            continue
        word = t.low
        if word not in names and word.endswith("s") and word[:-1] in names:
            word = word[:-1]
        if word in names and word not in _NAME_STOP and word not in RELATIONSHIPS:
            out.append(Mention(t.i, t.i + 1, "name", name=word.capitalize(), gender=_gender_of(None, word)))
    out.sort(key=lambda m: m.start)


def _scan(p: Parsed) -> list[Mention]:
    toks = p.toks
    n = len(toks)
    all_lower = _writes_in_lower_case(p)
    no_capitals = p.text == p.low or p.text == p.text.upper()
    out: list[Mention] = []
    i = 0
    while i < n:
        low = toks[i].low
        # relationship words, longest first
        hit = None
        for size in range(min(_MAX_REL, n - i), 0, -1):
            key = tuple(t.low for t in toks[i:i + size])
            if key in _REL_TOKENS:
                hit = (size, _REL_TOKENS[key], " ".join(key))
                break
        if hit and hit[0] == 1 and low in _ADJ and _next_is_rel(p, i):
            hit = None  # "my eldest daughter": the rank describes the daughter
        if hit:
            size, rel, word = hit
            j = i - 1
            while j >= 0 and (toks[j].low in _ADJ or toks[j].low.isdigit()) and i - j <= 4:
                j -= 1
            det = _DETS.get(toks[j].low) if j >= 0 else None
            if j >= 0 and _possessive_relative(p, j):
                det = "third"  # "mums friend Doreen", "dad's carer": someone else's person
                owner = out[-1] if out and out[-1].kind == "rel" and out[-1].end in (j, j + 1) else None
                in_law = _IN_LAWS.get(rel) if owner is not None and owner.rel in _SPOUSES and not owner.third else None
                if in_law:  # "my wife's mum": my mother-in-law, one person, not the wife
                    out.pop()
                    rel, det, i, size = in_law, "my", owner.start, i + size - owner.start
            elif det == "third" and toks[j].low in ("his", "her") and _IN_LAWS.get(rel):
                # "my husband dave has MS. his mum pat lives with us": "his" is the spouse just
                # named, so his mum is the carer's mother-in-law, someone the carer looks after too
                spouse = next((m for m in reversed(out) if m.kind == "rel" and not m.third), None)
                if spouse is not None and spouse.rel in _SPOUSES and _gender_of(spouse.rel, spouse.name) in (
                        None, "m" if toks[j].low == "his" else "f"):
                    rel, det = _IN_LAWS[rel], "my"
            ok = True
            if word in REL_NEED_DETERMINER and det not in ("my", "third"):
                ok = det == "the" and word in REL_THE_OK
                # "son is 15 with ADHD": a relative opening a sentence, as its subject
                if det is None and (i == 0 or p.sent_break[i - 1]) and word not in _BARE_NOT_OK and \
                        i + size < n and toks[i + size].low in _SUBJECT_VERBS:
                    ok = True
            if word == "oh" and toks[i].orig != "OH" and det != "my":
                ok = False
            if ok and det == "a":
                ok = False  # "a friend", "a son": not someone in particular
            if ok and i + size < n and toks[i + size].low in ("in", "law") and word in ("mother", "father"):
                ok = True
            if ok:
                m = Mention(i, i + size, "rel", rel=rel, third=(det == "third"))
                if rel == "baby" and j >= 1 and toks[j - 1].lemma in ("have", "had"):
                    m.flags.add("object")  # "she had our baby": the mother stays the subject
                k = i + size
                if k < n and toks[k].low in (",", "("):
                    k += 1
                if k < n and toks[k].low in ("called", "named"):
                    k += 1
                if k + 2 < n and toks[k].low in ("'s", "s") and toks[k + 1].low == "name" or \
                        k + 1 < n and toks[k].low == "name" and word in _POSSESSIVE_RELS:
                    k += 1 if toks[k].low == "name" else 2  # "mum's name is Margaret": as "mum is Margaret"
                name = name_at(p, k, after_rel=True, all_lower=all_lower)
                if not name and k + 1 < n and toks[k].low in ("is", "'s", "was") and not _PLURAL.get(word):
                    # "mum is Rita and dad is Ken": the name after "is"
                    named = name_at(p, k + 1, after_rel=True, all_lower=all_lower)
                    if named and (k + 2 >= n or toks[k + 2].low in (",", ".", "and", "she", "he", "who", "(",
                                                                     "!", ";", "-", "but", "shes", "hes")
                                  or toks[k + 2].low.isdigit() or p.sent_break[k + 2]):
                        name, k = named, k + 1
                if _PLURAL.get(word) and k + 1 < n and toks[k].low in ("are", "r", ":"):
                    out.extend(_plural_names(p, k + 1, _PLURAL[word], all_lower))
                if name:
                    m.name, m.end = name, k + 1
                    if m.end < n and toks[m.end].low == ")":
                        m.end += 1  # "dad (Frank)"
                m.gender = _gender_of(rel, m.name)
                if name and det is None and word in _CLERGY_TITLES:
                    m.role = "professional"  # "wants Father Michael called": a priest, not dad
                _age_after(p, m)
                out.append(m)
                i = m.end
                continue
        if low in _SELF or (low == "my" and not _next_is_rel(p, i)):
            if low == "me" and i + 1 < n and toks[i + 1].low in RELATIONSHIPS:
                pass  # "me mam"
            else:
                out.append(Mention(i, i + 1, "self"))
        elif low in _WE or (low == "our" and not _next_is_rel(p, i)):
            out.append(Mention(i, i + 1, "we"))
        elif low in _FEM:
            out.append(Mention(i, i + 1, "pron", gender="f"))
        elif low in _MASC:
            out.append(Mention(i, i + 1, "pron", gender="m"))
        elif low in _THEY:
            out.append(Mention(i, i + 1, "pron"))
        else:
            name = _standalone_name(p, i, no_capitals)
            if name:
                m = Mention(i, i + 1, "name", name=name, gender=_gender_of(None, name))
                prev = toks[i - 1].low if i else ""
                prev2 = toks[i - 2].low if i > 1 else ""
                near = {t.low for t in toks[max(0, i - 5):i]}
                if prev in _PRO_WORDS - {"is", "called", "named", "from", "at"} or (
                        prev in ("is", "called", "named", "from", "at") and near & (_PRO_WORDS - {
                            "is", "called", "named", "from", "at", "sister"})):
                    m.role = "professional"
                del prev2
                out.append(m)
        i += 1
    return out


def _writes_in_lower_case(p: Parsed) -> bool:
    """Whether the writer leaves names in lower case: no word is capitalised, though acronyms
    ("PDA", "COPD", "I") may be in capitals."""
    if p.text == p.text.upper():
        return True
    if not any(t.orig[:1].isupper() and not t.orig.isupper() for t in p.toks if t.orig.isalpha()):
        return True
    # one who never starts a sentence with a capital leaves names small too, though a pet's or a
    # place's name may have one ("my husband mark ... a lab called Buster")
    starts = [t for t in p.toks if t.orig.isalpha() and (t.i == 0 or p.sent_break[t.i - 1])]
    return bool(starts) and all(t.orig[:1].islower() for t in starts)


_SPOUSES = {"wife", "husband", "partner"}
_IN_LAWS = {"mother": "mother_in_law", "father": "father_in_law"}

# "Father" with a name and no "my" is a priest's title; carers call their own father dad.
_CLERGY_TITLES = {"father"}

_BARE_NOT_OK = {"oh", "ma", "pa", "da", "pop", "pops", "mate", "pal", "boy", "girl", "lad", "babe", "babba",
                "friend", "partner", "kid", "kids", "child", "children", "baby", "little one"}
_SUBJECT_VERBS = {"is", "'s", "has", "had", "was", "takes", "needs", "uses", "lives", "goes", "gets", "can't",
                  "cannot", "ca", "does", "doesn't", "does'nt", "wo", "won't", "sees", "got"}
_PLURAL = {"kids": "child", "children": "child", "twins": "child", "sons": "son", "daughters": "daughter",
           "boys": "son", "girls": "daughter", "grandchildren": "grandchild", "grandkids": "grandchild",
           "parents": None}


def _age_after(p: Parsed, m: Mention) -> None:
    """"mum Pat 79", "my son Mo (8)", "my daughter (16)": an age right after the person."""
    j, n = m.end, len(p)
    if j < n and p.toks[j].low == "(":
        j += 1
    if j < n and p.toks[j].low.isdigit() and 0 < int(p.toks[j].low) <= 110 and not (
            j + 1 < n and p.toks[j + 1].low in ("mg", "ml", "units", "times", "weeks", "months", "days", "%", "x")):
        m.flags.add("age:" + p.toks[j].low)


def _plural_names(p: Parsed, k: int, rel: str, all_lower: bool) -> list[Mention]:
    """"my kids are Maisie 5 and Harvey 3": each child, by name."""
    found, j, n = [], k, len(p)
    while j < n:
        name = name_at(p, j, after_rel=True, all_lower=all_lower)
        if not name:
            break
        m = Mention(j, j + 1, "rel", rel=rel, name=name, gender=_gender_of(None, name))
        found.append(m)
        j += 1
        if j < n and p.toks[j].low.isdigit():
            m.flags.add("age:" + p.toks[j].low)
            j += 1
        if j < n and p.toks[j].low in (",", "and", "&"):
            j += 1
            continue
        break
    return found


_POSSESSIVE_RELS = {"mums", "dads", "mams", "nans", "grans", "grandads", "husbands", "wifes", "sons", "daughters",
                    "brothers", "sisters"}


def _possessive_relative(p: Parsed, j: int) -> bool:
    """"mums friend", "my dad's carer": token j is a relative's possessive."""
    low = p.toks[j].low
    if low in _POSSESSIVE_RELS:
        return True
    return low in ("'s", "s") and j > 0 and p.toks[j - 1].low in RELATIONSHIPS


def _next_is_rel(p: Parsed, i: int) -> bool:
    j = i + 1
    while j < len(p) and (p.toks[j].low in _ADJ or p.toks[j].low.isdigit()) and j - i <= 4:
        if p.toks[j].low in RELATIONSHIPS:
            return True  # "my eldest": the rank is the relative
        j += 1
    return j < len(p) and (p.toks[j].low in RELATIONSHIPS or
                           (j + 1 < len(p) and f"{p.toks[j].low} {p.toks[j + 1].low}" in RELATIONSHIPS))


_STREETS = set(STREET_SUFFIXES.split("|"))


def _standalone_name(p: Parsed, i: int, all_lower: bool) -> str | None:
    t = p.toks[i]
    low = t.low
    if low not in FIRST_NAMES:
        return None
    if i + 1 < len(p) and p.toks[i + 1].low in _STREETS:
        return None  # "22 Willow Close" is an address
    if low in AMBIGUOUS_NAMES and (all_lower or not _is_capitalised(t.orig) or p.sent_start(i) == i):
        # A name that is also a word ("lily", "pat", "mark") counts in lower case only where a word
        # would not stand: at the start of a clause as the subject of "has", "takes", "is" ..., or
        # coordinated with a name that is nothing else ("lily and rosie").
        return low.capitalize() if _named_by_position(p, i) else None
    if not all_lower and not _is_capitalised(t.orig):
        return None
    return low.capitalize()


_CLAUSE_OPENERS = {",", "and", "&", "but", "while", "whereas", "whilst", ".", ";", ":", "-", "then", "so", "("}
_NEVER_BARE = {"will", "may", "pop", "sue", "bill", "june", "rose", "mark", "jack", "frank", "robin"}


def _named_by_position(p: Parsed, i: int) -> bool:
    """Whether the ambiguous word at i stands where only a person's name would."""
    low, n = p.toks[i].low, len(p)
    if low in _NEVER_BARE:  # "the bill has gone up", "in june", "mark the date": words first
        return False
    clause_start = i == p.sent_start(i) or p.toks[i - 1].low in _CLAUSE_OPENERS
    if clause_start and i + 1 < n and p.toks[i + 1].low in _SUBJECT_VERBS:
        return True

    def plain_name(j: int) -> bool:
        return 0 <= j < n and p.toks[j].low in FIRST_NAMES and p.toks[j].low not in AMBIGUOUS_NAMES

    joined = {"and", "&", ","}
    return (i + 2 < n and p.toks[i + 1].low in joined and plain_name(i + 2)) or \
        (i >= 2 and p.toks[i - 1].low in joined and plain_name(i - 2))


# "only answers to Peggy", "known as Ken", "everyone calls him Ken": another name for someone
# already named, not a new person.
_ALIAS_BEFORE = ("answers to", "known as", "goes by", "be called", "calls her", "calls him", "call her",
                 "call him", "calls them", "call them", "called her", "called him")


# A person named as the one who acts for someone, not as someone cared for.
_ROLE_AFTER = re.compile(r"^(?:is|are|'s|'re|will be)\s+(?:(?:her|his|their|the|joint|both)\s+)*"
                         r"(?:attorneys?|next of kin|executors?|deputy|deputies|lpa|power of attorney|"
                         r"appointee|main contact)\b")


def _mark_roles(p: Parsed, mentions: list[Mention]) -> None:
    toks = p.toks
    for m in mentions:
        if m.kind not in ("rel", "name"):
            continue
        if m.kind == "name" and m.start >= 2 and \
                f"{toks[m.start - 2].low} {toks[m.start - 1].low}" in _ALIAS_BEFORE:
            m.role = "alias"
            continue
        after = " ".join(t.low for t in toks[m.end:m.end + 5])
        if _ROLE_AFTER.match(after):
            m.role = "contact"  # "me and my brother are the attorneys": someone acting for them
            continue
        # "phone his niece first", "call my daughter"
        for j in range(max(0, m.start - 3), m.start):
            if toks[j].lemma in CONTACT_VERBS or toks[j].low in CONTACT_VERBS:
                if toks[j].low == "ask" and m.start - j > 2:
                    continue
                m.role = m.role or "contact"


def _resolve(mentions: list[Mention]) -> None:
    last: PersonMention | None = None
    last_f: PersonMention | None = None
    last_m: PersonMention | None = None
    named: dict[str, PersonMention] = {}
    by_rel: dict[str, PersonMention] = {}
    for m in mentions:
        if m.kind in ("rel", "name"):
            if m.third or m.role in ("invitee", "contact", "professional", "alias"):
                m.person = PersonMention(m.rel, m.name)
                continue
            person = PersonMention(m.rel, m.name)
            if m.kind == "name" and m.name in named:
                person = named[m.name]
            elif m.kind == "rel" and not m.name and m.rel in by_rel:
                person = by_rel[m.rel]
            elif m.kind == "rel" and m.name and m.rel in by_rel and by_rel[m.rel].name is None:
                by_rel[m.rel] = person
            if person.name:
                named[person.name] = person
            if person.relationship and person.relationship not in by_rel:
                by_rel[person.relationship] = person
            m.person = person
            if "object" in m.flags:
                continue
            last = person
            g = m.gender or _gender_of(person.relationship, person.name)
            if g == "f":
                last_f = person
            elif g == "m":
                last_m = person
        elif m.kind == "pron":
            if m.gender == "f":
                m.person = last_f or (last if _gender_of(last.relationship, last.name) is None else None) \
                    if last else last_f
            elif m.gender == "m":
                m.person = last_m or (last if _gender_of(last.relationship, last.name) is None else None) \
                    if last else last_m
            else:
                m.person = last
            if m.person is None and m.gender:
                # "she takes donepezil" after a message about dad: a woman from an earlier turn
                m.person = PersonMention(None, None, m.gender)
        elif m.kind == "self":
            m.person = SELF
        elif m.kind == "we":
            m.person = last


def subject_before(mentions: list[Mention], tok: int) -> Mention | None:
    """The mention that a fact starting at token `tok` is about: the nearest one before it."""
    best = None
    for m in mentions:
        if m.start >= tok:
            break
        if m.kind in ("rel", "name") and (m.third or m.role or "object" in m.flags):
            continue
        best = m
    return best

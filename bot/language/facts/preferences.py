"""Likes, dislikes and what matters: preferences, what is important to a person, the name they like to be
called, diet and faith."""
from __future__ import annotations

import re

from bot.language import medicines
from bot.language.facts.reader import FILLERS, Reader, self_subject
from bot.language.facts.results import ExtractedFact
from bot.language.nlp import once
from bot.language.vocabulary import MEDICINES

_OBJ_STOP = {",", ".", "!", "?", ";", ":", "and", "but", "or", "because", "so", "when", "if", "as", "though",
             "although", "since", "which", "who", "that", "then", "also", "she", "he", "they", "i", "we",
             "you", "lol", "x", "xx", "too", "either", "tbh", "anymore", "any", "now", "really", "at", "unless",
             "(", ")", "-", "until", "till", "while", "whilst"}
_OBJ_BAD = {"much", "anything", "properly", "well", "enough", "it", "this", "that", "me", "you", "him", "them",
            "us", "a lot", "lot", "very", "everything", "nothing", "the idea", "what", "how", "when", "one",
            "here", "there", "going", "being", "having", "change", "to", "much now", "a thing", "any"}
_PREF_RE = re.compile(
    r"\b(?P<neg>doesn't|does not|won't|will not|can't|cannot|never|don't|do not|didn't|wouldn't|no longer)\s+"
    r"(?:really\s+|like\s+to\s+|ever\s+)?(?P<nv>eat|eats|drink|drinks|like|likes|enjoy|want|tolerate|stand|touch)\s+"
    r"|\b(?P<v>hates|hate|dislikes|detests|loathes|can't stand|cannot stand|refuses|won't have|will not have|"
    r"loves|likes|enjoys|adores|is fond of|'s fond of|is into|'s into|prefers|is scared of|'s scared of|"
    r"is afraid of|'s afraid of|is frightened of|'s frightened of|is terrified of|'s terrified of)\s+"
)
_IMPORTANT_RE = re.compile(r"\b(?:is|are|'s)\s+(?:really\s+|very\s+|so\s+|extremely\s+)?"
                           r"(?:important|everything|a big deal|a big thing|precious)\s+to\s+(?:her|him|them)\b"
                           r"|\bmeans?\s+(?:a lot|the world|everything)\s+to\s+(?:her|him|them)\b")
_CALLED_RE = re.compile(r"\b(?:likes|prefers|wants|like|prefer|(?:would|'d) rather)\s+(?:to\s+)?be\s+called\s+"
                        r"([a-z]+)|\b(?:known as|goes by|answers to|answers only to|(?:everyone|everybody|we all|"
                        r"the family|family|we) calls? (?:her|him|them))\s+([a-z]+)")
_DIET_RE = re.compile(r"\b(?:is|'s|are|only eats|eats|strict|strictly)\s+(?:a\s+|strictly\s+|strict\s+)?"
                      r"(vegetarian|vegan|halal|kosher|gluten free|pescatarian|dairy free)\b")
_FAITH_RE = re.compile(r"\b(?:is|'s)\s+(?:a\s+)?(?:practising\s+|devout\s+|strict\s+)?"
                       r"(muslim|catholic|sikh|hindu|jewish|christian|buddhist|jehovah's witness|methodist|"
                       r"anglican|church of england|baptist|quaker|orthodox)\b")


def _object(r: Reader, start_char: int) -> tuple[str, str, int] | None:
    """The noun phrase after a like/dislike verb: (display, key, end_char)."""
    p = r.p
    i = p.tok_at(start_char)
    j = i
    words: list[int] = []
    while j < len(p) and len(words) < 6:
        w = p.toks[j].low
        if w in _OBJ_STOP or p.clause_break[j] or p.sent_break[j]:
            if w == "and" and words and j + 1 < len(p) and p.toks[j + 1].low not in (
                    "she", "he", "they", "i", "we", "her", "his", "hates", "loves", "likes", "doesn't",
                    "is", "has", "won't", "can't", "prefers", "enjoys") and p.toks[j + 1].lemma not in (
                    "be", "have", "do", "hate", "love", "like", "prefer", "need", "take", "enjoy", "get"):
                words.append(j)
                j += 1
                continue
            break
        if w in ("any", "more") and j + 1 < len(p) and p.toks[j + 1].low == "more":
            break
        words.append(j)
        j += 1
    while words and p.toks[words[-1]].low in ("very", "much", "a", "the", "lot", "at", "all", "of", "now",
                                               "either", "really", "anymore", "though", "and", "on", "in",
                                               "with", "for", "to", "by"):
        words.pop()
    if not words:
        return None
    a, b = p.toks[words[0]].start, p.toks[words[-1]].end
    display_low = p.low[a:b]
    if display_low in _OBJ_BAD or display_low.split()[0] in ("it", "this", "that", "me", "you", "him", "them",
                                                             "us", "what", "how", "when", "being", "a",
                                                             "any", "anything", "much") and len(words) == 1:
        return None
    if display_low in _OBJ_BAD or display_low.startswith(("it ", "that ", "this ", "me ", "you ", "him ",
                                                          "them ", "what ", "how ", "when ")):
        return None
    if any(c.isdigit() for c in display_low) and not re.search(r"[a-z]{3}", display_low):
        return None
    orig = p.text[a:b]
    display = orig if orig != orig.upper() or len(orig) < 4 else display_low
    key_idx = [k for k in words if p.toks[k].low not in ("the", "a", "an", "her", "his", "their", "any", "some",
                                                          "my", "your", "to")]
    last_word = [p.toks[k].lemma for k in key_idx[-1:]]
    if last_word and last_word[0] == p.toks[key_idx[-1]].low and re.fullmatch(r"[a-z]{4,}[^s]s", last_word[0]):
        last_word = [last_word[0][:-1]]
    key_words = [p.toks[k].low for k in key_idx[:-1]] + last_word
    key = " ".join(key_words) or display_low
    return display, key, b


def preference_facts(r: Reader) -> None:
    low = r.p.low
    hits = []
    for m in _PREF_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i, allow=frozenset({"want", "wants", "would"})):
            continue
        # who likes it? not the carer, not "you", not "would like"
        prev = low[max(0, m.start() - 14):m.start()]
        if re.search(r"\b(?:i|we|you|i'd|i'm|would|i'll|they'd|do you)\s+(?:really\s+|just\s+|also\s+|so\s+|"
                     r"absolutely\s+|still\s+|honestly\s+)?$", prev):
            continue
        if self_subject(r, i) or "would" in prev[-7:]:
            continue
        obj = _object(r, m.end())
        if not obj:
            continue
        display, okey, _ = obj
        if m.group("neg"):
            verb_low = m.group("nv")
            if verb_low in ("want",) and okey in ("to", ""):
                continue
            if verb_low == "want" and re.match(r"(?:to\s+)?(?:be|go|die|have)\b", okey):
                continue  # "doesn't want to be resuscitated": a wish about care, read with the care plans
            neg = {"does not": "doesn't", "do not": "doesn't", "don't": "doesn't", "cannot": "can't",
                   "will not": "won't", "didn't": "doesn't"}.get(m.group("neg"), m.group("neg"))
            verb = verb_low.rstrip("s") if verb_low.endswith("s") and verb_low not in ("likes",) else verb_low
            verb = {"like": "like", "likes": "like", "eats": "eat", "drinks": "drink"}.get(verb, verb)
            if verb == "touch" and okey not in ("meat", "alcohol", "pork", "fish", "beef", "drink"):
                continue
            kind = "dislike"
            value = f"{neg} {verb} {display}"
        else:
            v = m.group("v")
            v = v.replace("'s ", "is ")
            if v in ("hate", "hates", "dislikes", "detests", "loathes", "can't stand", "cannot stand",
                     "refuses", "won't have", "will not have") or "scared" in v or "afraid" in v or \
                    "frightened" in v or "terrified" in v:
                kind = "dislike"
            elif v == "prefers":
                kind = "prefer"
            else:
                kind = "like"
            if v == "hate":
                v = "hates"
            value = f"{v} {display}"
        if _is_medicine(okey) or okey in ("be called",):
            continue
        hits.append((i, kind, okey, value))
    for m in _IMPORTANT_RE.finditer(low):
        i = r.p.tok_at(m.start())
        cs = r.p.clause_start(i)
        j = cs
        while j < i and r.low(j) in FILLERS | {"her", "his", "their", "going", "to", "she", "he", "for"}:
            j += 1
        if j >= i or i - j > 7:
            continue
        if r.question_clause(i):
            continue
        subj = r.p.text[r.p.toks[j].start:r.p.toks[i - 1].end] if i - 1 >= j else ""
        subj_low = subj.lower()
        if not subj or subj_low in ("it", "this", "that", "family", "she", "he"):
            continue
        key_words = [r.low(k) for k in range(j, i) if r.low(k) not in ("the", "a", "her", "his", "going", "to")]
        if key_words and re.fullmatch(r"[a-z]{4,}[^s]s", key_words[-1]):
            key_words[-1] = key_words[-1][:-1]
        pron = re.search(r"to (her|him|them)", m.group(0))
        hits.append((j, "important", " ".join(key_words), f"{subj} is important to {pron.group(1) if pron else 'her'}"))
    for m in _CALLED_RE.finditer(low):
        name = (m.group(1) or m.group(2))
        i = r.p.tok_at(m.start())
        if self_subject(r, i) or r.question_clause(i):
            continue
        # the name they answer to is how to speak to them: About Me's "how to communicate with me"
        r.add(i, ExtractedFact("communication", "communication:preferred name",
                               f"prefers to be called {name.capitalize()}", None, {"name": name.capitalize()}))
    for m in _DIET_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.negated_before(i + 1):
            continue
        hits.append((i, "diet", "diet", m.group(1)))
    for m in _FAITH_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or r.negated_before(i + 1):
            continue
        if low[m.end():m.end() + 1].isalpha():
            continue
        hits.append((i, "faith", "faith", m.group(1).title().replace("'S", "'s").replace("Of", "of")))
    for i, kind, okey, value in hits:
        key = f"preference:{kind}" if kind in ("diet", "faith") else f"preference:{kind}:{okey}"
        r.add(i, ExtractedFact("preference", key, value, None, {"kind": kind}))


@once
def _medicine_words() -> frozenset[str]:
    return frozenset(p.lower() for t in MEDICINES for p in t.phrases)


def _is_medicine(word: str) -> bool:
    return word in _medicine_words() or medicines.term_for(word) is not None

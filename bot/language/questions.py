"""What a question asks: whom (the focus person), what part of the record (the topic), and its sort.

"and mum?" is a follow-up about mum; "who is her GP?" asks the GP of the woman just talked about;
"what do they need to know if an ambulance comes?" asks for the emergency view, care plans first.
Sorts of question are told apart here too: about the record, about who is responsible for
something (the directory's ground), asking for a person, or reporting a wrong service detail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import yaml

from bot.language.mentions import find_mentions
from bot.language.nlp import english_words, once
from bot.language.parse import Parsed
from bot.language.reading import Person
from bot.language.vocabulary import FIRST_NAMES
from bot.settings import ROOT

TOPICS_FILE = ROOT / "data" / "vocabulary" / "question_topics.yml"

# What a body does when it is responsible: "who weighs him now", "who regulates them", "whos meant
# to check on the baby". Only verbs of duty, so "my sister, who lives in Leeds" is not a question.
_DUTY_VERBS = (r"weighs|regulates|inspects|monitors|oversees|registers|funds|assesses|organises|organizes|"
               r"approves|investigates|keeps an eye|sees to|supervises|authorises|authorizes")
QUESTION = re.compile(
    r"\?|^\W*(?:(?:and|n|so|ok|okay|right|also|oh)\s+(?=wh|wat|wot|how))?((?:what|wat|wot|who|where|when|why|how)(?:'?s|z)?|whom|whose|which|can|could|do|does|did|is|are|will|would|"
    r"should|has|have you|tell me|show me|remind me|any idea|anything)\b|"
    r"\b(is there (any|a|anyone|someone|anything)|are there any|what do (i|we) (have|need) to|"
    r"how (can|do|would|should) (i|we)|can (i|we|she|he|they) (get|have|claim|apply)|"
    r"who (do|should|can) (i|we)|where (do|can|should) (i|we)|"
    r"i need to know|do you know who|any help|can (someone|somebody|anyone)|what (do|should|shall) (i|we) do|"
    # asked indirectly: "none of us know who changes the bag", "not sure who to call"
    r"(?:(?:i|we) (?:really )?(?:don'?t|do not|dont) know|none of us knows?|nobody knows|no one knows|not sure|"
    r"no idea|unsure) (?:who|where|how) (?:to|do|does|should|can|changes|deals|sorts|fits|pays|is)|"
    # a condition first: "if an ambulance comes what do they need to know about mum"
    r"^\W*(?:if|when|in case|say)\b[^?.!]{0,60}?\b(?:what|wat|wot|who|where|how)\s+(?:do|does|should|would|will|"
    r"can|is|are|'s))\b",
    re.IGNORECASE)
ASKS_WHO = re.compile(
    r"\b(whose job|which (team|service|department)|where (do|can|should) i|how (do|does|can|would) "
    r"(i|we|she|he|they|my \w+) get|responsib\w*|sort(s|ing)? (this|it|out)|in charge of|supposed to|"
    r"who (do|should|can) (i|we)( even| actually)? (call|ring|ask|contact|speak|see|go to|talk to|get in touch with|"
    r"phone|tell)|"
    r"who (pays|decides|arranges|provides|fixes|does|deals|sorts|visits|checks|helps|" + _DUTY_VERBS + r")|"
    r"who(?:'?s| is) (meant|supposed|responsible|in charge)|"
    r"who (can|will|should|would|is supposed to|is meant to) (sort|fix|help|put|fit|arrange|do|give|provide|pay|deal|"
    r"come|check|see|assess)|how (is|are|does|do|can) (he|she|they|we|i) (meant|supposed) to|is there (any|a)|"
    r"are there any|can (i|we|she|he|they) (get|have|claim|apply)|what do (i|we) (have|need) to|"
    r"how (can|do|would|should) (i|we)|any help|any money|claim|can (someone|somebody|anyone))\b", re.IGNORECASE)
_HOW_TO_TALK = re.compile(r"\bhow (?:do|can|should|shall|would|will) "
                          r"(?:i|we|you|people|carers|staff|they|the carers)\s+"
                          r"(?:best\s+)?(?:(?:talk|speak|chat|communicate)\s+(?:to|with)\s+(?!someone|somebody|anyone)\w+"
                          r"(?!\s+about)\b|get\s+in(?:to)?\b|let\s+(?:ourselves|themselves|myself)\s+in\b)")
ASKS_FOR_PERSON = re.compile(
    r"\b(real person|actual person|a human|someone to (call|ring|phone|talk to)|"
    r"(speak|talk) (to|with) (someone|somebody|a person|a human|a real)|"
    r"person i can (speak|talk)|someone i can (speak|talk)|one person|a person who|"
    r"someone who knows|somebody who knows|a named person|"
    r"my (lead|social worker|key worker)|(call|ring|phone) me( back)?)\b", re.IGNORECASE)
REPORT = re.compile(r"\b(closed|shut|doesn'?t work|not working|wrong number|out of date|no longer|disconnected|"
                    r"nobody answers|no one answers|doesn'?t exist|dead line|moved)\b", re.IGNORECASE)
# Carers rarely punctuate: a question often starts mid-message ("dad came home, then what?? who
# decides ..."). A clause that opens like a question counts; "my sister, who lives in Leeds" doesn't.
_CLAUSE = re.compile(r"[^,.;:!?\n]+")
CLAUSE_QUESTION = re.compile(
    r"^\s*(who(?:'?s| is) (meant|supposed|in charge)|who (" + _DUTY_VERBS + r")|"
    r"who (do|does|should|can|could|would|will|takes?|decides?|helps?|pays?|sorts?|arranges?|checks?|"
    r"deals?|looks?|gives?|provides?|is responsible|to)|what(?! (she|he|they|it|i|we|you)\b)|which|where|"
    r"how (do|does|can|could|would|should|is|are|much|long)|is there|are there|is that|can (i|we|you|she|he|they|"
    r"someone|anyone|somebody)|could (i|we|you|someone|anyone)|do (i|we|you)|does (anyone|someone|somebody)|"
    r"should (i|we)|any help|any money)\b", re.IGNORECASE)
# "and mum?", "what about dad", "harvey?", "and mums?": a person and nothing else.
_LEADS = re.compile(r"^\W*(?:(?:ok|okay|right|so)\s+)?(?:and what about|what about|wat about|wot about|how about|"
                    r"and for|and|n)\b", re.IGNORECASE)
_FILLER = {"my", "our", "your", "the", "'s", "s", "?", "!", ".", ",", "then", "now", "too", "please", "x"}



def is_question(text: str) -> bool:
    """A question anywhere in the message: at its start, after "?", or opening a later clause."""
    return bool(QUESTION.search(text)) or any(CLAUSE_QUESTION.match(c) for c in _CLAUSE.findall(text)[1:])


@dataclass(frozen=True)
class Question:
    question: bool
    follow_up: bool
    focus: Optional[Person]
    topic: Optional[str]
    asks_who: bool
    asks_for_person: bool
    reports_problem: bool


@once
def topic_patterns() -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    data = yaml.safe_load(TOPICS_FILE.read_text())
    return tuple((topic, tuple(re.compile(p) for p in patterns)) for topic, patterns in data.items())


# Carers drop the apostrophe: "wats mum on", "wheres dad now" read as "wat is", "where is".
_BARE_CONTRACTION = re.compile(r"\b(what|wat|wot|where|who|how|when)s\b")


def topic_of(low: str) -> Optional[str]:
    low = _BARE_CONTRACTION.sub(r"\1 is", low)
    for topic, patterns in topic_patterns():
        if any(p.search(low) for p in patterns):
            return topic
    return None


# "what is pat on", "what does len take", "anything on uncle pete": where a lower-case name stands
_NAME_SLOT = re.compile(r"\b(?:(?:what|where|how|who|when)\s+(?:is|does|did|has|'s|do)|about|on|for|to)\s+"
                        r"(?:(?:uncle|auntie|aunt|cousin|nana|nanna|grandad|grandma)\s+)?(?P<name>[a-z]{2,20})\b")
_NOT_NAMES = {"the", "a", "an", "my", "her", "his", "their", "it", "this", "that", "now", "record", "file",
              "there", "he", "she", "they", "you", "we", "i", "me", "them", "him", "us", "mum", "dad"}


def _asking_spans(low: str) -> Optional[list[tuple[int, int]]]:
    """Where a message that tells and then asks does its asking: the question clauses' spans.

    "my husband died 2 weeks ago, I was getting carers allowance. what happens to it now" asks
    about nothing the record holds, though "carers" and "husband" are in its story. None when the
    message is all question or all story: then the whole message is the question.
    """
    asking, telling = [], False
    for clause in _CLAUSE.finditer(low):
        text = clause.group()
        if not text.strip():
            continue
        followed_by_mark = low[clause.end():clause.end() + 1] == "?"
        if followed_by_mark or QUESTION.search(text) or CLAUSE_QUESTION.match(text):
            asking.append(clause.span())
        else:
            telling = True
    return asking if asking and telling else None


def _focus(parsed: Parsed, known: frozenset[str], spans: Optional[list[tuple[int, int]]] = None) -> Optional[Person]:
    """The person a question is about: the first named or related person, else a he/she/they.

    With `spans`, the person must be named in the asking part; a he/she/they there points back to
    the first person the story named."""
    def asked(mention) -> bool:
        return spans is None or any(a <= parsed.toks[mention.start].start < b for a, b in spans)

    mentions = [m for m in find_mentions(parsed, known)
                if m.kind in ("rel", "name", "pron") and not m.third and m.role != "professional"]
    pronoun = None
    for mention in mentions:
        if not asked(mention):
            continue
        if mention.kind in ("rel", "name"):
            return Person(mention.rel, mention.name, mention.gender)
        if pronoun is None:
            pronoun = Person(None, None, mention.gender or "")
    if pronoun is not None:
        if spans is not None:
            for mention in mentions:
                if mention.kind in ("rel", "name"):
                    return Person(mention.rel, mention.name, mention.gender)
        return pronoun
    where = parsed.low if spans is None else " ".join(parsed.low[a:b] for a, b in spans)
    for match in _NAME_SLOT.finditer(where):
        word = match.group("name")
        if word not in _NOT_NAMES and (word in FIRST_NAMES or word not in english_words()) \
                and topic_of(word) is None:
            return Person(None, word.capitalize())
    return None


def _follow_up(parsed: Parsed, known: frozenset[str]) -> tuple[bool, Optional[Person]]:
    """A person and nothing else, perhaps after "and" / "what about": the question before, about them."""
    if not parsed.toks or len(parsed.toks) > 8:
        return False, None
    lead = _LEADS.match(parsed.low)
    start = parsed.tok_at(lead.end()) if lead else 0
    if lead and parsed.toks[start].start < lead.end():
        start += 1
    rest = [t for t in parsed.toks[start:] if t.low not in _FILLER]
    if not rest:
        return False, None
    people = [m for m in find_mentions(parsed, known) if m.kind in ("rel", "name") and not m.third and m.start >= start]
    if people:
        person = people[0]
        covered = set(range(person.start, person.end))
        if all(t.i in covered for t in rest):
            return True, Person(person.rel, person.name, person.gender)
        return False, None
    # "harvey?", "wat about jack": one word that is a first name or not ordinary English
    word = rest[0].low
    if len(rest) == 1 and word.isalpha() and len(word) > 1 and (lead or parsed.low.rstrip().endswith("?")) and (
            word in FIRST_NAMES or (word not in english_words() and word.rstrip("s") not in english_words()
                                    and topic_of(word) is None)):
        return True, Person(None, word.capitalize())
    return False, None


def read_question(parsed: Parsed, known: frozenset[str] = frozenset()) -> Question:
    low = parsed.low
    follow_up, person = _follow_up(parsed, known)
    asked = follow_up or is_question(low)
    spans = None if follow_up or not asked else _asking_spans(low)
    asking = low if spans is None else " ".join(low[a:b] for a, b in spans)
    topic = topic_of(asking) if asked else None
    focus = person if follow_up else (_focus(parsed, known, spans) if asked else None)
    # "how do i talk to lily", "how do i get into dads" ask the record (how she communicates, how to
    # get in), not whom to call
    asks_who = bool(ASKS_WHO.search(low)) and not (topic in ("communication", "access") and focus is not None
                                                  and _HOW_TO_TALK.search(low))
    return Question(question=asked, follow_up=follow_up, focus=focus, topic=topic,
                    asks_who=asks_who, asks_for_person=bool(ASKS_FOR_PERSON.search(low)),
                    reports_problem=bool(REPORT.search(low)))

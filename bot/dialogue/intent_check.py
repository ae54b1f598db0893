"""A second opinion on Rasa's intent, from what the words actually contain.

The classifier is good at the broad sort of message but can confuse neighbours: a statement of
facts read as a question about the record, a "who do I call" story read as a fact. The record's
own extractor and the directory's need matcher are more precise about their own ground, so when
they clearly disagree with the classifier they win. Only these neighbouring intents are touched.
"""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.directory import responsibility
from bot.language.facts import understand

NEIGHBOURS = {"tell_fact", "ask_record", "correct_fact", "ask_responsible", "nlu_fallback", "out_of_scope",
              "request_human", "report_service_problem"}
REPORT = re.compile(r"\b(closed|shut|doesn'?t work|not working|wrong number|out of date|no longer|disconnected|"
                    r"nobody answers|no one answers|doesn'?t exist|dead line|moved)\b", re.IGNORECASE)
ASKS_FOR_PERSON = re.compile(r"\b(real person|actual person|a human|someone to (call|ring|phone|talk to)|"
                             r"(speak|talk) (to|with) (someone|somebody|a person|a human|a real)|"
                             r"person i can (speak|talk)|someone i can (speak|talk)|one person|a person who|"
                             r"someone who knows|somebody who knows|a named person|"
                             r"my (lead|social worker|key worker)|(call|ring|phone) me( back)?)\b",
                             re.IGNORECASE)
# Words that ask for a person rather than a topic: a request naming none of them may be a topic.
PERSON_WORDS = re.compile(r"\b(person|people|human|someone|somebody|anyone|anybody|worker|agent|operator|"
                          r"professional|advis[eo]r|staff|call|ring|phone|speak|talk|visit)\b", re.IGNORECASE)
QUESTION = re.compile(
    r"\?|^\W*(what|who|whom|whose|which|where|when|why|how|can|could|do|does|did|is|are|will|would|"
    r"should|have you|tell me|show me|remind me|any idea)\b|"
    r"\b(is there (any|a|anyone|someone|anything)|are there any|what do (i|we) (have|need) to|"
    r"how (can|do|would|should) (i|we)|can (i|we|she|he|they) (get|have|claim|apply)|"
    r"who (do|should|can) (i|we)|where (do|can|should) (i|we)|"
    r"i need to know|do you know who|any help|can (someone|somebody|anyone)|what (do|should|shall) (i|we) do)\b",
    re.IGNORECASE)
RESPONSIBILITY = re.compile(
    r"\b(whose job|which (team|service|department)|where (do|can|should) i|how (do|does|can|would) "
    r"(i|we|she|he|they|my \w+) get|responsib\w*|sort(s|ing)? (this|it|out)|in charge of|supposed to|"
    r"who (do|should|can) (i|we)( even| actually)? (call|ring|ask|contact|speak|see|go to|talk to|get in touch with|"
    r"phone|tell)|"
    r"who (pays|decides|arranges|provides|fixes|does|deals|sorts|comes|visits|checks|helps)|"
    r"who (can|will|should|would|is supposed to|is meant to) (sort|fix|help|put|fit|arrange|do|give|provide|pay|deal|"
    r"come|check|see|assess)|how (is|are|does|do|can) (he|she|they|we|i) (meant|supposed) to|is there (any|a)|"
    r"are there any|can (i|we|she|he|they) (get|have|claim|apply)|what do (i|we) (have|need) to|"
    r"how (can|do|would|should) (i|we)|any help|any money|claim|can (someone|somebody|anyone))\b", re.IGNORECASE)
RECORD_QUESTION = re.compile(r"\b(you know|you got|you have|have you got|on (her|his|their|the) record|on file|"
                             r"remind me|what (medicines|medication|meds|tablets|conditions)|"
                             r"what('?s| is) (her|his) gp)\b",
                             re.IGNORECASE)
ABOUT_RECORD = re.compile(r"\b(know|got|have|record|kept|say|said|told you|on file|remind|live|lives|address|"
                          r"postcode|gp|medicines?|meds|tablets|conditions?|appointments?|takes?)\b",
                          re.IGNORECASE)


# Carers rarely punctuate: a question often starts mid-message ("dad came home, then what?? who
# decides ..."). A clause that opens like a question counts; "my sister, who lives in Leeds" doesn't.
_CLAUSE = re.compile(r"[^,.;:!?\n]+")
CLAUSE_QUESTION = re.compile(
    r"^\s*(who (do|does|should|can|could|would|will|takes?|decides?|helps?|pays?|sorts?|arranges?|checks?|"
    r"deals?|looks?|gives?|provides?|is responsible|to)|what(?! (she|he|they|it|i|we|you)\b)|which|where|"
    r"how (do|does|can|could|would|should|is|are|much|long)|is there|are there|is that|can (i|we|you|she|he|they|"
    r"someone|anyone|somebody)|could (i|we|you|someone|anyone)|do (i|we|you)|does (anyone|someone|somebody)|"
    r"should (i|we)|any help|any money)\b", re.IGNORECASE)


def is_question(text: str) -> bool:
    return bool(QUESTION.search(text)) or any(CLAUSE_QUESTION.match(c) for c in _CLAUSE.findall(text)[1:])


def reconcile(session: Session, intent: str, text: str) -> str:
    """The intent to act on: Rasa's, unless the words clearly say otherwise."""
    if intent in ("bot_help", "nlu_fallback", "out_of_scope", "tell_fact", "ask_responsible") \
            and ASKS_FOR_PERSON.search(text):
        return "request_human"  # "is there an actual person I can speak to"
    if intent not in NEIGHBOURS:
        return intent
    reading = responsibility.read_needs(session, text)
    needs = list(reading.matched)
    if intent == "request_human":
        # "can someone put a rail in" is a services question, not a request for a person; so is
        # "I need help with mum's money stuff", which names a topic the classifier knows and no person.
        if ASKS_FOR_PERSON.search(text):
            return intent
        by_meaning = bool(reading.codes or reading.close) and not PERSON_WORDS.search(text)
        return "ask_responsible" if needs or by_meaning else intent
    if intent == "report_service_problem":
        return intent  # the router decides, knowing whether a service was just named
    asks_who = bool(RESPONSIBILITY.search(text))
    question = is_question(text) or asks_who
    understood = understand(text)
    has_facts = bool(understood.facts or understood.ended_keys)
    # No phrase matched, but the need classifier sees a need in a "who / is there anyone" question.
    # A question about the person ("does mum have any allergies?") stays one unless it asks who.
    by_meaning = not needs and bool(reading.codes or reading.close) and (asks_who or intent != "ask_record")
    # A correction that ends nothing and asks about a need ("my boss says I must use annual leave,
    # is that right? isn't there something for carers") is a question, not a correction.
    corrects_nothing = intent == "correct_fact" and not understood.ended_keys
    if question and (needs or by_meaning) and not RECORD_QUESTION.search(text) and (
            asks_who or corrects_nothing or intent in ("tell_fact", "nlu_fallback", "out_of_scope", "ask_record")):
        return "ask_responsible"
    if not question and has_facts:
        if understood.ended_keys or intent == "correct_fact":
            return "correct_fact"
        return "tell_fact"
    if question and not asks_who and not needs and ABOUT_RECORD.search(text) and intent != "correct_fact":
        return "ask_record"  # "where does vera live", "what tablets is he on"
    if intent in ("nlu_fallback", "out_of_scope") and question and (needs or by_meaning):
        return "ask_responsible"
    if intent == "ask_responsible" and not needs and has_facts and not (question and (reading.codes or reading.close)):
        return "tell_fact"
    return intent

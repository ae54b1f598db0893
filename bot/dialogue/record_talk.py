"""Tell once: consent, storing facts, saying the record back, corrections and family invitations."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.dialogue import directory_talk, summary, texts
from bot.dialogue import state as st
from bot.dialogue.intent_check import is_question
from bot.dialogue.people import pronoun, resolve
from bot.dialogue.turn import Turn
from bot.directory.responsibility import match_needs, read_needs
from bot.handoff import outbox
from bot.language.facts import Understanding, understand
from bot.phone import find_phone, phone_hash
from bot.records import models as m
from bot.records import service as records
from bot.records.audit import Actor

log = logging.getLogger(__name__)

YES = re.compile(r"^\W*(yes|yeah|yea|yep|yup|ya|aye|ok|okay|k|go on|go ahead|sure|fine|agreed?|i agree|"
                 r"alright|all right|please do|of course|that'?s fine|thats ok|sounds good|y)\b", re.IGNORECASE)
NO = re.compile(r"^\W*(no|nope|nah|not now|no thanks|don'?t|i'?d rather not|n)\b", re.IGNORECASE)

# Words that narrow "what do you know" to one part of the record.
FOCUS = [
    (re.compile(r"\b(medic\w*|meds|tablets?|pills?|prescri\w*|drugs?|takes?|taking|dose)\b", re.I), "medicine"),
    (re.compile(r"\b(conditions?|diagnos\w*|illness\w*|wrong with)\b", re.I), "condition"),
    (re.compile(r"\b(gp|doctor|surgery|practice)\b", re.I), "gp"),
    (re.compile(r"\b(appointments?)\b", re.I), "appointment"),
    (re.compile(r"\b(address|postcode|live|lives)\b", re.I), "address"),
    (re.compile(r"\b(equipment|needs)\b", re.I), "need"),
]


def is_yes(turn: Turn) -> bool:
    return turn.intent == "affirm" or bool(YES.match(turn.text))


def is_no(turn: Turn) -> bool:
    return turn.intent == "deny" or bool(NO.match(turn.text))


def agreeing_words(turn: Turn) -> str:
    """The words that gave consent, kept as evidence: never the rest of the message, which may be
    about the family (the consent's method is not encrypted)."""
    match = YES.match(turn.text)
    return f'"{match.group(1).lower()}"' if match else f"yes ({turn.intent})"


def actor_for(turn: Turn, person: m.Person) -> Actor:
    return Actor("carer", person.id, turn.channel)


def member(session: Session, turn: Turn) -> Optional[m.Person]:
    return records.member_by_phone_hash(session, turn.phone_hash) if turn.phone_hash else None


# --- first contact and consent ---------------------------------------------------------------

def ask_consent(session: Session, turn: Turn, text: str = texts.INTRO) -> list[str]:
    st.set_awaiting(session, turn.sender_key, st.CONSENT)
    return [text]


def give_consent(session: Session, turn: Turn) -> list[str]:
    """The carer said yes: start the family's record, then note anything they told us before."""
    if not turn.phone_hash:
        return [texts.WEB_NEEDS_PHONE]
    me = records.start_family(session, turn.phone_hash, turn.phone_e164, turn.channel,
                              f"replied {agreeing_words(turn)} to the consent request by {turn.channel}")
    st.set_awaiting(session, turn.sender_key, None)
    session.flush()
    noted: list[str] = []
    for earlier in turn.previous_texts[-3:]:
        applied = apply(session, turn, me, understand(earlier))
        noted += applied.said
    if noted:
        return [f"{texts.CONSENT_THANKS} I've noted: {'; '.join(noted)}. What else should I know?"]
    return [f"{texts.CONSENT_THANKS} {texts.ASK_FOR_STORY}"]


def greet(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    if me is None:
        return ask_consent(session, turn)
    record = records.read_record(session, me.family_id, actor_for(turn, me), "greeting")
    if not record.cared_for:
        return ["Hello again. " + texts.ASK_FOR_STORY]
    text, _ = summary.record_summary(record, record.cared_for, limit=300)
    return [f"Hello again. Here's what I have: {text} Tell me anything new, or ask who is responsible "
            "for something."]


# --- storing what carers tell us -------------------------------------------------------------

@dataclass
class Applied:
    said: list[str] = field(default_factory=list)  # short descriptions of what changed
    already: list[str] = field(default_factory=list)  # facts we already had
    ended: list[str] = field(default_factory=list)
    people: list[m.Person] = field(default_factory=list)
    subject: Optional[m.Person] = None


def apply(session: Session, turn: Turn, me: m.Person, understood: Understanding) -> Applied:
    """Write an understanding into the record: new people, facts (superseding by key), endings."""
    actor = actor_for(turn, me)
    state = st.load(session, turn.sender_key)
    focus_id = state.context.get("person_id")
    result = Applied()
    for mention in understood.people:
        person = resolve(session, me, actor, mention, None, create=True)
        if person is not None and person not in result.people:
            result.people.append(person)
    default = result.people[-1] if result.people else None
    if default is None:
        default = resolve(session, me, actor, understood.subject, focus_id,
                          create=bool(understood.facts) or bool(understood.subject))
    for key in understood.ended_keys:
        for fact in records.end_facts(session, me.family_id, None, actor, key):
            result.ended.append(key.split(":", 1)[-1])
            del fact
    for fact in understood.facts:
        if fact.subject is not None and fact.subject.relationship == "self":
            person = me
        elif fact.subject is not None:
            person = resolve(session, me, actor, fact.subject, default.id if default else None, create=True)
        else:
            person = default or resolve(session, me, actor, None, focus_id, create=True)
        detail = dict(fact.detail)
        if fact.category == "need" and "need_code" not in detail:
            code = directory_talk.need_code_for(session, fact.value)  # so "who can fit them?" needs no new words
            if code:
                detail["need_code"] = code
        _, created = records.add_fact(session, me.family_id, person.id if person else None, actor,
                                      fact.category, fact.key, fact.value, detail)
        (result.said if created else result.already).append(fact.value)
        result.subject = result.subject or (person if person is not me else None)
    result.subject = result.subject or default
    if understood.postcode and not any(f.category == "address" for f in understood.facts) \
            and result.subject is not None:
        # A bare postcode in a statement ("hes 83, em3 2hq") is where the person lives.
        _, created = records.add_fact(session, me.family_id, result.subject.id, actor, "address",
                                      "address:postcode", understood.postcode, {"postcode": understood.postcode})
        (result.said if created else result.already).append(understood.postcode)
    if result.subject is not None:
        state.context = {**state.context, "person_id": result.subject.id}
        st.save(session, turn.sender_key, state)
    return result


def _name(person: Optional[m.Person]) -> str:
    if person is None:
        return "them"
    view = records.person_view(person)
    return summary.display_name(view)


def tell(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    if me is None:
        if is_question(turn.text) or (STATES_A_NEED.search(turn.text) and read_needs(session, turn.text).codes):
            # A first message that tells and asks: answer the question now (that needs no consent),
            # and offer to keep the story.
            answer = directory_talk.answer(session, turn, None)
            st.set_awaiting(session, turn.sender_key, st.CONSENT)
            return answer + [texts.CONSENT_OFFER]
        return ask_consent(session, turn, texts.CONSENT_FIRST)
    understood = understand(turn.text)
    if understood.ended_keys or understood.is_correction:
        return correct(session, turn, me, understood)
    applied = apply(session, turn, me, understood)
    who = _name(applied.subject)
    if applied.said:
        reply = f"Noted for {who}: {'; '.join(applied.said)}."
    elif applied.already:
        reply = f"I already had that for {who}: {'; '.join(applied.already)}."
    elif applied.people:
        names = " and ".join(_name(p) for p in applied.people)
        reply = f"Thanks, I've added {names} to your family's record."
    else:
        if match_needs(session, turn.text):  # no facts, but it is about a service: answer that
            return directory_talk.answer(session, turn, me)
        return [texts.NOTHING_FOUND]
    return [reply + _missing_question(session, turn, me, applied.subject)]


# "I need a break from looking after my son": a need stated, not asked, is still a question for us.
STATES_A_NEED = re.compile(r"\b(i|we) (really |desperately |just )?(need|want|could do with|am looking for|"
                           r"are looking for|'m looking for|'re looking for)\b|\bneed (some )?help\b", re.IGNORECASE)


def tells_something(text: str) -> bool:
    """Something about the family (not just "I live in EM2") that would be worth keeping."""
    understood = understand(text)
    about_others = [f for f in understood.facts if not (f.subject and f.subject.relationship == "self")]
    return bool(about_others or [p for p in understood.people if p.relationship != "self"])


def note_in_passing(session: Session, turn: Turn, me: m.Person) -> list[str]:
    """Facts told alongside a question or a greeting are kept too ("hiya, dad's been diagnosed...")."""
    understood = understand(turn.text)
    if not understood.facts and not understood.ended_keys:
        return []
    applied = apply(session, turn, me, understood)
    if not applied.said and not applied.ended:
        return []
    parts = applied.said + [f"no longer {e}" for e in applied.ended]
    return [f"Noted for {_name(applied.subject)}: {'; '.join(parts)}."]


def _missing_question(session: Session, turn: Turn, me: m.Person, person: Optional[m.Person]) -> str:
    """Ask for the one thing we most need and lack (the postcode), once per conversation."""
    if person is None:
        return ""
    state = st.load(session, turn.sender_key)
    if state.context.get("asked_postcode"):
        return ""
    record = records.read_record(session, me.family_id, actor_for(turn, me), "missing-check")
    if any(f.category == "address" for f in record.facts):
        return ""
    state.context = {**state.context, "asked_postcode": True}
    st.save(session, turn.sender_key, state)
    return f" What's {pronoun(person.relation)} postcode? It helps me find the right local services."


def correct(session: Session, turn: Turn, me: Optional[m.Person], understood: Optional[Understanding] = None
            ) -> list[str]:
    if me is None:
        return [texts.NO_RECORD]
    understood = understood or understand(turn.text)
    if not understood.ended_keys and not understood.facts and not understood.postcode:
        fixed = _correct_dose(session, turn, me)
        return fixed or [texts.CORRECTION_UNCLEAR]
    applied = apply(session, turn, me, understood)
    who = _name(applied.subject)
    parts = []
    if applied.ended:
        parts.append(f"no longer {', '.join(applied.ended)}")
    if applied.said:
        parts.append(f"now {'; '.join(applied.said)}")
    if not parts and applied.already:
        parts.append(f"still {'; '.join(applied.already)}")
    if not parts:
        return [texts.CORRECTION_UNCLEAR]
    return [f"Updated {who}'s record: {'; '.join(parts)}. The old details stay in the history."]


_DOSE_FIX = re.compile(r"\b(\d+(?:\.\d+)?)\s?(mg|mcg|micrograms?|ml|units?|g)\b[^.?!]{0,20}?\bnot\s+(?:the\s+)?"
                       r"(\d+(?:\.\d+)?)\s?(mg|mcg|micrograms?|ml|units?|g)?\b", re.IGNORECASE)


_DOSE_CHANGE = re.compile(r"\b(?:put up|increased|upped|raised|reduced|lowered|cut|dropped|gone up|gone down|"
                          r"changed|doubled|halved)\s+(?:it\s+|the dose\s+)?to\s+(\d+(?:\.\d+)?)\s?"
                          r"(mg|mcg|micrograms?|ml|units?|g)\b", re.IGNORECASE)


def _correct_dose(session: Session, turn: Turn, me: m.Person) -> list[str]:
    """"It's 100mg not 50": change the dose of the one current medicine that has the old one."""
    match = _DOSE_FIX.search(turn.text)
    changed = _DOSE_CHANGE.search(turn.text)
    if match:
        new_amount, unit, old_amount = match.group(1), match.group(2).lower(), match.group(3)
        old_dose = re.compile(rf"\b{re.escape(old_amount)}\s?{re.escape(match.group(4) or unit)}\b", re.IGNORECASE)
    elif changed:  # "it was put up to 10mg": the one medicine measured in that unit
        new_amount, unit = changed.group(1), changed.group(2).lower()
        old_dose = re.compile(rf"\b\d+(?:\.\d+)?\s?{re.escape(unit)}\b", re.IGNORECASE)
    else:
        return []
    actor = actor_for(turn, me)
    record = records.read_record(session, me.family_id, actor, "correction")
    candidates = [f for f in record.facts if f.category == "medicine" and old_dose.search(f.value)]
    if len(candidates) != 1:
        return []
    fact = candidates[0]
    value = old_dose.sub(f"{new_amount}{unit}", fact.value)
    key = f"medicine:{(fact.detail.get('name') or fact.value.split()[0]).lower()}"
    records.add_fact(session, me.family_id, fact.person_id, actor, "medicine", key, value,
                     {**fact.detail, "dose": f"{new_amount}{unit}"})
    return [f"Updated: {value}. The old dose stays in the history."]


# --- saying the record back ------------------------------------------------------------------

def show(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    if me is None or me.status != m.CONFIRMED:
        return ask_consent(session, turn, texts.NO_RECORD)
    record = records.read_record(session, me.family_id, actor_for(turn, me), "summary")
    if not record.cared_for and not record.facts:
        return ["I don't have anything in your family's record yet. " + texts.ASK_FOR_STORY]
    understood = understand(turn.text)
    people = record.cared_for
    if understood.subject and understood.subject.relationship != "self":
        person = records.find_cared_for(session, me.family_id, understood.subject.relationship,
                                        understood.subject.name)
        if person is not None:
            people = [p for p in record.cared_for if p.id == person.id]
    focus = [category for pattern, category in FOCUS if pattern.search(turn.text)]
    if focus and len(people) == 1:
        person = people[0]
        facts = [f for f in record.facts_for(person.id) if f.category in focus]
        label = summary.display_name(person)
        if not facts:
            what = " or ".join(summary.CATEGORY_LABELS.get(c, c).lower() for c in focus)
            return [f"I don't have any {what} for {label} yet. Tell me and I'll note it."]
        lines = summary.section_lines(facts, focus)
        return [f"{label}: " + " ".join(lines)]
    text, truncated = summary.record_summary(record, people)
    st.set_awaiting(session, turn.sender_key, st.MORE if truncated else None)
    return [text + (" " + texts.MORE_HINT if truncated else "")]


def more(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    if me is None or me.status != m.CONFIRMED:
        return [texts.NO_RECORD]
    record = records.read_record(session, me.family_id, actor_for(turn, me), "full-record")
    text = summary.full_record(record)
    return [text or "I don't have anything in your family's record yet. " + texts.ASK_FOR_STORY]


# --- family members --------------------------------------------------------------------------

def invite(session: Session, turn: Turn, me: Optional[m.Person], text: Optional[str] = None) -> list[str]:
    if me is None:
        return ask_consent(session, turn, texts.CONSENT_FIRST)
    understood = understand(text or turn.text)
    invitation = understood.invitation
    state = st.load(session, turn.sender_key)
    guessed_relation, guessed_name = _guess_invitee(text or turn.text) if invitation is None else (None, None)
    name = (invitation.name if invitation else guessed_name) or state.context.get("invite_name")
    relation = (invitation.relationship if invitation else guessed_relation) or state.context.get("invite_relation")
    number = (invitation.phone if invitation else None) or find_phone(text or turn.text)
    if not number:
        st.set_awaiting(session, turn.sender_key, st.INVITE_PHONE,
                        {"invite_name": name, "invite_relation": relation})
        return [texts.ASK_INVITE_PHONE.format(name=name or "their")
                .replace("their's", "their")]
    st.set_awaiting(session, turn.sender_key, None)
    actor = actor_for(turn, me)
    try:
        person = records.invite(session, me, actor, name, relation, phone_hash(number), number)
    except records.RecordError:
        # The number already belongs to another record. Say what we say for any number, so an
        # invitation cannot be used to find out who uses OneStory; text nothing.
        log.info("invitation not sent: the number already belongs to a record")
        person = None
    if person is not None:
        inviter = records.name_of(me)
        outbox.enqueue_sms(number, texts.INVITE_SMS.format(
            name=f" {name}" if name else "", who=inviter or "A member of your family"),
            purpose="invite", idempotency_key=f"invite:{person.id}", session=session)
    if name:
        return [f"I've texted {name} an invitation. {name} will see your family's record once they reply YES "
                "from that phone."]
    return ["I've texted them an invitation. They will see your family's record once they reply YES from that "
            "phone."]


_INVITEE = re.compile(r"\bmy\s+(brother|sister|son|daughter|husband|wife|partner|uncle|aunt|auntie|cousin|niece|"
                      r"nephew|mum|mam|mom|dad|nan|gran|grandad|grandson|granddaughter|friend|neighbour)\s+"
                      r"([a-z][a-z'-]{1,20})\b", re.IGNORECASE)
_NOT_NAMES = {"as", "too", "also", "on", "and", "please", "is", "his", "her", "their", "number", "mobile", "phone"}


def _guess_invitee(text: str) -> tuple[Optional[str], Optional[str]]:
    """"and my uncle steve as well, 07...": who, when the message isn't phrased as an invitation."""
    match = _INVITEE.search(text)
    if not match:
        return None, None
    name = match.group(2)
    relation = {"auntie": "aunt", "mum": "mother", "mam": "mother", "mom": "mother", "dad": "father",
                "nan": "grandmother", "gran": "grandmother", "grandad": "grandfather"}.get(
        match.group(1).lower(), match.group(1).lower())
    return relation, (None if name.lower() in _NOT_NAMES or name[0].isdigit() else name.capitalize())


def invited(session: Session, turn: Turn, me: m.Person) -> list[str]:
    """Someone a family member added: nothing from the record until they confirm from this phone."""
    if not is_yes(turn):
        who = records.inviter_name(session, me) or "A member of your family"
        return [texts.INVITED_REMINDER.format(who=who)]
    records.confirm_member(session, me, turn.channel, f"replied {agreeing_words(turn)} to the invitation")
    st.set_awaiting(session, turn.sender_key, None)
    name = records.name_of(me)
    reply = texts.WELCOME_MEMBER.format(name=f" {name}" if name else "")
    record = records.read_record(session, me.family_id, actor_for(turn, me), "welcome")
    if record.cared_for:
        text, truncated = summary.record_summary(record, record.cared_for, limit=300)
        reply += f" Here's what we have: {text}" + (" " + texts.MORE_HINT if truncated else "")
    return [reply]


def withdraw(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    """Ask once to be sure: withdrawing ends this number's access to the family's record."""
    if me is None:
        return [texts.NOTHING_TO_WITHDRAW]
    st.set_awaiting(session, turn.sender_key, st.WITHDRAW)
    return [texts.CONFIRM_WITHDRAW]


def confirm_withdraw(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    if me is None:
        return [texts.NOTHING_TO_WITHDRAW]
    left = records.withdraw_consent(session, me, turn.channel, f'asked by {turn.channel}: "{turn.intent}"')
    st.set_awaiting(session, turn.sender_key, None)
    return [texts.WITHDRAWN + ("" if left else texts.WITHDRAWN_CLOSED)]


def run(handler, turn: Turn) -> list[str]:
    """Run a record handler in one transaction (retried when another family member wrote first)."""
    return records.write_with_retry(lambda session: handler(session, turn, member(session, turn)))


__all__ = ["run", "greet", "tell", "correct", "show", "more", "invite", "invited", "withdraw",
           "give_consent", "ask_consent", "is_yes", "is_no", "member", "session_scope"]

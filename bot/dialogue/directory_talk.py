"""Who is responsible: the rule in plain words, the local service, how to reach it, how fresh.

Uses the care record (postcode, in hospital or home, age) instead of asking again; asks one
clarifying question when the answer depends on something unknown, and stores the answer.
"""
from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import date
from typing import Optional

from sqlalchemy.orm import Session

from bot.dialogue import need_choice, revision, summary
from bot.dialogue import pending as q
from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import Turn
from bot.directory import localities, opening_hours, places, reports, responsibility, usage
from bot.directory.places import Place
from bot.directory.rules import Situation, parse_clarification, situation_from_text
from bot.directory.search import ServiceInfo, service_by_id
from bot.language import england
from bot.language.reading import read
from bot.phone import national_format, normalise
from bot.records import models as m
from bot.records import service as records
from bot.records.audit import Actor
from bot.records.service import RecordView
from bot.timeutil import UK, utcnow

STALE_DAYS = 365
ADULT_RELATIONS = {"husband", "wife", "partner", "mother", "father", "grandmother", "grandfather", "aunt",
                   "uncle", "mother_in_law", "father_in_law", "stepmother", "stepfather", "self"}
SETTING_WORDS = {"in_hospital": "in hospital", "at_home": "at home", "care_home": "in a care home"}
POSTCODE_FIELD = "postcode"
POSTCODE_QUESTION = ("Which town or postcode is this for? Even the first part of the postcode is enough for "
                     "me to find the local team.")


# --- what we already know --------------------------------------------------------------------

def _known(session: Session, turn: Turn, me: Optional[m.Person], text: str, about: Optional[str] = None
           ) -> tuple[Situation, Optional[Place], Optional[m.Person], Optional[RecordView]]:
    """Facts from the record about the person asked about (named, else the one being talked
    about, else the only one), then what this message says."""
    situation, place, person, record = Situation(), None, None, None
    if me is not None and me.status == m.CONFIRMED:
        record = records.read_record(session, me.family_id, Actor("carer", me.id, turn.channel), "responsibility")
        reading = read(text)
        if reading.subject and not reading.subject.is_self:
            person = records.find_cared_for(session, me.family_id, reading.subject.relationship,
                                            reading.subject.name)
        if person is None and about in {p.id for p in record.cared_for}:
            person = session.get(m.Person, about)
        if person is None and len(record.cared_for) == 1:
            person = session.get(m.Person, record.cared_for[0].id)
        situation, place = _from_record(record, person.id if person else None)
    situation = situation_from_text(text, situation)
    if situation.setting is None:  # the fact extractor knows more ways of saying "she's home now"
        for fact in read(text).current:
            if fact.category == "situation":
                value = fact.value.lower()
                situation = situation.with_answer("setting", "care_home" if "care home" in value or
                                                  "nursing home" in value else
                                                  "in_hospital" if "in hospital" in value else "at_home")
    if situation.age_group is None and situation.age_years is None and situation.baby_age_days is None:
        # "my husband", "my nan" are adults; "my baby" is not: enough to choose adult or children's services.
        mention = read(text).subject or next(iter(read(text).people), None)
        relation = mention.relationship if mention else (person.relation if person else None)
        if relation in ADULT_RELATIONS:
            situation = situation.with_answer("age_group", "adult")
        elif relation in ("baby", "grandchild"):
            situation = situation.with_answer("age_group", "child")
    if situation.need_type is None:  # "the care agency" is social care, "the ward" is health
        situation = situation.with_answer("need_type", parse_clarification("need_type", text))
    place = localities.place_in(session, text) or place
    return situation, place, person, record


def _from_record(record: RecordView, person_id: Optional[str]) -> tuple[Situation, Optional[Place]]:
    facts = record.facts_for(person_id) if person_id else record.facts
    setting = age_years = baby_days = None
    for fact in facts:
        if fact.category == "situation":
            value = fact.value.lower()
            setting = ("care_home" if "care home" in value or "nursing home" in value
                       else "in_hospital" if "hospital" in value and "out of" not in value else "at_home")
        elif fact.category == "personal":
            detail = fact.detail or {}
            if detail.get("years") is not None:
                age_years = int(detail["years"])
            elif detail.get("weeks") is not None:
                baby_days = int(float(detail["weeks"]) * 7)
            elif detail.get("days") is not None:
                baby_days = int(detail["days"])
            elif detail.get("months") is not None:
                baby_days = int(float(detail["months"]) * 30)
    place = None
    for fact in record.facts_for(person_id) + record.facts:  # theirs first, then anyone's in the family
        if fact.category == "address":
            place = places.parse((fact.detail or {}).get("postcode") or fact.value)
            if place:
                break
    return Situation(setting=setting, age_years=age_years, baby_age_days=baby_days), place


def _store_answer(session: Session, turn: Turn, me: Optional[m.Person], person_id: Optional[str],
                  field: str, value) -> None:
    """A clarifying answer goes into the record, so nobody asks it again."""
    if me is None or me.status != m.CONFIRMED or value is None:
        return
    actor = Actor("carer", me.id, turn.channel)
    person = session.get(m.Person, person_id) if person_id else None
    if person is None:
        people = records.cared_for(session, me.family_id)
        person = people[-1] if people else records.add_cared_for(session, me.family_id, actor, None, None)
    if field == "setting":
        records.add_fact(session, me.family_id, person.id, actor, "situation", "situation:location",
                         SETTING_WORDS.get(value, value), {"setting": value})
    elif field == "age_years":
        records.add_fact(session, me.family_id, person.id, actor, "personal", "personal:age", str(value),
                         {"years": value})
    elif field == "baby_age_days":
        records.add_fact(session, me.family_id, person.id, actor, "personal", "personal:age",
                         f"{value} days old", {"days": value})
    elif field == POSTCODE_FIELD:
        records.add_fact(session, me.family_id, person.id, actor, "address", "address:postcode", value,
                         {"postcode": value})


# --- answering -------------------------------------------------------------------------------

# "who can fit them?", "who sorts that out": the question points back at a need already told.
REFERS_BACK = re.compile(r"\b(them|it|those|these|that|one|ones|this)\b", re.IGNORECASE)


def need_code_for(session: Session, text: str) -> Optional[str]:
    """The need a told fact is about ("needs grab rails" -> need.minor-adaptations), if certain."""
    return next(iter(responsibility.read_needs(session, text).codes), None)


def _remembered_need(record: Optional[RecordView], person_id: Optional[str]) -> Optional[str]:
    """The need most recently told about this person (or anyone in the family), with its code."""
    if record is None:
        return None
    for facts in (record.facts_for(person_id, "need") if person_id else [], record.facts_for(None, "need")):
        for fact in sorted(facts, key=lambda f: f.said_at, reverse=True):
            if (fact.detail or {}).get("need_code"):
                return fact.detail["need_code"]
    return None


def answer(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    situation, place, person, record = _known(session, turn, me, turn.text, conv.about)
    if person is not None:
        conv.talk_about(person.id)
    reading = responsibility.read_needs(session, turn.text)
    person_id = person.id if person else None
    needs = reading.codes
    remembered = None if needs else _remembered_need(record, person_id)
    if remembered and (REFERS_BACK.search(turn.text) or not reading.close):
        needs = [remembered]  # told before ("she needs grab rails"): no need to say it again
    if not needs and reading.close:
        agreed = _same_answer([g.code for g in reading.close], situation)
        if agreed is None:
            return _offer_choices(conv, reading, situation, place, person_id, turn.text)
        needs = [agreed]
    return _answer(session, turn, me, conv, needs, situation, place, person_id, turn.text)


def warm_up() -> None:
    """Start loading the need classifier and the language stage (the action server calls this as
    it starts): the drug dictionary and the vocabularies take seconds to build, and a fresh
    server's first carers should not wait for them."""
    responsibility.warm_up()
    threading.Thread(target=lambda: read("my mum has dementia and takes donepezil"), name="language-warm-up",
                     daemon=True).start()


def _same_answer(codes: list[str], situation: Situation) -> Optional[str]:
    """The likeliest need when every close need leads to the same body: no need to ask which."""
    roles = set()
    for code in codes:
        resolution = responsibility.rulebook().resolve([code], situation)
        if not resolution.is_rule or resolution.rule is None:
            return None
        roles.add(resolution.rule.role)
    return codes[0] if len(roles) == 1 else None


def _offer_choices(conv: Conversation, reading: responsibility.NeedReading, situation: Situation,
                   place: Optional[Place], person_id: Optional[str], question: str) -> list[str]:
    """No need is certain but some are close: "did you mean" two or three of them."""
    guesses = reading.close if len(reading.close) >= 2 else list(reading.guesses[:2])
    options = need_choice.choices(guesses)
    conv.ask(q.ChooseNeed(options=tuple(options), situation=situation, person_id=person_id,
                          postcode=_place_text(place), question=question[:300]))
    return [need_choice.offer_text(options)]


def chose(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation, asked: q.ChooseNeed
          ) -> Optional[list[str]]:
    """The carer's pick from a "did you mean" list, or None if this message is something else."""
    options = list(asked.options)
    if need_choice.declined(turn.text):
        conv.settle()
        from bot.dialogue import handoff_talk

        return handoff_talk.handoff_for_unanswered(session, turn, me, conv, asked.question or turn.text)
    before = asked.situation
    situation = situation_from_text(turn.text, before)
    reading = None if need_choice.by_number(turn.text, options) else responsibility.read_needs(session, turn.text)
    code = need_choice.chosen(turn.text, options, reading, need_choice.settled_by(options, before, situation))
    if code is None and reading is not None and not reading.matched:
        # Not a pick, but more about the question ("he's still on the ward"): read both together.
        both = responsibility.read_needs(session, f"{asked.question or ''} {turn.text}")
        code = next(iter(both.codes), None) or _same_answer([g.code for g in both.close], situation) \
            or _same_answer(options, situation)
    if code is None and situation != asked.situation:
        # "a child, she's 11": an answer about them, not a pick. Keep it, and ask which again.
        conv.ask(replace(asked, situation=situation))
        return ["Thanks. " + need_choice.offer_text(options)]
    if code is None:
        return None
    place = places.parse(turn.text) or places.parse(asked.postcode, expecting=True)
    return _answer(session, turn, me, conv, [code], situation, place, asked.person_id, asked.question or turn.text)


def _answer(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation, needs: list[str],
            situation: Situation, place: Optional[Place], person_id: Optional[str], question: str) -> list[str]:
    result = responsibility.resolve(session, needs, situation, place, _age(situation), text=question)
    asking = q.Clarify(needs=tuple(needs), situation=situation, person_id=person_id, postcode=_place_text(place),
                       question=question[:300])
    if result.kind == "clarify":
        conv.ask(replace(asking, field=result.clarification.field))
        return [result.clarification.text]
    if result.kind in ("no_rule", "no_need") and result.matched:
        return _offer_matched(session, conv, result, question)
    if result.kind in ("no_rule", "no_need"):
        conv.settle()
        from bot.dialogue import handoff_talk

        return handoff_talk.handoff_for_unanswered(session, turn, me, conv, question)
    if place is None and not any(s.national for s in result.services) and result.rule is not None:
        conv.ask(replace(asking, field=POSTCODE_FIELD))
        return [f"{_who_without_service(result)} {_why(result)} {POSTCODE_QUESTION}"]
    if result.matched:
        return _offer_matched(session, conv, result, question)
    usage.record_offered(session, [s.id for s in result.services])  # counted once the turn commits
    conv.ask(q.MoreServices(service_ids=tuple(s.id for s in result.services), rule_id=result.rule.id,
                            postcode=_place_text(place), needs=tuple(needs), situation=situation,
                            person_id=person_id, question=question[:300]))
    services = result.local or result.services
    conv.note_answer(f'Who is responsible for "{question[:100]}": '
                     + (service_name(services[0]) if services else result.role_name or "no service named"))
    return compose(result)


def answer_with(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation, needs: list[str],
                situation: Situation, place: Optional[Place], person_id: Optional[str], question: str) -> list[str]:
    """The answer for these needs and facts (for bot.dialogue.revision)."""
    return _answer(session, turn, me, conv, needs, situation, place, person_id, question)


def clarified(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation, asked: q.Clarify
              ) -> Optional[list[str]]:
    """The carer's reply to our one clarifying question, or None if this message is something else."""
    field = asked.field
    needs = list(asked.needs)
    situation = asked.situation
    place = places.parse(asked.postcode, expecting=True)
    if field == POSTCODE_FIELD:
        place = localities.place_in(session, turn.text) or places.parse(turn.text, expecting=True)
        if place is None:
            return revision.revised(session, turn, me, conv, needs, situation,
                                    places.parse(asked.postcode, expecting=True), asked.person_id,
                                    asked.question or turn.text)
        _store_answer(session, turn, me, asked.person_id, field, _place_text(place))
    else:
        value = parse_clarification(field, turn.text)
        if value is None:
            if re.search(r"\b(don'?t know|not sure|no idea|unsure)\b", turn.text, re.I):
                conv.settle()
                result = responsibility.resolve(session, needs, situation, place)
                if result.kind == "clarify" and result.clarification:
                    return ["That's fine. " + _fallback_text(result)]
            return revision.revised(session, turn, me, conv, needs, situation, place, asked.person_id,
                                    asked.question or turn.text)
        situation = situation.with_answer(field, value)
        _store_answer(session, turn, me, asked.person_id, field, value)
        place = localities.place_in(session, turn.text) or place
    return _answer(session, turn, me, conv, needs, situation, place, asked.person_id, asked.question or turn.text)


def _fallback_text(result: responsibility.Answer) -> str:
    return ("The answer depends on that, so I won't guess. Your lead professional can find out: text PERSON "
            "and I'll pass it on with everything you've told me.")


def _age(situation: Situation) -> Optional[int]:
    if situation.age_years is not None:
        return situation.age_years
    if situation.baby_age_days is not None:
        return 0
    return None


def _place_text(place: Optional[Place]) -> Optional[str]:
    if place is None:
        return None
    return place.sector or place.district or place.name


# --- wording ---------------------------------------------------------------------------------

def _first_sentence(text: str, limit: int = 170) -> str:
    """The opening sentence, and the next too when both fit: SMS has little room."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    said = sentences[0]
    if len(sentences) > 1 and len(said) + 1 + len(sentences[1]) <= limit + 60:
        said = f"{said} {sentences[1]}"
    return said if len(said) <= limit + 60 else said[:limit].rsplit(" ", 1)[0] + "..."


def _why(result: responsibility.Answer) -> str:
    rule = result.rule
    return f"Why: {_first_sentence(rule.explanation)} (Source: {_short_source(rule.source)}.)"


def _not_theirs(result: responsibility.Answer) -> str:
    return f"If they say it's someone else's job: {_first_sentence(result.rule.if_they_say_not_theirs, 200)}"


def _short_source(source: str, brief: bool = False) -> str:
    """The first source; `brief`: without its glosses in brackets ("Care Act 2014 s10 (carers)")."""
    first = source.split(";")[0].strip()
    if brief:
        while re.search(r"\([^()]*\)", first):
            first = re.sub(r"\s*\([^()]*\)", "", first)
        first = " ".join(first.split()).rstrip(" ,")
    return first


def _who_without_service(result: responsibility.Answer) -> str:
    return f"Responsible: {result.role_name}."


def contact_line(service: ServiceInfo, now=None) -> str:
    now = now or utcnow().astimezone(UK)
    parts = []
    if service.phone:
        number = normalise(service.phone)
        parts.append(f"Call {national_format(number) if number else service.phone}")
    if service.schedules:
        parts.append(opening_hours.describe(service.schedules, now))
    return ", ".join(parts) + "." if parts else (f"See {service.url}." if service.url else "")


def freshness(service: ServiceInfo, today: Optional[date] = None) -> str:
    today = today or utcnow().astimezone(UK).date()
    if service.assured_date is None:
        return "These details have never been checked, so please confirm them when you call."
    checked = service.assured_date.strftime("%B %Y")
    if (today - service.assured_date).days > STALE_DAYS:
        return f"Warning: last checked {checked}, over a year ago, so the number may have changed."
    return f"Details checked {checked}."


def service_name(service: ServiceInfo) -> str:
    if service.organization and service.organization.lower() not in service.name.lower() \
            and "(" not in service.name:
        return f"{service.name} ({service.organization})"
    return service.name


SMS_ANSWER_LIMIT = 3 * 153  # three GSM-7 segments
MORE_PROMPT = "Reply MORE for what to do if they say it's not their job."


def compose(result: responsibility.Answer) -> list[str]:
    """Who, why, how to reach them and how fresh, in at most three SMS segments.

    What to do if they say it's someone else's job, the source in full and other services
    follow on request (MORE), so a tired carer gets the number first.
    """
    services = result.local or result.services
    best = services[0] if services else None
    head = []
    outside = result.place is not None and not result.place.covered
    if outside:
        head.append(f"I don't have your council's directory yet ({result.place.said}), so this is "
                    "England's rule.")
    head.append(f"{service_name(best)} is responsible ({result.role_name.lower()})." if best
                else f"Responsible: {local_body(result)}." if outside else _who_without_service(result))
    tail = []
    if best:
        tail += [contact_line(best), freshness(best)]
    elif outside:
        tail.append(where_to_look(result))
    tail.append(MORE_PROMPT)
    # Shorten until the whole answer fits: the source's glosses go before more of the reason does
    # (a long citation left no room to say that a Funeral Expenses Payment exists); MORE gives it all.
    sources = dict.fromkeys([_short_source(result.rule.source), _short_source(result.rule.source, brief=True)])
    for limit in (230, 170, 120, 80):
        for source in sources:
            why = f"Why: {_first_sentence(result.rule.explanation, limit)} (Source: {source}.)"
            text = " ".join(part for part in [*head, why, *tail] if part)
            if len(text) <= SMS_ANSWER_LIMIT:
                return [text]
    return [" ".join(part for part in [*head, *tail] if part)]


def _offer_matched(session: Session, conv: Conversation, result: responsibility.Answer, question: str
                   ) -> list[str]:
    """Services found by their descriptions, not by a role: said so, with how to reach them."""
    usage.record_offered(session, [s.id for s in result.matched])
    conv.ask(q.MoreServices(service_ids=tuple(s.id for s in result.matched),
                            rule_id=result.rule.id if result.rule else None, postcode=_place_text(result.place)))
    conv.note_answer(f'Services matching "{question[:100]}": ' + "; ".join(service_name(s) for s in result.matched[:3]))
    return [compose_matched(result)]


def compose_matched(result: responsibility.Answer) -> str:
    """The best-matching local services, labelled as matches, in at most three SMS segments."""
    council = (result.place.local_authority if result.place else None) or "your council"
    head = (f"Responsible: {result.role_name}. No service in {council}'s directory is listed as that, "
            "but these match what you asked:" if result.rule is not None
            else f"These services in {council}'s directory match what you asked:")
    tail = ("They were found by their descriptions, so check they fit when you call."
            + (" " + MORE_PROMPT if result.rule is not None else " Text PERSON if none of them fits."))
    lines = [f"{service_name(s)}. {_capital(contact_line(s))}".strip() for s in result.matched]
    for count in range(len(lines), 0, -1):
        text = " ".join([head, *lines[:count], tail])
        if len(text) <= SMS_ANSWER_LIMIT:
            return text
    return " ".join([head, service_name(result.matched[0]), tail])[:SMS_ANSWER_LIMIT]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
def local_body(result: responsibility.Answer) -> str:
    """The kind of local body, named for the place: "Leeds City Council's adult social care"."""
    place, role_name = result.place, result.role_name or ""
    if place is None or result.rule is None:
        return role_name
    council_run = result.rule.role in england.council_roles()
    rest = role_name[len("Council "):] if role_name.startswith("Council ") else _lower_first(role_name)
    if council_run and place.two_tier and result.rule.role in england.district_roles():
        return f"the district or city council's {rest} for {place.said}"
    if council_run and place.council:
        return f"{place.council}'s {rest}"
    if council_run:
        return f"the local council's {rest}" + (f" for {place.said}" if place.name else "")
    return f"the local {_lower_first(role_name)}" + (f" for {place.said}" if place.name else "")


def where_to_look(result: responsibility.Answer) -> str:
    if result.rule is not None and result.rule.role in england.council_roles() and result.place is not None \
            and result.place.council:
        return f"{result.place.council}'s website has the number."
    return "Your GP practice or nhs.uk can give you the local number."


def _lower_first(text: str) -> str:
    """ "Health visiting" -> "health visiting", but "NHS wheelchair service" stays."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def more_about(session: Session, named: q.MoreServices) -> list[str]:
    """MORE after an answer: what to do if they say it's not theirs, the source, other services."""
    try:
        rule = responsibility.rulebook().rule(named.rule_id or "")
    except KeyError:
        return ["Ask me again who is responsible and I'll give you the details."]
    parts = [f"If they say it's someone else's job: {' '.join(rule.if_they_say_not_theirs.split())}",
             f"Source: {rule.source}" + (f" ({rule.source_url})" if rule.source_url else "") + "."]
    others = [service_by_id(session, sid) for sid in named.service_ids[1:3]]
    others = [o for o in others if o is not None and o.phone]
    if others:
        parts.append("Also: " + "; ".join(f"{service_name(o)}, {national_format(normalise(o.phone) or o.phone)}"
                                          for o in others) + ".")
    return [" ".join(parts)]


def report(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    """"That number is wrong" / "they've closed": a report for the maintainers, and thanks.

    It is about the first service the bot's last answer named (while that answer is pending)."""
    named = conv.pending if isinstance(conv.pending, q.MoreServices) else None
    service_ids = named.service_ids if named else ()
    if named is None or not service_ids:
        return ["Thank you. Which service do you mean? Ask me about it again and then tell me what's wrong, "
                "and I'll pass it to the people who keep the directory up to date."]
    filed = reports.file_report(session, service_ids[0], turn.text, turn.sender_key, turn.phone_e164,
                                context={"rule_id": named.rule_id, "postcode": named.postcode})
    reply = ("Thank you for telling me. I've reported it to the team who keep the directory up to date, "
             "so they can check and fix it. Text PERSON if you need help reaching them now.")
    if turn.phone_e164:
        conv.ask(q.ReportNotify(report_id=filed.id))
        reply += " Would you like a text when it's fixed? Reply YES."
    return [reply]


def notify_when_fixed(session: Session, turn: Turn, conv: Conversation, asked: q.ReportNotify) -> list[str]:
    """The carer said yes to being told when their report is fixed."""
    report_row = session.get(reports.ServiceReport, asked.report_id) if asked.report_id else None
    conv.settle()
    if report_row is None:
        return ["Thank you."]
    report_row.notify = True
    return ["Thank you. I'll text you when it's been fixed."]


__all__ = ["answer", "clarified", "report", "compose", "summary"]

"""bot.language.facts: what a carer's message says, in their own words.

Each case lists facts that must be found (key -> a fragment of the value, lowercased) and keys that
must not be. Cases are phrased the way carers text: no punctuation, missing apostrophes, "mam",
"hubby", typos, several facts at once.
"""
from __future__ import annotations

import pytest

from bot.language.facts import CATEGORIES, ExtractedFact, PersonMention, Understanding, understand


def _facts(u: Understanding) -> dict[str, ExtractedFact]:
    return {f.key: f for f in u.facts}


# (message, {key: value fragment}, keys that must be absent)
POSITIVE = [
    # conditions
    ("I look after my mum Margaret, she's 84 and has dementia",
     {"condition:dementia": "dementia", "personal:age": "84"}, set()),
    ("my dad Harold has Parkinson's and lives at EM3 4QT",
     {"condition:parkinson's": "parkinson", "address:postcode": "em3 4qt"}, set()),
    ("dad has parkinsons", {"condition:parkinson's": "parkinson"}, set()),
    ("my nan has got alzheimers", {"condition:alzheimer's": "alzheimer"}, set()),
    ("mum was diagnosed with vascular dementia last year",
     {"condition:vascular dementia": "vascular", "event:diagnosis:vascular dementia": "last year"}, set()),
    ("my mum Edith has heart failure", {"condition:heart failure": "heart failure"}, set()),
    ("my mum has COPD", {"condition:copd": "copd"}, set()),
    ("my mam has copd emphysema and is on oxygen",
     {"condition:copd": "copd", "condition:emphysema": "emphysema", "equipment:oxygen": "oxygen"}, set()),
    ("I look after my dad, he has had a stroke, we live at EM3 1AB",
     {"condition:stroke": "stroke", "address:postcode": "em3 1ab"}, set()),
    ("hubby has MS and uses a wheelchair", {"condition:ms": "ms", "equipment:wheelchair": "wheelchair"}, set()),
    ("dad is diabetic", {"condition:diabetes": "diabetes"}, set()),
    ("my dad has type 2 diabetes and high blood pressure",
     {"condition:diabetes": "type 2", "condition:high blood pressure": "blood pressure"}, set()),
    ("she's type 1 diabetic", {"condition:diabetes": "type 1"}, set()),
    ("my son Alfie is autistic and has ADHD", {"condition:autism": "autism", "condition:adhd": "adhd"}, set()),
    ("my daughter has cerebral palsy and epilepsy",
     {"condition:cerebral palsy": "cerebral palsy", "condition:epilepsy": "epilepsy"}, set()),
    ("our son has downs syndrome and a learning disability",
     {"condition:down's syndrome": "down", "condition:learning disability": "learning disability"}, set()),
    ("grandad's got prostate cancer", {"condition:prostate cancer": "prostate cancer"}, set()),
    ("nanna broke her hip in the summer", {"condition:hip fracture": "hip"}, set()),
    ("mum suffers with anxiety and depression",
     {"condition:anxiety": "anxiety", "condition:depression": "depression"}, set()),
    ("my brother has schizophrenia", {"condition:schizophrenia": "schizophrenia"}, set()),
    ("he's got kidney disease and arthritis",
     {"condition:kidney disease": "kidney", "condition:arthritis": "arthritis"}, set()),
    ("she is incontinent and very frail", {"condition:incontinence": "incontinence",
                                             "condition:frailty": "frailty"}, set()),
    ("mum has demensia", {"condition:dementia": "dementia"}, set()),
    ("dad has altzheimers", {"condition:alzheimer's": "alzheimer"}, set()),
    ("she's in hospital with sepsis", {"condition:sepsis": "sepsis", "situation:location": "in hospital"}, set()),
    ("mum is allergic to penicillin", {"allergy:penicillin": "penicillin"}, set()),
    # medicines
    ("she takes donepezil 10mg at night", {"medicine:donepezil": "donepezil 10mg at night"}, set()),
    ("my husband John takes warfarin 3mg every evening",
     {"medicine:warfarin": "warfarin 3mg every evening"}, set()),
    ("mum takes donepezil, memantine and paracetamol",
     {"medicine:donepezil": "donepezil", "medicine:memantine": "memantine",
      "medicine:paracetamol": "paracetamol"}, set()),
    ("dad takes metformin 500mg twice a day and amlodipine 5 mg in the morning",
     {"medicine:metformin": "500mg twice a day", "medicine:amlodipine": "5mg in the morning"}, set()),
    ("hes on sinemet", {"medicine:co-careldopa": "co-careldopa"}, set()),
    ("nan is on co codamol when needed and laxido", {"medicine:co-codamol": "when needed",
                                                      "medicine:laxido": "laxido"}, set()),
    ("she uses her salbutamol inhaler 2 puffs when needed", {"medicine:salbutamol": "2 puffs"}, set()),
    ("he has insulin 10 units with breakfast", {"medicine:insulin": "10 units with breakfast"}, set()),
    ("donepazil 5mg every night", {"medicine:donepezil": "5mg"}, set()),
    ("he takes zopiclone 7.5mg at bedtime", {"medicine:zopiclone": "7.5mg at bedtime"}, set()),
    ("she was switched from warfarin to apixaban", {"medicine:apixaban": "apixaban"}, set()),
    ("he's been prescribed sertraline 50mg", {"medicine:sertraline": "50mg"}, set()),
    # needs and equipment
    ("mum needs a commode and a hospital bed", {"need:commode": "commode",
                                                "need:hospital bed": "hospital bed"}, set()),
    ("she uses a zimmer frame and has grab rails in the bathroom",
     {"equipment:walking frame": "walking frame", "equipment:grab rails": "grab rails"}, set()),
    ("we've got a stairlift and a hoist", {"equipment:stairlift": "stairlift", "equipment:hoist": "hoist"}, set()),
    ("he needs help washing and dressing", {"need:help washing": "washing", "need:help dressing": "dressing"},
     set()),
    ("dad cant manage the stairs any more", {"need:help stairs": "stairs"}, set()),
    ("mum has a catheter and wears incontinence pads", {"equipment:catheter": "catheter"}, set()),
    ("she is fed through a peg tube", {"equipment:peg feeding": "peg"}, set()),
    ("she can't be left on her own", {"need:supervision": "left alone"}, set()),
    ("he's bed bound", {"need:mobility": "bed"}, set()),
    # access and safety
    ("my nan lives on her own and cant answer the door",
     {"situation:living": "lives alone", "access:door": "door"}, set()),
    ("key safe code is with his niece, phone his niece first",
     {"access:key safe": "niece", "access:contact first": "niece"}, set()),
    ("there's a dog in the house", {"access:dog": "dog"}, set()),
    ("he wanders at night", {"access:wandering": "night"}, set()),
    ("she keeps falling", {"access:falls": "falls"}, set()),
    ("dad lives alone", {"situation:living": "lives alone"}, set()),
    # preferences
    ("she doesn't eat corned beef", {"preference:dislike:corned beef": "corned beef"}, set()),
    ("loves the radio and hates baths, prefers a shower",
     {"preference:like:radio": "radio", "preference:dislike:bath": "baths", "preference:prefer:shower": "shower"},
     set()),
    ("church on Sundays is important to her", {"preference:important:church on sunday": "church"}, set()),
    ("mum likes to be called Peggy", {"communication:preferred name": "peggy"}, set()),
    ("dad is vegetarian", {"preference:diet": "vegetarian"}, set()),
    ("he won't eat fish", {"preference:dislike:fish": "fish"}, set()),
    # communication
    ("Mum only speaks Punjabi and needs an interpreter",
     {"communication:language": "punjabi", "communication:interpreter": "interpreter"}, set()),
    ("dad is profoundly deaf and uses BSL",
     {"condition:deafness": "deaf", "communication:sign language": "bsl"}, set()),
    ("she wears hearing aids and glasses", {"communication:hearing aid": "hearing aid",
                                            "communication:sight": "glasses"}, set()),
    ("my son is non verbal and uses makaton",
     {"communication:speech": "non-verbal", "communication:makaton": "makaton"}, set()),
    ("he can't read or write", {"communication:reading": "read or write"}, set()),
    ("nan doesnt speak much english", {"communication:english": "english"}, set()),
    ("her first language is Polish", {"communication:language": "polish"}, set()),
    # GP
    ("her GP is Riverside Surgery", {"gp:practice": "riverside surgery"}, set()),
    ("we're registered at the Eastmere Medical Centre with Dr Patel",
     {"gp:practice": "eastmere medical centre", "gp:doctor": "patel"}, set()),
    ("his gp is dr khan at oak tree surgery", {"gp:doctor": "khan", "gp:practice": "oak tree surgery"}, set()),
    # address
    ("12 Mill Lane, EM1 2AB", {"address:street": "12 mill lane", "address:postcode": "em1 2ab"}, set()),
    ("I care for my aunt Rose, she lives at EM5 2LJ", {"address:postcode": "em5 2lj"}, set()),
    ("we live in em2", {"address:postcode": "em2"}, set()),
    ("her postcode is em4 3xy", {"address:postcode": "em4 3xy"}, set()),
    # services
    ("district nurse comes daily", {"service:district nurse": "daily"}, set()),
    ("she has carers from Bluebird twice a day", {"service:home carers": "bluebird"}, set()),
    ("her social worker is Jane", {"service:social worker": "jane"}, set()),
    ("he sees the memory clinic", {"service:memory clinic": "memory clinic"}, set()),
    ("mum goes to a day centre on tuesdays", {"service:day centre": "day centre"}, set()),
    ("the carers haven't turned up for three days", {"service:home carers": "carers"}, set()),
    # appointments
    ("she's got an appointment at the memory clinic on 3rd March",
     {"appointment:memory clinic": "3rd march"}, set()),
    ("dad has a hospital appointment next tuesday", {"appointment:hospital": "next tuesday"}, set()),
    ("mums got a gp appt on friday at 10am", {"appointment:gp": "friday"}, set()),
    # events and situation
    ("mum came out of hospital on saturday", {"event:discharge": "saturday", "situation:location": "at home"},
     set()),
    ("he went into hospital last night", {"event:admission": "last night", "situation:location": "in hospital"},
     set()),
    ("he had a fall yesterday", {"event:fall": "yesterday"}, set()),
    ("mum is still in hospital on ward 7", {"situation:location": "ward 7"}, set()),
    ("dad's been discharged and is back home", {"situation:location": "at home", "event:discharge": "discharged"},
     set()),
    ("nan has moved into a care home", {"situation:location": "care home"}, set()),
    ("mum is being discharged tomorrow", {"event:discharge": "planned"}, {"situation:location"}),
    ("my baby was born on monday", {"event:birth": "monday"}, set()),
    # personal
    ("my baby is 3 weeks old", {"personal:age": "3 weeks"}, set()),
    ("I'm a carer for my son, Alfie, he's 7", {"personal:age": "7"}, set()),
    ("my 84 year old mum", {"personal:age": "84"}, set()),
    ("she is 91", {"personal:age": "91"}, set()),
    ("mum's date of birth is 3/4/1940", {"personal:date of birth": "1940"}, set()),
    # several at once, SMS style, no punctuation
    ("hi im looking after my dad hes 88 got vascular dementia and prostate cancer takes tamsulosin and "
     "paracetamol when needed he lives on his own at 4 church road em4 3xy and has carers 4 times a day",
     {"personal:age": "88", "condition:vascular dementia": "vascular", "condition:prostate cancer": "prostate",
      "medicine:tamsulosin": "tamsulosin", "medicine:paracetamol": "when needed",
      "situation:living": "alone", "address:street": "4 church road", "address:postcode": "em4 3xy",
      "service:home carers": "4 times a day"}, set()),
    ("My mum's 79, she has COPD and diabetes, takes metformin and uses an inhaler, hates hospitals",
     {"personal:age": "79", "condition:copd": "copd", "condition:diabetes": "diabetes",
      "medicine:metformin": "metformin", "preference:dislike:hospital": "hospitals"}, set()),
]


@pytest.mark.parametrize(("text", "expected", "absent"), POSITIVE, ids=[c[0][:50] for c in POSITIVE])
def test_facts_found(text: str, expected: dict[str, str], absent: set[str]) -> None:
    u = understand(text)
    found = _facts(u)
    for key, fragment in expected.items():
        assert key in found, f"{key} missing from {sorted(found)}"
        assert fragment in found[key].value.lower() or fragment in str(found[key].detail).lower(), found[key]
    for key in absent:
        assert key not in found
    for f in u.facts:
        assert f.category in CATEGORIES
        assert f.key.startswith(f.category + ":")
        assert f.value and len(f.value) < 120


# Nothing should be stored from these: questions, hedges, other people, negations, generic talk.
NOTHING = [
    "does she have diabetes?",
    "what is dementia?",
    "can someone with dementia get a blue badge",
    "what help is there for people with parkinsons",
    "they think it might be dementia",
    "I'm worried mum has dementia",
    "not sure if he has parkinsons",
    "they're testing her for diabetes",
    "should she take paracetamol?",
    "what is donepezil for",
    "how does my wife get a wheelchair?",
    "who can put grab rails in her bathroom?",
    "who do I call about a hospital discharge?",
    "mum fell asleep in her chair",
    "I nearly died laughing",
    "if she falls again what do I do",
    "is she still in hospital?",
    "can you tell me about memory clinics",
    "I'd like to know more about carers allowance",
    "who decides if dad gets NHS continuing healthcare funding?",
    "how do I get an appointment",
    "thanks that's great",
    "help help help help help",
]


@pytest.mark.parametrize("text", NOTHING)
def test_nothing_stored(text: str) -> None:
    u = understand(text)
    assert u.facts == [], u.facts
    assert u.ended_keys == []


def test_negation_is_not_a_fact() -> None:
    u = understand("she doesn't have diabetes")
    assert not any(f.key == "condition:diabetes" for f in u.facts)
    assert u.ended_keys == ["condition:diabetes"]


@pytest.mark.parametrize(("text", "ended", "kept"), [
    ("actually he stopped the warfarin last week, he's on apixaban now", ["medicine:warfarin"], ["medicine:apixaban"]),
    ("she's not on donepezil any more", ["medicine:donepezil"], []),
    ("mums not on donepezil anymore", ["medicine:donepezil"], []),
    ("dad came off the metformin last month", ["medicine:metformin"], []),
    ("he no longer takes simvastatin", ["medicine:simvastatin"], []),
    ("that's wrong, she doesn't have diabetes", ["condition:diabetes"], []),
    ("she doesn't have diabetes or dementia", ["condition:diabetes", "condition:dementia"], []),
    ("she has no diabetes and has dementia", ["condition:diabetes"], ["condition:dementia"]),
    ("the warfarin was stopped, she takes apixaban", ["medicine:warfarin"], ["medicine:apixaban"]),
    ("hes not diabetic", ["condition:diabetes"], []),
    ("she's no longer in hospital", ["situation:location"], []),
    ("he doesn't need the hoist any more", ["need:hoist"], []),
])
def test_ended_and_corrections(text: str, ended: list[str], kept: list[str]) -> None:
    u = understand(text)
    assert sorted(u.ended_keys) == sorted(ended)
    assert u.is_correction
    keys = {f.key for f in u.facts}
    assert set(kept) <= keys
    assert not set(ended) & keys


def test_negation_scope_stays_in_its_clause() -> None:
    u = understand("she doesnt sleep and has dementia")
    assert [f.key for f in u.facts] == ["condition:dementia"]
    assert u.ended_keys == []


@pytest.mark.parametrize("text", ["my mum has dementia", "she takes donepezil 10mg at night", "hi",
                                  "who is actually responsible for the commode?"])
def test_plain_statements_are_not_corrections(text: str) -> None:
    assert understand(text).is_correction is False


def test_correction_markers() -> None:
    assert understand("that's wrong").is_correction
    assert understand("sorry I meant she's 85").is_correction
    assert understand("actually she's 85").is_correction


# --- people, names and pronouns --------------------------------------------------------------------
def test_person_with_name_and_pronouns() -> None:
    u = understand("I look after my mum Margaret, she's 84 and has dementia")
    mum = PersonMention("mother", "Margaret")
    assert u.people == [mum]
    assert u.subject == mum
    assert all(f.subject == mum for f in u.facts)


def test_pronoun_without_antecedent_means_person_in_context() -> None:
    u = understand("she takes donepezil 10mg at night")
    assert u.facts[0].subject == PersonMention(None, None) and u.facts[0].subject.gender == "f"
    assert u.people == []


def test_two_people_pronouns_follow_gender() -> None:
    u = understand("my dad has parkinsons and my mum has dementia, she takes donepezil and he takes sinemet")
    by_key = _facts(u)
    assert by_key["condition:parkinson's"].subject == PersonMention("father", None)
    assert by_key["condition:dementia"].subject == PersonMention("mother", None)
    assert by_key["medicine:donepezil"].subject == PersonMention("mother", None)
    assert by_key["medicine:co-careldopa"].subject == PersonMention("father", None)
    assert u.people == [PersonMention("father", None), PersonMention("mother", None)]


@pytest.mark.parametrize(("text", "rel", "name"), [
    ("what do you know about mum?", "mother", None),
    ("what have you got on dad", "father", None),
    ("what do you know about Edith?", None, "Edith"),
    ("what medicines is John on?", None, "John"),
    ("my mam has copd", "mother", None),
    ("my hubby has MS", "husband", None),
    ("my OH has COPD", "husband", None),
    ("nanna has dementia", "grandmother", None),
    ("my grandad is 90", "grandfather", None),
    ("my mother in law has had a stroke", "mother_in_law", None),
    ("I care for my aunt Rose", "aunt", "Rose"),
    ("I'm a carer for my son, Alfie, he's 7", "son", "Alfie"),
    ("my husband John takes warfarin", "husband", "John"),
    ("i look after my dad harold", "father", "Harold"),
])
def test_subject(text: str, rel: str | None, name: str | None) -> None:
    u = understand(text)
    assert u.subject == PersonMention(rel, name)


def test_self_facts_are_about_the_carer() -> None:
    u = understand("im 45 and look after my mum who is 82")
    ages = {f.subject: f.value for f in u.facts if f.key == "personal:age"}
    assert ages == {PersonMention("self", None): "45", PersonMention("mother", None): "82"}
    assert u.people == [PersonMention("mother", None)]


def test_someone_elses_relative_is_not_the_cared_for_person() -> None:
    u = understand("phone his niece first, she has the key")
    assert PersonMention("niece", None) not in u.people


def test_we_live_at_is_the_household() -> None:
    u = understand("I look after my dad, we live at EM3 1AB")
    f = _facts(u)["address:postcode"]
    assert f.subject == PersonMention("father", None)
    assert f.detail == {"postcode": "EM3 1AB", "district": "EM3"}


# --- postcodes -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "postcode", "address"), [
    ("my dad lives at EM3 4QT", "EM3 4QT", True),
    ("we live in em2", "EM2", True),
    ("who do I ask for a carer's assessment? I live in EM2", "EM2", True),
    ("how does my wife get a wheelchair? we're in EM1", "EM1", True),
    ("who do I call about a hospital discharge in EM4?", "EM4", False),
    ("em53lj", "EM5 3LJ", False),
    ("her postcode is EM3 4QX not EM3 4QT", "EM3 4QX", True),
    ("she has vitamin B12 injections", None, False),
    ("we drove up the M6", None, False),
    ("she takes 10mg", None, False),
])
def test_postcodes(text: str, postcode: str | None, address: bool) -> None:
    u = understand(text)
    assert u.postcode == postcode
    assert any(f.key == "address:postcode" for f in u.facts) is address


# --- invitations -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "name", "rel", "phone"), [
    ("please add my brother Tom, his number is 07700 900123", "Tom", "brother", "+447700900123"),
    ("add my brother Tom, 07700 900123", "Tom", "brother", "+447700900123"),
    ("can my sister Jo see this too? her number is +44 7700 900456", "Jo", "sister", "+447700900456"),
    ("can you add my daughter Sarah 07812 345678 so she can see mums record", "Sarah", "daughter",
     "+447812345678"),
    ("I'd like my son to see this, his number is 07700 900111", None, "son", "+447700900111"),
    ("share this with my sister please 07700900222", None, "sister", "+447700900222"),
    ("invite my husband", None, "husband", None),
])
def test_invitation(text: str, name: str | None, rel: str, phone: str | None) -> None:
    u = understand(text)
    assert u.invitation is not None
    assert (u.invitation.name, u.invitation.relationship, u.invitation.phone) == (name, rel, phone)
    assert all(p.relationship != rel for p in u.people)  # the invitee is not a cared-for person


@pytest.mark.parametrize("text", ["can you add that she has dementia", "my brother Tom lives in Leeds",
                                  "her number is 07700 900123", "add mum's GP is Riverside Surgery"])
def test_no_invitation(text: str) -> None:
    assert understand(text).invitation is None


def test_phone_numbers_are_not_ages_or_doses() -> None:
    u = understand("she is 07700 900123")
    assert u.facts == []


# --- bad and odd input ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "", "   ", "🙏🙏🙏", "'; DROP TABLE families; --", "<script>alert(1)</script>", "?!?!", "0", "\x00\x01",
    "Mae fy mam yn 84 oed ac mae ganddi dementia ac mae hi'n cymryd donepezil",
    "Moja mama ma 84 lata, ma demencję i bierze donepezil 10mg wieczorem",
    "Mi madre tiene demencia y toma donepezil por la noche",
    "میری ماں کو ڈیمنشیا ہے",
    "asdfgh qwerty zxcvb",
])
def test_bad_input_gives_nothing(text: str) -> None:
    u = understand(text)
    assert u == Understanding()


def test_not_a_string() -> None:
    assert understand(None) == Understanding()  # type: ignore[arg-type]


def test_long_message_is_still_understood() -> None:
    text = ("I look after my mum Margaret, she's 84 and has dementia. " +
            "Honestly it has been a very long week and I am so tired of chasing everyone. " * 30)
    assert len(text) > 2000
    assert "condition:dementia" in _facts(understand(text))


def test_key_safe_code_is_never_stored() -> None:
    u = understand("the key safe code is 4321")
    f = _facts(u)["access:key safe"]
    assert "4321" not in f.value and "4321" not in str(f.detail)


def test_same_thing_twice_gives_the_same_key() -> None:
    a = _facts(understand("mum has got alzheimers"))
    b = _facts(understand("my mother has Alzheimer's disease"))
    assert set(a) == set(b) == {"condition:alzheimer's"}
    c = _facts(understand("dad takes Sinemet"))
    d = _facts(understand("dad is on co-careldopa 62.5mg"))
    assert set(c) == set(d) == {"medicine:co-careldopa"}


def test_facts_are_hashable_values() -> None:
    f = understand("mum has copd").facts[0]
    assert isinstance(f, ExtractedFact)
    with pytest.raises(AttributeError):
        f.value = "x"  # type: ignore[misc]


@pytest.mark.parametrize(("text", "key", "value", "subject"), [
    ("My wife had our baby 2 weeks ago and has postnatal depression", "condition:postnatal depression",
     "postnatal depression", PersonMention("wife", None)),
    ("My wife had our baby 2 weeks ago", "event:birth", "born 2 weeks ago", PersonMention("baby", None)),
    ("my mum's carer is called Sue and comes every morning", "service:home carers", "home carers: Sue, every morning",
     PersonMention("mother", None)),
    ("mum came out of hospital on saturday", "event:discharge", "discharged from hospital on Saturday",
     PersonMention("mother", None)),
])
def test_values_and_subjects(text: str, key: str, value: str, subject: PersonMention) -> None:
    f = _facts(understand(text))[key]
    assert (f.value, f.subject) == (value, subject)


def test_used_to_take_is_not_current() -> None:
    u = understand("she used to take warfarin")
    assert u.facts == [] and u.ended_keys == ["medicine:warfarin"]


def test_medicine_detail_is_structured() -> None:
    f = _facts(understand("she takes donepezil 10mg at night"))["medicine:donepezil"]
    assert f.detail == {"name": "donepezil", "dose": "10mg", "when": "at night"}
    assert f.value == "donepezil 10mg at night"


@pytest.mark.parametrize("text", ["mums social worker is kerry hughes from the council",
                                  "her social worker is called Kerry and the agency comes twice a day"])
def test_a_named_professional_is_not_kept_again_as_a_nameless_service(text):
    from bot.language.reading import read

    found = [(f.category, f.value) for f in read(text).current]
    assert ("professional", "Kerry (social worker)") in found
    assert ("service", "social worker") not in found

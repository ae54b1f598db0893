"""Coverage from maintained sources and sourced data: medicines, allergies, care plans, professionals."""
from __future__ import annotations

import pytest

from bot.language import medicines
from bot.language.reading import read


def _values(text: str) -> dict[str, str]:
    return {f.key: f.value for f in read(text).current}


@pytest.mark.parametrize(("text", "key", "shown"), [
    ("shes on baclofen and fampridine", "medicine:fampridine", "fampridine"),
    ("ollie has keppra", "medicine:levetiracetam", "Keppra"),
    ("takes elvanse", "medicine:lisdexamfetamine", "Elvanse"),
    ("she injects humira every fortnight", "medicine:adalimumab", "Humira"),
    ("hes on tegretol", "medicine:carbamazepine", "Tegretol"),
    ("mums on lantus 14 units at night", "medicine:insulin glargine", "14 units at night"),
    ("she has novorapid with meals", "medicine:insulin aspart", "with meals"),
    ("hes on sinemet", "medicine:co-careldopa", "Sinemet"),
    ("she takes madopar", "medicine:co-beneldopa", "Madopar"),
    ("she has movicol most days", "medicine:macrogol", "Movicol"),
    ("nan is on co-codamol", "medicine:co-codamol", "co-codamol"),
    ("mum takes adcal", "medicine:adcal", "adcal"),
    ("nan has oramorph 2.5ml when needed", "medicine:oramorph", "2.5ml"),
    ("hes on caffeine and iron drops", "medicine:caffeine citrate", "Caffeine"),
])
def test_medicines_from_the_dictionary_and_uk_names(text, key, shown):
    values = _values(text)
    assert key in values, values
    assert shown.lower() in values[key].lower()


@pytest.mark.parametrize(("text", "key", "shown"), [
    # a brand no dictionary knows, kept by the dosage form said after it
    ("he has a matrifen patch changed every 3 days", "medicine:matrifen", "matrifen patch"),
    ("she has versatis plasters for her back", "medicine:versatis", "versatis plasters"),
    ("nan wears a transtec patch", "medicine:transtec", "transtec patch"),
    ("she has an emerade pen", "medicine:emerade", "emerade pen"),
    ("she uses hylo eye drops", "medicine:hylo", "hylo eye drops"),
    # prescribed supplements, listed after a form, and treatment named loosely
    ("the hospital has her on sytron drops, baby vitamin d drops and folic acid", "medicine:folic acid", "folic"),
    ("she is on sytron drops, vitamin d drops and folic acid", "medicine:vitamin d", "vitamin d"),
    ("he has ensure drinks prescribed", "medicine:fortisip", "ensure"),
    ("dad takes forceval and thiamine", "medicine:multivitamins", "forceval"),
    ("she takes galfer", "medicine:ferrous fumarate", "galfer"),
    ("dad is on immunotherapy, keytruda", "medicine:immunotherapy", "immunotherapy"),
    ("she has the chemo tablets", "medicine:chemotherapy", "chemo"),
    ("he takes co-careldopa 25/100 five times a day, 7am 10am 1pm 4pm and 7pm", "medicine:co-careldopa",
     "five times a day"),
])
def test_medicines_by_form_supplements_and_treatments(text, key, shown):
    values = _values(text)
    assert key in values, values
    assert shown.lower() in values[key].lower()


@pytest.mark.parametrize("text", ["he has a new patch", "mum has the pain patch", "he has morning tablets",
                                  "she has her eye drops at night"])
def test_ordinary_words_before_a_form_are_not_medicines(text):
    assert not any(f.key in ("medicine:new", "medicine:pain", "medicine:morning", "medicine:her")
                   for f in read(text).current)


def test_the_dictionary_ships_with_the_package_and_skips_english_words():
    words = medicines.dictionary()
    assert len(words) > 10000
    assert "dalfampridine" in words and "the" not in words and "fine" not in words
    assert medicines.uk_name("acetaminophen") == "paracetamol"


@pytest.mark.parametrize(("text", "keys"), [
    ("dad is allergic to latex so the nurses need latex free gloves", {"allergy:latex"}),
    ("nan is allergic to penicillin and plasters", {"allergy:penicillin", "allergy:sticking plasters"}),
    ("she has a peanut allergy and has an epipen", {"allergy:peanuts"}),
    ("my son Alfie is 6 and allergic to nuts, all nuts not just peanuts", {"allergy:nuts"}),
])
def test_allergies(text, keys):
    assert keys <= set(_values(text))


def test_an_allergy_put_right_ends_the_old_one():
    reading = read("its not penicillin its erythromycin shes allergic to")
    assert "allergy:erythromycin" in {f.key for f in reading.current}
    assert "allergy:penicillin" in reading.ended_keys


@pytest.mark.parametrize(("text", "key", "shown"), [
    # end-of-life wishes in carers' words
    ("she doesnt want to be resuscitated and wants to stay in her own bed at home till the end",
     "care_plan:die at home", "die at home"),
    ("he never wants to go back into hospital", "care_plan:no hospital", "hospital"),
    ("we've agreed no more hospital admissions for dad", "care_plan:no hospital", "hospital"),
    ("my husband Ken would like to be in the hospice at the end", "care_plan:hospice", "hospice"),
    ("hes got a DNACPR and a ReSPECT form, both in the red folder by the phone", "care_plan:dnacpr", "red folder"),
    ("hes got a DNACPR and a ReSPECT form, both in the red folder by the phone", "care_plan:respect", "ReSPECT"),
    ("dad has a ReSPECT form that says not for ICU, and hed like to die at home if poss",
     "care_plan:no intensive care", "intensive care"),
    ("dad has a ReSPECT form that says not for ICU, and hed like to die at home if poss", "care_plan:die at home",
     "die at home"),
    ("mum has made an advance decision about not having a feeding tube", "care_plan:advance decision",
     "advance decision"),
])
def test_care_plans(text, key, shown):
    values = _values(text)
    assert key in values and shown.lower() in values[key].lower(), values


def test_not_wanting_resuscitation_is_never_read_as_wanting_it():
    keys = {f.key for f in read("she doesnt want to be resuscitated").current}
    assert "care_plan:no resuscitation" in keys and "care_plan:full treatment" not in keys
    assert not any(k.startswith("preference:") for k in keys)


def test_a_cancelled_dnacpr_ends_it():
    reading = read("mums DNACPR has been cancelled, shes much better and wants full treatment now")
    assert "care_plan:dnacpr" in reading.ended_keys
    assert "care_plan:full treatment" in {f.key for f in reading.current}


def test_questions_about_care_plans_keep_nothing():
    assert read("should we get a DNACPR for mum?").current == ()


@pytest.mark.parametrize(("text", "shown"), [
    ("grandad has a catheter and a stoma bag, the stoma nurse is Kerry", "Kerry (stoma nurse)"),
    ("son is 15 with ADHD, his CAMHS worker is called Priti", "Priti (camhs worker)"),
    ("her cardiologist is Dr Rahman at the childrens hospital", "Dr Rahman (cardiologist"),
    ("sees the community neonatal nurse Sue on thursdays", "Sue (community neonatal nurse)"),
])
def test_named_professionals(text, shown):
    assert any(shown.lower() in v.lower() for k, v in _values(text).items() if k.startswith("professional:"))


@pytest.mark.parametrize(("text", "category"), [
    ("she has a hospital bed, a ceiling hoist and an air mattress", "equipment"),
    ("mum needs a commode and a hospital bed", "need"),
])
def test_equipment_had_and_equipment_needed(text, category):
    assert {f.category for f in read(text).current if "bed" in f.value} == {category}


@pytest.mark.parametrize(("text", "keys"), [
    ("grandad: suprapubic catheter, profiling bed downstairs, stairlift to the bathroom",
     {"equipment:catheter", "equipment:hospital bed", "equipment:stairlift"}),
    ("since the op nan gets about on a rollator and sleeps with a pressure cushion under her",
     {"equipment:walking frame", "equipment:pressure cushion"}),
    ("my wife can only go out in her powerchair these days", {"equipment:wheelchair"}),
    ("grandad has had an ICD fitted and has three stents", {"equipment:pacemaker", "equipment:stents"}),
    ("my son wears a dexcom and has an omnipod for his insulin", {"equipment:glucose sensor",
                                                                  "equipment:insulin pump"}),
])
def test_equipment_listed_without_a_verb_is_kept_on_the_person(text, keys):
    assert keys <= {f.key for f in read(text).current}, read(text).current


@pytest.mark.parametrize("text", [
    "we are hoping to get dad a stairlift before christmas",
    "who pays for a profiling bed for mum",
    "mum refused the commode the OT brought",
    "nan doesn't have a hoist yet",
])
def test_equipment_sought_asked_about_or_refused_is_not_had(text):
    assert not any(f.category == "equipment" for f in read(text).current), read(text).current


@pytest.mark.parametrize(("text", "key"), [
    ("grandad's had sugar for years and he's on metformin", "condition:diabetes"),
    ("my aunt has type two sugar", "condition:diabetes"),
    ("nan has had trouble with her heart since the op", "condition:heart disease"),
    ("mum gets breathless (COPD the doctors call it)", "condition:copd"),
    ("dad struggles to breathe, it's called emphysema", "condition:emphysema"),
])
def test_conditions_in_lay_words_and_as_the_doctors_name_them(text, key):
    keys = {f.key for f in read(text).current}
    assert key in keys, keys


@pytest.mark.parametrize("text", [
    "dad has two sugars in his tea",
    "her blood sugar was 14 this morning",
    "is it ok for nan to have sugar",
])
def test_sugar_that_is_not_diabetes(text):
    assert "condition:diabetes" not in {f.key for f in read(text).current}


@pytest.mark.parametrize(("text", "keys"), [
    ("my grandson has a sesame allergy and carries an epipen", {"allergy:sesame", "medicine:adrenaline pen"}),
    ("grandad has allergies, mainly hay fever", {"condition:allergy"}),
])
def test_an_allergy_is_said_once_and_never_named_after_the_person(text, keys):
    found = {f.key for f in read(text).current}
    assert keys <= found and not any(k.startswith("condition:allerg") for k in found - keys), found
    assert not any("grandad" in k or "has" in k.split(":")[-1].split() for k in found), found


def test_treatment_refused_in_an_advance_decision_is_not_equipment_had():
    reading = read("grandad has an advance decision refusing a feeding tube or dialysis")
    assert "care_plan:advance decision" in {f.key for f in reading.current}
    assert not any(f.category == "equipment" for f in reading.current), reading.current


@pytest.mark.parametrize(("text", "key"), [
    ("grandad has a lightwriter since the cancer took his voice", "communication:aac"),
    ("please write things down for mum, she forgets what was said", "communication:written"),
    ("dad's good ear is the left one", "communication:good ear"),
    ("nan copes best with one question at a time", "communication:pace"),
    ("since the stroke my wife can't find her words", "communication:word finding"),
    ("my daughter signs a bit of makaton", "communication:makaton"),
    ("aunt doris understands only gujarati", "communication:language"),
])
def test_ways_of_communicating_from_the_vocabulary(text, key):
    assert key in {f.key for f in read(text).current}, read(text).current


@pytest.mark.parametrize("text", ["should we get mum a communication board?", "dad never needed a whiteboard"])
def test_communication_aids_asked_about_or_denied_are_not_kept(text):
    assert not any(f.category == "communication" for f in read(text).current)


@pytest.mark.parametrize(("text", "key"), [
    ("my nephew is non verbal autistic", "condition:autism"),
    ("my grandson is high functioning autistic", "condition:autism"),
    ("dad is newly diabetic", "condition:diabetes"),
])
def test_condition_adjectives_after_other_describing_words(text, key):
    assert key in {f.key for f in read(text).current}, read(text).current


@pytest.mark.parametrize(("text", "key"), [
    ("grandma takes a statin and her cholesterol tablets at bedtime", "medicine:statin"),
    ("my brother gets his depot jab fortnightly", "medicine:depot injection"),
    ("dad is on bp tablets", "medicine:blood pressure tablets"),
    ("she needs barrier cream on her bottom twice a day", "medicine:emollient cream"),
    ("hes on slow k", "medicine:potassium supplement"),
])
def test_medicines_named_by_their_class_in_everyday_words(text, key):
    assert key in {f.key for f in read(text).current}, read(text).current


def test_a_medicine_swapped_for_another_ends_and_a_new_time_does_not():
    reading = read("the consultant swapped grandads bisoprolol for nebivolol")
    assert "medicine:bisoprolol" in reading.ended_keys
    assert "medicine:nebivolol" in {f.key for f in reading.current}
    assert "medicine:metformin" in {f.key for f in read("mum has changed her metformin to teatime").current}


@pytest.mark.parametrize(("text", "key"), [
    ("gran has dry macular in both eyes", "condition:macular degeneration"),
    ("grandad has fluid on his lungs again, they drained it last week", "condition:pulmonary oedema"),
    ("uncle jim has the big c, it's in his bowel", "condition:cancer"),
    ("my wife has always had bad nerves", "condition:anxiety"),
    ("dad has had a bad back for years", "condition:back pain"),
])
def test_more_conditions_in_lay_words(text, key):
    assert key in {f.key for f in read(text).current}, read(text).current


def test_nerves_said_of_the_carer_in_passing_are_no_condition():
    assert "condition:anxiety" not in {f.key for f in read("dad gets on my nerves some days").current}


@pytest.mark.parametrize(("text", "said_back"), [
    ("grandad has pulmonary fibrosis", "pulmonary fibrosis"), ("my son has schizoaffective disorder",
                                                               "schizoaffective disorder"),
    ("dad has renal failure", "kidney failure"), ("she is tetraplegic", "tetraplegia"),
    ("mum has cirrhosis", "cirrhosis of the liver"), ("she has anorexia", "anorexia nervosa"),
])
def test_a_named_diagnosis_is_said_back_as_named_not_as_a_broader_one(text, said_back):
    from bot.language.reading import read

    assert [f.value for f in read(text).current if f.category == "condition"] == [said_back]

"""Facts go to the person each clause is about: relationships, names, he/she, "both", objects."""
from __future__ import annotations

import pytest

from bot.language.reading import Person, read

MUM, DAD = Person("mother", None), Person("father", None)


def _by_value(text: str, known: frozenset[str] = frozenset()) -> dict[str, Person | None]:
    found: dict[str, list] = {}
    for fact in read(text, known).current:
        found.setdefault(fact.value, []).append(fact.person)
    return {value: people[0] if len(people) == 1 else tuple(people) for value, people in found.items()}


def test_two_people_named_with_names():
    got = _by_value("mum is Sheila she has COPD and is on oxygen at night. dad is Ron, hes got alzheimers and hes "
                    "diabetic, insulin twice a day")
    sheila, ron = Person("mother", "Sheila"), Person("father", "Ron")
    assert got["COPD"] == sheila and got["home oxygen"] == sheila
    assert got["Alzheimer's"] == ron and got["diabetes"] == ron


def test_both_gives_the_fact_to_each_and_a_lower_case_name_seen_before_counts():
    got = _by_value("dad and my son Ollie both have epilepsy. dad takes lamotrigine, ollie has keppra and buccal "
                    "midazolam for seizures over 5 mins")
    ollie = Person("son", "Ollie")
    assert set(got["epilepsy"]) == {DAD, ollie}
    assert got["lamotrigine"] == DAD
    assert got["buccal midazolam"] == ollie


def test_and_starts_a_new_subject():
    got = _by_value("my mum and dad both live with me. mum has alzheimers and dad had a stroke last year and uses a "
                    "wheelchair, hes on clopidogrel")
    assert got["Alzheimer's"] == MUM
    assert got["stroke"] == DAD and got["wheelchair"] == DAD and got["clopidogrel"] == DAD


def test_a_person_in_object_position_is_not_the_subject():
    got = _by_value("mum lives with me at EM4 2BN, dad lives on his own at 7 Church Lane EM1 6DD")
    assert got["EM4 2BN"] == MUM
    assert got["EM1 6DD"] == DAD and got["7 Church Lane"] == DAD


def test_a_name_in_brackets_and_a_name_after_a_comma():
    got = _by_value("dad (Frank) had a stroke in march and is on clopidogrel. mum, Joan, has arthritis in her hands "
                    "and takes co-codamol. he also has a catheter now since the hospital")
    frank, joan = Person("father", "Frank"), Person("mother", "Joan")
    assert got["clopidogrel"] == frank and got["catheter"] == frank
    assert got["arthritis"] == joan and got["co-codamol"] == joan


def test_someone_elses_friend_is_not_mum():
    got = _by_value("mums friend Doreen who pops in has COPD, but mum herself just has asthma")
    assert got == {"asthma": MUM}


def test_the_carer_helping_someone_is_about_that_someone():
    got = _by_value("i care for my grandad Walter who has bladder cancer")
    assert got["bladder cancer"] == Person("grandfather", "Walter")


def test_a_pronoun_follows_gender_across_sentences():
    got = _by_value("dad is 88. hes got parkinsons. mums ok in herself but she has bad COPD. hes on sinemet 4 times "
                    "a day")
    assert got["COPD"] == MUM
    assert got["Parkinson's"] == DAD and got["co-careldopa (Sinemet) 4 times a day"] == DAD


def test_names_already_on_the_record_are_recognised_in_lower_case():
    assert read("what does len take", frozenset({"len"})).focus == Person(None, "Len")
    assert read("whats rubys allergy", frozenset({"ruby"})).focus == Person(None, "Ruby")


def test_no_one_named_means_the_person_in_context():
    assert all(f.person is None for f in read("takes donepezil").current)


@pytest.mark.parametrize("text, gender", [("she takes donepezil 10mg at night", "f"), ("dad has angina. she takes "
                                          "donepezil", "f"), ("mum is 90. he takes baclofen", "m")])
def test_a_pronoun_nobody_here_fits_is_someone_earlier_of_that_sex(text, gender):
    """The dialogue finds the person from earlier turns: the last woman named for "she"."""
    fact = next(f for f in read(text).current if f.category == "medicine")
    assert fact.person == Person(None, None) and fact.person.gender == gender


@pytest.mark.parametrize("text", ["we should add our nan Edie too, shes 95 and has COPD",
                                  "can you add my nan Edie, she has COPD"])
def test_adding_someone_described_is_someone_to_care_for_not_an_invitee(text):
    from bot.language.facts import understand

    reading = read(text)
    assert understand(text).invitation is None
    assert [p.name for p in reading.people] == ["Edie"]
    assert [f.person.name for f in reading.current if f.value == "COPD"] == ["Edie"]


@pytest.mark.parametrize("text", ["add my brother Matt his number is 07533180003",
                                  "can you add my sister Jo, she wants to see the record", "add my cousin leanne"])
def test_adding_someone_to_see_the_record_is_still_an_invitation(text):
    from bot.language.facts import understand

    assert understand(text).invitation is not None


def test_my_eldest_and_my_youngest_are_two_children_named_in_lower_case_beside_an_acronym():
    got = _by_value("3 children. my eldest maisie (14) has ADHD and takes elvanse 30mg in the morning. "
                    "my youngest ted (4) has cerebral palsy")
    maisie, ted = Person("child", "Maisie"), Person("child", "Ted")
    assert got["ADHD"] == maisie and got["cerebral palsy"] == ted
    assert any(v.startswith("lisdexamfetamine") and p == maisie for v, p in got.items())


def test_a_sibling_with_an_unlisted_lower_case_name_keeps_their_facts_apart_from_mum():
    got = _by_value("my sibling kai is autistic and uses they/them, they take melatonin at night. "
                    "mum has lupus")
    kai = Person("sibling", "Kai")
    assert got["autism"] == kai and got["lupus"] == MUM
    assert any(v.startswith("melatonin") and p == kai for v, p in got.items())


def test_welsh_words_for_grandparents_need_no_my():
    reading = read("what does nain take")
    assert [p.relationship for p in reading.people] == ["grandmother"]


def test_another_name_for_someone_is_what_they_like_to_be_called_not_a_new_person():
    reading = read("my nan's name is Winifred but everyone calls her Freda, it upsets her if nurses call her Winnie")
    winifred = Person("grandmother", "Winifred")
    assert [p for p in reading.people] == [winifred]
    assert {(f.value, f.person) for f in reading.current} == {("prefers to be called Freda", winifred)}


def test_each_parent_keeps_their_own_gp_practice_named_after_the_words():
    got = _by_value("mum's GP is Dr Shah at the Elms Surgery. dad goes to another practice, Quayside Medical Centre")
    assert got["Quayside Medical Centre"] == DAD
    assert got["Elms Surgery"] == MUM


def test_father_with_a_name_and_no_my_is_a_priest_not_dad():
    reading = read("nan is very religious and wants Father Declan to visit, she has COPD")
    assert [p.relationship for p in reading.people] == ["grandmother"]
    assert read("my father Declan has COPD").people[0].relationship == "father"


def test_what_follows_a_structured_fact_in_the_same_clause_is_kept_in_the_carers_words():
    reading = read("grandad is Sikh and wants his kirpan left on him at all times, even in hospital")
    assert [(p.relationship, p.name) for p in reading.people] == [("grandfather", None)]
    assert "preference:faith" in {f.key for f in reading.current}
    assert "wants his kirpan left on him at all times" in {words for person, words in reading.rest
                                                           if person.relationship == "grandfather"}


def test_what_is_listed_in_brackets_after_each_person_is_theirs():
    got = _by_value("we look after nan (Edna, dementia, memantine) and grandad (Stan, angina, gtn spray)")
    edna, stan = Person("grandmother", "Edna"), Person("grandfather", "Stan")
    assert got["dementia"] == edna and got["angina"] == stan
    assert any(v.startswith("memantine") and p == edna for v, p in got.items())
    assert any(v.startswith("gtn") and p == stan for v, p in got.items())


def test_a_professional_named_as_a_relatives_is_on_that_relative():
    got = _by_value("dad lives with us. my mum's nurse is Bernie and dads physio is called Anil")
    assert got["Bernie (nurse)"] == MUM and got["Anil (physio)"] == DAD


def test_one_gp_each_said_once_with_the_practice_after_at():
    facts = read("mums GP is Dr Rao at Castle Health Centre. dads is Dr Webb at Vale Surgery").current
    mum = sorted(f.value for f in facts if f.person == MUM)
    assert mum == ["Castle Health Centre", "Dr Rao"], facts


def test_people_who_act_for_someone_are_not_added_as_cared_for_and_what_they_said_is_kept():
    reading = read("dad has a power of attorney for his money, my sister and I are the attorneys")
    assert [p.relationship for p in reading.people] == ["father"]
    reading = read("nan made an LPA for health. my uncle is her attorney")
    assert [p.relationship for p in reading.people] == ["grandmother"]


def test_a_writer_who_starts_sentences_small_keeps_names_small_though_a_pets_is_capitalised():
    reading = read("my wife sally has MS. she loves her cat Tigger and sits with him every night")
    assert [(p.relationship, p.name) for p in reading.people] == [("wife", "Sally")]


def test_short_named_things_and_what_follows_a_like_are_kept_in_the_carers_words():
    reading = read("grandad Sid 90, ex Navy, loves his allotment and his dog Patch")
    words = {w for _, w in reading.rest}
    assert "ex Navy" in words and "his dog Patch" in words, reading.rest
    assert not any(f.value.endswith((" on", " in", " with")) for f in reading.current)


def test_my_parents_are_mum_and_dad():
    got = _by_value("both my parents have glaucoma, dad also has gout")
    assert set(got["glaucoma"]) == {MUM, DAD} and got["gout"] == DAD
    got = _by_value("my parents are both diabetic")
    assert set(got["diabetes"]) == {MUM, DAD}


def test_a_spouses_parent_is_an_in_law_and_plural_children_are_not_the_carer():
    got = _by_value("my husband's mum has parkinsons and my husband has gout")
    assert got["Parkinson's"] == Person("mother_in_law", None) and got["gout"] == Person("husband", None)
    got = _by_value("my three girls all have eczema")
    assert got["eczema"] == Person("daughter", None)


def test_words_about_the_message_itself_are_not_kept_as_notes_on_anyone():
    reading = read("Sorry this will be long. Nan has had a fall and broke her wrist. Hope this makes sense")
    assert reading.rest == (), reading.rest


@pytest.mark.parametrize("text", [
    "ive got twins, holly and rosie, theyre 6. holly has type 1 diabetes, rosie has asthma",
    "holly has type 1 diabetes and rosie has asthma",
    "rosie has asthma, holly has type 1 diabetes",
])
def test_a_name_that_is_also_a_word_counts_where_only_a_name_would_stand(text):
    got = _by_value(text)
    assert got["type 1 diabetes"] == Person(None, "Holly") and got["asthma"] == Person(None, "Rosie")


@pytest.mark.parametrize("text", ["the bill has gone up and mum has dementia", "in june mum had a stroke",
                                  "we had holly and ivy at christmas, mum has dementia"])
def test_a_name_that_is_also_a_word_stays_a_word_elsewhere(text):
    assert all(fact.person is None or fact.person.name is None for fact in read(text).current)


@pytest.mark.parametrize(("text", "in_law", "fact"), [
    ("my husband dave has ms. his mum pat also lives with us, shes 79 and very deaf", "mother_in_law", "deafness"),
    ("my wife has copd. her dad is 90 and has parkinsons", "father_in_law", "Parkinson's"),
])
def test_his_or_her_parent_after_a_spouse_is_the_carers_parent_in_law(text, in_law, fact):
    got = _by_value(text)
    assert got[fact].relationship == in_law
    assert all(p.relationship != in_law for v, p in got.items() if v in ("MS", "COPD"))


def test_someone_elses_parent_after_a_child_is_not_an_in_law():
    assert [p.relationship for p in read("my son has adhd and his dad doesnt help").people] == ["son"]

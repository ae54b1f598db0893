"""Vocabularies live in data files with their source, at the scale of the NHS Health A to Z."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.language import vocabulary
from bot.language.reading import read

DATA = Path(vocabulary.DATA)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yml")), ids=lambda p: p.name)
def test_every_vocabulary_names_its_source(path):
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0].lower()
    assert "source:" in header
    assert yaml.safe_load(path.read_text(encoding="utf-8"))


def test_conditions_are_at_the_scale_of_the_nhs_a_to_z():
    assert len(vocabulary.CONDITIONS) >= 350
    assert len({t.key for t in vocabulary.CONDITIONS}) >= 350


def test_no_word_lists_are_left_in_python():
    source = Path(vocabulary.__file__).read_text()
    assert "alzheimer" not in source.lower() and "donepezil" not in source.lower()


@pytest.mark.parametrize(("text", "condition"), [
    ("my son is autistic", "autism"),
    ("dad is diabetic", "diabetes"),
    ("she is epileptic", "epilepsy"),
    ("my husband is blind", "blindness"),
    ("mum is deaf", "deafness"),
    ("the baby has AVSD", "atrioventricular septal defect"),
    ("dad has MND", "mnd"),
    ("she has MS", "ms"),
    ("mum has T2 diabetes", "diabetes"),
    ("dad has COPD", "copd"),
    ("my son Zac has PKU", "phenylketonuria"),
    ("my daughter has spina bifida and hydrocephalus", "spina bifida"),
    ("my son has CHARGE syndrome", "charge syndrome"),
    ("baby Arlo has a cleft lip and palate", "cleft lip and palate"),
])
def test_conditions_by_name_abbreviation_and_adjective(text, condition):
    keys = {f.key for f in read(text).current}
    assert f"condition:{condition}" in keys, keys


@pytest.mark.parametrize(("said", "read_as"), [
    ("wat do u no bout mum", "what do you know about mum"),
    ("u shud no shes also diabetic", "you should know she's also diabetic"),
    ("shes havin chemo, i dont no wat to do", "she's having chemo, i don't know what to do"),
    ("you no longer need to call", "you no longer need to call"),
])
def test_text_speak_is_read_from_the_shorthand_data(said, read_as):
    from bot.language.text import clean
    assert clean(said) == read_as

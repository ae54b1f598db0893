"""Places in England: towns, counties and postcodes, with the council that runs social care."""
from __future__ import annotations

import pytest

from bot.directory import places
from bot.language import england


@pytest.mark.parametrize(("text", "said", "council"), [
    ("looking after my dad in leeds", "Leeds", "Leeds City Council"),
    ("we've just moved to norwich with the baby", "Norwich", "Norfolk County Council"),  # two-tier: the county
    ("mum lives in derby", "Derby", "Derby City Council"),
    ("we're in cornwall, miles from anything", "Cornwall", "Cornwall Council"),
    ("Cornwall", "Cornwall", "Cornwall Council"),
    ("we live near Truro", "Truro", "Cornwall Council"),
    ("dad's in Scarborough now", "Scarborough", "North Yorkshire Council"),  # unitary since 2023
    ("she lives in Croydon", "Croydon", "Croydon Council"),  # a London borough
])
def test_a_town_or_county_names_its_council(text, said, council):
    found = england.find(text)
    assert found is not None and found.said == said and found.council.council == council


@pytest.mark.parametrize("text", ["she needs a bath seat", "in March she fell", "we have to bury dad on friday",
                                  "I was reading the letter", "who fits grab rails", "she sits in the bath"])
def test_words_that_are_also_towns_are_not_places(text):
    assert england.find(text) is None


def test_a_bare_town_counts_when_we_asked_where():
    assert england.find("Bath") is None
    assert england.find("Bath", expecting=True).council.council.startswith("Bath and North East Somerset")


def test_upper_tier_councils_only():
    kinds = {england.find(t, expecting=True).council.kind for t in ("Norwich", "Leeds", "Plymouth", "Croydon")}
    assert kinds <= {"two-tier county", "unitary authority", "metropolitan district", "london borough"}
    assert england.find("Norwich", expecting=True).council.two_tier
    assert "role.council-tax" in england.district_roles()


def test_place_from_a_postcode_a_district_or_a_town():
    assert places.parse("EM2 4AB").covered and places.parse("EM2 4AB").sector == "EM2 4"
    assert places.parse("PL4 8AA").district == "PL4" and not places.parse("PL4 8AA").covered
    town = places.parse("mum lives in derby")
    assert town.district is None and town.name == "Derby" and town.council == "Derby City Council"
    assert town.said == "Derby" and not town.covered
    assert places.extents_for(town) == ["country:England"]

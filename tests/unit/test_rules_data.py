"""data/responsibility/rules.yml: content checks, and that the demo directory can answer every rule."""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from bot.directory.rules import RuleBook

EASTMERE = Path(__file__).resolve().parents[2] / "data" / "directory" / "eastmere"
DISTRICTS = [f"EM{i}" for i in range(1, 7)]
REQUIRED_ROLES = {
    "role.hospital-discharge-team", "role.council-adult-social-care", "role.icb-chc", "role.nhs-wheelchair-service",
    "role.district-nursing", "role.memory-assessment-service", "role.health-visiting", "role.midwifery",
    "role.council-send-team", "role.family-information-service", "role.school-admissions", "role.register-office",
    "role.tell-us-once", "role.dwp-attendance-allowance", "role.dwp-carers-allowance",
    "role.office-of-the-public-guardian", "role.patient-transport", "role.pals", "role.cqc", "role.lgsco",
    "role.phso", "role.nhs-111", "role.samaritans", "role.adult-safeguarding", "role.childrens-safeguarding",
    "role.carers-centre", "role.gp-practice", "role.community-pharmacy", "role.continence-service",
    "role.council-occupational-therapy", "role.dfg-team", "role.reablement", "role.mental-health-crisis",
    "role.section-117", "role.community-equipment-service", "role.dwp-pip", "role.council-blue-badge",
}


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return RuleBook.load()


def _read(name: str) -> list[dict]:
    with (EASTMERE / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_at_least_45_rules_and_80_needs(book):
    assert len(book.rules) >= 45
    assert len(book.needs) >= 80


def test_every_referenced_need_and_role_exists_and_every_need_is_answered(book):
    referenced = {n for r in book.rules for n in r.needs}
    assert referenced <= set(book.needs)
    assert set(book.needs) <= referenced, "needs no rule answers"
    assert {r.role for r in book.rules} <= set(book.roles)


def test_the_required_roles_are_all_used(book):
    assert book.roles_used() >= REQUIRED_ROLES


def test_every_rule_is_sourced_explained_and_reviewed(book):
    for r in book.rules:
        assert r.source and r.explanation and r.if_they_say_not_theirs, r.id
        assert r.source_url and r.source_url.startswith("https://"), r.id
        host = r.source_url.split("/")[2]
        assert host.endswith(("gov.uk", "nhs.uk", "nice.org.uk", "cqc.org.uk", "lgo.org.uk", "ombudsman.org.uk",
                              "samaritans.org")), (r.id, host)
        assert r.last_reviewed <= book.reviewed, r.id
        assert len(r.explanation) < 500, f"{r.id}: keep explanations to one or two sentences"


def test_key_answers_cite_the_right_law(book):
    cites = {r.id: r.source for r in book.rules}
    assert "s10" in cites["carers-assessment"] and "Care Act 2014" in cites["carers-assessment"]
    assert "s9" in cites["care-needs-assessment-adult"]
    assert "s117" in cites["section-117-aftercare"]
    assert "Continuing Healthcare" in cites["continuing-healthcare"]
    assert "s36" in cites["ehc-plan"]
    assert "s42" in cites["safeguarding-adult"]
    assert "42 days" in cites["register-birth"]
    assert "£1,000" in cites["minor-adaptations"]


def test_carers_words_reach_the_right_need(book):
    index = book.synonym_index()
    for phrase, need in (("commode", "need.equipment-after-discharge"), ("carers assessment", "need.carers-assessment"),
                         ("assessment for me", "need.carers-assessment"),
                         ("someone to check i can cope", "need.carers-assessment"),
                         ("help for me as a carer", "need.carers-assessment"), ("grab rails", "need.minor-adaptations"),
                         ("chc", "need.continuing-healthcare"), ("wheelchair", "need.wheelchair"),
                         ("stairlift", "need.major-adaptations"), ("ehcp", "need.ehc-plan")):
        assert need in index[phrase], phrase


def test_every_rule_role_has_a_service_in_every_eastmere_district(book):
    terms = {row["id"]: row for row in _read("taxonomy_terms.csv")}
    services = {row["id"]: row for row in _read("services.csv")}
    covers: dict[str, set[str]] = defaultdict(set)
    for row in _read("service_areas.csv"):
        extent = row["extent"]
        if extent == "country:England" or extent == "local_authority:Eastmere":
            covers[row["service_id"]] |= set(DISTRICTS)
        elif extent.startswith("postcode_district:"):
            covers[row["service_id"]].add(extent.split(":", 1)[1])
    role_districts: dict[str, set[str]] = defaultdict(set)
    for row in _read("attributes.csv"):
        term = terms[row["taxonomy_term_id"]]
        if row["link_entity"] == "service" and term["code"].startswith("role."):
            assert services[row["link_id"]]["status"] == "active"
            role_districts[term["code"]] |= covers[row["link_id"]]
    missing = {role: sorted(set(DISTRICTS) - role_districts[role]) for role in book.roles_used()
               if set(DISTRICTS) - role_districts[role]}
    assert not missing, f"roles without a service covering these districts: {missing}"


def test_no_rule_has_gone_unreviewed_for_long(book):
    stale = [r.id for r in book.rules if (book.reviewed - r.last_reviewed).days > 540]
    assert not stale, f"re-check these rules and bump last_reviewed: {stale}"

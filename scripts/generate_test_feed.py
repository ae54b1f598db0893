#!/usr/bin/env python3
"""Generate a realistic "real council feed" test fixture: Brackenford, an invented council.

Writes tests/fixtures/directory/brackenford_oruk3.json, one ORUK 3.0 `/services` page of about
three hundred services shaped like the feeds councils publish (UUIDs, an organisation with its
website as `url`, locations with addresses and coordinates, phones, opening hours, the council's
own taxonomy, no OneStory roles or needs), and tests/fixtures/directory/brackenford_postcodes.csv
in the ONS Postcode Directory's layout. Three records are bad, as in real feeds: an empty name
(record 9), a URL field holding a place's name (record 88), and an id used a second time with a
different name (record 230 repeats record 41's id).

Nothing here is real: Brackenford, BF1-BF6 (BF is not a UK postcode area), E06999997 (no council
has it), the organisations and the people. Phone numbers are Ofcom's drama range (01632 960xxx).
Deterministic. Run:  .venv/bin/python scripts/generate_test_feed.py [OUT_DIR]
"""
from __future__ import annotations

import csv
import json
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "directory"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://onestory.example/test/brackenford")
CODE = "E06999997"
TAXONOMY = "Brackenford Directory Categories"
BAD_EMPTY_NAME, BAD_URL, DUPLICATE_OF, DUPLICATE_AT = 9, 88, 41, 230

# Neighbourhood: (district, latitude, longitude)
AREAS = {
    "Eastfield": ("BF1", 51.9010, -2.8990), "Holloway Green": ("BF1", 51.9080, -2.8890),
    "Kingsmead": ("BF2", 51.9300, -2.8500), "Lower Brack": ("BF2", 51.9260, -2.8620),
    "Millbrook": ("BF3", 51.8700, -2.9500), "Northgate": ("BF4", 51.9500, -2.9100),
    "St Anne's": ("BF4", 51.9440, -2.9220), "Southbridge": ("BF5", 51.8500, -2.9000),
    "Westover": ("BF6", 51.8950, -2.9800), "Yew Tree": ("BF6", 51.8880, -2.9700),
    "Ashby Vale": ("BF3", 51.8640, -2.9420), "Brook End": ("BF5", 51.8560, -2.9100),
    "Chapel Hill": ("BF2", 51.9350, -2.8420), "Fairfield": ("BF5", 51.8450, -2.8900),
    "Orchard Park": ("BF3", 51.8760, -2.9580), "Rookery Lane": ("BF6", 51.8990, -2.9900),
}
# Category: (taxonomy term, [(name pattern, description), ...], organisation kind)
CATEGORIES = {
    "dementia": ("Dementia and memory", [
        ("Dementia Café – {area}", "A monthly memory café for people living with dementia and the people who "
                                   "care for them: tea, music and a chance to talk to a dementia adviser."),
        ("Memory Matters Group {area}", "A weekly group for people with memory problems or dementia, with "
                                        "activities and support for carers."),
        ("Singing for Memory – {area}", "Singing sessions for people living with dementia and their carers.")],
        "charity"),
    "food": ("Food and essentials", [
        ("{area} Food Bank", "Emergency food parcels for people in crisis. Bring a referral voucher from an "
                             "agency, or ask us how to get one."),
        ("{area} Community Pantry", "A low-cost membership pantry: a weekly shop of groceries for a small fee."),
        ("Warm Space and Free Lunch – {area}", "A warm place with a hot lunch, free, every weekday in winter.")],
        "community"),
    "carers": ("Carers", [
        ("{area} Carers' Drop-in", "Information, advice and a cuppa for unpaid carers of adults, with help to "
                                   "apply for a carer's assessment."),
        ("Young Carers Club {area}", "Activities and support for young carers aged 8 to 17."),
        ("Carers' Break Sitting Service – {area}", "A trained sitter stays with the person you care for so you "
                                                   "can have a few hours' break.")],
        "charity"),
    "older": ("Older people", [
        ("Lunch Club at {area} Community Centre", "A two-course lunch and company for older people, with "
                                                  "transport for those who need it."),
        ("Befriending Service – {area}", "A volunteer visits or phones older people who feel lonely."),
        ("Chair-based Exercise {area}", "Gentle seated exercise to improve strength and balance.")],
        "community"),
    "advice": ("Advice", [
        ("Benefits Advice Surgery – {area}", "Free help with benefits: Attendance Allowance, Carer's Allowance, "
                                             "PIP and Universal Credit forms."),
        ("Debt and Money Advice {area}", "Confidential debt advice and help with bills.")],
        "charity"),
    "families": ("Children and families", [
        ("Stay and Play {area}", "Play sessions for under-fives and their parents or carers."),
        ("{area} Family Hub", "Help for families with children and young people from pregnancy to 19 (25 with "
                              "SEND): parenting support, health visitors and advice.")],
        "council"),
    "health": ("Health and wellbeing", [
        ("Falls Prevention Class – {area}", "Strength and balance classes for people at risk of falls."),
        ("Talking Therapies Drop-in {area}", "Talk to a wellbeing practitioner about anxiety, low mood or stress.")],
        "nhs"),
}
COUNCIL_SERVICES = [
    ("Adult Social Care – Front Door", "The council's adult social care team: care needs assessments, home care, "
                                       "respite and carers' assessments.", "Adults and carers"),
    ("Occupational Therapy Service", "Assessments for equipment and adaptations at home: grab rails, bath lifts, "
                                     "stair rails.", "Adults and carers"),
    ("Blue Badge Applications", "Apply for a Blue Badge parking permit.", "Advice"),
    ("Community Equipment Loan Store", "Short-term loan of equipment such as commodes, walking frames and "
                                       "wheelchairs after a hospital stay.", "Adults and carers"),
    ("Council Tax Support", "Help paying council tax on a low income, and discounts for disability and "
                            "dementia.", "Advice"),
]
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA")


def uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(map(str, parts))))


def postcode(rnd: random.Random, district: str) -> str:
    return f"{district} {rnd.randint(1, 9)}{rnd.choice('ABDEFGHJLNPQRSTUWXYZ')}{rnd.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def build() -> tuple[list[dict], list[tuple[str, float, float]]]:
    rnd = random.Random(20261130)
    number = iter(range(960000, 961000))
    terms = {key: {"id": uid("term", key), "name": name, "taxonomy": TAXONOMY,
                   "taxonomy_detail": {"id": uid("taxonomy"), "name": TAXONOMY,
                                       "description": "How the council's directory sorts its services."}}
             for key, (name, _templates, _kind) in CATEGORIES.items()}
    terms["council"] = {"id": uid("term", "council"), "name": "Council services", "taxonomy": TAXONOMY}
    orgs = {"council": {"id": uid("org", "council"), "name": "Brackenford City Council",
                        "description": "The local council for Brackenford (an invented council for tests).",
                        "url": "https://www.brackenford.gov.example", "email": "directory@brackenford.gov.example"},
            "nhs": {"id": uid("org", "nhs"), "name": "Brackenford Community Health NHS Trust",
                    "description": "Community health services in Brackenford.",
                    "url": "https://www.brackenford-health.nhs.example"}}
    postcodes: list[tuple[str, float, float]] = []

    def location(key: str, area: str) -> dict:
        district, lat, lon = AREAS[area]
        point = (round(lat + rnd.uniform(-0.004, 0.004), 5), round(lon + rnd.uniform(-0.006, 0.006), 5))
        code = postcode(rnd, district)
        postcodes.append((code, *point))
        return {"id": uid("sal", key), "location": {
            "id": uid("location", key), "name": f"{area} Community Centre", "location_type": "physical",
            "latitude": point[0], "longitude": point[1],
            "addresses": [{"id": uid("address", key), "address_1": f"{rnd.randint(1, 120)} {area} Road",
                           "city": "Brackenford", "state_province": "Brackenford", "postal_code": code,
                           "country": "GB", "address_type": "physical"}]}}

    def service(key: str, name: str, description: str, org: dict, term: dict, area: str) -> dict:
        day = rnd.choice(DAYS)
        opens = rnd.choice(("09:00", "10:00", "13:30"))
        return {
            "id": uid("service", key), "name": name, "description": description, "status": "active",
            "url": f"https://www.brackenford.gov.example/directory/{uid('page', key)[:8]}",
            "email": f"hello{rnd.randint(1, 999)}@brackenford-groups.example",
            "assured_date": f"2026-{rnd.randint(1, 10):02d}-{rnd.randint(1, 28):02d}",
            "organization": org,
            "phones": [{"id": uid("phone", key), "number": f"01632 {next(number)}"}],
            "schedules": [{"id": uid("schedule", key), "freq": "WEEKLY", "byday": day, "opens_at": opens,
                           "closes_at": "12:00" if opens != "13:30" else "15:30"}],
            "service_areas": [{"id": uid("area", key), "name": "Brackenford", "extent_type": "text",
                               "service_area": "Brackenford"}],
            "service_at_locations": [location(key, area)],
            "attributes": [{"id": uid("attribute", key), "taxonomy_term": term}],
        }

    services: list[dict] = []
    for index, (name, description, group) in enumerate(COUNCIL_SERVICES):
        term = terms["council"]
        services.append(service(f"council-{index}", name, f"{description} ({group}.)", orgs["council"], term,
                                "Northgate"))
    for key, (_term_name, templates, kind) in CATEGORIES.items():
        for area in AREAS:
            for t_index, (pattern, description) in enumerate(templates):
                org_key = "council" if kind == "council" else "nhs" if kind == "nhs" else f"{key}-{area}"
                if org_key not in orgs:
                    orgs[org_key] = {"id": uid("org", org_key),
                                     "name": f"{area} {'Carers Network' if key == 'carers' else 'Community Trust'}",
                                     "description": f"A local {kind} group in {area}.",
                                     "url": f"www.{area.lower().replace(' ', '').replace(chr(39), '')}-trust.example"}
                name = pattern.format(area=area)
                services.append(service(f"{key}-{area}-{t_index}", name, description, orgs[org_key], terms[key], area))
    rnd.shuffle(services)
    # The three bad records, at fixed positions (1-based).
    services[BAD_EMPTY_NAME - 1]["name"] = ""
    services[BAD_URL - 1]["url"] = "Warmley Community Centre"
    twin = json.loads(json.dumps(services[DUPLICATE_AT - 1]))
    twin["id"] = services[DUPLICATE_OF - 1]["id"]
    twin["name"] = services[DUPLICATE_OF - 1]["name"] + " (old listing)"
    services[DUPLICATE_AT - 1] = twin
    return services, postcodes


def write(out: Path = OUT) -> None:
    services, postcodes = build()
    page = {"total_items": len(services), "total_pages": 1, "page_number": 1, "size": len(services),
            "first_page": True, "last_page": True, "empty": False, "contents": services}
    out.mkdir(parents=True, exist_ok=True)
    (out / "brackenford_oruk3.json").write_text(json.dumps(page, indent=1, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    rows = {code: (lat, lon) for code, lat, lon in postcodes}
    for district in sorted({d for d, _lat, _lon in AREAS.values()}):
        centre = next((lat, lon) for d, lat, lon in AREAS.values() if d == district)
        for sector in range(1, 10):
            rows.setdefault(f"{district} {sector}AA", centre)
    with (out / "brackenford_postcodes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["pcd", "pcds", "dointr", "doterm", "oslaua", "ctry", "lat", "long"])
        for code in sorted(rows):
            outward, inward = code.split(" ")
            writer.writerow([f"{outward:<4}{inward}", code, "202601", "", CODE, "E92000001",
                             f"{rows[code][0]:.6f}", f"{rows[code][1]:.6f}"])
    print(f"{len(services)} services, {len(rows)} postcodes")


if __name__ == "__main__":
    sys.exit(write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))

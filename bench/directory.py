"""Directory benchmark: a synthetic national-scale directory of 100,000 services in ~96 councils.

Each of ~2,400 postcode districts across England belongs to a synthetic council (one per postcode
area; their ONS-style codes E069xxxxx belong to no real council), with a postcode table of four
postcodes per district. Half the services play one of the rule book's roles and are tagged with it
and its needs, as OneStory's own data is; the other half are named and described from the needs'
words and tagged with nothing, as councils' real feeds are, and are delivered at a located place.
A few services are national.

Prints the import time (through the real importer, full-text documents included) and the postcode
table's load time, then p50/p95 of:
  resolve   a responsibility question: need matching, rules, the place's council, the local service
  search    a need + postcode search by tag (the directory's search box)
  text      a need + postcode full-text search over the council's untagged services, ranked by
            relevance, nearness and freshness (what answers carers from a real feed)
  council   one page of the ORUK API's /services filtered by authority
on SQLite and PostgreSQL, and the same for the demo councils' own feeds (`make run`'s Eastmere and
Fenmoor) in the same run, so that the scale's cost is read against the small directory's.
Targets: import of 100,000 within 60 s, search p95 under 10 ms.
`BENCH_SERVICES=2000 python -m bench bench.directory` for a quick run.
"""
from __future__ import annotations

import csv
import json
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sqlalchemy import create_engine, text

from bot import db as dbmod
from bot import models_registry  # noqa: F401
from bot.db import Base, session_scope
from bot.demo import COUNCILS
from bot.directory import api, local_search, localities, postcodes, responsibility, search
from bot.directory.importer import import_feed
from bot.directory.models import NEEDS_TAXONOMY, ROLES_TAXONOMY
from bot.directory.places import Place
from bot.directory.rules import Situation
from bot.directory.validation import feed_columns

N_SERVICES = int(os.environ.get("BENCH_SERVICES", "100000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "400"))
PG_ADMIN = os.environ.get("ONESTORY_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
NS = uuid.UUID("0b6f0e55-2a8c-4a4c-9d1e-5a1f3c4e7d21")
QUESTIONS = [
    "who sorts out a wheelchair for my wife",
    "who do I ask for a carer's assessment",
    "who decides on NHS continuing healthcare funding",
    "who can put grab rails in the bathroom",
    "how do I get a blue badge for dad",
    "who arranges the district nurse",
    "who does the memory assessment for mum",
    "who registers a death",
]
AREAS = ["AB", "B", "BA", "BD", "BH", "BL", "BN", "BR", "BS", "CA", "CB", "CH", "CM", "CO", "CR", "CT",
         "CV", "CW", "DA", "DE", "DH", "DL", "DN", "DT", "DY", "E", "EN", "EX", "FY", "GL", "GU", "HA",
         "HD", "HG", "HP", "HR", "HU", "HX", "IG", "IP", "KT", "L", "LA", "LE", "LN", "LS", "LU", "M",
         "ME", "MK", "N", "NE", "NG", "NN", "NR", "NW", "OL", "OX", "PE", "PL", "PO", "PR", "RG", "RH",
         "RM", "S", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "TA", "TF",
         "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO"]


def uid(kind: str, n) -> str:
    return str(uuid.uuid5(NS, f"{kind}-{n}"))


def districts() -> list[str]:
    return [f"{area}{n}" for area in AREAS for n in range(1, 26)] + [f"EM{n}" for n in range(1, 7)]


def council(district: str) -> str:
    """A synthetic ONS-style code per postcode area (E069xxxxx: no real council has one)."""
    area = district.rstrip("0123456789")
    return "E06999999" if area == "EM" else f"E069{AREAS.index(area):05d}"


_POSITION = {district: index for index, district in enumerate(districts())}


def point(district: str) -> tuple[float, float]:
    """A made-up but consistent centre per district, in England's rough bounds."""
    index = _POSITION.get(district, 0)
    return 50.5 + (index % 49) * 0.07, -4.5 + (index // 49) * 0.12


def write_postcodes(path: Path) -> int:
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pcds", "oslaua", "lat", "long"])
        for district in districts():
            lat, lon = point(district)
            for k in range(1, 5):
                writer.writerow([f"{district} {k}AA", council(district), f"{lat + k * 0.001:.6f}",
                                 f"{lon + k * 0.001:.6f}"])
                rows += 1
    return rows


def write_feed(path: Path, n_services: int) -> None:
    book = responsibility.rulebook()
    role_codes = sorted(book.roles_used())
    needs = list(book.needs.values())
    needs_for_role: dict[str, list[str]] = {}
    for rule in book.rules:
        known = needs_for_role.setdefault(rule.role, [])
        known.extend(n for n in rule.needs if n not in known)
    places = districts()
    rng = random.Random(7)
    sources: dict[str, list[dict]] = {
        "taxonomies": [{"id": uid("tax", "roles"), "name": ROLES_TAXONOMY},
                       {"id": uid("tax", "needs"), "name": NEEDS_TAXONOMY}],
        "taxonomy_terms": [{"id": uid("term", c), "code": c, "name": r.name, "taxonomy_id": uid("tax", "roles"),
                            "taxonomy": ROLES_TAXONOMY} for c, r in book.roles.items()]
        + [{"id": uid("term", c), "code": c, "name": n.name, "taxonomy_id": uid("tax", "needs"),
            "taxonomy": NEEDS_TAXONOMY} for c, n in book.needs.items()],
        "taxonomy_term_synonyms": [{"id": uid("syn", f"{c}-{i}"), "taxonomy_term_id": uid("term", c), "synonym": s}
                                   for c, n in book.needs.items() for i, s in enumerate(n.synonyms)],
    }
    orgs, services, phones, schedules, areas, attributes, locations, sals = [], [], [], [], [], [], [], []
    for i in range(n_services):
        sid, role = uid("svc", i), role_codes[i % len(role_codes)]
        national = i < len(role_codes)  # one national service per role
        district = rng.choice(places)
        code = None if national else council(district)
        if i % 20 == 0:
            orgs.append({"id": uid("org", i // 20), "name": f"Synthetic organisation {i // 20}",
                         "local_authority_code": code})
        tagged = national or i % 2 == 0
        if tagged:
            name, description = f"{role} service {i}", ""
        else:  # as a council's feed has it: words, no tags
            need = needs[i % len(needs)]
            name = f"{need.name} – {district} {i}"
            description = f"Help with {need.name.lower()}: " + ", ".join(need.synonyms[:4])
        services.append({"id": sid, "organization_id": uid("org", i // 20), "name": name, "description": description,
                         "status": "active", "assured_date": f"2026-{1 + i % 11:02d}-01", "local_authority_code": code})
        phones.append({"id": uid("ph", i), "service_id": sid, "number": f"01632 9{i % 100000:05d}"})
        schedules.append({"id": uid("sch", i), "service_id": sid, "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
                          "opens_at": "09:00", "closes_at": "17:00"})
        if tagged:
            extent = "country:England" if national else f"postcode_district:{district}"
            areas.append({"id": uid("area", i), "service_id": sid, "extent_type": "text", "extent": extent})
            attributes.append({"id": uid("attr", i), "link_id": sid, "link_type": "service", "link_entity": "service",
                               "taxonomy_term_id": uid("term", role)})
            for k, need_code in enumerate(needs_for_role.get(role, [])[:2]):
                attributes.append({"id": uid("attr", f"{i}-{k}"), "link_id": sid, "link_type": "service",
                                   "link_entity": "service", "taxonomy_term_id": uid("term", need_code)})
        else:
            lat, lon = point(district)
            locations.append({"id": uid("loc", i), "location_type": "physical", "name": name,
                              "latitude": f"{lat + rng.uniform(-0.02, 0.02):.5f}",
                              "longitude": f"{lon + rng.uniform(-0.03, 0.03):.5f}"})
            sals.append({"id": uid("sal", i), "service_id": sid, "location_id": uid("loc", i)})
    sources.update(organizations=orgs, services=services, locations=locations, service_at_location=sals,
                   phones=phones, schedules=schedules, service_areas=areas, attributes=attributes)
    path.mkdir(parents=True, exist_ok=True)
    for table, rows in sources.items():
        with (path / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=feed_columns(table), extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    descriptor = {"name": "synthetic-national", "profile": "tabular-data-package",
                  "resources": [{"name": t, "path": f"{t}.csv"} for t in sources]}
    (path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


def timed(samples: list[float], call):
    started = time.perf_counter()
    result = call()
    samples.append(time.perf_counter() - started)
    return result


@dataclass(frozen=True)
class Directory:
    """What one measurement loads: feeds (with their council, or None when the feed names its
    own), postcode tables, and the districts and councils searched."""

    feeds: list[tuple[Path, Optional[str], Optional[str]]]
    postcode_files: list[Path]
    places: list[str]
    council_of: Callable[[str], str]


def synthetic(feed: Path, postcode_file: Path) -> Directory:
    return Directory([(feed, None, None)], [postcode_file], districts(), council)


def demo() -> Directory:
    """The demo councils' own feeds (Eastmere's datapackage, Fenmoor's ORUK 1.0 JSON), as `make run` loads them."""
    eastmere, fenmoor = COUNCILS
    codes = {"EM": eastmere.code, "FM": fenmoor.code}
    return Directory([(c.feed, c.code, c.name) for c in COUNCILS], [c.postcodes for c in COUNCILS],
                     [f"EM{n}" for n in range(1, 7)] + [f"FM{n}" for n in range(1, 5)],
                     lambda district: codes[district[:2]])


def measure(url: str, directory: Directory) -> dict:
    engine = dbmod.configure(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    started = time.perf_counter()
    for feed, code, name in directory.feeds:
        report = import_feed(feed, authority=code, authority_name=name) if code else import_feed(feed)
        assert report.ok, report.to_table()
    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for postcode_file in directory.postcode_files:
        assert postcodes.load(postcode_file).ok
    postcode_seconds = time.perf_counter() - started
    responsibility.NEED_INDEX.reset()
    rng = random.Random(11)
    places = directory.places
    need_codes = list(responsibility.rulebook().needs)
    times: dict[str, list[float]] = {"resolve": [], "search": [], "text": [], "council": []}
    with session_scope() as session:
        responsibility.answer_question(session, "wheelchair", Situation(), None)  # warm the matcher
        local_search.ignored_words()
        for i in range(SAMPLES):
            district = rng.choice(places)
            place = localities.locate(session, Place(district, f"{district} 2", None, postcode=f"{district} 2AA"))
            timed(times["resolve"], lambda p=place, q=QUESTIONS[i % len(QUESTIONS)]: responsibility.answer_question(
                session, q, Situation(setting="at_home", age_years=80), Place(p.district, p.sector, None,
                                                                              postcode=p.postcode)))
            need = rng.choice(need_codes)
            timed(times["search"], lambda p=place, n=need: search.services_for_needs(session, [n], p, age=80))
            timed(times["text"], lambda p=place, n=need: local_search.local_services(
                session, need_codes=[n], place=Place(p.district, p.sector, None, postcode=p.postcode), age=80))
            timed(times["council"], lambda d=district: api.service_list(
                session.connection(), {"authority": directory.council_of(d), "per_page": "50"}))
    return {"import_s": import_seconds, "postcodes_s": postcode_seconds,
            **{name: percentiles(samples) for name, samples in times.items()}}


def on_postgresql(work: Callable[[str], dict]) -> Optional[dict]:
    """`work` on a throwaway PostgreSQL database; None (said) when PostgreSQL cannot be reached."""
    name = f"onestory_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return work(PG_ADMIN.rsplit("/", 1)[0] + "/" + name)
    except Exception as error:  # PostgreSQL absent: say so rather than pretend
        print(f"PostgreSQL not measured: {error.__class__.__name__}: {error}")
        return None
    finally:
        dbmod.configure("sqlite://")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        except Exception:
            pass
        admin.dispose()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="onestory-dir-bench-"))
    feed, postcode_file = work / "feed", work / "postcodes.csv"
    load = os.getloadavg()
    t0 = time.perf_counter()
    write_feed(feed, N_SERVICES)
    n_postcodes = write_postcodes(postcode_file)
    written = time.perf_counter() - t0
    print(f"\nDirectory benchmark ({os.cpu_count()} cores, load average before {load[0]:.1f}/{load[1]:.1f}): "
          f"{N_SERVICES:,} synthetic services in {len(AREAS) + 1} councils, {n_postcodes:,} postcodes "
          f"(written in {written:.1f} s), next to the demo feeds (Eastmere and Fenmoor) in the same run")
    results: dict[str, dict] = {}
    for label, directory in (("demo", demo()), (f"{N_SERVICES // 1000}k", synthetic(feed, postcode_file))):
        results[f"{label} SQLite"] = measure(f"sqlite:///{work / (label + '.db')}", directory)
        found = on_postgresql(lambda url, d=directory: measure(url, d))
        if found is not None:
            results[f"{label} PostgreSQL"] = found
    shutil.rmtree(work, ignore_errors=True)
    print(f"{'feed, backend':16} {'import s':>9} {'postcodes s':>12}" + "".join(
        f" {k + ' p50':>12} {k + ' p95':>12}" for k in ("resolve", "search", "text", "council")) + "  (ms)")
    for backend, r in results.items():
        print(f"{backend:16} {r['import_s']:>9.1f} {r['postcodes_s']:>12.1f}" + "".join(
            f" {r[k][0]:>12.2f} {r[k][1]:>12.2f}" for k in ("resolve", "search", "text", "council")))
    print(f"(took {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()

"""Directory benchmark: a synthetic national-scale directory of 100,000 services.

Each service plays one of the rule book's responsibility roles, answers that role's needs, and
covers one postcode district of ~2,400 across England (plus a few national services), with a
phone and opening hours. Prints the import time, then p50/p95 of (a) resolving a responsibility
question (need matching + rules + the local service lookup) and (b) a need + postcode search, on
SQLite and on PostgreSQL.
"""
from __future__ import annotations

import csv
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from bot import db as dbmod
from bot import models_registry  # noqa: F401
from bot.db import Base, session_scope
from bot.directory import responsibility, search
from bot.directory.importer import import_feed
from bot.directory.models import NEEDS_TAXONOMY, ROLES_TAXONOMY
from bot.directory.places import Place
from bot.directory.rules import Situation
from bot.directory.validation import feed_columns

N_SERVICES = int(os.environ.get("BENCH_SERVICES", "100000"))
PG_ADMIN = os.environ.get("ONESTORY_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
NS = uuid.UUID("0b6f0e55-2a8c-4a4c-9d1e-5a1f3c4e7d21")
QUESTIONS = [
    ("who sorts out a wheelchair for my wife", None),
    ("who do I ask for a carer's assessment", None),
    ("who decides on NHS continuing healthcare funding", None),
    ("who can put grab rails in the bathroom", None),
    ("how do I get a blue badge for dad", None),
    ("who arranges the district nurse", None),
    ("who does the memory assessment for mum", None),
    ("who registers a death", None),
]


def uid(kind: str, n) -> str:
    return str(uuid.uuid5(NS, f"{kind}-{n}"))


def districts() -> list[str]:
    areas = ["AB", "B", "BA", "BD", "BH", "BL", "BN", "BR", "BS", "CA", "CB", "CH", "CM", "CO", "CR", "CT",
             "CV", "CW", "DA", "DE", "DH", "DL", "DN", "DT", "DY", "E", "EN", "EX", "FY", "GL", "GU", "HA",
             "HD", "HG", "HP", "HR", "HU", "HX", "IG", "IP", "KT", "L", "LA", "LE", "LN", "LS", "LU", "M",
             "ME", "MK", "N", "NE", "NG", "NN", "NR", "NW", "OL", "OX", "PE", "PL", "PO", "PR", "RG", "RH",
             "RM", "S", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "TA", "TF",
             "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO"]
    return [f"{area}{n}" for area in areas for n in range(1, 26)] + [f"EM{n}" for n in range(1, 7)]


def write_feed(path: Path, n_services: int) -> None:
    book = responsibility.rulebook()
    role_codes = sorted(book.roles_used())
    needs_for_role: dict[str, list[str]] = {}
    for rule in book.rules:
        known = needs_for_role.setdefault(rule.role, [])
        known.extend(n for n in rule.needs if n not in known)
    places = districts()
    rng = random.Random(7)
    tables: dict[str, list[dict]] = {
        "taxonomies": [{"id": uid("tax", "roles"), "name": ROLES_TAXONOMY},
                       {"id": uid("tax", "needs"), "name": NEEDS_TAXONOMY}],
        "taxonomy_terms": [{"id": uid("term", c), "code": c, "name": r.name, "taxonomy_id": uid("tax", "roles"),
                            "taxonomy": ROLES_TAXONOMY} for c, r in book.roles.items()]
        + [{"id": uid("term", c), "code": c, "name": n.name, "taxonomy_id": uid("tax", "needs"),
            "taxonomy": NEEDS_TAXONOMY} for c, n in book.needs.items()],
        "taxonomy_term_synonyms": [{"id": uid("syn", f"{c}-{i}"), "taxonomy_term_id": uid("term", c), "synonym": s}
                                   for c, n in book.needs.items() for i, s in enumerate(n.synonyms)],
    }
    sources = {name: rows for name, rows in tables.items()}
    orgs, services, phones, schedules, areas, attributes = [], [], [], [], [], []
    for i in range(n_services):
        sid, role = uid("svc", i), role_codes[i % len(role_codes)]
        national = i < len(role_codes)  # one national service per role
        district = rng.choice(places)
        if i % 20 == 0:
            orgs.append({"id": uid("org", i // 20), "name": f"Synthetic organisation {i // 20}"})
        services.append({"id": sid, "organization_id": uid("org", i // 20), "name": f"{role} service {i}",
                         "status": "active", "assured_date": "2026-06-01"})
        phones.append({"id": uid("ph", i), "service_id": sid, "number": f"01632 9{i % 100000:05d}"})
        schedules.append({"id": uid("sch", i), "service_id": sid, "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
                          "opens_at": "09:00", "closes_at": "17:00"})
        extent = "country:England" if national else f"postcode_district:{district}"
        areas.append({"id": uid("area", i), "service_id": sid, "extent_type": "text", "extent": extent})
        attributes.append({"id": uid("attr", i), "link_id": sid, "link_type": "service", "link_entity": "service",
                           "taxonomy_term_id": uid("term", role)})
        for k, need in enumerate(needs_for_role.get(role, [])[:2]):
            attributes.append({"id": uid("attr", f"{i}-{k}"), "link_id": sid, "link_type": "service",
                               "link_entity": "service", "taxonomy_term_id": uid("term", need)})
    sources.update(organizations=orgs, services=services, phones=phones, schedules=schedules,
                   service_areas=areas, attributes=attributes)
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


def measure(url: str, feed: Path) -> dict:
    engine = dbmod.configure(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    started = time.perf_counter()
    report = import_feed(feed)
    import_seconds = time.perf_counter() - started
    assert report.ok, report.to_table()
    responsibility.NEED_INDEX.reset()
    rng = random.Random(11)
    places = [p for p in districts()]
    resolve_times, search_times = [], []
    with session_scope() as session:
        responsibility.answer_question(session, "wheelchair", Situation(), None)  # warm the matcher
        for i in range(400):
            question, _ = QUESTIONS[i % len(QUESTIONS)]
            place = Place(rng.choice(places), None, "Eastmere" if i % 5 == 0 else None)
            t0 = time.perf_counter()
            responsibility.answer_question(session, question, Situation(setting="at_home", age_years=80), place)
            resolve_times.append(time.perf_counter() - t0)
            need = rng.choice(list(responsibility.rulebook().needs))
            t0 = time.perf_counter()
            search.services_for_needs(session, [need], place, age=80)
            search_times.append(time.perf_counter() - t0)
    return {"import_s": import_seconds, "resolve": percentiles(resolve_times), "search": percentiles(search_times)}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="onestory-dir-bench-"))
    feed = work / "feed"
    t0 = time.perf_counter()
    write_feed(feed, N_SERVICES)
    written = time.perf_counter() - t0
    print(f"\nDirectory benchmark: {N_SERVICES:,} synthetic services (feed written in {written:.1f} s)")
    results = {"SQLite": measure(f"sqlite:///{work / 'bench.db'}", feed)}
    name = f"onestory_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        results["PostgreSQL"] = measure(PG_ADMIN.rsplit("/", 1)[0] + "/" + name, feed)
    except Exception as error:  # PostgreSQL absent: say so rather than pretend
        print(f"PostgreSQL not measured: {error.__class__.__name__}: {error}")
    finally:
        dbmod.configure("sqlite://")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        except Exception:
            pass
    print(f"{'backend':12} {'import s':>9} {'resolve p50 ms':>15} {'resolve p95 ms':>15} "
          f"{'search p50 ms':>14} {'search p95 ms':>14}")
    for backend, r in results.items():
        print(f"{backend:12} {r['import_s']:>9.1f} {r['resolve'][0]:>15.2f} {r['resolve'][1]:>15.2f} "
              f"{r['search'][0]:>14.2f} {r['search'][1]:>14.2f}")


if __name__ == "__main__":
    main()

"""A synthetic feed and a timing helper for the importer (benchmarks and the speed test).

    python -m bot.directory.importer_bench 10000 [DATABASE_URL]

writes a datapackage of N services (one organization per ten services; each service with a phone,
a schedule, a service area, a contact and a responsibility-role attribute) and times its import.
"""
from __future__ import annotations

import csv
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.engine import Engine

from bot.directory.models import ROLES_TAXONOMY
from bot.directory.validation import feed_columns

_NS = uuid.UUID("6f1c0c8e-8a86-4c36-9a36-7d0f8c1b2a10")


def _uid(kind: str, n: int) -> str:
    return str(uuid.uuid5(_NS, f"{kind}-{n}"))


def write_synthetic_datapackage(path: str | Path, n_services: int) -> dict[str, int]:
    """Write an HSDS datapackage of `n_services` services; returns rows written per table."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    taxonomy_id = _uid("taxonomy", 0)
    terms = [(_uid("term", i), name) for i, name in enumerate(("council", "nhs", "charity"))]
    tables: dict[str, Any] = {
        "taxonomies": [{"id": taxonomy_id, "name": ROLES_TAXONOMY, "description": "Who is responsible"}],
        "taxonomy_terms": [{"id": tid, "name": name, "description": name, "taxonomy_id": taxonomy_id,
                            "code": name} for tid, name in terms],
    }

    def services() -> Any:
        for i in range(n_services):
            yield {"id": _uid("service", i), "organization_id": _uid("org", i // 10),
                   "name": f"Synthetic service {i}", "description": f"Demo service number {i}",
                   "status": "active", "email": f"service{i}@example.org", "minimum_age": "18",
                   "last_modified": "2024-01-01T00:00:00Z"}

    def children(table: str) -> Any:
        for i in range(n_services):
            sid = _uid("service", i)
            if table == "phones":
                yield {"id": _uid("phone", i), "service_id": sid, "number": f"0300 {i:07d}", "type": "voice"}
            elif table == "schedules":
                yield {"id": _uid("schedule", i), "service_id": sid, "freq": "WEEKLY",
                       "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}
            elif table == "service_areas":
                yield {"id": _uid("area", i), "service_id": sid, "extent_type": "text",
                       "extent": f"postcode_district:EM{i % 6 + 1}", "name": f"EM{i % 6 + 1}"}
            elif table == "contacts":
                yield {"id": _uid("contact", i), "service_id": sid, "name": f"Contact {i}",
                       "email": f"contact{i}@example.org"}
            elif table == "attributes":
                yield {"id": _uid("attribute", i), "link_id": sid, "link_type": "service",
                       "link_entity": "service", "taxonomy_term_id": terms[i % 3][0]}

    organizations = ({"id": _uid("org", k), "name": f"Synthetic organisation {k}",
                      "description": "Demo organisation"} for k in range((n_services + 9) // 10))
    counts: dict[str, int] = {}
    sources: dict[str, Any] = {**tables, "organizations": organizations, "services": services()}
    for table in ("phones", "schedules", "service_areas", "contacts", "attributes"):
        sources[table] = children(table)
    for table, rows in sources.items():
        columns = feed_columns(table)
        with (path / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            n = 0
            for row in rows:
                writer.writerow(row)
                n += 1
        counts[table] = n
    descriptor = {"name": "synthetic", "profile": "tabular-data-package",
                  "resources": [{"name": t, "path": f"{t}.csv"} for t in sources]}
    (path / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return counts


def benchmark_import(n_services: int, *, engine: Optional[Engine] = None,
                     workdir: Optional[str | Path] = None) -> dict[str, Any]:
    """Write a synthetic feed of `n_services` and import it twice (fresh, then unchanged).

    Returns {"services", "rows", "first_seconds", "second_seconds", "ok"}.
    """
    from bot.directory.importer import import_feed

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        counts = write_synthetic_datapackage(Path(tmp) / "feed", n_services)
        started = time.perf_counter()
        first = import_feed(Path(tmp) / "feed", engine=engine)
        middle = time.perf_counter()
        second = import_feed(Path(tmp) / "feed", engine=engine)
        ended = time.perf_counter()
    return {"services": n_services, "rows": sum(counts.values()),
            "first_seconds": round(middle - started, 2), "second_seconds": round(ended - middle, 2),
            "ok": first.ok and first.written and second.ok,
            "errors": [str(i) for i in (first.errors + second.errors)[:5]]}


if __name__ == "__main__":
    from bot import db, models_registry  # noqa: F401
    from bot.db import Base

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    engine = db.configure(sys.argv[2]) if len(sys.argv) > 2 else db.engine()
    Base.metadata.create_all(engine)
    print(json.dumps(benchmark_import(n, engine=engine), indent=2))

"""The postcode table: which council each postcode belongs to, and where it is.

    python -m bot.directory postcodes load FILE [--only-authority CODE ...]

reads the ONS Postcode Directory (ONSPD) or the National Statistics Postcode Lookup (NSPL) as
published, a CSV with one row per postcode. The columns used are `pcds` (the postcode with one
space; `pcd`/`pcd7`/`pcd8` also work), `oslaua` (ONSPD's local authority district code; NSPL calls
it `laua`, newer files `lad23cd` and so on), `lat` and `long`. A column holding the authority's name
(`oslaua_name`, `laua_name`, `lad23nm`, ...) names the councils too. Loading again updates rows in
place. ONS marks postcodes without a grid reference with latitude 99.999999: those keep no point.

`lookup` answers from the table: the postcode itself when it is there, else its sector, else its
district (the district's most common council, and the mean of its postcodes' points).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from sqlalchemy import Column, Float, String, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from bot import db
from bot.db import Base
from bot.directory import authorities
from bot.directory.places import Place

CHUNK = 5000
NO_GRID_LATITUDE = 99.0  # ONS writes 99.999999 where a postcode has no grid reference

_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
_POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode")
_AUTHORITY_COLUMNS = re.compile(r"^(oslaua|laua|lad\d*cd|local_authority_code)$")
_NAME_COLUMNS = re.compile(r"^(oslaua_?name|laua_?name|lad\d*nm|local_authority_name)$")


class Postcode(Base):
    __tablename__ = "postcodes"

    postcode = Column(String(8), primary_key=True)  # "EM1 2AB": one space, upper case
    district = Column(String(4), nullable=False, index=True)  # "EM1"
    local_authority_code = Column(String(16), index=True)
    latitude = Column(Float)
    longitude = Column(Float)


def normalise(text: Optional[str]) -> Optional[str]:
    """'em12ab', 'EM1  2AB' -> 'EM1 2AB'; None when it is not a full postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _POSTCODE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


@dataclass
class LoadReport:
    source: str
    rows: int = 0
    loaded: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason), the first 20
    skipped_count: int = 0
    authorities: set[str] = field(default_factory=set)
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def skip(self, line: int, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < 20:
            self.skipped.append((line, reason))

    def summary(self) -> str:
        if self.error:
            return f"{self.source}: not loaded: {self.error}"
        return (f"{self.source}: {self.loaded} postcode(s) loaded from {self.rows} row(s) in "
                f"{len(self.authorities)} local authorities; {self.skipped_count} skipped")


def _column(header: list[str], names: Iterable[str] | re.Pattern) -> Optional[str]:
    if isinstance(names, re.Pattern):
        return next((h for h in header if names.match(h)), None)
    return next((n for n in names if n in header), None)


def _float(text: str) -> Optional[float]:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value


def read_rows(lines: Iterable[str], report: LoadReport,
              only: Optional[set[str]] = None) -> Iterator[tuple[dict, Optional[str]]]:
    """({postcode, district, local_authority_code, latitude, longitude}, authority name) per usable row."""
    reader = csv.reader(lines)
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader, [])]
    pc_col, la_col = _column(header, _POSTCODE_COLUMNS), _column(header, _AUTHORITY_COLUMNS)
    lat_col, lon_col = _column(header, ("lat", "latitude")), _column(header, ("long", "longitude", "lon"))
    name_col = _column(header, _NAME_COLUMNS)
    if pc_col is None or la_col is None:
        report.error = ("the file needs a postcode column (pcds) and a local authority column (oslaua); "
                        f"found: {', '.join(header[:12]) or 'no header'}")
        return
    index = {name: header.index(name) for name in (pc_col, la_col, lat_col, lon_col, name_col) if name}
    for record in reader:
        if not record or not any(cell.strip() for cell in record):
            continue
        report.rows += 1
        line = reader.line_num

        def cell(name: Optional[str], record: list[str] = record) -> str:
            return record[index[name]].strip() if name and index[name] < len(record) else ""

        postcode = normalise(cell(pc_col))
        if postcode is None:
            report.skip(line, f"not a postcode: {cell(pc_col)[:12]!r}")
            continue
        code = authorities.normalise_code(cell(la_col))
        if only is not None and code not in only:
            continue
        lat, lon = _float(cell(lat_col)), _float(cell(lon_col))
        if lat is None or lon is None or lat >= NO_GRID_LATITUDE or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            lat = lon = None
        yield ({"postcode": postcode, "district": postcode.split(" ")[0], "local_authority_code": code,
                "latitude": lat, "longitude": lon}, cell(name_col) or None)


def _upsert(conn: Connection, rows: list[dict]) -> None:
    table = Postcode.__table__
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.postcode],
        set_={c: statement.excluded[c] for c in ("district", "local_authority_code", "latitude", "longitude")})
    conn.execute(statement, rows)


def load(source: str | Path, *, only_authorities: Optional[Iterable[str]] = None,
         engine: Optional[Engine] = None) -> LoadReport:
    """Load an ONSPD/NSPL CSV into the postcode table, in one transaction. Never raises on bad data."""
    path = Path(source)
    report = LoadReport(path.name)
    only = {authorities.normalise_code(c) or c for c in only_authorities} if only_authorities else None
    try:
        handle = io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="replace", newline="")
    except OSError as error:
        report.error = f"cannot read the file: {error}"
        return report
    engine = engine or db.engine()
    names: dict[str, Optional[str]] = {}
    with handle, engine.begin() as conn:
        chunk: list[dict] = []
        for row, name in read_rows(handle, report, only):
            chunk.append(row)
            code = row["local_authority_code"]
            if code and (code not in names or (name and not names[code])):
                names[code] = name
            if len(chunk) >= CHUNK:
                _upsert(conn, chunk)
                report.loaded += len(chunk)
                chunk = []
        if report.error:
            return report
        if chunk:
            _upsert(conn, chunk)
            report.loaded += len(chunk)
        for code, name in names.items():
            authorities.ensure(conn, code, name)
        report.authorities = set(names)
    return report


# ---------------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    authority_code: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    exact: bool  # the postcode itself, not its sector or district


def district_known(conn, districts: list[str]) -> Optional[str]:
    """The first of these districts that has postcodes in the table."""
    if not districts:
        return None
    t = Postcode.__table__
    known = set(conn.execute(select(t.c.district).where(t.c.district.in_(districts)).distinct()).scalars())
    return next((d for d in districts if d in known), None)


def lookup(conn, place: Optional[Place]) -> Optional[Found]:
    """What the table says about a place: its postcode, else its sector, else its district."""
    if place is None:
        return None
    t = Postcode.__table__
    if place.postcode:
        row = conn.execute(select(t.c.local_authority_code, t.c.latitude, t.c.longitude)
                           .where(t.c.postcode == place.postcode)).first()
        if row is not None:
            return Found(row[0], row[1], row[2], True)
    areas = [t.c.district == place.district]
    if place.sector:
        # "EM1 2" takes in EM1 2AA ... EM1 2ZZ: a range, so the primary key's index serves it.
        sector_only = areas + [t.c.postcode >= f"{place.sector}A", t.c.postcode <= f"{place.sector}Z~"]
        found = _area(conn, sector_only)
        if found is not None:
            return found
    return _area(conn, areas)


def _area(conn, conditions: list) -> Optional[Found]:
    t = Postcode.__table__
    counts = conn.execute(select(t.c.local_authority_code, func.count()).where(*conditions)
                          .group_by(t.c.local_authority_code).order_by(func.count().desc())).all()
    if not counts:
        return None
    code = next((c for c, _n in counts if c), None)
    lat, lon = conn.execute(select(func.avg(t.c.latitude), func.avg(t.c.longitude)).where(
        *conditions, t.c.latitude.isnot(None))).one()
    return Found(code, float(lat) if lat is not None else None, float(lon) if lon is not None else None, False)

"""Importing a real feed with a few bad records: skip them, import the rest, name each one skipped.

A record is one top-level object of a JSON feed (a service with everything nested in it) or one
row of a CSV. With `skip_invalid`, an error in any row of a record (an empty name, a URL field
holding a place name, an id used again with a different name, a reference to a record that was
skipped) skips the whole record instead of the whole import. The rest is still checked as usual
and written in one transaction. Each skipped record is reported by position, id and name, with
every reason.

`RecordSink` stands in for the Report while rows are checked: warnings pass through; errors that
belong to a record mark it skipped; errors about the file as a whole still fail the import.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Optional

from bot.directory.validation import ERROR, Located, Report, Row


@dataclass(frozen=True)
class RecordRef:
    """Which record a row came from: its file, position (1-based), id and name."""
    file: str
    position: int
    id: Optional[str] = None
    name: Optional[str] = None
    table: Optional[str] = None


@dataclass
class Skipped:
    record: RecordRef
    reasons: list[str] = field(default_factory=list)

    def describe(self) -> str:
        r = self.record
        name = f"“{r.name}”" if r.name else "(no name)"
        unit = "row" if r.file.lower().endswith(".csv") else "record"  # a CSV's line, a JSON list's place
        return f"{r.file} {unit} {r.position}, id {r.id or '(none)'}, {name}: " + "; ".join(self.reasons)


class RecordSink:
    """A Report look-alike: errors in a known record skip it; everything else goes to the report."""

    def __init__(self, report: Report, records: dict[tuple[str, Row], RecordRef],
                 skipped: dict[RecordRef, Skipped]) -> None:
        self.report, self.records, self.skipped = report, records, skipped
        self.new: set[RecordRef] = set()

    def add(self, file: str, row: Row, field_name: Optional[str], reason: str, severity: str = ERROR,
            table: Optional[str] = None, code: Optional[str] = None) -> None:
        record = self.records.get((file, row))
        if severity != ERROR or record is None:
            self.report.add(file, row, field_name, reason, severity, table=table, code=code)
            return
        entry = self.skipped.get(record)
        if entry is None:
            entry = self.skipped[record] = Skipped(record)
            self.new.add(record)
        where = _within(row)
        label = ".".join(p for p in (where, field_name) if p)
        entry.reasons.append(f"{label}: {reason}" if label else reason)

    def error(self, file: str, row: Row, field_name: Optional[str], reason: str, **kw: Any) -> None:
        self.add(file, row, field_name, reason, ERROR, **kw)

    def warning(self, file: str, row: Row, field_name: Optional[str], reason: str, **kw: Any) -> None:
        self.add(file, row, field_name, reason, "warning", **kw)


def _within(row: Row) -> str:
    """The part of a JSON path inside its record: '$.contents[3].phones[0]' -> 'phones[0]'."""
    if not isinstance(row, str) or "]" not in row:
        return ""
    inner = row.split("]", 1)[1].lstrip(".")
    return inner


class Skipper:
    """The records of one import, which are skipped, and dropping their rows."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.records: dict[tuple[str, Row], RecordRef] = {}
        self.skipped: dict[RecordRef, Skipped] = {}
        self.suppliers: dict[tuple[str, str], set[RecordRef]] = {}

    def note_row(self, file: str, row: Row, record: Optional[RecordRef]) -> None:
        if record is not None:
            self.records[(file, row)] = record

    def sink(self) -> RecordSink:
        return RecordSink(self.report, self.records, self.skipped)

    def supplied(self, table: str, located: Located) -> None:
        """This row (or a repeat of it) came from the record its location names."""
        record = self.records.get((located.file, located.row))
        if record is not None:
            self.suppliers.setdefault((table, located.values["id"]), set()).add(record)

    def drop(self, rows: dict[str, dict[str, Located]]) -> int:
        """Remove every row whose records are all skipped; the number removed."""
        bad = set(self.skipped)
        removed = 0
        for table, by_id in rows.items():
            for row_id in [i for i in by_id if (table, i) in self.suppliers
                           and self.suppliers[(table, i)] <= bad]:
                del by_id[row_id]
                removed += 1
        return removed

    def skipped_ids(self, table: str) -> set[str]:
        """Ids of this table's rows that skipped records held (not to be removed as missing)."""
        bad = set(self.skipped)
        held = {row_id for (t, row_id), records in self.suppliers.items() if t == table and records & bad}
        return held | {r.id for r in bad if r.table == table and r.id}

    def finish(self) -> list[Skipped]:
        return sorted(self.skipped.values(), key=lambda s: (s.record.file, s.record.position))


def record_of(data: dict[str, Any], file: str, position: int, table: Optional[str]) -> RecordRef:
    def text(value: Any) -> Optional[str]:
        return str(value).strip() or None if value not in (None, "") and not isinstance(value, dict | list) else None

    return RecordRef(file, position, text(data.get("id")), text(data.get("name")), table)


def positions(records: Iterable[Skipped]) -> list[int]:
    return [s.record.position for s in records]

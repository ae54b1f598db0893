"""What an import or a validation found: each issue (file, record, field, reason, severity) and
what the import would change or changed. Never raises; sorted for people (records by number)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Union

ERROR = "error"
WARNING = "warning"
# Past this many issues of one kind (same file, field and reason code) the rest are only counted.
ISSUES_PER_KIND = 20

Row = Union[int, str, None]


@dataclass(frozen=True)
class Issue:
    file: str
    row: Row  # a CSV line number, or a JSON path like "$.contents[12].phones[0]"
    field: Optional[str]
    reason: str
    severity: str = ERROR
    table: Optional[str] = None
    record_id: Optional[str] = None  # the record (top-level object or CSV row) it is in
    record_name: Optional[str] = None

    @property
    def position(self) -> Optional[int]:
        """The record's number: the CSV line, or the JSON list position counted from 1."""
        return row_position(self.row)

    @property
    def where(self) -> str:
        """The field, inside its record: 'phones[0].number'."""
        inner = self.row.split("]", 1)[1].lstrip(".") if isinstance(self.row, str) and "]" in self.row else ""
        return ".".join(p for p in (inner, self.field or "") if p)

    @property
    def label(self) -> str:
        """The record as a person finds it: its name, or its id when it has none."""
        if self.record_name:
            return self.record_name
        return f"(no name; id {self.record_id})" if self.record_id else ""

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "position": self.position}


_TOP_INDEX = re.compile(r"^\$(?:\.\w+)?\[(\d+)\]")


def row_position(row: Row) -> Optional[int]:
    if isinstance(row, int):
        return row
    match = _TOP_INDEX.match(row) if isinstance(row, str) else None
    return int(match.group(1)) + 1 if match else None


@dataclass
class Report:
    """What an import or validation found, and (after a dry run or import) what it changed."""
    source: str = ""
    issues: list[Issue] = field(default_factory=list)
    preview: dict[str, dict[str, Any]] = field(default_factory=dict)
    written: bool = False
    dry_run: bool = False
    skipped: list[Any] = field(default_factory=list)  # importer_skips.Skipped, by position
    _kinds: Counter = field(default_factory=Counter, repr=False)
    _seen: set = field(default_factory=set, repr=False)
    _suppressed: Counter = field(default_factory=Counter, repr=False)

    def add(self, file: str, row: Row, field_name: Optional[str], reason: str, severity: str = ERROR,
            table: Optional[str] = None, code: Optional[str] = None) -> None:
        exact = (file, row, field_name, reason, severity)
        if exact in self._seen:  # the same finding twice (a check run again after skipping records)
            return
        self._seen.add(exact)
        key = (file, field_name, severity, code or reason)
        self._kinds[key] += 1
        if self._kinds[key] > ISSUES_PER_KIND:
            self._suppressed[key] += 1
            return
        self.issues.append(Issue(file, row, field_name, reason, severity, table))

    def error(self, file: str, row: Row, field_name: Optional[str], reason: str, **kw) -> None:
        self.add(file, row, field_name, reason, ERROR, **kw)

    def warning(self, file: str, row: Row, field_name: Optional[str], reason: str, **kw) -> None:
        self.add(file, row, field_name, reason, WARNING, **kw)

    def finish(self) -> Report:
        """Turn suppressed repeats into one summary issue each."""
        for (file, field_name, severity, code), count in sorted(self._suppressed.items(), key=str):
            self.issues.append(Issue(file, None, field_name, f"... and {count} more like this ({code})",
                                     severity))
        self._suppressed.clear()
        return self

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def error_count(self) -> int:
        return sum(n for (_f, _fld, sev, _c), n in self._kinds.items() if sev == ERROR)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def counts(self) -> dict[str, dict[str, int]]:
        """{table: {"added": n, "changed": n, "unchanged": n, "removed": n}}"""
        return {t: {k: v[k] for k in ("added", "changed", "unchanged", "removed")}
                for t, v in self.preview.items()}

    def sorted_issues(self) -> list[Issue]:
        """Errors first, then by file and record number (10 after 9, not after 1)."""
        return sorted(self.issues, key=lambda i: (i.severity != ERROR, i.file, i.position is None,
                                                  i.position or 0, str(i.row)))

    def to_table(self, limit: Optional[int] = None) -> str:
        """The issues as a plain-text table (errors first, records in number order)."""
        issues = self.sorted_issues()
        if limit is not None:
            issues = issues[:limit]
        head = ("severity", "file", "record", "name", "field", "reason")
        rows = [(i.severity, i.file, "" if i.position is None else str(i.position), i.label, i.where, i.reason)
                for i in issues]
        widths = [min(max([len(head[c])] + [len(r[c]) for r in rows]), (10, 40, 8, 40, 40, 200)[c])
                  for c in range(6)]

        def line(cells) -> str:
            return "  ".join(str(cell)[:w].ljust(w) for cell, w in zip(cells, widths, strict=False)).rstrip()

        out = [line(head), line("-" * w for w in widths)] + [line(r) for r in rows]
        return "\n".join(out)

    def summary(self) -> str:
        parts = [f"{self.error_count} error(s), {len(self.warnings)} warning(s)"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} invalid record(s) skipped")
        for table, c in self.counts().items():
            if any(c.values()):
                parts.append(f"{table}: +{c['added']} ~{c['changed']} ={c['unchanged']} -{c['removed']}")
        return "; ".join(parts)

"""Reading directory feeds into raw rows: HSDS tabular datapackages (directory, .zip or one CSV),
and (through importer_json) ORUK / HSDS JSON. Nothing here raises on bad input: problems go into
the report.
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
import zipfile
from pathlib import Path
from typing import Optional

from bot.directory.importer_feed import Feed, RawRow, decode, table_for
from bot.directory.importer_json import read_json
from bot.directory.importer_skips import record_of
from bot.directory.validation import Report

__all__ = ["Feed", "RawRow", "read_feed", "table_for"]

csv.field_size_limit(64 * 1024 * 1024)  # GeoJSON extents can be large

MAX_ARCHIVE_BYTES = 4 * 1024 ** 3


# ---------------------------------------------------------------------------------------------
# Files: a directory or a zip archive, seen as relative posix paths.
# ---------------------------------------------------------------------------------------------
class _Files:
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def read(self, name: str) -> bytes:
        raise NotImplementedError


class _DirFiles(_Files):
    def __init__(self, root: Path) -> None:
        self.root = root
        names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        super().__init__(names)

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


class _ZipFiles(_Files):
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        names = sorted(i.filename for i in archive.infolist()
                       if not i.is_dir() and not i.filename.startswith("__MACOSX/"))
        super().__init__(names)

    def read(self, name: str) -> bytes:
        return self.archive.read(name)


def read_feed(source: str | Path, report: Report, kind: Optional[str] = None,
              name: Optional[str] = None) -> Feed:
    """Read a datapackage directory, a .zip, a datapackage.json, a .csv or a JSON file.
    `name` is what the report calls the file (an upload's own name), when not its path's."""
    path = Path(source)
    name = name or path.name
    if not path.exists():
        report.error(name, None, None, f"no such file or directory: {path}")
        return Feed(str(source), "none")
    if path.is_dir():
        return read_datapackage(_DirFiles(path), name, report)
    if path.name.lower() == "datapackage.json":
        return read_datapackage(_DirFiles(path.parent), path.parent.name, report)
    try:
        data = path.read_bytes()
    except OSError as error:
        report.error(name, None, None, f"cannot read the file: {error}")
        return Feed(str(source), "none")
    if not data.strip():
        report.error(name, None, None, "the file is empty")
        return Feed(str(source), "none")
    if zipfile.is_zipfile(io.BytesIO(data)) or path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            if sum(i.file_size for i in archive.infolist()) > MAX_ARCHIVE_BYTES:
                report.error(name, None, None, "the archive unpacks to more than 4 GB")
                return Feed(str(source), "none")
            bad = archive.testzip()
            if bad is not None:
                report.error(name, None, bad, "corrupt member in the zip archive")
                return Feed(str(source), "none")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
            report.error(name, None, None, f"not a readable zip archive: {error}")
            return Feed(str(source), "none")
        return read_datapackage(_ZipFiles(archive), name, report)
    if path.suffix.lower() == ".csv":
        table = table_for(name)
        feed = Feed(str(source), "datapackage")
        if table is None:
            report.error(name, None, None, "the file name does not name an HSDS table (e.g. services.csv)")
            return feed
        _read_csv(feed, table, name, data, report)
        return feed
    return read_json(data, name, report, kind=kind)


# ---------------------------------------------------------------------------------------------
# Datapackages
# ---------------------------------------------------------------------------------------------
def read_datapackage(files: _Files, label: str, report: Report) -> Feed:
    feed = Feed(label, "datapackage")
    descriptors = sorted((n for n in files.names if posixpath.basename(n).lower() == "datapackage.json"),
                         key=lambda n: (n.count("/"), n))
    base = ""
    resources: list[tuple[str, str]] = []  # (table, file)
    if descriptors:
        descriptor = descriptors[0]
        base = posixpath.dirname(descriptor)
        resources = _resources_from_descriptor(files, descriptor, base, report)
    if not resources:
        csvs = [n for n in files.names if n.lower().endswith(".csv")]
        if not descriptors and csvs:
            base = min((posixpath.dirname(n) for n in csvs), key=lambda d: (d.count("/"), d))
        for name in csvs:
            if posixpath.dirname(name) != base:
                continue
            table = table_for(name)
            if table is None:
                report.warning(name, None, None, "unknown resource; ignored")
            else:
                resources.append((table, name))
        if not resources:
            report.error(label, None, None, "no datapackage.json resources and no HSDS CSV files found")
            return feed
    seen: dict[str, str] = {}
    for table, name in resources:
        if table in seen:
            report.warning(name, None, None, f"a second file for {table} (after {seen[table]}); both read")
        seen.setdefault(table, name)
        try:
            data = files.read(name)
        except KeyError:
            report.error(name, None, None, "listed in datapackage.json but the file is missing")
            continue
        except (OSError, zipfile.BadZipFile, EOFError, ValueError) as error:
            report.error(name, None, None, f"cannot read the file: {error}")
            continue
        _read_csv(feed, table, name, data, report)
    return feed


def _resources_from_descriptor(files: _Files, descriptor: str, base: str,
                               report: Report) -> list[tuple[str, str]]:
    try:
        package = json.loads(files.read(descriptor).decode("utf-8-sig"))
        items = package["resources"]
        if not isinstance(items, list):
            raise TypeError("resources is not a list")
    except Exception as error:  # noqa: BLE001 - any unreadable descriptor is reported the same way
        report.warning(descriptor, None, None,
                       f"datapackage.json is not a usable descriptor ({type(error).__name__}); "
                       "reading the CSV files by name instead")
        return []
    resources: list[tuple[str, str]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            report.warning(descriptor, f"resources[{index}]", None, "not a resource object; ignored")
            continue
        paths = item.get("path")
        paths = paths if isinstance(paths, list) else [paths] if isinstance(paths, str) else []
        if "data" in item and not paths:
            report.warning(descriptor, f"resources[{index}]", "data", "inline data is not supported; ignored")
            continue
        table = table_for(str(item.get("name") or "")) or (table_for(paths[0]) if paths else None)
        if table is None:
            report.warning(descriptor, f"resources[{index}]", "name",
                           f"unknown resource {item.get('name')!r}; ignored")
            continue
        for p in paths:
            if "://" in p:
                report.warning(descriptor, f"resources[{index}]", "path", "remote paths are not fetched")
                continue
            resources.append((table, posixpath.normpath(posixpath.join(base, p))))
    return resources


def _read_csv(feed: Feed, table: str, name: str, data: bytes, report: Report) -> None:
    text = decode(data, name, report)
    feed.tables_present.add(table)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header: Optional[list[str]] = None
        for record in reader:
            if any(cell.strip() for cell in record):
                header = [cell.strip().lstrip("\ufeff").strip().lower() for cell in record]
                break
        if header is None:
            report.warning(name, None, None, "the file has no header and no rows", table=table)
            return
        counts: dict[str, int] = {}
        for column in header:
            counts[column] = counts.get(column, 0) + 1
        for column, count in counts.items():
            if count > 1:
                report.error(name, 1, column, "column appears more than once", table=table)
        if "" in counts:
            report.warning(name, 1, None, "a column has no name; its values are ignored", table=table)
        width = len(header)
        rows = feed.rows.setdefault(table, [])
        for record in reader:
            if not record or not any(record):
                continue
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                report.warning(name, reader.line_num, None,
                               f"{len(record)} values for {width} columns; the extra ones are ignored",
                               table=table, code="width")
            values = dict(zip(header, record, strict=False))
            values.pop("", None)
            if not any(v.strip() for v in values.values()):
                continue
            rows.append(RawRow(table, name, reader.line_num, values,
                               record_of(values, name, reader.line_num, table)))
    except csv.Error as error:
        report.error(name, reader.line_num, None, f"CSV could not be read: {error}", table=table)



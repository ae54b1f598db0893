"""Command line for the directory: import, export and validate Open Referral feeds; postcodes; councils.

    python -m bot.directory import PATH [--authority CODE [--authority-name NAME]] [--skip-invalid]
                                        [--dry-run] [--replace] [--kind services]
    python -m bot.directory export PATH [--format datapackage|oruk-json]
    python -m bot.directory validate PATH [--skip-invalid]
    python -m bot.directory pull URL --authority CODE [--authority-name NAME] [--every HOURS] [--once]
                                     [--strict] [--keep-missing]
    python -m bot.directory postcodes load FILE [--only-authority CODE ...]
    python -m bot.directory authorities list
    python -m bot.directory authorities set CODE NAME

Exit status: 0 when the feed has no errors, 1 when it has (the report is printed), 2 on misuse.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Optional

from bot.directory.validation import Report


def _progress_bar(label: str):
    """A tqdm bar fed by the importer's (done, total) callback; closed by calling it with None."""
    from tqdm import tqdm

    state: dict[str, object] = {}

    def update(done: Optional[int], total: Optional[int] = None) -> None:
        bar = state.get("bar")
        if done is None:
            if bar is not None:
                bar.close()  # type: ignore[attr-defined]
            return
        if bar is None:
            bar = state["bar"] = tqdm(total=total, desc=label, unit="row", file=sys.stderr,
                                      disable=None, leave=False)
        bar.update(done - bar.n)  # type: ignore[attr-defined]

    return update


def _print_report(report: Report, limit: int) -> None:
    if report.skipped:
        print(f"{len(report.skipped)} invalid record(s) skipped:")
        for skipped in report.skipped[:limit]:
            print(f"  {skipped.describe()}")
        print()
    if report.issues:
        print(report.to_table(limit=limit))
        if len(report.issues) > limit:
            print(f"... {len(report.issues) - limit} more issue(s) not shown (use --limit)")
        print()
    for table, counts in report.counts().items():
        if any(counts.values()):
            print(f"{table:26} added {counts['added']:>7}  changed {counts['changed']:>7}  "
                  f"unchanged {counts['unchanged']:>7}  removed {counts['removed']:>7}")
    verdict = "written" if report.written else ("not written (dry run)" if report.dry_run and report.ok
                                                else "not written")
    skipped = f", {len(report.skipped)} invalid record(s) skipped" if report.skipped else ""
    print(f"{report.error_count} error(s), {len(report.warnings)} warning(s){skipped}; {verdict}")


def _council_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--skip-invalid", action="store_true",
                         help="skip records with errors (each is listed) and import the rest")
    command.add_argument("--authority", metavar="CODE",
                         help="the council (ONS code, like E06000023) of records that do not name one")
    command.add_argument("--authority-name", metavar="NAME", help="the council's name, like 'Bristol, City of'")


def _pull(parser: argparse.ArgumentParser, args) -> int:
    from bot.db import session_scope
    from bot.directory import authorities, pull

    code = authorities.normalise_code(args.authority)
    if code is None:
        parser.error("--authority needs an ONS code, like E06000023")
    options = {"skip_invalid": not args.strict, "remove_missing": not args.keep_missing}
    if args.once:
        result = pull.pull(args.url, code, authority_name=args.authority_name, **options)
    else:
        with session_scope() as session:
            authorities.ensure(session, code, args.authority_name)
            feed_id = pull.register(session, args.url, code, every_hours=args.every, **options).id
        result = pull.pull_feed(feed_id)
    print(f"{pull.services_url(args.url)}: {result.pages} page(s), {result.services} service(s)")
    if result.report is not None:
        _print_report(result.report, args.limit)
    if result.error:
        print(f"Not imported: {result.error}")
    return 0 if result.ok else 1


def _postcodes(args) -> int:
    from bot.directory import postcodes

    report = postcodes.load(args.file, only_authorities=args.only_authority)
    for line, reason in report.skipped:
        print(f"line {line}: {reason}")
    print(report.summary())
    return 0 if report.ok else 1


def _authorities(parser: argparse.ArgumentParser, args) -> int:
    from bot.db import session_scope
    from bot.directory import authorities

    if args.action == "set":
        code = authorities.normalise_code(args.code)
        if code is None or not (args.name or "").strip():
            parser.error("authorities set needs an ONS code (like E06000023) and a name")
        with session_scope() as session:
            authorities.ensure(session, code, args.name)
        print(f"{code}: {args.name.strip()}")
        return 0
    with session_scope() as session:
        for code, name in sorted(authorities.names(session).items()):
            print(f"{code}  {name}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.directory", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p_import = commands.add_parser("import", help="import a datapackage (dir or .zip) or ORUK JSON")
    p_import.add_argument("path")
    p_import.add_argument("--dry-run", action="store_true", help="validate and preview; write nothing")
    p_import.add_argument("--replace", action="store_true", help="remove services absent from the feed")
    p_import.add_argument("--kind", help="top-level JSON object type when it cannot be guessed")
    p_import.add_argument("--limit", type=int, default=200, help="issues to print (default 200)")
    _council_arguments(p_import)
    p_validate = commands.add_parser("validate", help="check a feed and preview an import")
    p_validate.add_argument("path")
    p_validate.add_argument("--kind")
    p_validate.add_argument("--limit", type=int, default=200)
    _council_arguments(p_validate)
    p_export = commands.add_parser("export", help="export the directory")
    p_export.add_argument("path")
    p_export.add_argument("--format", choices=("datapackage", "oruk-json"), default="datapackage")
    p_pull = commands.add_parser("pull", help="pull a council's ORUK API (3.0 or 1.0), page by page, and import it")
    p_pull.add_argument("url", help="the API's root or its /services endpoint")
    p_pull.add_argument("--authority", metavar="CODE", required=True, help="the council's ONS code")
    p_pull.add_argument("--authority-name", metavar="NAME")
    p_pull.add_argument("--every", type=float, default=24.0, metavar="HOURS",
                        help="how often the worker pulls it again (default 24)")
    p_pull.add_argument("--once", action="store_true", help="pull now only; do not add it to the worker's schedule")
    p_pull.add_argument("--strict", action="store_true", help="refuse the whole feed if any record is invalid")
    p_pull.add_argument("--keep-missing", action="store_true",
                        help="keep the council's services the API no longer lists")
    p_pull.add_argument("--limit", type=int, default=200)
    p_postcodes = commands.add_parser("postcodes", help="the postcode table (ONS Postcode Directory / NSPL)")
    p_postcodes.add_argument("action", choices=("load",))
    p_postcodes.add_argument("file", help="an ONSPD or NSPL CSV (columns pcds, oslaua, lat, long)")
    p_postcodes.add_argument("--only-authority", action="append", metavar="CODE",
                             help="load only this council's postcodes (repeatable)")
    p_councils = commands.add_parser("authorities", help="the councils (local authorities) in the directory")
    p_councils.add_argument("action", choices=("list", "set"))
    p_councils.add_argument("code", nargs="?")
    p_councils.add_argument("name", nargs="?")
    args = parser.parse_args(argv)

    if args.command == "postcodes":
        return _postcodes(args)
    if args.command == "pull":
        return _pull(parser, args)
    if args.command == "authorities":
        return _authorities(parser, args)
    from bot.directory.importer import import_feed

    if args.command in ("import", "validate"):
        bar = _progress_bar("checking" if args.command == "validate" else "importing")
        dry_run = args.command == "validate" or args.dry_run
        report = import_feed(args.path, dry_run=dry_run, remove_missing=getattr(args, "replace", False),
                             kind=args.kind, progress=bar, authority=args.authority,
                             authority_name=args.authority_name, skip_invalid=args.skip_invalid)
        bar(None)
        _print_report(report, args.limit)
        return 0 if report.ok else 1
    from bot.directory.exporter import export_datapackage, export_oruk_json

    path = export_oruk_json(args.path) if args.format == "oruk-json" else export_datapackage(args.path)
    print(f"exported to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

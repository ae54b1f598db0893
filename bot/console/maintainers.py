"""The directory maintainers' pages in the staff console, and the public ORUK API mount.

    /directory                     freshness dashboard: chart, oldest high-use services, open reports,
                                   and each council feed's last pull
    /directory/services            search by name, need, postcode, organisation, council
    /directory/services/<id>       edit (GET form, POST save); ?report=<id> resolves a carer's report
    /directory/services/<id>/verify    POST: mark verified (assured today)
    /directory/services/<id>/history   the last 20 versions side by side
    /directory/reports             carers' reports; POST .../<id>/dismiss with a reason
    /directory/rules               the rules, which service fills each role in EM1-EM6, and gaps
    /directory/import, /directory/export.zip         see bot.console.maintainer_imports
    /directory/councils, /directory/suggestions      see bot.console.maintainer_councils

Only directory maintainers and admins may use them (checked on every request). The pages show
no care records: a carer's report carries its rule and postcode district, never record contents.
All the work is in bot.directory.maintenance; these handlers parse forms and render templates.
"""
from __future__ import annotations

from typing import Any, Optional

from sanic import Blueprint, response

from bot import inputs
from bot.console import auth, maintainer_councils, maintainer_imports, nav
from bot.console.app import render
from bot.console.maintainer_common import STAFF
from bot.console.maintainer_common import editor as editor_of
from bot.console.maintainer_common import form as read_form
from bot.db import session_scope
from bot.directory import api, authorities, pull, reports, tagging
from bot.directory import maintenance as mt
from bot.directory import models as d

pages = Blueprint("maintainers")
# The console app mounts `bp`: these pages, the import and council pages, and the public read API.
bp = Blueprint.group(pages, maintainer_imports.bp, maintainer_councils.bp, api.bp)

BLANK_PHONES = 1
BLANK_SCHEDULES = 1

nav.register("Directory", "/directory", STAFF)
nav.register("Services", "/directory/services", STAFF)
nav.register("Reports", "/directory/reports", STAFF)
nav.register("Import and export", "/directory/import", STAFF)
nav.register("Councils", "/directory/councils", STAFF)
nav.register("Rules", "/directory/rules", STAFF)


# --- dashboard ---------------------------------------------------------------------------------

@pages.get("/directory")
@auth.require(*STAFF)
async def dashboard(request):
    with session_scope() as session:
        fresh = mt.freshness(session)
        open_reports = len(mt.list_reports(session))
        feeds = pull.feeds(session)
        council_names = authorities.names(session)
    return render(request, "maintainers/dashboard.html", title="Directory freshness", fresh=fresh,
                  buckets=mt.BUCKETS, chart=mt.bar_chart_svg(fresh.counts), open_reports=open_reports,
                  feeds=feeds, council_names=council_names)


# --- search ------------------------------------------------------------------------------------

SEARCH_FIELDS = {"q": "Name or words in the description", "need": "Need",
                 "postcode": "Postcode or district it covers", "organisation": "Organisation"}


def _search_query(request) -> tuple[dict[str, str], dict[str, str]]:
    """(the search form's values, errors by field): each field checked by bot.inputs."""
    query: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, label in SEARCH_FIELDS.items():
        raw = request.args.get(name) or ""
        try:
            query[name] = inputs.search(raw, name, label=label)
        except inputs.InvalidInput as invalid:
            errors[name] = str(invalid)
            # Shown again in the form, without what made it invalid.
            query[name] = "".join(ch for ch in raw if not inputs.control_characters(ch))[:inputs.MAX_SEARCH]
    return query, errors


@pages.get("/directory/services")
@auth.require(*STAFF)
async def services(request):
    query, errors = _search_query(request)
    query["authority"] = authorities.normalise_code(request.args.get("authority")) or ""
    rows: list[mt.ServiceRow] = []
    searched = any(query.values())
    with session_scope() as session:
        if searched and not errors:
            try:
                rows = mt.search_services(session, text=query["q"], need=query["need"], postcode=query["postcode"],
                                          organisation=query["organisation"], authority=query["authority"],
                                          limit=100)
            except mt.ValidationFailed as failed:
                errors = failed.errors
        organisations = mt.organisations(session)
        councils = sorted(authorities.names(session).items(), key=lambda c: c[1].lower())
    return render(request, "maintainers/services.html", status=400 if errors else 200, title="Find a service",
                  query=query, rows=rows, searched=searched, errors=errors, organisations=organisations,
                  councils=councils)


# --- edit --------------------------------------------------------------------------------------

def _form_state(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The edit form's values from a snapshot, with blank rows to add a phone or opening hours."""
    values = {name: "" if snapshot.get(name) is None else str(snapshot[name]) for name in mt.SERVICE_FIELDS}
    phones = [dict(p) for p in snapshot["phones"]] + [{"id": "", "number": "", "type": "voice", "extension": "",
                                                       "description": ""}] * BLANK_PHONES
    schedules = [{**s, "byday": (s.get("byday") or "").split(","), "opens_at": (s.get("opens_at") or "")[:5],
                  "closes_at": (s.get("closes_at") or "")[:5]} for s in snapshot["schedules"]]
    blank = {"id": "", "byday": [], "opens_at": "", "closes_at": "", "notes": "", "description": ""}
    schedules += [dict(blank) for _ in range(BLANK_SCHEDULES)]
    return {"values": values, "phones": phones, "schedules": schedules,
            "areas": "\n".join(_area_input(a) for a in snapshot["areas"]),
            "authority": snapshot.get("local_authority_code") or "",
            "organisation_authority": snapshot.get("organisation_authority") or "",
            "roles": snapshot.get(tagging.ROLES, []), "needs": snapshot.get(tagging.NEEDS, [])}


def _area_input(extent: str) -> str:
    kind, _, value = extent.partition(":")
    return value if kind in d.EXTENT_KINDS else extent


def _changes_from_form(form) -> tuple[mt.ServiceChanges, dict[str, Any]]:
    """(the edit, the form state to show again if it fails validation)."""
    fields = {name: form.get(name, "") for name in mt.SERVICE_FIELDS if name in form}
    phones, schedules = [], []
    index = 0
    while f"phones-{index}-number" in form or f"phones-{index}-id" in form:
        if not form.get(f"phones-{index}-remove"):
            phones.append({k: (form.get(f"phones-{index}-{k}") or "") for k in ("id", "number", "type", "extension",
                                                                                  "description")})
        else:
            phones.append({"id": "", "number": "", "type": "voice", "extension": "", "description": ""})
        index += 1
    index = 0
    while f"schedules-{index}-opens_at" in form or f"schedules-{index}-id" in form:
        row = {k: (form.get(f"schedules-{index}-{k}") or "") for k in ("id", "opens_at", "closes_at", "notes",
                                                                       "description")}
        row["byday"] = [] if form.get(f"schedules-{index}-remove") else form.getlist(f"schedules-{index}-byday") or []
        if form.get(f"schedules-{index}-remove"):
            row.update(opens_at="", closes_at="")
        schedules.append(row)
        index += 1
    areas_text = form.get("areas", "")
    areas = [line for line in areas_text.replace(",", "\n").splitlines() if line.strip()]
    changes = mt.ServiceChanges(fields=fields, phones=phones, schedules=schedules, areas=areas)
    state = {"values": {name: fields.get(name, "") for name in mt.SERVICE_FIELDS}, "phones": phones,
             "schedules": schedules, "areas": areas_text}
    for key in ("authority", "organisation_authority"):
        if key in form:
            setattr(changes, key, form.get(key) or "")
            state[key] = form.get(key) or ""
    if form.get("tags_shown"):  # the roles and needs boxes were on the form: none ticked means none
        changes.roles, changes.needs = form.getlist("roles") or [], form.getlist("needs") or []
        state["roles"], state["needs"] = changes.roles, changes.needs
    return changes, state


def _edit_page(request, service_id: str, state: Optional[dict[str, Any]] = None, errors: Optional[dict] = None,
               status: int = 200, done: str = "", report_id: str = "", conflict: str = ""):
    with session_scope() as session:
        try:
            snapshot = mt.snapshot(session, service_id)
        except mt.NotFound:
            return render(request, "error.html", status=404, title="Service not found",
                          message="There is no service with that id. Search for it again.")
        report = None
        if report_id:
            try:
                report = mt.get_report(session, report_id)
            except mt.NotFound:
                report = None
        versions = mt.history(session, service_id, limit=3)
        councils = sorted(authorities.names(session).items(), key=lambda c: c[1].lower())
    state = {**_form_state(snapshot), **(state or {})}
    return render(request, "maintainers/edit.html", status=status, title=f"Edit {snapshot['name']}",
                  service=snapshot, state=state, errors=errors or {}, statuses=d.SERVICE_STATUSES,
                  phone_types=mt.PHONE_TYPES, days=mt.DAY_NAMES, done=done, report=report, conflict=conflict,
                  versions=versions, bucket=mt.bucket, labels=mt.FIELD_LABELS, councils=councils,
                  tag_choices=tagging.choices())


@pages.get("/directory/services/<service_id:str>")
@auth.require(*STAFF)
async def edit_form(request, service_id: str):
    done = {"saved": "Your changes are saved. The bot uses them from its next answer.",
            "verified": "Marked as verified today.",
            "resolved": "Saved, and the carer's report is resolved."}.get(request.args.get("done", ""), "")
    return _edit_page(request, service_id, done=done, report_id=request.args.get("report", ""))


@pages.post("/directory/services/<service_id:str>")
@auth.require(*STAFF)
async def edit_save(request, service_id: str):
    form = read_form(request)
    changes, state = _changes_from_form(form)
    report_id = (form.get("report_id") or "").strip()
    try:
        expected = int(form.get("version") or 0) or None
    except ValueError:
        expected = None
    editor = editor_of(request)
    try:
        with session_scope() as session:
            if report_id:
                mt.resolve_report(session, report_id, editor, changes, expected_version=expected,
                                  note=(form.get("note") or "").strip() or None)
            else:
                mt.edit_service(session, service_id, changes, editor, expected_version=expected,
                                note=(form.get("note") or "").strip() or None)
    except mt.ValidationFailed as failed:
        return _edit_page(request, service_id, state, failed.errors, status=400, report_id=report_id)
    except mt.Conflict as conflict:
        return _edit_page(request, service_id, state, status=409, report_id=report_id, conflict=str(conflict))
    except mt.NotFound:
        return render(request, "error.html", status=404, title="Service not found",
                      message="There is no service with that id.")
    return response.redirect(f"/directory/services/{service_id}?done={'resolved' if report_id else 'saved'}")


@pages.post("/directory/services/<service_id:str>/verify")
@auth.require(*STAFF)
async def verify(request, service_id: str):
    try:
        with session_scope() as session:
            mt.mark_verified(session, service_id, editor_of(request))
    except mt.NotFound:
        return render(request, "error.html", status=404, title="Service not found", message="No such service.")
    return response.redirect(f"/directory/services/{service_id}?done=verified")


@pages.get("/directory/services/<service_id:str>/history")
@auth.require(*STAFF)
async def service_history(request, service_id: str):
    with session_scope() as session:
        versions = mt.history(session, service_id)
        if not versions and session.get(d.Service, service_id) is None:
            return render(request, "error.html", status=404, title="Service not found", message="No such service.")
        name = session.get(d.Service, service_id).name if session.get(d.Service, service_id) else service_id
        ordered = sorted(versions, key=lambda v: v.number)
        table = mt.history_table(ordered)
        heads = [{"number": v.number, "action": v.action, "by": v.changed_by_name or v.changed_by, "at": v.changed_at,
                  "note": v.note, "report_id": v.report_id} for v in ordered]
    changed_only = request.args.get("all") != "1"
    return render(request, "maintainers/history.html", title=f"History of {name}", service_name=name,
                  service_id=service_id,
                  heads=heads, table=[r for r in table if r["changed"] or not changed_only], changed_only=changed_only)


# --- reports -------------------------------------------------------------------------------------

@pages.get("/directory/reports")
@auth.require(*STAFF)
async def report_queue(request):
    status = request.args.get("status", reports.OPEN)
    if status not in (reports.OPEN, reports.RESOLVED, reports.DISMISSED):
        status = reports.OPEN
    with session_scope() as session:
        rows = mt.list_reports(session, status)
    done = {"dismissed": "Report dismissed."}.get(request.args.get("done", ""), "")
    return render(request, "maintainers/reports.html", title="Carers' reports", rows=rows, showing=status,
                  kinds=mt.KIND_LABELS, done=done, errors={}, error_for="")


@pages.post("/directory/reports/<report_id:str>/dismiss")
@auth.require(*STAFF)
async def report_dismiss(request, report_id: str):
    try:
        with session_scope() as session:
            mt.dismiss_report(session, report_id, editor_of(request), request.form.get("reason", ""))
    except mt.ValidationFailed as failed:
        with session_scope() as session:
            rows = mt.list_reports(session)
        return render(request, "maintainers/reports.html", status=400, title="Carers' reports", rows=rows,
                      showing=reports.OPEN, kinds=mt.KIND_LABELS, errors=failed.errors, error_for=report_id)
    except (mt.NotFound, mt.Conflict):
        return response.redirect("/directory/reports")
    return response.redirect("/directory/reports?done=dismissed")


# --- responsibility rules --------------------------------------------------------------------------

@pages.get("/directory/rules")
@auth.require(*STAFF)
async def rules_view(request):
    from bot.console.paging import paged
    from bot.directory.places import DEMO_DISTRICTS
    from bot.directory.responsibility import rulebook

    book = rulebook()
    query, page = request.args.get("q", ""), request.args.get("page")
    # One search over both lists, each paged: the page stays short on a phone, and only the
    # roles shown are resolved against the directory.
    rules = paged(book.rules, query, page, lambda r: " ".join(
        [r.id, r.title, r.role, r.explanation, " ".join(r.needs)]))
    roles = paged(list(book.roles.items()), query, page, lambda pair: f"{pair[0]} {pair[1].name}")
    with session_scope() as session:
        overview = mt.rules_overview(session, codes=[code for code, _ in roles.items])
    gaps = [(role, district) for role in overview for district in role.gaps]
    return render(request, "maintainers/rules.html", title="Responsibility rules", overview=overview,
                  districts=DEMO_DISTRICTS, gaps=gaps, book=book, rules=rules, roles=roles)

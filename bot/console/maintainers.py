"""The directory maintainers' pages in the staff console (issue 6), and the public ORUK API mount.

    /directory                     freshness dashboard: chart, oldest high-use services, open reports
    /directory/services            search by name, need, postcode, organisation
    /directory/services/<id>       edit (GET form, POST save); ?report=<id> resolves a carer's report
    /directory/services/<id>/verify    POST: mark verified (assured today)
    /directory/services/<id>/history   the last 20 versions side by side
    /directory/reports             carers' reports; POST .../<id>/dismiss with a reason
    /directory/import              upload -> dry-run preview -> confirm -> progress (-> status JSON)
    /directory/export.zip          the whole directory as an HSDS datapackage
    /directory/rules               the rules, which service fills each role in EM1-EM6, and gaps

Only directory maintainers and admins may use them (checked on every request). The pages show
no care records: a carer's report carries its rule and postcode district, never record contents.
All the work is in bot.directory.maintenance; these handlers parse forms and render templates.
"""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any, Optional
from urllib.parse import parse_qs

from sanic import Blueprint, response
from sanic.request import RequestParameters

from bot.console import auth, nav
from bot.console.app import render
from bot.db import session_scope
from bot.directory import api, reports
from bot.directory import maintenance as mt
from bot.directory import models as d
from bot.handoff import staff_models as sm

pages = Blueprint("maintainers")
# The console app mounts `bp`: these pages and the public read API under /api/.
bp = Blueprint.group(pages, api.bp)

STAFF = (sm.MAINTAINER, sm.ADMIN)
BLANK_PHONES = 1
BLANK_SCHEDULES = 1
UPLOAD_DIR = Path(tempfile.gettempdir()) / "onestory-directory-uploads"

nav.register("Directory", "/directory", STAFF)
nav.register("Services", "/directory/services", STAFF)
nav.register("Reports", "/directory/reports", STAFF)
nav.register("Import and export", "/directory/import", STAFF)
nav.register("Rules", "/directory/rules", STAFF)


def _form(request):
    """The posted form keeping blank fields: a cleared field is an edit (Sanic's request.form drops them)."""
    if (request.content_type or "").startswith("application/x-www-form-urlencoded"):
        return RequestParameters(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    return request.form


def _editor(request) -> mt.Editor:
    user = request.ctx.user
    with session_scope() as session:
        pro = session.get(sm.Professional, user.id)
        email = pro.email if pro is not None else None
    return mt.Editor(user.username, user.name, email)


# --- dashboard ---------------------------------------------------------------------------------

@pages.get("/directory")
@auth.require(*STAFF)
async def dashboard(request):
    with session_scope() as session:
        fresh = mt.freshness(session)
        open_reports = len(mt.list_reports(session))
    return render(request, "maintainers/dashboard.html", title="Directory freshness", fresh=fresh,
                  buckets=mt.BUCKETS, chart=mt.bar_chart_svg(fresh.counts), open_reports=open_reports)


# --- search ------------------------------------------------------------------------------------

@pages.get("/directory/services")
@auth.require(*STAFF)
async def services(request):
    query = {k: (request.args.get(k) or "").strip()[:200] for k in ("q", "need", "postcode", "organisation")}
    errors: dict[str, str] = {}
    rows: list[mt.ServiceRow] = []
    searched = any(query.values())
    with session_scope() as session:
        if searched:
            try:
                rows = mt.search_services(session, text=query["q"], need=query["need"], postcode=query["postcode"],
                                          organisation=query["organisation"], limit=100)
            except mt.ValidationFailed as failed:
                errors = failed.errors
        organisations = mt.organisations(session)
    return render(request, "maintainers/services.html", title="Find a service", query=query, rows=rows,
                  searched=searched, errors=errors, organisations=organisations)


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
            "areas": "\n".join(_area_input(a) for a in snapshot["areas"])}


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
    state = state or _form_state(snapshot)
    return render(request, "maintainers/edit.html", status=status, title=f"Edit {snapshot['name']}",
                  service=snapshot, state=state, errors=errors or {}, statuses=d.SERVICE_STATUSES,
                  phone_types=mt.PHONE_TYPES, days=mt.DAY_NAMES, done=done, report=report, conflict=conflict,
                  versions=versions, bucket=mt.bucket, labels=mt.FIELD_LABELS)


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
    form = _form(request)
    changes, state = _changes_from_form(form)
    report_id = (form.get("report_id") or "").strip()
    try:
        expected = int(form.get("version") or 0) or None
    except ValueError:
        expected = None
    editor = _editor(request)
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
            mt.mark_verified(session, service_id, _editor(request))
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
            mt.dismiss_report(session, report_id, _editor(request), request.form.get("reason", ""))
    except mt.ValidationFailed as failed:
        with session_scope() as session:
            rows = mt.list_reports(session)
        return render(request, "maintainers/reports.html", status=400, title="Carers' reports", rows=rows,
                      showing=reports.OPEN, kinds=mt.KIND_LABELS, errors=failed.errors, error_for=report_id)
    except (mt.NotFound, mt.Conflict):
        return response.redirect("/directory/reports")
    return response.redirect("/directory/reports?done=dismissed")


# --- import and export -------------------------------------------------------------------------

@pages.get("/directory/import")
@auth.require(*STAFF)
async def import_form(request):
    return render(request, "maintainers/import.html", title="Import and export", errors={})


def _saved_upload(upload) -> tuple[Optional[Path], str]:
    """Write the upload to a private temporary file; (path, error message)."""
    if upload is None or not upload.body:
        return None, "Choose a file to upload: an HSDS datapackage (.zip) or an Open Referral UK JSON file"
    name = Path(upload.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in (".zip", ".json"):
        return None, "The file must be a .zip datapackage or a .json file"
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.NamedTemporaryFile(dir=UPLOAD_DIR, suffix=suffix, delete=False) as handle:
        handle.write(upload.body)
    path = Path(handle.name)
    if suffix == ".zip" and not zipfile.is_zipfile(path):
        path.unlink(missing_ok=True)
        return None, "The file is not a readable zip archive"
    return path, ""


@pages.post("/directory/import")
@auth.require(*STAFF)
async def import_upload(request):
    path, error = _saved_upload(request.files.get("feed"))
    if path is None:
        return render(request, "maintainers/import.html", status=400, title="Import and export",
                      errors={"feed": error})
    job = mt.JOBS.add(mt.ImportJob(path, Path(request.files.get("feed").name or "upload").name,
                                   request.ctx.user.username, remove_missing=bool(request.form.get("remove_missing"))))
    report = job.preview()
    return render(request, "maintainers/import_preview.html", title="Check the import", job=job, report=report,
                  preview=report.counts())


def _job(request, job_id: str) -> Optional[mt.ImportJob]:
    job = mt.JOBS.get(job_id)
    return job if job is not None and job.started_by == request.ctx.user.username else None


@pages.post("/directory/import/<job_id:str>/confirm")
@auth.require(*STAFF)
async def import_confirm(request, job_id: str):
    job = _job(request, job_id)
    if job is None or job.state != "previewed" or job.preview_report is None or not job.preview_report.ok:
        return render(request, "error.html", status=400, title="This import cannot run",
                      message="Upload the file again and check the preview before confirming.")
    if mt.JOBS.running() is not None:
        return render(request, "error.html", status=409, title="Another import is running",
                      message="Wait for it to finish, then upload your file again.")
    job.start()
    return response.redirect(f"/directory/import/{job.id}")


@pages.get("/directory/import/<job_id:str>")
@auth.require(*STAFF)
async def import_progress(request, job_id: str):
    job = _job(request, job_id)
    if job is None:
        return render(request, "error.html", status=404, title="Import not found", message="Upload the file again.")
    page = render(request, "maintainers/import_progress.html", title="Importing", job=job,
                  report=job.result, preview=job.result.counts() if job.result else {})
    if job.state == "running":
        page.headers["Refresh"] = "1"  # the page polls itself until the import finishes (no script needed)
    return page


@pages.get("/directory/import/<job_id:str>/status")
@auth.require(*STAFF)
async def import_status(request, job_id: str):
    job = _job(request, job_id)
    if job is None:
        return response.json({"error": "not found"}, status=404)
    result = job.result
    return response.json({"state": job.state, "done": job.done, "total": job.total, "percent": job.percent,
                          "errors": len(result.errors) if result else 0,
                          "summary": result.summary() if result else ""})


@pages.get("/directory/export.zip")
@auth.require(*STAFF)
async def export_zip(request):
    from bot.directory.exporter import export_datapackage

    with tempfile.TemporaryDirectory() as folder:
        path = export_datapackage(Path(folder) / "directory.zip")
        body = path.read_bytes()
    return response.raw(body, content_type="application/zip", headers={
        "Content-Disposition": 'attachment; filename="onestory-directory-datapackage.zip"'})


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

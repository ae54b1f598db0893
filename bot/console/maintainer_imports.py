"""The directory maintainers' import and export pages.

    /directory/import              upload (streamed, up to 50 MB) -> dry-run preview -> confirm -> progress
    /directory/import/<id>/status  the running import's progress as JSON
    /directory/export.zip          the whole directory as an HSDS datapackage

The upload names its council (an ONS code, new or known) and may skip invalid records: the
preview then lists every record that would be skipped, by number, id and name.
"""
from __future__ import annotations

import asyncio
import tempfile
import zipfile
from pathlib import Path
from typing import Optional

from sanic import Blueprint, response

from bot.console import auth, uploads
from bot.console.app import render
from bot.console.maintainer_common import STAFF
from bot.db import session_scope
from bot.directory import authorities
from bot.directory import maintenance as mt

bp = Blueprint("maintainer_imports")
SUFFIXES = (".zip", ".json")


def _page(request, status: int = 200, errors: Optional[dict] = None, choices: Optional[dict] = None):
    with session_scope() as session:
        councils = sorted(authorities.names(session).items(), key=lambda c: c[1].lower())
    return render(request, "maintainers/import.html", status=status, title="Import and export",
                  errors=errors or {}, councils=councils, choices=choices or {},
                  max_mb=uploads.max_upload_bytes() // (1024 * 1024))


@bp.get("/directory/import")
@auth.require(*STAFF)
async def import_form(request):
    return _page(request)


def _council(fields: dict[str, str], errors: dict[str, str]) -> tuple[Optional[str], Optional[str]]:
    """(code, new name) of the council chosen on the form; errors keyed by field."""
    chosen = (fields.get("authority") or "").strip()
    if chosen == "new":
        code = authorities.normalise_code(fields.get("new_code"))
        name = (fields.get("new_name") or "").strip()
        if code is None:
            errors["new_code"] = "Enter the council's ONS code: a letter and eight digits, like E06000023"
        if not name:
            errors["new_name"] = "Enter the council's name, like Bristol, City of"
        return code, name or None
    if chosen and authorities.normalise_code(chosen) is None:
        errors["authority"] = "Choose a council from the list"
        return None, None
    return (authorities.normalise_code(chosen) if chosen else None), None


def _too_large(upload: uploads.Upload) -> str:
    megabytes = uploads.max_upload_bytes() // (1024 * 1024)
    return (f"The file is bigger than {megabytes} MB, the largest this page takes. Split it into smaller "
            "files, or ask an administrator to import it with: python -m bot.directory import FILE")


@bp.post("/directory/import", stream=True)
@auth.require(*STAFF)
async def import_upload(request):
    upload = await uploads.receive(request, "feed", SUFFIXES)
    if not upload.csrf_ok:
        return render(request, "error.html", status=403, title="Form expired",
                      message="This form had expired. Go back, reload the page and try again.")
    fields = upload.fields
    errors: dict[str, str] = {}
    code, name = _council(fields, errors)
    if upload.too_large:
        errors["feed"] = _too_large(upload)
    elif upload.broken or not upload.filename or upload.size == 0:
        errors["feed"] = "Choose a file to upload: an HSDS datapackage (.zip) or an Open Referral UK JSON file"
    elif upload.path is None:
        errors["feed"] = "The file must be a .zip datapackage or a .json file"
    elif upload.filename.lower().endswith(".zip") and not zipfile.is_zipfile(upload.path):
        errors["feed"] = "The file is not a readable zip archive"
    if errors:
        upload.discard()
        return _page(request, status=413 if upload.too_large else 400, errors=errors, choices=fields)
    job = mt.JOBS.add(mt.ImportJob(upload.path, upload.filename, request.ctx.user.username,
                                   remove_missing=bool(fields.get("remove_missing")),
                                   skip_invalid=bool(fields.get("skip_invalid")), authority=code,
                                   authority_name=name))
    # A big feed takes a while to check: keep the console answering other people meanwhile.
    report = await asyncio.get_running_loop().run_in_executor(None, job.preview)
    return render(request, "maintainers/import_preview.html", title="Check the import", job=job, report=report,
                  preview=report.counts())


def _job(request, job_id: str) -> Optional[mt.ImportJob]:
    job = mt.JOBS.get(job_id)
    return job if job is not None and job.started_by == request.ctx.user.username else None


@bp.post("/directory/import/<job_id:str>/confirm")
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


@bp.get("/directory/import/<job_id:str>")
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


@bp.get("/directory/import/<job_id:str>/status")
@auth.require(*STAFF)
async def import_status(request, job_id: str):
    job = _job(request, job_id)
    if job is None:
        return response.json({"error": "not found"}, status=404)
    result = job.result
    return response.json({"state": job.state, "done": job.done, "total": job.total, "percent": job.percent,
                          "errors": len(result.errors) if result else 0,
                          "skipped": len(result.skipped) if result else 0,
                          "summary": result.summary() if result else ""})


@bp.get("/directory/export.zip")
@auth.require(*STAFF)
async def export_zip(request):
    from bot.directory.exporter import export_datapackage

    with tempfile.TemporaryDirectory() as folder:
        path = export_datapackage(Path(folder) / "directory.zip")
        body = path.read_bytes()
    return response.raw(body, content_type="application/zip", headers={
        "Content-Disposition": 'attachment; filename="onestory-directory-datapackage.zip"'})

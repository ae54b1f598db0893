"""Carers' reports in the console: the queue, resolving one by fixing the service (the edit is linked to
the report and, if the carer asked, a thank-you SMS is queued once), or dismissing it with a reason.
Functions take the caller's Session and never commit."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import crypto
from bot.directory import reports
from bot.directory.history import ServiceVersion
from bot.directory.maintenance_errors import Conflict, Editor, NotFound, ValidationFailed
from bot.timeutil import utcnow

THANK_YOU_SMS = ("Thank you for telling us about {service}. We have checked it and updated the details, "
                 "so the next person gets the right ones. - OneStory (Eastmere)")
THANK_YOU_SMS_PURPOSE = "directory_report_thanks"


@dataclass(frozen=True)
class ReportView:
    id: str
    service_id: Optional[str]
    service_name: Optional[str]
    kind: str
    words: str
    context: dict[str, Any]
    notify: bool
    status: str
    created_at: dt.datetime
    resolution_note: Optional[str]
    resolved_by: Optional[str]
    resolved_at: Optional[dt.datetime]
    version_number: Optional[int] = None


KIND_LABELS = {reports.WRONG_NUMBER: "Number is wrong", reports.CLOSED: "Service has closed",
               reports.OTHER: "Something else is wrong"}


def _view(report: reports.ServiceReport, version: Optional[int] = None) -> ReportView:
    try:
        words = crypto.decrypt(report.words_enc) if report.words_enc else ""
    except Exception:  # noqa: BLE001 - a key rotated away: show that, do not fail the queue
        words = "(cannot be read)"
    # Only the context's safe keys reach the page: which rule, which district, never record contents.
    context = {k: v for k, v in (report.context or {}).items() if k in ("rule_id", "postcode", "district", "need")}
    return ReportView(report.id, report.service_id, report.service_name, report.kind, words, context,
                      bool(report.notify), report.status, report.created_at, report.resolution_note,
                      report.resolved_by, report.resolved_at, version)


def list_reports(session: Session, status: str = reports.OPEN, limit: int = 200) -> list[ReportView]:
    rows = session.execute(select(reports.ServiceReport).where(reports.ServiceReport.status == status)
                           .order_by(reports.ServiceReport.created_at).limit(limit)).scalars().all()
    versions = dict(session.execute(select(ServiceVersion.report_id, ServiceVersion.number).where(
        ServiceVersion.report_id.in_([r.id for r in rows]))).all()) if rows else {}
    return [_view(r, versions.get(r.id)) for r in rows]


def get_report(session: Session, report_id: str) -> ReportView:
    report = session.get(reports.ServiceReport, report_id)
    if report is None:
        raise NotFound(report_id)
    return _view(report)


def _open_report(session: Session, report_id: str) -> reports.ServiceReport:
    report = session.get(reports.ServiceReport, report_id)
    if report is None:
        raise NotFound(report_id)
    if report.status != reports.OPEN:
        raise Conflict(f"This report was already {report.status}.")
    return report


def resolve_report(session: Session, report_id: str, editor: Editor, changes: Any = None,
                   note: Optional[str] = None, expected_version: Optional[int] = None) -> ServiceVersion:
    """Fix the reported service (the edit is linked to the report), close the report and, when the
    carer asked to be told, queue one thank-you SMS."""
    from bot.directory.maintenance import ServiceChanges, edit_service  # the edit is the maintenance module's

    report = _open_report(session, report_id)
    if not report.service_id:
        raise ValidationFailed({"report": "This report's service has been removed: dismiss it instead"})
    version = edit_service(session, report.service_id, changes or ServiceChanges(), editor,
                           expected_version=expected_version,
                           note=note or f"Fixed after a carer's report ({KIND_LABELS.get(report.kind, report.kind)})",
                           report_id=report.id)
    report.status, report.resolved_by, report.resolved_at = reports.RESOLVED, editor.username, utcnow()
    report.resolution_note = note or f"Fixed in version {version.number} of the service"
    if report.notify and report.reporter_phone_enc:
        from bot.handoff.outbox import enqueue_sms

        enqueue_sms(crypto.decrypt(report.reporter_phone_enc),
                    THANK_YOU_SMS.format(service=report.service_name or "the service you told us about"),
                    THANK_YOU_SMS_PURPOSE, idempotency_key=f"report-thanks:{report.id}", session=session)
    session.flush()
    return version


def dismiss_report(session: Session, report_id: str, editor: Editor, reason: str) -> None:
    """Close a report without changing the service; the reason is required and kept."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": "Enter why you are dismissing this report"})
    report = _open_report(session, report_id)
    report.status, report.resolved_by, report.resolved_at = reports.DISMISSED, editor.username, utcnow()
    report.resolution_note = reason.strip()[:1000]
    session.flush()



"""Admins: families and their leads (reassignment), and staff with their caseloads.

Admins manage who works with whom; they do not read care records, so these pages show no
record contents. A family's current lead may also hand the family to a colleague.
"""
from __future__ import annotations

from sanic import Blueprint, response
from sqlalchemy import select

from bot.console import auth
from bot.console.app import render
from bot.db import session_scope
from bot.handoff import staff
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records.audit import Actor

bp = Blueprint("admin")


@bp.get("/admin/families")
@auth.require(sm.ADMIN)
async def families(request):
    with session_scope() as session:
        leads = list(session.execute(select(sm.Professional).where(
            sm.Professional.role == sm.LEAD, sm.Professional.active.is_(True)
        ).order_by(sm.Professional.name)).scalars())
        rows = []
        for family in session.execute(select(rm.Family).where(rm.Family.status == "open")
                                      .order_by(rm.Family.created_at.desc()).limit(500)).scalars():
            assignment = staff.current_assignment(session, family.id)
            lead = session.get(sm.Professional, assignment.professional_id) if assignment else None
            rows.append({"id": family.id, "created": family.created_at, "lead": lead, "assignment": assignment})
        return render(request, "admin_families.html", title="Families and leads", rows=rows, leads=leads,
                      loads={lead.id: staff.caseload_count(session, lead.id) for lead in leads},
                      done=request.args.get("done") == "reassigned",
                      error=request.args.get("error"))


@bp.get("/admin/staff")
@auth.require(sm.ADMIN)
async def staff_list(request):
    with session_scope() as session:
        people = list(session.execute(select(sm.Professional).order_by(sm.Professional.role, sm.Professional.name))
                      .scalars())
        patches = {}
        for patch in session.execute(select(sm.Patch)).scalars():
            patches.setdefault(patch.professional_id, []).append(patch.district)
        loads = {p.id: staff.caseload_count(session, p.id) for p in people}
        return render(request, "admin_staff.html", title="Staff", people=people, patches=patches, loads=loads)


@bp.post("/families/<family_id>/reassign")
@auth.require(sm.ADMIN, sm.LEAD)
async def reassign(request, family_id: str):
    user = request.ctx.user
    new_lead = request.form.get("lead_id") or ""
    reason = (request.form.get("reason") or "").strip()
    back = "/admin/families" if user.role == sm.ADMIN else f"/families/{family_id}"
    with session_scope() as session:
        if user.role == sm.LEAD:
            current = staff.current_lead(session, family_id)
            if current is None or current.id != user.id:
                raise auth.Forbidden(request.path)
        try:
            staff.reassign(session, family_id, new_lead, reason, Actor("professional", user.id, "console"))
        except staff.AssignmentError as error:
            session.rollback()
            return response.redirect(f"{back}?error={str(error).replace(' ', '+')}")
    if user.role == sm.LEAD:
        return response.redirect("/caseload")
    return response.redirect(f"{back}?done=reassigned")

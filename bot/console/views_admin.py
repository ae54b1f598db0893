"""Admins: families and their leads (reassignment), and staff with their caseloads.

Admins manage who works with whom; they do not read care records, so these pages show no
record contents. A family's current lead may also hand the family to a colleague.
"""
from __future__ import annotations

from sanic import Blueprint, response
from sqlalchemy import select

from bot.console import auth
from bot.console.app import render
from bot.console.paging import paged
from bot.db import session_scope
from bot.handoff import kinds, staff
from bot.handoff import names as naming
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records import service as records
from bot.records.audit import Actor, audit

bp = Blueprint("admin")


def _row(session, family: rm.Family) -> dict:
    """Who the family is to a manager: the cared-for people's names, the area, the lead."""
    people = [records.person_view(p) for p in records.cared_for(session, family.id)]
    district, _ = staff.family_district(session, family.id)
    assignment = staff.current_assignment(session, family.id)
    lead = session.get(sm.Professional, assignment.professional_id) if assignment else None
    return {"id": family.id, "created": family.created_at, "lead": lead, "assignment": assignment,
            "names": "; ".join(naming.cared_for(p) for p in people) or "Nobody named yet",
            "district": district or "Postcode not known"}


@bp.get("/admin/families")
@auth.require(sm.ADMIN)
async def families(request):
    with session_scope() as session:
        leads = list(session.execute(select(sm.Professional).where(
            sm.Professional.role == sm.LEAD, sm.Professional.active.is_(True)
        ).order_by(sm.Professional.name)).scalars())
        rows = [_row(session, family) for family in session.execute(
            select(rm.Family).where(rm.Family.status == "open").order_by(rm.Family.created_at.desc()).limit(500)
        ).scalars()]
        rows.sort(key=lambda row: (row["district"], row["names"].lower()))
        page = paged(rows, request.args.get("q", ""), request.args.get("page"),
                     lambda row: f"{row['names']} {row['district']} {row['lead'].name if row['lead'] else ''}")
        # Names are record contents: each family shown to a manager is an audited read.
        actor = Actor("professional", request.ctx.user.id, "console")
        for row in page.items:
            audit(session, actor, "read", row["id"], "family", row["id"], "admin.families")
        loads = {lead.id: staff.caseload_count(session, lead.id) for lead in leads}
        return render(request, "admin_families.html", title="Families and leads", rows=page.items, page=page,
                      leads=leads, loads=loads, kind_words=kinds.words,
                      unassigned=sum(1 for row in rows if row["lead"] is None),
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
    if not new_lead:
        return response.redirect(f"{back}?error=Choose+a+lead+professional")
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

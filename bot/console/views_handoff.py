"""Lead professionals and duty workers: the handoff inbox, a handoff, the caseload, a family.

Each handler loads the signed-in professional fresh and asks bot.handoff.service whether they
may see this handoff or family; anyone else gets 403. Opening a record is audited as a read by
a professional.
"""
from __future__ import annotations

import secrets

from sanic import Blueprint, response
from sqlalchemy import select

from bot.console import auth
from bot.console.app import render
from bot.db import session_scope
from bot.handoff import kinds, notifications, service, staff
from bot.handoff import names as naming
from bot.handoff import packet as packets
from bot.handoff import staff_models as sm
from bot.phone import national_format
from bot.records import service as records
from bot.records.audit import Actor
from bot.records.notes import read_notes
from bot.timeutil import as_utc, utcnow

bp = Blueprint("handoff")
STAFF = (sm.LEAD, sm.DUTY)
DONE = {"accepted": "Handoff accepted. The carer has been told.",
        "replied": "Reply sent to the carer. The assistant stays quiet for this family until you hand back.",
        "handed_back": "The conversation is back with the assistant. The carer has been told.",
        "closed": "Handoff closed.", "noted": "Note added to the family's record.",
        "reassigned": "Family reassigned. The family has been told by text."}


def _me(session, request) -> sm.Professional:
    pro = session.get(sm.Professional, request.ctx.user.id)
    if pro is None or not pro.active:
        raise auth.Forbidden(request.path)
    return pro


def _handoff(session, request, handoff_id: str) -> tuple[sm.Professional, sm.Handoff]:
    pro = _me(session, request)
    try:
        return pro, service.get_handoff(session, pro, handoff_id)
    except service.NotAllowed as error:
        raise auth.Forbidden(request.path) from error


def _family_label(session, family_id) -> str:
    if not family_id:
        return "No record (conversation only)"
    people = records.cared_for(session, family_id)
    return "; ".join(naming.cared_for(records.person_view(p)) for p in people) or "Family (nobody named yet)"


@bp.get("/inbox")
@auth.require(*STAFF)
async def inbox(request):
    with session_scope() as session:
        pro = _me(session, request)
        rows = []
        for handoff in service.inbox(session, pro):
            holder = session.get(sm.Professional, handoff.assigned_to_id)
            rows.append({"h": handoff, "family": _family_label(session, handoff.family_id),
                         "holder": holder.name if holder else "", "overdue": handoff.due_by and
                         handoff.status == sm.NEW and as_utc(handoff.due_by) < utcnow()})
        return render(request, "inbox.html", title="Handoffs", rows=rows, done=DONE.get(request.args.get("done")))


@bp.get("/caseload")
@auth.require(sm.LEAD)
async def caseload(request):
    with session_scope() as session:
        pro = _me(session, request)
        families = []
        for assignment in staff.caseload(session, pro.id):
            open_one = service.open_for(session, assignment.family_id, "")
            families.append({"a": assignment, "label": _family_label(session, assignment.family_id),
                             "open": open_one})
        return render(request, "caseload.html", title="Caseload", families=families, pro=pro)


@bp.get("/handoffs/<handoff_id>")
@auth.require(*STAFF)
async def show(request, handoff_id: str):
    with session_scope() as session:
        pro, handoff = _handoff(session, request, handoff_id)
        names = {p.id: p.name for p in session.execute(select(sm.Professional)).scalars()}
        phone = service.carer_phone(session, pro, handoff)
        return render(request, "handoff.html", title="Handoff", h=handoff, packet=service.packet_of(handoff),
                      phone=phone, phone_shown=national_format(phone) if phone else "",
                      sent=notifications.sent_for(session, handoff.id),
                      thread=service.thread(session, handoff.id), names=names, me=pro,
                      family=_family_label(session, handoff.family_id),
                      holder=names.get(handoff.assigned_to_id, ""), reply_key=secrets.token_urlsafe(12),
                      promise_when=staff.when_text(handoff.due_by), done=DONE.get(request.args.get("done")),
                      risk_words=packets.RISK_WORDS)


def _act(request, handoff_id: str, action) -> response.HTTPResponse:
    with session_scope() as session:
        pro, handoff = _handoff(session, request, handoff_id)
        result = action(session, pro, handoff)
    return result or response.redirect(f"/handoffs/{handoff_id}")


@bp.post("/handoffs/<handoff_id>/accept")
@auth.require(*STAFF)
async def accept(request, handoff_id: str):
    def work(session, pro, handoff):
        service.accept(session, handoff, pro)
        return response.redirect(f"/handoffs/{handoff_id}?done=accepted")
    return _act(request, handoff_id, work)


@bp.post("/handoffs/<handoff_id>/reply")
@auth.require(*STAFF)
async def reply(request, handoff_id: str):
    body = (request.form.get("message") or "").strip()[:1000]
    key = (request.form.get("reply_key") or "")[:40]

    def work(session, pro, handoff):
        if not body or handoff.status == sm.CLOSED:
            return response.redirect(f"/handoffs/{handoff_id}")
        service.reply(session, handoff, pro, body, key=key or None)
        return response.redirect(f"/handoffs/{handoff_id}?done=replied")
    return _act(request, handoff_id, work)


@bp.post("/handoffs/<handoff_id>/handback")
@auth.require(*STAFF)
async def hand_back(request, handoff_id: str):
    def work(session, pro, handoff):
        service.hand_back(session, handoff, pro)
        return response.redirect(f"/handoffs/{handoff_id}?done=handed_back")
    return _act(request, handoff_id, work)


@bp.post("/handoffs/<handoff_id>/close")
@auth.require(*STAFF)
async def close(request, handoff_id: str):
    outcome = (request.form.get("outcome") or "").strip()[:255]

    def work(session, pro, handoff):
        service.close(session, handoff, pro, outcome)
        return response.redirect("/inbox?done=closed")
    return _act(request, handoff_id, work)


def _family_allowed(session, request, family_id: str) -> sm.Professional:
    pro = _me(session, request)
    if not service.can_see_family(session, pro, family_id):
        raise auth.Forbidden(request.path)
    return pro


@bp.get("/families/<family_id>")
@auth.require(*STAFF)
async def family(request, family_id: str):
    with session_scope() as session:
        pro = _family_allowed(session, request, family_id)
        record = records.read_record(session, family_id, Actor("professional", pro.id, "console"),
                                     "console.family", include_history=True)
        current = [f for f in record.facts if f.status == "current"]
        names = {p.id: p.name for p in session.execute(select(sm.Professional)).scalars()}
        people = {p.id: naming.short(p) for p in record.cared_for}
        notes = read_notes(session, family_id, Actor("professional", pro.id, "console"), "console.family")
        sections = []
        for category, label in packets.BACKGROUND:
            facts = [f for f in current if f.category == category]
            if facts:
                sections.append((label, facts))
        handoffs = list(session.execute(select(sm.Handoff).where(sm.Handoff.family_id == family_id)
                                        .order_by(sm.Handoff.created_at.desc())).scalars())
        leads = [p for p in session.execute(select(sm.Professional).where(
            sm.Professional.role == sm.LEAD, sm.Professional.active.is_(True)).order_by(sm.Professional.name)
        ).scalars() if p.id != pro.id]
        return render(request, "family.html", title="Family record", record=record, sections=sections,
                      notes=list(reversed(notes)),
                      history=sorted(record.facts, key=lambda f: f.said_at, reverse=True), names=names,
                      people=people, assignments=staff.history(session, family_id), handoffs=handoffs,
                      family_id=family_id, me=pro, lead=staff.current_lead(session, family_id), leads=leads,
                      done=DONE.get(request.args.get("done")), naming=naming,
                      needs=kinds.words(kinds.family_kinds(record)), review=staff.needs_review(session, family_id),
                      kind_words=kinds.words)


@bp.post("/families/<family_id>/notes")
@auth.require(*STAFF)
async def add_note(request, family_id: str):
    text = (request.form.get("note") or "").strip()[:2000]
    with session_scope() as session:
        pro = _family_allowed(session, request, family_id)
        if text:
            service.add_note(session, family_id, pro, text)
    return response.redirect(f"/families/{family_id}?done=noted" if text else f"/families/{family_id}")

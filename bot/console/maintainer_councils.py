"""The councils in the directory, and suggested roles for their services.

    /directory/councils       each council (ONS code, name, organisations, services, postcodes, feeds);
                              POST adds a council or renames one
    /directory/suggestions    ?authority=CODE: services with no role and the role their text speaks of;
                              POST gives the ticked services those roles, each as a recorded edit
"""
from __future__ import annotations

from sanic import Blueprint, response
from sqlalchemy import func, select

from bot.console import auth
from bot.console.app import render
from bot.console.maintainer_common import STAFF, editor
from bot.db import session_scope
from bot.directory import authorities, postcodes, pull, suggestions
from bot.directory import models as d

bp = Blueprint("maintainer_councils")


def _counts(session, model, column) -> dict[str, int]:
    return dict(session.execute(select(column, func.count()).select_from(model).group_by(column)).all())


def _councils_page(request, status: int = 200, errors: dict | None = None, done: str = ""):
    with session_scope() as session:
        names = authorities.names(session)
        services = _counts(session, d.Service, d.Service.local_authority_code)
        organisations = _counts(session, d.Organization, d.Organization.local_authority_code)
        codes = _counts(session, postcodes.Postcode, postcodes.Postcode.local_authority_code)
        feeds = pull.feeds(session)
    rows = [{"code": code, "name": name, "services": services.get(code, 0),
             "organisations": organisations.get(code, 0), "postcodes": codes.get(code, 0),
             "feeds": [f for f in feeds if f.local_authority_code == code]}
            for code, name in sorted(names.items(), key=lambda c: c[1].lower())]
    return render(request, "maintainers/councils.html", status=status, title="Councils", rows=rows,
                  national=services.get(None, 0), errors=errors or {}, done=done)


@bp.get("/directory/councils")
@auth.require(*STAFF)
async def councils(request):
    done = {"saved": "Saved."}.get(request.args.get("done", ""), "")
    return _councils_page(request, done=done)


@bp.post("/directory/councils")
@auth.require(*STAFF)
async def council_save(request):
    code = authorities.normalise_code(request.form.get("code"))
    name = (request.form.get("name") or "").strip()
    errors = {}
    if code is None:
        errors["code"] = "Enter the council's ONS code: a letter and eight digits, like E06000023"
    if not name:
        errors["name"] = "Enter the council's name, like Bristol, City of"
    if errors:
        return _councils_page(request, status=400, errors=errors)
    with session_scope() as session:
        authorities.ensure(session, code, name[:200])
    return response.redirect("/directory/councils?done=saved")


@bp.get("/directory/suggestions")
@auth.require(*STAFF)
async def suggested_roles(request):
    chosen = authorities.normalise_code(request.args.get("authority")) or ""
    done = request.args.get("done", "")
    with session_scope() as session:
        names = sorted(authorities.names(session).items(), key=lambda c: c[1].lower())
        found = suggestions.suggest_roles(session, chosen or None) if chosen else []
    return render(request, "maintainers/suggestions.html", title="Suggested roles", councils=names,
                  chosen=chosen, found=found, done=done)


@bp.post("/directory/suggestions")
@auth.require(*STAFF)
async def accept_roles(request):
    chosen = authorities.normalise_code(request.form.get("authority")) or ""
    picked = [c for c in (suggestions.parse_choice(v) for v in request.form.getlist("accept") or []) if c]
    with session_scope() as session:
        changed = suggestions.accept(session, picked, editor(request))
    return response.redirect(f"/directory/suggestions?authority={chosen}&done={changed}")

"""What the directory maintainers' console pages share: who may use them, reading forms, the editor."""
from __future__ import annotations

from urllib.parse import parse_qs

from sanic.request import RequestParameters

from bot.db import session_scope
from bot.directory import maintenance as mt
from bot.handoff import staff_models as sm

STAFF = (sm.MAINTAINER, sm.ADMIN)


def form(request):
    """The posted form keeping blank fields: a cleared field is an edit (Sanic's request.form drops them)."""
    if (request.content_type or "").startswith("application/x-www-form-urlencoded"):
        return RequestParameters(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    return request.form


def editor(request) -> mt.Editor:
    user = request.ctx.user
    with session_scope() as session:
        pro = session.get(sm.Professional, user.id)
        email = pro.email if pro is not None else None
    return mt.Editor(user.username, user.name, email)

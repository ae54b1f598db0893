"""The console's first look at every request: text it cannot read is refused with a 400.

Query strings and forms must be UTF-8 without control characters (NUL above all: PostgreSQL
cannot hold it, and a query with one failed with a 500). This is the check for the whole
console, pages to come included, before any handler or database sees the request; each field
still has its own validator (bot.inputs) where its length and shape matter.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import parse_qsl

from sanic import Sanic, response

from bot import inputs

API_PREFIX = "/api/"
MESSAGE = ("{what} held characters we cannot read: a NUL byte, another control character, or bytes "
           "that are not UTF-8 text. Go back, remove them (retyping the text usually does it) and try again.")


def problem(request) -> Optional[str]:
    """What cannot be read in this request's query string or form, or None."""
    try:
        fields = inputs.query(request.query_string)
    except inputs.InvalidInput:
        return "The address"
    if inputs.unreadable(fields):
        return "The address"
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            return "The form"
        form: dict[str, list[str]] = {}
        for name, value in pairs:
            form.setdefault(name, []).append(value)
        if inputs.unreadable(form):
            return "The form"
    elif content_type == "multipart/form-data" and inputs.unreadable(request.form or {}):
        return "The form"
    return None


def register(app: Sanic, render) -> None:
    """Refuse unreadable requests before the app's other middleware (register it first)."""

    @app.middleware("request")
    async def readable(request):
        what = problem(request)
        if what is None:
            return None
        message = MESSAGE.format(what=what)
        if request.path.startswith(API_PREFIX):
            return response.json({"code": 400, "message": message}, status=400,
                                 headers={"Access-Control-Allow-Origin": "*"})
        request.ctx.user = None
        return render(request, "error.html", status=400, title="We could not read that", message=message)

"""The public, read-only Open Referral UK (ORUK 3.0) API over the directory, as a Sanic Blueprint.

    GET /api/                         which standard this API follows
    GET /api/services                 ?search= &taxonomy_term_id= &taxonomy_id= &organization_id=
                                      &authority= (ONS code) &postcode= &proximity= (metres) &age=
                                      &page= &per_page= &full=
    GET /api/services/{id}
    GET /api/taxonomies[/{id}]        ?search= &page= &per_page=
    GET /api/taxonomy_terms[/{id}]    ?search= &taxonomy_id= &parent_id= &top_only= &page= &per_page=
    GET /api/organizations[/{id}]     ?search= &authority= &page= &per_page=
    GET /api/service_at_locations[/{id}]  ?search= &taxonomy_term_id= &organization_id= &authority=
                                      &postcode= &proximity= &page= &per_page=

Every path also answers HEAD (the headers alone) and OPTIONS (a CORS preflight: 204 with the
allowed methods and headers), so browsers can call the API from any site.

Lists come in the ORUK paginated wrapper (total_items, total_pages, page_number, size, first_page,
last_page, empty, contents). Service and organization objects are the exporter's, so the API and
the feed agree and both validate against the ORUK schemas; each carries `local_authority_code`,
the council it belongs to (see bot.directory.authorities). Every response carries
`Access-Control-Allow-Origin: *`; unknown ids get a 404 JSON body, bad parameters a 400 saying
what is wrong (bot.inputs checks every parameter: UTF-8, no control characters, lengths, numbers).

Postcode search: without `proximity` it returns the services whose coverage (service_areas) takes
in the postcode, and the services of the postcode's council that name no postcode areas of their
own, as the bot's own search does; with `proximity` it returns services delivered at a location
within that many metres, nearest first. The postcode's point comes from the postcode table (the
ONS Postcode Directory, bot.directory.postcodes), else from the mean of the directory's own
geocoded addresses at that postcode or its district.

The query functions (`service_list`, `taxonomy_list`, ...) take a Connection and return plain
dicts, so they are tested without HTTP.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Optional

from sanic import Blueprint, response
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from bot import db, inputs
from bot.directory import exporter, localities
from bot.directory import models as d
from bot.directory.authorities import normalise_code
from bot.directory.places import Place, extents_for
from bot.directory.search import has_own_areas

bp = Blueprint("oruk_api", url_prefix="/api")

ORUK_VERSION = "3.0"
PROFILE_URL = "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/profile"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
EARTH_RADIUS_M = 6_371_000
CORS = {"Access-Control-Allow-Origin": "*"}

T = d.TABLES
# One row as an ORUK object (empty fields left out, required ones filled): the exporter's own rule.
_row = exporter._obj


class BadRequest(inputs.InvalidInput):
    """A combination of parameters the API cannot use; the message is shown to the caller."""


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------
def _int(args: dict[str, Any], name: str, default: Optional[int] = None, lo: int = 0,
         hi: int = 10**9) -> Optional[int]:
    return inputs.whole_number(args.get(name), name, default=default, lo=lo, hi=hi, label=name)


def _id(args: dict[str, Any], name: str) -> str:
    return inputs.identifier(args.get(name), name, label=name)


def _search(args: dict[str, Any]) -> str:
    return inputs.search(args.get("search"), "search", label="search")


def _paging(args: dict[str, Any]) -> tuple[int, int]:
    return (_int(args, "page", 1, 1), _int(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def _flag(args: dict[str, Any], name: str) -> bool:
    return str(args.get(name, "")).strip().lower() in ("1", "true", "yes")


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def wrap(total: int, page: int, per_page: int, contents: list[dict[str, Any]]) -> dict[str, Any]:
    """The ORUK paginated list wrapper."""
    total_pages = max(1, math.ceil(total / per_page))
    return {"total_items": total, "total_pages": total_pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= total_pages, "empty": not contents,
            "contents": contents}


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------
def normalise_postcode(text: str) -> Optional[str]:
    """'em12ab' -> 'EM1 2AB'; a bare district 'em1' -> 'EM1'; None when it is not a postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    full = re.fullmatch(r"([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})", compact)
    if full:
        return f"{full.group(1)} {full.group(2)}"
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", compact):
        return compact
    return None


def postcode_point(conn: Connection, postcode: str) -> Optional[tuple[float, float]]:
    """(latitude, longitude) for a postcode: the mean of the directory's geocoded addresses there,
    or failing that of its postcode district."""
    code = normalise_postcode(postcode)
    if code is None:
        return None
    place = _place(conn, code)
    if place is not None and place.point is not None:
        return place.point
    a, loc = T["addresses"], T["locations"]
    base = (select(func.avg(loc.c.latitude), func.avg(loc.c.longitude))
            .select_from(a.join(loc, loc.c.id == a.c.location_id))
            .where(loc.c.latitude.isnot(None), loc.c.longitude.isnot(None)))
    postal = func.upper(func.replace(a.c.postal_code, " ", ""))
    attempts = []
    if " " in code:
        attempts.append(postal == code.replace(" ", ""))
        district = code.split(" ")[0]
    else:
        district = code
    # A district's addresses: "EM1 2AB" belongs to EM1, but not to EM12.
    attempts.append(and_(postal.like(f"{district}%"), func.length(postal) == len(district) + 3))
    for condition in attempts:
        lat, lon = conn.execute(base.where(condition)).one()
        if lat is not None and lon is not None:
            return float(lat), float(lon)
    return None


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _nearby_sal(conn: Connection, point: tuple[float, float], metres: int) -> list[tuple[str, str, float]]:
    """(service_at_location id, service id, metres away) within reach, nearest first."""
    sal, loc = T["service_at_location"], T["locations"]
    rows = conn.execute(select(sal.c.id, sal.c.service_id, loc.c.latitude, loc.c.longitude)
                        .select_from(sal.join(loc, loc.c.id == sal.c.location_id))
                        .where(loc.c.latitude.isnot(None), loc.c.longitude.isnot(None)))
    found = [(sid, service_id, distance_m(point, (lat, lon))) for sid, service_id, lat, lon in rows]
    return sorted((f for f in found if f[2] <= metres), key=lambda f: (f[2], f[0]))


def _place_filters(conn: Connection, args: dict[str, Any]) -> tuple[Any, Optional[tuple[float, float]], int]:
    """(coverage condition or None, point or None, proximity) from postcode/proximity parameters."""
    postcode = inputs.search(args.get("postcode"), "postcode", label="postcode")
    proximity = _int(args, "proximity", None, 1, 1_000_000)
    if proximity is not None and not postcode:
        raise BadRequest("proximity", "proximity needs a postcode")
    if not postcode:
        return None, None, 0
    if normalise_postcode(postcode) is None:
        raise BadRequest("postcode", "postcode is not a UK postcode or postcode district")
    if proximity is not None:
        point = postcode_point(conn, postcode)
        if point is None:
            raise BadRequest("postcode", f"no location is known for postcode {postcode.upper()}")
        return None, point, proximity
    place = _place(conn, normalise_postcode(postcode))
    areas, s = T["service_areas"], T["services"]
    covered = select(areas.c.service_id).where(areas.c.extent.in_(extents_for(place)),
                                               areas.c.service_id.isnot(None))
    if place is not None and place.authority_code:
        # The council's services that name no postcode district or sector cover the whole council.
        council = select(s.c.id).where(s.c.local_authority_code == place.authority_code,
                                       ~has_own_areas(s.c.id))
        covered = covered.union(council)
    return covered, None, 0


def _place(conn: Connection, code: Optional[str]) -> Optional[Place]:
    """The postcode or district as the directory knows it (council, point), from the postcode table."""
    if code is None:
        return None
    return localities.place_in(conn, code) or localities.locate(conn, Place(code.split(" ")[0], None, None))


def _authority(args: dict[str, Any]) -> Optional[str]:
    raw = (args.get("authority") or "").strip()
    if not raw:
        return None
    code = normalise_code(raw)
    if code is None:
        raise BadRequest("authority", "authority must be an ONS local authority code, like E06000023")
    return code


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------
def _service_conditions(conn: Connection, args: dict[str, Any]) -> list[Any]:
    s, org, attr, term = T["services"], T["organizations"], T["attributes"], T["taxonomy_terms"]
    conditions: list[Any] = []
    text = _search(args)
    if text:
        pattern = _like(text)
        org_names = select(org.c.id).where(func.lower(org.c.name).like(pattern, escape="\\"))
        conditions.append(or_(func.lower(s.c.name).like(pattern, escape="\\"),
                              func.lower(s.c.description).like(pattern, escape="\\"),
                              s.c.organization_id.in_(org_names)))
    for name, column in (("taxonomy_term_id", attr.c.taxonomy_term_id), ("taxonomy_id", term.c.taxonomy_id)):
        value = _id(args, name)
        if value:
            linked = (select(attr.c.link_id).select_from(attr.join(term, term.c.id == attr.c.taxonomy_term_id))
                      .where(column == value))
            conditions.append(s.c.id.in_(linked))
    organization_id = _id(args, "organization_id")
    if organization_id:
        conditions.append(s.c.organization_id == organization_id)
    authority = _authority(args)
    if authority:
        conditions.append(s.c.local_authority_code == authority)
    age = _int(args, "age", None, 0, 150)
    if age is not None:
        conditions.append(and_(func.coalesce(s.c.minimum_age, 0) <= age,
                               func.coalesce(s.c.maximum_age, 1000) >= age))
    return conditions


def service_list(conn: Connection, args: dict[str, Any]) -> dict[str, Any]:
    """GET /services: list items (or full objects with full=true) in the paginated wrapper."""
    page, per_page = _paging(args)
    s = T["services"]
    conditions = _service_conditions(conn, args)
    covered, point, proximity = _place_filters(conn, args)
    if covered is not None:
        conditions.append(s.c.id.in_(covered))
    query = select(s.c.id).where(*conditions).order_by(s.c.name, s.c.id)
    if point is not None:
        allowed = set(conn.execute(query).scalars())
        ordered: list[str] = []
        for _sal, service_id, _metres in _nearby_sal(conn, point, proximity):
            if service_id in allowed and service_id not in ordered:
                ordered.append(service_id)
        total, ids = len(ordered), ordered[(page - 1) * per_page:page * per_page]
    else:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        ids = list(conn.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars())
    return wrap(total, page, per_page, _service_items(conn, ids, full=_flag(args, "full")))


def _service_items(conn: Connection, ids: Sequence[str], *, full: bool) -> list[dict[str, Any]]:
    if full:
        return exporter.services_to_oruk(ids, conn=conn)
    s, org = T["services"], T["organizations"]
    rows = {r["id"]: dict(r) for r in conn.execute(select(s).where(s.c.id.in_(list(ids)))).mappings()} if ids else {}
    org_ids = {r["organization_id"] for r in rows.values() if r["organization_id"]}
    orgs = ({r["id"]: dict(r) for r in conn.execute(select(org).where(org.c.id.in_(org_ids))).mappings()}
            if org_ids else {})
    out = []
    for service_id in ids:
        row = rows.get(service_id)
        if row is None:
            continue
        item = _row("services", row)
        if row["organization_id"] in orgs:
            item["organization"] = _row("organizations", orgs[row["organization_id"]])
        out.append(item)
    return out


def _simple_list(conn: Connection, table: str, args: dict[str, Any], conditions: list[Any],
                 search_columns: Sequence[str]) -> tuple[int, int, int, list[dict[str, Any]]]:
    page, per_page = _paging(args)
    t = T[table]
    conditions = list(conditions)
    text = _search(args)
    if text:
        pattern = _like(text)
        conditions.append(or_(*[func.lower(t.c[c]).like(pattern, escape="\\") for c in search_columns]))
    query = select(t).where(*conditions)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    order = [t.c.name, t.c.id] if "name" in t.c else [t.c.id]
    rows = [dict(r) for r in conn.execute(query.order_by(*order).limit(per_page)
                                          .offset((page - 1) * per_page)).mappings()]
    return total, page, per_page, rows


def taxonomy_list(conn: Connection, args: dict[str, Any]) -> dict[str, Any]:
    total, page, per_page, rows = _simple_list(conn, "taxonomies", args, [], ("name", "description"))
    return wrap(total, page, per_page, [_row("taxonomies", r) for r in rows])


def taxonomy(conn: Connection, taxonomy_id: str) -> Optional[dict[str, Any]]:
    row = conn.execute(select(T["taxonomies"]).where(T["taxonomies"].c.id == taxonomy_id)).mappings().first()
    return _row("taxonomies", dict(row)) if row else None


def _terms_out(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tax = T["taxonomies"]
    ids = {r["taxonomy_id"] for r in rows if r["taxonomy_id"]}
    taxonomies = ({r["id"]: dict(r) for r in conn.execute(select(tax).where(tax.c.id.in_(ids))).mappings()}
                  if ids else {})
    out = []
    for row in rows:
        item = _row("taxonomy_terms", row)
        if row["taxonomy_id"] in taxonomies:
            item["taxonomy_detail"] = _row("taxonomies", taxonomies[row["taxonomy_id"]])
        out.append(item)
    return out


def taxonomy_term_list(conn: Connection, args: dict[str, Any]) -> dict[str, Any]:
    t = T["taxonomy_terms"]
    conditions = []
    for name in ("taxonomy_id", "parent_id"):
        value = _id(args, name)
        if value:
            conditions.append(t.c[name] == value)
    if _flag(args, "top_only"):
        conditions.append(or_(t.c.parent_id.is_(None), t.c.parent_id == ""))
    total, page, per_page, rows = _simple_list(conn, "taxonomy_terms", args, conditions,
                                               ("name", "description", "code"))
    return wrap(total, page, per_page, _terms_out(conn, rows))


def taxonomy_term(conn: Connection, term_id: str) -> Optional[dict[str, Any]]:
    row = conn.execute(select(T["taxonomy_terms"]).where(T["taxonomy_terms"].c.id == term_id)).mappings().first()
    return _terms_out(conn, [dict(row)])[0] if row else None


ORGANIZATION_LIST_FIELDS = ("id", "name", "description", "email", "website", "logo", "uri",
                            "parent_organization_id", "local_authority_code")


def organization_list(conn: Connection, args: dict[str, Any]) -> dict[str, Any]:
    authority = _authority(args)
    conditions = [T["organizations"].c.local_authority_code == authority] if authority else []
    total, page, per_page, rows = _simple_list(conn, "organizations", args, conditions, ("name", "description"))
    items = []
    for row in rows:
        item = _row("organizations", row)
        items.append({k: v for k, v in item.items() if k in ORGANIZATION_LIST_FIELDS})
    return wrap(total, page, per_page, items)


def _sal_items(conn: Connection, ids: Sequence[str], *, full_service: bool) -> list[dict[str, Any]]:
    sal = T["service_at_location"]
    query = select(sal).where(sal.c.id.in_(list(ids)))
    rows = {r["id"]: dict(r) for r in conn.execute(query).mappings()} if ids else {}
    ordered = [rows[i] for i in ids if i in rows]
    service_ids = list(dict.fromkeys(r["service_id"] for r in ordered if r["service_id"]))
    # The exporter's builder loads these services' locations (with addresses, schedules, ...) in bulk.
    builder = exporter._Builder(conn, exporter._service_rows(conn, service_ids))
    if full_service:
        services = {r["id"]: builder.service(r) for r in builder.services}
    else:
        services = {s["id"]: s for s in _service_items(conn, service_ids, full=False)}
    out = []
    for row in ordered:
        item = _row("service_at_location", row)
        location = builder.location(row["location_id"]) if row["location_id"] else None
        if location is not None:
            item["location"] = location
        if row["service_id"] in services:
            item["service"] = services[row["service_id"]]
        out.append(item)
    return out


def service_at_location_list(conn: Connection, args: dict[str, Any]) -> dict[str, Any]:
    page, per_page = _paging(args)
    sal, s = T["service_at_location"], T["services"]
    conditions = _service_conditions(conn, args)
    covered, point, proximity = _place_filters(conn, args)
    if covered is not None:
        conditions.append(s.c.id.in_(covered))
    query = (select(sal.c.id).select_from(sal.join(s, s.c.id == sal.c.service_id)).where(*conditions)
             .order_by(s.c.name, sal.c.id))
    if point is not None:
        allowed = set(conn.execute(query).scalars())
        ordered = [sal_id for sal_id, _service, _m in _nearby_sal(conn, point, proximity) if sal_id in allowed]
        total, ids = len(ordered), ordered[(page - 1) * per_page:page * per_page]
    else:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        ids = list(conn.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars())
    return wrap(total, page, per_page, _sal_items(conn, ids, full_service=False))


def service_at_location(conn: Connection, sal_id: str) -> Optional[dict[str, Any]]:
    found = _sal_items(conn, [sal_id], full_service=True)
    return found[0] if found else None


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------
def _json(body: Any, status: int = 200):
    return response.json(body, status=status, headers=CORS)


def _not_found(kind: str, item_id: str):
    return _json({"code": 404, "message": f"No {kind} with id {item_id}"}, 404)


def _bad_request(error: inputs.InvalidInput):
    return _json({"code": 400, "message": str(error), "parameter": error.field}, 400)


def _args(request) -> dict[str, str]:
    """The first value of each parameter, from the raw query decoded strictly (Sanic's own
    `request.args` replaces bytes that are not UTF-8 instead of refusing them)."""
    return {key: values[0] for key, values in inputs.query(request.query_string).items()}


def _serve(request, build):
    try:
        args = _args(request)
        with db.engine().connect() as conn:
            return _json(build(conn, args))
    except inputs.InvalidInput as error:
        return _bad_request(error)


def _serve_one(kind: str, item_id: str, find):
    try:
        item_id = inputs.identifier(item_id, "id", label=f"{kind} id")
    except inputs.InvalidInput as error:
        return _bad_request(error)
    with db.engine().connect() as conn:
        found = find(conn, item_id)
    return _json(found) if found is not None else _not_found(kind, item_id)


@bp.get("/", strict_slashes=False)
async def api_root(request):
    return _json({"version": ORUK_VERSION, "profile": PROFILE_URL,
                  "openapi_url": "https://github.com/OpenReferralUK/uk-profile/blob/main/profile/openapi.json"})


@bp.get("/services")
async def api_services(request):
    return _serve(request, service_list)


@bp.get("/services/<service_id:str>")
async def api_service(request, service_id: str):
    return _serve_one("service", service_id, lambda conn, i: exporter.service_to_oruk(i, conn=conn))


@bp.get("/taxonomies")
async def api_taxonomies(request):
    return _serve(request, taxonomy_list)


@bp.get("/taxonomies/<taxonomy_id:str>")
async def api_taxonomy(request, taxonomy_id: str):
    return _serve_one("taxonomy", taxonomy_id, taxonomy)


@bp.get("/taxonomy_terms")
async def api_taxonomy_terms(request):
    return _serve(request, taxonomy_term_list)


@bp.get("/taxonomy_terms/<term_id:str>")
async def api_taxonomy_term(request, term_id: str):
    return _serve_one("taxonomy term", term_id, taxonomy_term)


@bp.get("/organizations")
async def api_organizations(request):
    return _serve(request, organization_list)


@bp.get("/organizations/<organization_id:str>")
async def api_organization(request, organization_id: str):
    return _serve_one("organization", organization_id,
                      lambda conn, i: exporter.organization_to_oruk(i, conn=conn))


@bp.get("/service_at_locations")
async def api_service_at_locations(request):
    return _serve(request, service_at_location_list)


@bp.get("/service_at_locations/<sal_id:str>")
async def api_service_at_location(request, sal_id: str):
    return _serve_one("service at location", sal_id, service_at_location)


@bp.route("/<path:path>", methods=["GET", "HEAD"])
async def api_unknown(request, path: str):
    if not path.strip("/"):  # "/api/" with its slash lands here, not on the root route
        return await api_root(request)
    return _json({"code": 404, "message": f"No such endpoint: /api/{path}"}, 404)


# ---------------------------------------------------------------------------------------------
# HEAD and OPTIONS (CORS preflight) for every path
# ---------------------------------------------------------------------------------------------
ALLOWED = "GET, HEAD, OPTIONS"


async def api_preflight(request, **_path):
    """A browser asks before calling from another site: any site may read this public API."""
    headers = {**CORS, "Allow": ALLOWED, "Access-Control-Allow-Methods": ALLOWED, "Access-Control-Max-Age": "86400",
               "Access-Control-Allow-Headers": request.headers.get("access-control-request-headers")
               or "Accept, Content-Type"}
    return response.empty(status=204, headers=headers)


_PATHS = [(api_root, "/"), (api_services, "/services"), (api_service, "/services/<service_id:str>"),
          (api_taxonomies, "/taxonomies"), (api_taxonomy, "/taxonomies/<taxonomy_id:str>"),
          (api_taxonomy_terms, "/taxonomy_terms"), (api_taxonomy_term, "/taxonomy_terms/<term_id:str>"),
          (api_organizations, "/organizations"), (api_organization, "/organizations/<organization_id:str>"),
          (api_service_at_locations, "/service_at_locations"),
          (api_service_at_location, "/service_at_locations/<sal_id:str>")]
for _handler, _uri in _PATHS:
    bp.add_route(_handler, _uri, methods=["HEAD"], name=f"{_handler.__name__}_head",
                 strict_slashes=_uri != "/")
    bp.add_route(api_preflight, _uri, methods=["OPTIONS"], name=f"{_handler.__name__}_options",
                 strict_slashes=_uri != "/")
bp.add_route(api_preflight, "/<path:path>", methods=["OPTIONS"], name="api_unknown_options")

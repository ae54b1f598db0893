"""The best-matching local services for a need and a place, from the text of a council's feed.

Real councils' feeds carry no OneStory roles or needs, so when no service is tagged with the
role a rule names (or no rule fits), the directory still finds the council's services that speak
of the need: full-text search (bot.directory.fulltext) over that council's services with the
need's name and carers' words for it, and the carer's own words. Ranked by relevance first, then
nearness (when the place and the service's locations have points) and freshness (last checked).

    found = local_services(session, need_codes=["need.dementia-support"], text="dementia cafe",
                           place=place)
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory import fulltext, localities, places
from bot.directory import models as d
from bot.directory.places import Place
from bot.directory.search import ServiceInfo, load_infos, need_words
from bot.settings import ROOT

SEARCH_WORDS = ROOT / "data" / "directory" / "search_words.yml"
CANDIDATES = 40
# Relevance leads; nearness and freshness separate services that match about as well.
WEIGHTS = {"relevance": 0.7, "nearness": 0.2, "freshness": 0.1}
NEAR_METRES = 5_000  # a service this far away scores half for nearness
EARTH_RADIUS_M = 6_371_000


@lru_cache(maxsize=1)
def _search_words() -> dict:
    return yaml.safe_load(SEARCH_WORDS.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def ignored_words() -> frozenset[str]:
    """Carers' filler words (data/directory/search_words.yml) and spaCy's English stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is loaded wherever carers' text is read

    return frozenset(fulltext.fold(w) for w in (*STOP_WORDS, *_search_words()["ignore"]))


@lru_cache(maxsize=1)
def _somewhere_pattern() -> re.Pattern:
    phrases = sorted(_search_words()["asking_for_somewhere"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def asks_for_somewhere(text: str) -> bool:
    """Does the question ask where to find something ("is there a ... near me", "any ... in BS5")?"""
    return bool(text) and bool(_somewhere_pattern().search(fulltext.fold(text)))


def query_terms(session: Session, need_codes: Sequence[str], text: str = "") -> list[list[str]]:
    """Phrases to search for: each need's name and synonyms, the carer's words and their run."""
    terms: list[list[str]] = []
    ignore = ignored_words()
    wanted = set(need_codes)
    if wanted:
        for code, words in need_words(session, sorted(wanted)):
            if code in wanted:
                for phrase in words:
                    tokens = fulltext.words(phrase)
                    if tokens and any(t not in ignore for t in tokens):
                        terms.append(tokens)
    districts = {c.lower() for c in places.district_candidates(text)}
    own = [w for w in fulltext.words(text) if w not in ignore and w not in districts and len(w) > 2
           and not w.isdigit()]
    terms += [[w] for w in dict.fromkeys(own)]
    if len(own) > 1:
        terms.append(own)
    unique: dict[tuple[str, ...], list[str]] = {tuple(t): t for t in terms}
    return list(unique.values())


def local_services(session: Session, *, need_codes: Sequence[str] = (), text: str = "",
                   place: Optional[Place], age: Optional[int] = None, limit: int = 3) -> list[ServiceInfo]:
    """The council's active services that best match the need and words, for this place."""
    place = localities.locate(session, place)
    if place is None or place.authority_code is None:
        return []
    terms = query_terms(session, need_codes, text)
    matches = fulltext.match(session.connection(), terms, place.authority_code, CANDIDATES)
    if not matches:
        return []
    relevance = dict(matches)
    ids = list(relevance)
    s = d.Service
    rows = session.execute(select(s.id, s.minimum_age, s.maximum_age, s.assured_date, s.last_modified)
                           .where(s.id.in_(ids), s.status == "active")).all()
    if age is not None:
        rows = [r for r in rows if (r.minimum_age or 0) <= age <= (r.maximum_age if r.maximum_age is not None
                                                                    else 200)]
    if not rows:
        return []
    distances = _distances(session, [r.id for r in rows], place.point)
    best = max(relevance[r.id] for r in rows) or 1.0
    today = dt.date.today()

    def score(row) -> float:
        nearness = 0.5 if row.id not in distances else 1 / (1 + distances[row.id] / NEAR_METRES)
        return (WEIGHTS["relevance"] * relevance[row.id] / best + WEIGHTS["nearness"] * nearness
                + WEIGHTS["freshness"] * _freshness(row.assured_date, today))

    ranked = sorted(rows, key=lambda r: (-score(r), r.id))[:limit]
    coverage = d.extent(d.EXTENT_LOCAL_AUTHORITY, place.local_authority or place.authority_code)
    return load_infos(session, [(r.id, coverage) for r in ranked])


def _freshness(assured: Optional[dt.date], today: dt.date) -> float:
    if assured is None:
        return 0.2
    age_days = (today - assured).days
    return 1.0 if age_days <= 183 else 0.6 if age_days <= 365 else 0.3


def _distances(session: Session, service_ids: list[str], point: Optional[tuple[float, float]]) -> dict[str, float]:
    """Metres from the point to each service's nearest located place of delivery."""
    if point is None or not service_ids:
        return {}
    sal, loc = d.ServiceAtLocation, d.Location
    rows = session.execute(select(sal.service_id, loc.latitude, loc.longitude)
                           .join(loc, loc.id == sal.location_id)
                           .where(sal.service_id.in_(service_ids), loc.latitude.isnot(None),
                                  loc.longitude.isnot(None))).all()
    out: dict[str, float] = {}
    for service_id, lat, lon in rows:
        metres = distance_m(point, (lat, lon))
        out[service_id] = min(metres, out.get(service_id, metres))
    return out


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))

"""Pulling a council's Open Referral UK API on a schedule, as DfE's "Connect families to support" does.

    python -m bot.directory pull URL --authority CODE [--authority-name NAME] [--every HOURS]

walks the API's `/services` list page by page (ORUK 3.0's `contents`/`total_pages`/`last_page`, or
ORUK 1.0's `content`/`totalPages`/`last`), fetching a service's full object from `/services/{id}`
when the list gives only a summary, then imports everything as that council's feed with the same
report as `import` (invalid records skipped and named; the council's services the API no longer
lists removed). Every page is fetched before anything is written: a page that fails after retries
fails the whole pull, and the directory keeps what it had.

Each feed is a row of `directory_feeds` (its URL, council, how often, and the last pull's time,
counts, skipped records and errors), which the worker pulls when due (`pull_due`) and the
maintainers' dashboard shows.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit, urlunsplit

import requests
from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Integer, String, or_, select, update
from sqlalchemy.orm import Session

from bot.db import Base, session_scope
from bot.directory.validation import Report
from bot.timeutil import utcnow

log = logging.getLogger(__name__)

PER_PAGE = 100
MAX_PAGES = 10_000
TIMEOUT = 30
RETRIES = 3
RETRY_PAUSE = 2.0  # seconds, doubled after each failed try
DETAIL_KEYS = ("phones", "schedules", "service_at_locations", "contacts", "regular_schedules")
HEADERS = {"Accept": "application/json", "User-Agent": "OneStory directory pull"}


class DirectoryFeed(Base):
    __tablename__ = "directory_feeds"

    id = Column(Integer, primary_key=True, autoincrement=True)
    url = Column(String(2000), nullable=False, unique=True)
    local_authority_code = Column(String(16), nullable=False, index=True)
    every_hours = Column(Float, nullable=False, default=24.0)
    skip_invalid = Column(Boolean, nullable=False, default=True)
    remove_missing = Column(Boolean, nullable=False, default=True)
    next_pull_at = Column(DateTime(timezone=True))
    last_pull_at = Column(DateTime(timezone=True))
    last_status = Column(String(16))  # ok | failed
    last_pages = Column(Integer)
    last_services = Column(Integer)
    last_counts = Column(JSON)  # {"added": n, "changed": n, "unchanged": n, "removed": n} for services
    last_skipped = Column(JSON)  # ["record 9, id ..., (no name): name: required ...", ...]
    last_errors = Column(JSON)  # what stopped the pull or the import


class PullError(RuntimeError):
    """A page could not be fetched or read; nothing was imported."""


@dataclass
class PullResult:
    url: str
    pages: int = 0
    services: int = 0
    report: Optional[Report] = None
    error: Optional[str] = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.report is not None and self.report.ok and self.report.written


Fetch = Callable[..., requests.Response]


def services_url(url: str) -> str:
    """The `/services` endpoint of an API given by its root or by that endpoint."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if not path.endswith("/services"):
        path = f"{path}/services"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _get_json(fetch: Fetch, url: str, params: dict[str, Any], what: str, retries: int, pause: float) -> Any:
    problem = ""
    for attempt in range(retries):
        if attempt:
            time.sleep(pause * 2 ** (attempt - 1))
        try:
            response = fetch(url, params=params, headers=HEADERS, timeout=TIMEOUT)
        except requests.RequestException as error:
            problem = f"{what}: {type(error).__name__}"
            continue
        if response.status_code >= 500 or response.status_code == 429:
            problem = f"{what}: HTTP {response.status_code}"
            continue
        if response.status_code != 200:
            raise PullError(f"{what}: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise PullError(f"{what}: not JSON") from None
    raise PullError(f"{problem} (after {retries} tries)")


def _page_items(body: Any, page: int) -> tuple[list[dict], Optional[bool]]:
    """(items, is this the last page?) for ORUK 3.0 and 1.0 pages; None when the page does not say.
    Pages are asked for from 1, so the page count is compared with our own page number."""
    what = f"page {page}"
    if isinstance(body, list):
        return [i for i in body if isinstance(i, dict)], True
    if not isinstance(body, dict):
        raise PullError(f"{what}: not a page of services")
    if isinstance(body.get("contents"), list):  # ORUK 3.0 / HSDS 3.0
        last, total = body.get("last_page"), body.get("total_pages")
        items = body["contents"]
    elif isinstance(body.get("content"), list):  # ORUK 1.0 (a Spring Data page)
        last, total = body.get("last"), body.get("totalPages")
        items = body["content"]
    else:
        raise PullError(f"{what}: no 'contents' (ORUK 3.0) or 'content' (ORUK 1.0) list")
    if last is None and isinstance(total, int | float):
        last = page >= int(total)
    return [i for i in items if isinstance(i, dict)], bool(last) if last is not None else None


def fetch_all(url: str, *, fetch: Fetch = requests.get, per_page: int = PER_PAGE, retries: int = RETRIES,
              pause: float = RETRY_PAUSE) -> tuple[list[dict], int]:
    """Every service the API lists, full objects, and the number of pages read. Raises PullError."""
    endpoint = services_url(url)
    items: list[dict] = []
    details: dict[str, dict] = {}
    previous_ids: Optional[list[str]] = None
    for page in range(1, MAX_PAGES + 1):
        body = _get_json(fetch, endpoint, {"page": page, "per_page": per_page}, f"page {page}", retries, pause)
        found, last = _page_items(body, page)
        ids = [str(i.get("id")) for i in found]
        if previous_ids is not None and ids and ids == previous_ids:
            raise PullError(f"page {page}: the same services as page {page - 1}; the API ignores 'page'")
        previous_ids = ids
        for item in found:
            # Every entry is kept, repeats too: the importer merges a repeat that agrees and reports
            # one that does not (the same id with another name), rather than one being dropped here.
            item_id = str(item.get("id") or "")
            if item_id and _needs_detail(item):
                if item_id not in details:
                    detail = _get_json(fetch, f"{endpoint}/{item_id}", {}, f"service {item_id}", retries, pause)
                    if not isinstance(detail, dict):
                        raise PullError(f"service {item_id}: not a service object")
                    details[item_id] = detail
                item = details[item_id]
            items.append(item)
        if last or not found or (last is None and len(found) < per_page):
            return items, page
    raise PullError(f"more than {MAX_PAGES} pages")


def _needs_detail(item: dict) -> bool:
    """A list entry that is a summary: none of a full service's lists are there."""
    return not any(key in item for key in DETAIL_KEYS)


def pull(url: str, authority: str, *, authority_name: Optional[str] = None, skip_invalid: bool = True,
         remove_missing: bool = True, fetch: Fetch = requests.get, per_page: int = PER_PAGE,
         retries: int = RETRIES, pause: float = RETRY_PAUSE) -> PullResult:
    """Fetch every page, then import them as the council's feed in one transaction."""
    from bot.directory.importer import import_feed

    result = PullResult(url)
    try:
        items, result.pages = fetch_all(url, fetch=fetch, per_page=per_page, retries=retries, pause=pause)
    except PullError as error:
        result.error = str(error)
        return result
    result.services = len(items)
    if not items:
        result.error = "the API lists no services; nothing was changed"
        return result
    with tempfile.TemporaryDirectory(prefix="onestory-pull-") as folder:
        path = Path(folder) / "services.json"
        path.write_text(json.dumps({"contents": items}), encoding="utf-8")
        result.report = import_feed(path, authority=authority, authority_name=authority_name,
                                    skip_invalid=skip_invalid, remove_missing=remove_missing,
                                    display_name=services_url(url), kind="services")
    if not result.report.ok:
        result.error = f"the import failed: {result.report.error_count} error(s)"
    return result


# ---------------------------------------------------------------------------------------------
# Registered feeds and the schedule
# ---------------------------------------------------------------------------------------------
def register(session: Session, url: str, authority: str, *, every_hours: float = 24.0, skip_invalid: bool = True,
             remove_missing: bool = True) -> DirectoryFeed:
    """Add a feed to pull on a schedule (or update it). Never commits."""
    url = services_url(url)
    feed = session.execute(select(DirectoryFeed).where(DirectoryFeed.url == url)).scalar_one_or_none()
    if feed is None:
        feed = DirectoryFeed(url=url, next_pull_at=utcnow())
        session.add(feed)
    feed.local_authority_code, feed.every_hours = authority, max(0.25, float(every_hours))
    feed.skip_invalid, feed.remove_missing = skip_invalid, remove_missing
    session.flush()
    return feed


def feeds(session: Session) -> list[DirectoryFeed]:
    return list(session.execute(select(DirectoryFeed).order_by(DirectoryFeed.local_authority_code,
                                                                DirectoryFeed.url)).scalars())


def record(session: Session, feed: DirectoryFeed, result: PullResult, when: dt.datetime) -> None:
    """Keep what the last pull did, for the dashboard."""
    report = result.report
    feed.last_pull_at, feed.last_status = when, "ok" if result.ok else "failed"
    feed.last_pages, feed.last_services = result.pages, result.services
    feed.last_counts = report.counts().get("services") if report is not None and report.preview else None
    feed.last_skipped = [s.describe() for s in report.skipped][:200] if report is not None else []
    errors = [result.error] if result.error else []
    if report is not None:
        errors += [f"{i.file} record {i.position}: {i.where}: {i.reason}" if i.position else i.reason
                   for i in report.errors][:50]
    feed.last_errors = errors


def pull_feed(feed_id: int, **options: Any) -> PullResult:
    """Pull one registered feed now and record the outcome."""
    with session_scope() as session:
        feed = session.get(DirectoryFeed, feed_id)
        url, code = feed.url, feed.local_authority_code
        skip_invalid, remove_missing = feed.skip_invalid, feed.remove_missing
    result = pull(url, code, skip_invalid=skip_invalid, remove_missing=remove_missing, **options)
    with session_scope() as session:
        record(session, session.get(DirectoryFeed, feed_id), result, utcnow())
    log.info("pulled %s: %s", url, "ok" if result.ok else result.error)
    return result


def pull_due(now: Optional[dt.datetime] = None, **options: Any) -> list[PullResult]:
    """Pull every feed whose time has come. A feed is claimed (its next time moved on) before it is
    pulled, so two workers never pull the same feed at once."""
    now = now or utcnow()
    results = []
    with session_scope() as session:
        due = [(f.id, f.every_hours, f.next_pull_at) for f in session.execute(select(DirectoryFeed).where(
            or_(DirectoryFeed.next_pull_at.is_(None), DirectoryFeed.next_pull_at <= now))).scalars()]
    for feed_id, every, when in due:
        with session_scope() as session:
            claim = update(DirectoryFeed).where(DirectoryFeed.id == feed_id).values(
                next_pull_at=now + dt.timedelta(hours=every))
            claim = claim.where(DirectoryFeed.next_pull_at.is_(None) if when is None
                                else DirectoryFeed.next_pull_at == when)
            if session.execute(claim).rowcount != 1:
                continue  # another worker took it
        results.append(pull_feed(feed_id, **options))
    return results

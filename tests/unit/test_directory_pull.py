"""Pulling a council's paged ORUK API, by hand and on the worker's schedule, against a local server."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from bot import db as dbmod
from bot import worker
from bot.db import session_scope
from bot.directory import models as m
from bot.directory import pull
from bot.directory.cli import main as cli_main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"
COUNCIL = "E06999997"
FAST = {"retries": 2, "pause": 0.0}


def services() -> list[dict]:
    return json.loads((FIXTURES / "brackenford_oruk3.json").read_text(encoding="utf-8"))["contents"]


class Feed:
    """What the local API serves; tests change it between pulls."""

    def __init__(self, items: list[dict]) -> None:
        self.items = items
        self.shape = "3.0"
        self.failing_pages: set[int] = set()
        self.summaries = False
        self.ignore_page = False
        self.requests: list[str] = []


def make_handler(feed: Feed):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def _send(self, status: int, body) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            parts = urlsplit(self.path)
            feed.requests.append(self.path)
            if parts.path.startswith("/api/services/"):
                wanted = parts.path.rsplit("/", 1)[1]
                found = next((s for s in feed.items if s["id"] == wanted), None)
                return self._send(200 if found else 404, found or {"message": "no such service"})
            if parts.path != "/api/services":
                return self._send(404, {"message": "no such endpoint"})
            query = parse_qs(parts.query)
            page = 1 if feed.ignore_page else int(query.get("page", ["1"])[0])
            size = int(query.get("per_page", ["50"])[0])
            if page in feed.failing_pages:
                return self._send(500, {"message": "database timeout"})
            chunk = feed.items[(page - 1) * size:page * size]
            if feed.summaries:
                chunk = [{"id": s["id"], "name": s["name"], "description": s.get("description", "")} for s in chunk]
            total_pages = max(1, -(-len(feed.items) // size))
            if feed.shape == "1.0":
                body = {"totalElements": len(feed.items), "totalPages": total_pages, "number": page, "size": size,
                        "first": page == 1, "last": page >= total_pages, "content": chunk}
            else:
                body = {"total_items": len(feed.items), "total_pages": total_pages, "page_number": page,
                        "size": len(chunk), "first_page": page == 1, "last_page": page >= total_pages,
                        "empty": not chunk, "contents": chunk}
            return self._send(200, body)

    return Handler


@pytest.fixture
def api():
    feed = Feed(services())
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(feed))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    feed.url = f"http://127.0.0.1:{server.server_address[1]}/api"
    yield feed
    server.shutdown()
    server.server_close()


def count_services() -> int:
    with dbmod.engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(m.Service.__table__)).scalar_one()


def service_name(service_id: str) -> str | None:
    t = m.Service.__table__
    with dbmod.engine().connect() as conn:
        return conn.execute(select(t.c.name).where(t.c.id == service_id)).scalar_one_or_none()


def test_walks_every_page_and_imports_with_the_same_report(db, api):
    result = pull.pull(api.url, COUNCIL, per_page=50, **FAST)
    assert result.ok, result.error
    assert result.pages == 6 and result.services == 293
    assert [s.record.position for s in result.report.skipped] == [9, 88, 230]
    assert count_services() == 290
    assert result.report.source == f"{api.url}/services"
    assert [r for r in api.requests if "page=" in r][-1].endswith("page=6&per_page=50")


def test_a_failing_page_midway_writes_nothing(db, api):
    api.failing_pages = {3}
    result = pull.pull(api.url, COUNCIL, per_page=50, **FAST)
    assert not result.ok and result.error == "page 3: HTTP 500 (after 2 tries)"
    assert result.report is None and count_services() == 0
    assert not any("page=4" in r for r in api.requests)  # it stopped at the failing page


def test_a_failed_pull_leaves_the_last_good_one_in_place(db, api):
    assert pull.pull(api.url, COUNCIL, per_page=50, **FAST).ok
    first = api.items[0]
    api.items[0] = dict(first, name="Renamed in the council's system")
    api.failing_pages = {6}
    assert not pull.pull(api.url, COUNCIL, per_page=50, **FAST).ok
    assert service_name(first["id"]) == first["name"] and count_services() == 290


def test_reads_oruk_1_pages(db, api):
    api.shape = "1.0"
    result = pull.pull(api.url + "/services", COUNCIL, per_page=100, **FAST)
    assert result.ok and result.pages == 3 and count_services() == 290


def test_fetches_full_services_when_the_list_gives_summaries(db, api):
    api.items = api.items[:12]
    api.summaries = True
    result = pull.pull(api.url, COUNCIL, per_page=5, **FAST)
    assert result.ok, result.error
    assert sum(1 for r in api.requests if r.startswith("/api/services/")) == 12
    with dbmod.engine().connect() as conn:
        phones = conn.execute(select(func.count()).select_from(m.Phone.__table__)).scalar_one()
    assert phones == 11  # full objects: phones came with them (record 9 is skipped: no name)


def test_an_api_that_ignores_page_is_caught(db, api):
    api.ignore_page = True
    result = pull.pull(api.url, COUNCIL, per_page=50, **FAST)
    assert not result.ok and "ignores 'page'" in result.error and count_services() == 0


def test_services_the_api_no_longer_lists_are_removed_for_that_council_only(db, api, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"id": "other-1", "name": "Another council's service",
                                  "organization": {"id": "other-org", "name": "Other", "description": "x"}}]))
    from bot.directory.importer import import_feed

    assert import_feed(other, authority="E06999996", kind="services").written
    assert pull.pull(api.url, COUNCIL, per_page=100, **FAST).ok
    gone = api.items.pop(0)
    assert pull.pull(api.url, COUNCIL, per_page=100, **FAST).ok
    assert service_name(gone["id"]) is None and service_name("other-1") is not None


def test_the_worker_pulls_registered_feeds_when_due(db, api, capsys):
    assert cli_main(["pull", api.url, "--authority", COUNCIL, "--authority-name", "Brackenford",
                     "--every", "6"]) == 0
    out = capsys.readouterr().out
    assert "3 page(s), 293 service(s)" in out and "3 invalid record(s) skipped" in out
    with session_scope() as session:
        [feed] = pull.feeds(session)
        assert feed.last_status == "ok" and feed.last_services == 293 and len(feed.last_skipped) == 3
        assert feed.last_counts["added"] == 290 and feed.every_hours == 6
        feed.next_pull_at = None  # due now
    first = api.items[1]
    api.items[1] = dict(first, name="Renamed by the council")
    assert worker.directory_pull() == [f"{api.url}/services: ok"]
    assert service_name(first["id"]) == "Renamed by the council"
    assert worker.directory_pull() == []  # not due again for six hours
    with session_scope() as session:
        [feed] = pull.feeds(session)
        assert feed.last_counts["changed"] == 1 and feed.last_errors == []
    assert "directory-pull" in [name for name, _every, _job in worker.jobs()]


def test_a_failed_scheduled_pull_is_recorded_for_the_dashboard(db, api):
    with session_scope() as session:
        feed_id = pull.register(session, api.url, COUNCIL).id
    api.failing_pages = {2}
    [result] = pull.pull_due(**FAST)
    assert not result.ok
    with session_scope() as session:
        feed = session.get(pull.DirectoryFeed, feed_id)
        assert feed.last_status == "failed" and feed.last_errors == ["page 2: HTTP 500 (after 2 tries)"]

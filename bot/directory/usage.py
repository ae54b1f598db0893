"""How often the bot offers each service: bookkeeping that never costs a carer their turn.

The bot counts its offers inside the carer's turn, in a savepoint of its own: if counting fails,
the savepoint is rolled back, the failure logged, and the turn goes on (and commits) without it.
Each service is counted with one atomic upsert (INSERT ... ON CONFLICT DO UPDATE), so carers
answered at the same moment neither clash on a service's first row nor lose each other's counts;
services are upserted in one order, so two turns never wait on each other's rows in a cycle. A
turn that is rolled back, or re-run because another family member wrote first, counts once.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.directory.history import ServiceUsage
from bot.timeutil import utcnow

log = logging.getLogger(__name__)

_UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def record_offered(session: Session, service_ids: Iterable[str]) -> None:
    """Count one offer of each service, with the caller's transaction; never raises for the count."""
    ids = sorted({i for i in service_ids if i})
    if not ids:
        return
    try:
        with session.begin_nested():
            session.execute(_upsert(session, ids))
    except SQLAlchemyError as error:
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            raise  # the connection is gone: the turn cannot commit either, and must know
        log.warning("service offer count skipped (%s)", type(error).__name__)


def _upsert(session: Session, ids: list[str]):
    dialect = session.get_bind().dialect.name
    insert = _UPSERT.get(dialect)
    if insert is None:
        raise NotImplementedError(f"no upsert for {dialect}")
    now = utcnow()
    statement = insert(ServiceUsage).values([{"service_id": i, "times_offered": 1, "last_offered": now}
                                             for i in ids])
    return statement.on_conflict_do_update(
        index_elements=[ServiceUsage.service_id],
        set_={"times_offered": ServiceUsage.times_offered + 1, "last_offered": statement.excluded.last_offered})

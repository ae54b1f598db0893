"""Right after a restart, many carers at once: every one gets a real answer, none an apology.

The first messages build the spaCy pipeline, the need matcher and the rule book, and offer the
same services at the same moment (each offer is counted). A fresh process is the only honest
"after a restart", so the burst runs in one (tests/actions/first_use_burst.py).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import func, select

from bot.db import session_scope
from bot.demo import EASTMERE
from bot.directory.history import ServiceUsage
from bot.directory.importer import import_feed
from bot.settings import ROOT
from tests.actions.first_use_burst import QUESTIONS

VISITORS = 30
SORRY = "something went wrong"


def test_thirty_first_messages_at_once_all_get_a_real_answer(db):
    assert import_feed(EASTMERE).ok
    done = subprocess.run([sys.executable, "-m", "tests.actions.first_use_burst", db, str(VISITORS)],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    replies = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(replies) == VISITORS
    failed = [(QUESTIONS[i % len(QUESTIONS)], said) for i, said in enumerate(replies)
              if not said or any(SORRY in r or "can't reach" in r for r in said)]
    assert failed == [], (f"{len(failed)} of {VISITORS} first messages were not answered: {failed[:3]}\n"
                          f"{done.stderr[-3000:]}")
    assert all(" is responsible" in said[0] for said in replies)
    with session_scope() as session:  # every answer's offers were counted: none lost, none failed
        offered = session.execute(select(func.sum(ServiceUsage.times_offered))).scalar_one()
    assert offered >= VISITORS

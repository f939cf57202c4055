"""The store and tournaments on a real PostgreSQL server (.ci/run starts one).

Set SDLAB_TEST_PG_URL=postgresql+psycopg://user:pass@host:port/db to run these; the database is
emptied and recreated by each test, so point it at a throwaway database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from agents.base import CallRecord
from analysis.ratings import ratings_report
from runs.orchestrator import run
from runs.plan import load_plan
from runs.schema import Game, LLMCall
from runs.store import GameTakenOver, open_engine
from tests.test_store import _reclaimed
from tests.test_tournament import claim_race
from tests.tournament_helpers import assert_complete, outcome, start_worker, write_config

PG_URL = os.environ.get("SDLAB_TEST_PG_URL")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL,
        reason="SDLAB_TEST_PG_URL is not set: no PostgreSQL server was started "
        "(.ci/postgres.sh starts one from the distribution's packages)",
    ),
]


def empty_pg() -> str:
    """The test database with nothing in it (every table of every owner dropped)."""
    assert PG_URL is not None
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


@pytest.fixture
def pg() -> str:
    """The test database, emptied and created by the store (schema at the head revision)."""
    open_engine(empty_pg()).dispose()
    return PG_URL


def test_tournament_runs_resumes_and_rates_on_postgres(pg, tmp_path):
    config = load_plan(write_config(tmp_path / "t.yaml", games=12))
    first = asyncio.run(run(config, pg))
    assert (first.created, first.finished) == (True, 12)
    engine = open_engine(pg)
    games = assert_complete(engine, "t", 12, 7)
    again = asyncio.run(run(config, pg))
    assert (again.created, again.played) == (False, 0)
    # Same seeds give the same games as on SQLite: the store does not change the play.
    lite = str(tmp_path / "lab.db")
    asyncio.run(run(config, lite))
    assert outcome(games) == outcome(assert_complete(open_engine(lite), "t", 12, 7))
    report = ratings_report(pg)
    assert report.games == 12 and len(report.models) == 3
    engine.dispose()


def test_concurrent_claimers_never_take_the_same_game_postgres(pg):
    claimed = claim_race(pg, 80, n_threads=8)
    assert len(claimed) == 80 and len(set(claimed)) == 80


def test_two_workers_on_one_postgres_database_play_each_game_once(pg, tmp_path):
    config = write_config(tmp_path / "t.yaml", games=24)
    procs = [start_worker(config, pg), start_worker(config, pg)]
    for p in procs:
        assert p.wait(timeout=180) == 0, p.stderr.read()
    games = assert_complete(open_engine(pg), "t", 24, 7)
    assert {g.attempts for g in games.values()} == {1}


def test_kill_9_then_resume_on_postgres(pg, tmp_path):
    config = write_config(tmp_path / "t.yaml", games=30)
    engine = open_engine(pg)

    def finished() -> int:
        with engine.connect() as conn:
            return conn.scalar(
                select(func.count()).select_from(Game).where(Game.status == "finished")
            )

    proc = start_worker(config, pg)
    deadline = time.monotonic() + 120
    while finished() < 8:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    resumed = start_worker(config, pg)
    assert resumed.wait(timeout=180) == 0, resumed.stderr.read()
    games = assert_complete(engine, "t", 30, 7)
    engine.dispose()
    # Whatever was cut off was replayed from scratch: the same games as an uninterrupted run.
    lite = str(tmp_path / "lab.db")
    asyncio.run(run(load_plan(config), lite))
    assert outcome(games) == outcome(assert_complete(open_engine(lite), "t", 30, 7))


def test_a_reclaimed_game_stops_its_first_worker_at_its_next_commit_postgres(pg):
    # Another machine may reclaim a game (`--reclaim`, a partition): the first worker's next
    # per-turn commit finds the row is not its own any more and writes nothing.
    engine, conn, other, recorder, game_id = _reclaimed(pg)
    call = CallRecord(model="m", messages=[], attempt=1, mode="prompt")
    recorder.add_call({"seat": 0, "turn": None, **call.model_dump()})
    with pytest.raises(GameTakenOver):
        recorder.commit()
    with pytest.raises(GameTakenOver):
        recorder.finish("village", 1, 0)
    recorder.fail("RuntimeError: late")
    with engine.connect() as check:
        game = check.execute(select(Game.status, Game.worker).where(Game.id == game_id)).one()
        calls = check.scalar(select(func.count()).select_from(LLMCall))
    for c in (conn, other):
        c.close()
    engine.dispose()
    assert tuple(game) == ("running", "b") and calls == 0

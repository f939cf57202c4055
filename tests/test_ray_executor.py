"""`--executor ray`: the orchestrator's loop in Ray actors on one PostgreSQL database.

One local Ray cluster (`ray.init(num_cpus=2)`) serves the whole module: it takes seconds to
start. The PostgreSQL tests empty SDLAB_TEST_PG_URL like tests/test_postgres.py does.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from runs.orchestrator import RunSummary, run_sync
from runs.plan import load_plan
from runs.schema import Event, Game, Player
from runs.store import open_engine
from tests.test_postgres import empty_pg
from tests.tournament_helpers import assert_complete, games_by_slot, write_config

PG_URL = os.environ.get("SDLAB_TEST_PG_URL")
# Found, not imported: `import ray` takes most of a second, paid only when a Ray test runs.
HAS_RAY = importlib.util.find_spec("ray") is not None

ROOT = Path(__file__).resolve().parents[1]
no_pg = pytest.mark.skipif(not PG_URL, reason="SDLAB_TEST_PG_URL is not set (.ci/postgres.sh)")
no_ray = pytest.mark.skipif(not HAS_RAY, reason="ray is not installed (pip install 'sdlab[ray]')")


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """One local two-CPU Ray cluster for the module."""
    import ray

    # address="local": a fresh cluster, never one a `ray start` left on this machine.
    ray.init(
        address="local",
        num_cpus=2,
        include_dashboard=False,
        logging_level="ERROR",
        log_to_driver=False,
    )
    yield
    ray.shutdown()


@pytest.fixture
def pg() -> str:
    """The test database, emptied and created by the store."""
    open_engine(empty_pg()).dispose()
    assert PG_URL is not None
    return PG_URL


def event_log(engine: Engine, name: str) -> dict[int, list[tuple[Any, ...]]]:
    """slot → every event of that game, in order: what a replay must reproduce exactly."""
    games = games_by_slot(engine, name)
    slot_of = {g.id: slot for slot, g in games.items()}
    log: dict[int, list[tuple[Any, ...]]] = {slot: [] for slot in games}
    cols = (Event.game_id, Event.seq, Event.day, Event.phase, Event.kind, Event.actor)
    more = (Event.target, Event.visibility, Event.text)
    with engine.connect() as conn:
        rows = conn.execute(
            select(*cols, *more)
            .where(Event.game_id.in_(slot_of))
            .order_by(Event.game_id, Event.seq)
        ).all()
    for r in rows:
        log[slot_of[r[0]]].append(tuple(r[1:]))
    return log


def local_reference(config: Path, tmp_path: Path) -> dict[int, list[tuple[Any, ...]]]:
    """The same plan played by the local executor on SQLite: its events by slot."""
    lite = str(tmp_path / "local.db")
    assert run_sync(load_plan(config), lite).exit_code == 0
    engine = open_engine(lite)
    try:
        return event_log(engine, "t")
    finally:
        engine.dispose()


def run_ray_in_thread(config: Path, db: str, workers: int) -> tuple[threading.Thread, dict]:
    """The Ray driver in a thread, so the test can kill its workers meanwhile."""
    from runs.ray_executor import run_ray

    box: dict[str, RunSummary] = {}

    def target() -> None:
        box["summary"] = run_ray(load_plan(config), db, workers=workers)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


@pytest.mark.postgres
@no_pg
@no_ray
@pytest.mark.usefixtures("cluster")
def test_ray_tournament_plays_each_game_once_like_the_local_executor(pg, tmp_path):
    from runs.ray_executor import run_ray

    workers = 2
    config = write_config(tmp_path / "t.yaml", games=18)
    summary = run_ray(load_plan(config), pg, workers=workers)
    assert summary.exit_code == 0, summary.errors
    assert (summary.created, summary.played, summary.finished) == (True, 18, 18)
    engine = open_engine(pg)
    games = assert_complete(engine, "t", 18, 7)
    assert {g.attempts for g in games.values()} == {1}
    # Both actors took part (the claims are shared, not one worker doing everything).
    assert len({g.worker for g in games.values()}) == workers
    # Same seeds, same games, event for event, as the local executor on SQLite.
    assert event_log(engine, "t") == local_reference(config, tmp_path)
    engine.dispose()
    again = run_ray(load_plan(config), pg, workers=workers)
    assert (again.exit_code, again.created, again.played) == (0, False, 0)


@pytest.mark.postgres
@no_pg
@no_ray
@pytest.mark.usefixtures("cluster")
@pytest.mark.parametrize("workers", [2, 1])
def test_a_ray_worker_killed_mid_game_is_replayed_once(pg, tmp_path, workers):
    """SIGKILL a Ray worker process while it is inside a game: replayed, nothing doubled or lost.

    With two workers the survivor (same host, dead pid) or the driver replays it; with one,
    only the driver can, and it must start a replacement actor to finish the plan.
    """
    config = write_config(tmp_path / "t.yaml", games=12)
    engine = create_engine(pg)
    hold = engine.connect()
    # Every game's first event insert waits behind this lock: the workers are then certainly
    # mid-game (claimed, players written) when one is killed.
    hold.execute(text("LOCK TABLE event IN SHARE MODE"))
    thread, box = run_ray_in_thread(config, pg, workers)
    try:
        blocked = wait_for(lambda: _waiting_on_locks(engine) >= workers, 60)
        assert blocked, "the Ray workers never reached their first event insert"
        with engine.connect() as conn:
            running = conn.execute(
                select(Game.slot, Game.worker).where(Game.status == "running")
            ).all()
        assert len(running) == workers
        victim_slot, victim = running[0]
        pid = int(victim.rpartition(":")[2])
        os.kill(pid, signal.SIGKILL)
        assert wait_for(lambda: not _alive(pid), 10)
    finally:
        hold.rollback()
        hold.close()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the Ray driver did not finish"
    summary = box["summary"]
    assert summary.exit_code == 0, summary.errors
    assert summary.replayed >= 1 and summary.finished == 12
    assert any("a Ray worker stopped" in n for n in summary.notes)  # the driver saw it die
    store = open_engine(pg)
    games = assert_complete(store, "t", 12, 7)
    assert games[victim_slot].attempts == 2
    assert games[victim_slot].worker != victim
    assert {g.attempts for s, g in games.items() if s != victim_slot} == {1}
    # Nothing doubled, nothing lost: the same games, event for event, as a local run.
    assert event_log(store, "t") == local_reference(config, tmp_path)
    store.dispose()
    engine.dispose()


@pytest.mark.postgres
@no_pg
@no_ray
@pytest.mark.usefixtures("cluster")
def test_ctrl_c_on_the_ray_driver_gives_games_back_and_the_same_command_resumes(pg, tmp_path):
    from runs.ray_executor import run_ray

    # Enough games that the actors, let go at once, cannot finish them all before the driver's
    # kill lands (with 12, a fast actor pair sometimes did, and nothing was left to give back).
    games = 60
    config = write_config(tmp_path / "t.yaml", games=games)
    engine = create_engine(pg)
    hold = engine.connect()
    hold.execute(text("LOCK TABLE event IN SHARE MODE"))  # both actors stop inside a game

    def interrupt() -> None:
        # The driver is in its wait loop once both actors wait on the lock: Ctrl-C lands there.
        if wait_for(lambda: _waiting_on_locks(engine) >= 2, 60):
            os.kill(os.getpid(), signal.SIGINT)
        # The actors go on at once: were their games given back before they were gone, they
        # would go on writing into them (this caught that: ray.kill only asks).
        hold.rollback()

    helper = threading.Thread(target=interrupt, daemon=True)
    helper.start()
    try:
        summary = run_ray(load_plan(config), pg, workers=2)
    finally:
        helper.join(timeout=70)
        hold.close()
    assert summary.interrupted and summary.exit_code == 130
    time.sleep(2)  # time for a worker that outlived its give-back to write (it must not)
    with engine.connect() as conn:
        rows = conn.execute(select(Game.id, Game.status, Game.attempts)).all()
        with_players = set(conn.scalars(select(Player.game_id).distinct()))
    pending = {gid for gid, status, _ in rows if status == "pending"}
    assert {status for _, status, _ in rows} <= {"pending", "finished"}  # nothing running
    assert pending, "the interrupt came too late to test anything"
    assert {a for gid, _, a in rows if gid in pending} == {0}  # Ctrl-C costs no attempt
    assert not pending & with_players  # given back whole: no rows of the cut-off games
    resumed = run_ray(load_plan(config), pg, workers=2)
    assert (resumed.exit_code, resumed.created, resumed.played) == (0, False, len(pending))
    store = open_engine(pg)
    assert_complete(store, "t", games, 7)
    assert event_log(store, "t") == local_reference(config, tmp_path)
    store.dispose()
    engine.dispose()


def _waiting_on_locks(engine: Engine) -> int:
    # Only waits on this database's event table: the server may be shared with other tests.
    query = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'event'::regclass"
    with engine.connect() as conn:
        return conn.scalar(text(query)) or 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(check: Any, timeout: float) -> bool:
    """Poll `check` until it is true or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def sdlab(*args: str, block_ray: bool = False) -> subprocess.CompletedProcess:
    """`sdlab ARGS` in a fresh interpreter; `block_ray` makes `import ray` fail there."""
    setup = "import sys; sys.modules['ray'] = None; " if block_ray else "import sys; "
    code = setup + f"sys.argv = ['sdlab', *{list(args)!r}]; from app.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_ray_executor_refuses_sqlite_in_one_line(tmp_path):
    config = write_config(tmp_path / "t.yaml", games=3)
    db = tmp_path / "lab.db"
    result = sdlab("tournament", str(config), "--db", str(db), "--executor", "ray")
    assert result.returncode == 2
    assert "needs a PostgreSQL database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()  # nothing written


def test_ray_executor_without_ray_names_the_extra(tmp_path):
    config = write_config(tmp_path / "t.yaml", games=3)
    url = "postgresql+psycopg://u:p@127.0.0.1:1/none"
    result = sdlab("tournament", str(config), "--db", url, "--executor", "ray", block_ray=True)
    assert result.returncode == 1
    assert "pip install 'sdlab[ray]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_local_executor_is_the_default_and_needs_no_ray(tmp_path):
    config = write_config(tmp_path / "t.yaml", games=3)
    db = str(tmp_path / "lab.db")
    result = sdlab("tournament", str(config), "--db", db, block_ray=True)
    assert result.returncode == 0, result.stderr
    bad = sdlab("tournament", str(config), "--db", db, "--workers", "2")
    assert bad.returncode == 2 and "--executor ray" in bad.stderr


@pytest.mark.postgres
@no_pg
def test_a_dead_workers_games_on_another_host_go_back_by_its_id(pg, tmp_path):
    """The driver's path for a lost node: no pid to probe there, the worker id is enough."""
    from runs.claims import status_counts
    from runs.ray_executor import release_worker

    config = write_config(tmp_path / "t.yaml", games=3)
    assert run_sync(load_plan(config), pg).exit_code == 0
    engine = open_engine(pg)
    with engine.begin() as conn:
        slots = {s: g.id for s, g in games_by_slot(engine, "t").items()}
        tid = conn.scalar(select(Game.tournament_id).where(Game.id == slots[0]))
        for slot, worker, attempts in ((0, "far:1", 1), (1, "far:2", 1), (2, "far:1", 3)):
            conn.execute(
                Game.__table__.update()
                .where(Game.id == slots[slot])
                .values(status="running", worker=worker, attempts=attempts)
            )
    with engine.connect() as conn:
        assert release_worker(conn, tid, "far:1", max_attempts=3) == 1
        assert status_counts(conn, tid) == {"pending": 1, "running": 1, "failed": 1}
        n_events = conn.scalar(
            select(func.count()).select_from(Event).where(Event.game_id == slots[0])
        )
    assert n_events == 0  # the cut-off game's rows went with it: the replay starts clean
    games = games_by_slot(engine, "t")
    assert (games[1].status, games[1].worker) == ("running", "far:2")  # a live one: untouched
    assert "interrupted on each of its 3 attempts" in games[2].error
    engine.dispose()

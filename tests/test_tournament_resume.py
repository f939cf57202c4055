"""Crash safety with real processes: kill -9 mid-run then resume; two workers on one database."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from runs.orchestrator import run
from runs.plan import load_plan
from runs.store import open_engine
from tests.tournament_helpers import (
    assert_complete,
    games_by_slot,
    outcome,
    start_worker,
    write_config,
)

N_GAMES = 150


def count(db: str, status: str) -> int:
    """Games in a status, read the way another process would (WAL readers never block)."""
    if not Path(db).exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM game WHERE status=?", (status,)).fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def kill_when(proc: subprocess.Popen, ready, timeout: float = 60) -> None:
    """kill -9 the process at a moment when `ready()` holds.

    `ready()` is read while the process is stopped (SIGSTOP), so nothing can commit between the
    check and the kill: the database the test reads afterwards is the one `ready()` saw. Checked
    on a running process, the worker could finish its game and sit between two games (none
    running) by the time the kill landed; under load that happened, and "exactly one game
    running" failed.
    """
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, f"finished before the kill: {proc.stderr.read()}"
        assert time.monotonic() < deadline, "never got there"
        os.kill(proc.pid, signal.SIGSTOP)
        try:
            if ready():
                break
        except BaseException:
            os.kill(proc.pid, signal.SIGCONT)
            raise
        os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)  # a stopped process dies at once
    proc.wait()  # reaped: its pid is dead, so its running game is stale


def mid_game(db: str, finished: int) -> bool:
    """At least `finished` games done and one being played (its rows half written)."""
    return count(db, "finished") >= finished and count(db, "running") == 1


def test_kill_9_at_several_moments_then_resume_gives_exactly_the_configured_games(tmp_path):
    config = write_config(tmp_path / "t.yaml", games=N_GAMES)
    db = str(tmp_path / "lab.db")
    # 1: killed while expanding or right after its first claim; 2 and 3: mid-run, mid-game.
    kill_when(start_worker(config, db), lambda: count(db, "running") + count(db, "finished") > 0)
    kill_when(start_worker(config, db), lambda: mid_game(db, 25))
    kill_when(start_worker(config, db), lambda: mid_game(db, 75))
    killed = games_by_slot(open_engine(db), "t")
    assert sum(g.status == "running" for g in killed.values()) == 1  # a half game, not finished
    assert 75 <= sum(g.status == "finished" for g in killed.values()) < N_GAMES

    resumed = start_worker(config, db)
    assert resumed.wait(timeout=120) == 0, resumed.stderr.read()
    games = assert_complete(open_engine(db), "t", N_GAMES, 7)
    assert any(g.attempts > 1 for g in games.values())  # the interrupted games were replayed

    # Replays start from scratch: the store equals an uninterrupted run of the same config.
    clean_db = str(tmp_path / "clean.db")
    asyncio.run(run(load_plan(config), clean_db))
    clean = assert_complete(open_engine(clean_db), "t", N_GAMES, 7)
    assert outcome(games) == outcome(clean)


def test_two_worker_processes_share_one_tournament_without_playing_a_game_twice(tmp_path):
    config = write_config(tmp_path / "t.yaml", games=N_GAMES)
    db = str(tmp_path / "lab.db")
    workers = [start_worker(config, db), start_worker(config, db)]
    for w in workers:
        assert w.wait(timeout=120) == 0, w.stderr.read()
    games = assert_complete(open_engine(db), "t", N_GAMES, 7)
    assert {g.attempts for g in games.values()} == {1}  # each game was claimed exactly once
    by_worker = {g.worker for g in games.values()}
    assert 1 <= len(by_worker) <= 2


def test_a_worker_that_outlives_a_killed_one_replays_its_game_and_exits_0(tmp_path):
    config = write_config(tmp_path / "t.yaml", games=N_GAMES)
    db = str(tmp_path / "lab.db")
    doomed, survivor = start_worker(config, db), start_worker(config, db)

    def doomed_mid_game() -> bool:
        if count(db, "finished") < 30:
            return False
        with sqlite3.connect(db, timeout=5) as conn:
            workers = conn.execute("SELECT worker FROM game WHERE status='running'").fetchall()
        return any(w and w.endswith(f":{doomed.pid}") for (w,) in workers)

    kill_when(doomed, doomed_mid_game)
    assert survivor.wait(timeout=120) == 0, survivor.stderr.read()
    games = assert_complete(open_engine(db), "t", N_GAMES, 7)
    assert max(g.attempts for g in games.values()) == 2  # the killed worker's game, replayed

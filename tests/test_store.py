"""Runner + store: every event, turn and belief lands in SQLite; plain SQL answers questions."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from agents.base import CallRecord
from agents.scripted import ScriptedAgent
from games.werewolf import WerewolfConfig
from runs.batch import run_games
from runs.claims import claim_next_game, ensure_tournament, fail_claimed_game, reset_game
from runs.runner import play_game
from runs.store import GameRecorder, GameTakenOver, StoreError, open_engine, start_game
from tests.helpers import claimed, villagers


def rows(db: str, sql: str, *args):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.fixture
def lab(db_path):
    summary = asyncio.run(run_games(db_path, 12, seed=7))
    assert summary.games == 12 and summary.failed == 0
    return db_path


def test_plain_sql_answers_roles_speech_beliefs_winner(lab):
    games = rows(lab, "SELECT id, status, winner, days, n_turns FROM game")
    assert len(games) == 12
    assert all(
        status == "finished" and winner in ("village", "werewolves", "draw")
        for _, status, winner, _, _ in games
    )
    game_id = games[0][0]
    roles = rows(lab, "SELECT role, COUNT(*) FROM player WHERE game_id=? GROUP BY role", game_id)
    assert dict(roles) == {"werewolf": 2, "seer": 1, "doctor": 1, "villager": 3}
    said = rows(
        lab,
        """SELECT p.name, p.role, e.text FROM event e JOIN player p
           ON p.game_id = e.game_id AND p.seat = e.actor
           WHERE e.game_id = ? AND e.kind = 'speech' ORDER BY e.seq""",
        game_id,
    )
    assert said and all(text for _, _, text in said)
    believed = rows(
        lab,
        """SELECT t.turn, t.seat, COUNT(b.about) FROM turn t
           JOIN belief b ON b.game_id = t.game_id AND b.turn = t.turn
           WHERE t.game_id = ? GROUP BY t.turn""",
        game_id,
    )
    assert len(believed) == games[0][4]  # a belief set at every single turn


def test_every_turn_logged_with_event_link_and_beliefs_about_all_living_others(lab):
    for game_id, n_turns in rows(lab, "SELECT id, n_turns FROM game"):
        turns = rows(lab, "SELECT turn, seat, kind, event_seq FROM turn WHERE game_id=?", game_id)
        assert len(turns) == n_turns
        for turn, seat, kind, event_seq in turns:
            assert event_seq is not None, (turn, kind)
            actor = rows(
                lab, "SELECT actor FROM event WHERE game_id=? AND seq=?", game_id, event_seq
            )
            assert actor == [(seat,)]
            abouts = {
                a
                for (a,) in rows(
                    lab, "SELECT about FROM belief WHERE game_id=? AND turn=?", game_id, turn
                )
            }
            assert seat not in abouts and abouts


def test_ground_truth_and_intended_lies_are_stored_hidden(lab):
    hidden = rows(
        lab, "SELECT COUNT(*) FROM event WHERE visibility='hidden' AND kind='role_assignment'"
    )
    assert hidden == [(12 * 7,)]
    lies = rows(
        lab,
        """SELECT p.role, SUM(t.intended_lie) FROM turn t JOIN player p
           ON p.game_id=t.game_id AND p.seat=t.seat GROUP BY p.role""",
    )
    by_role = dict(lies)
    assert by_role["werewolf"] > 0
    assert all(by_role[r] == 0 for r in ("villager", "seer", "doctor"))
    kinds = dict(rows(lab, "SELECT role, agent_kind FROM player GROUP BY role"))
    assert kinds["werewolf"] == "scripted:deceptive" and kinds["seer"] == "scripted:honest"


def test_same_seed_gives_identical_database_rows(tmp_path):
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    asyncio.run(run_games(a, 5, seed=3))
    asyncio.run(run_games(b, 5, seed=3, per_turn=False))
    query = (
        "SELECT game_id, seq, day, phase, kind, actor, target, visibility, text, payload FROM event"
    )
    assert rows(a, query) == rows(b, query)
    query = "SELECT * FROM belief ORDER BY game_id, turn, about"
    assert rows(a, query) == rows(b, query)


class Exploding(ScriptedAgent):
    """A scripted agent whose model 'crashes' at its third decision."""

    def __init__(self, seed):
        super().__init__(seed)
        self.calls = 0

    async def act(self, observation):
        self.calls += 1
        if self.calls == 3:
            raise RuntimeError("provider exploded")
        return await super().act(observation)


def test_a_crash_mid_game_marks_it_failed_never_finished(db_path):
    conn = open_engine(db_path).connect()
    config = WerewolfConfig()
    ensure_tournament(conn, "t", {}, "f", [{"slot": 0, "seed": 1, "config": {}}])
    claim = claim_next_game(conn, 1, "me")
    agents = [Exploding(s) for s in range(7)]
    with pytest.raises(RuntimeError, match="provider exploded"):
        asyncio.run(
            play_game(config, 1, lambda roles: agents, lambda p: start_game(conn, claim.id, p))
        )
    conn.close()
    assert rows(db_path, "SELECT status, error FROM game") == [
        ("failed", "RuntimeError: provider exploded")
    ]
    assert rows(db_path, "SELECT COUNT(*) FROM event WHERE kind='game_over'") == [(0,)]


RUN = [sys.executable, "-m", "app.cli", "run", "--games", "300", "--seed", "4"]


def _whole_games(db: str) -> None:
    for game_id, n_turns in rows(db, "SELECT id, n_turns FROM game WHERE status='finished'"):
        assert _count(db, f"SELECT COUNT(*) FROM turn WHERE game_id={game_id}") == n_turns
        assert (
            _count(db, f"SELECT COUNT(*) FROM event WHERE game_id={game_id} AND kind='game_over'")
            == 1
        )


def test_kill_9_mid_run_then_rerun_gives_exactly_the_planned_games(tmp_path):
    db = str(tmp_path / "killed.db")
    for at_least in (1, 60, 150):  # killed early, then twice mid-run
        proc = subprocess.Popen([*RUN, "--db", db], stdout=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(0.01)
            finished = _count(db, "SELECT COUNT(*) FROM game WHERE status='finished'")
            if os.path.exists(db) and finished >= at_least:
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        statuses = dict(rows(db, "SELECT status, COUNT(*) FROM game GROUP BY status"))
        assert statuses.get("running", 0) <= 1  # the one in flight when the process died
        assert statuses.get("finished", 0) < 300
        _whole_games(db)
    done = subprocess.run([*RUN, "--db", db], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert rows(db, "SELECT status, COUNT(*) FROM game GROUP BY status") == [("finished", 300)]
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT slot) FROM game") == [(300, 300)]
    assert rows(db, "SELECT COUNT(*) FROM tournament") == [(1,)]
    _whole_games(db)
    # Replays start from scratch: the same store as one uninterrupted run.
    clean = str(tmp_path / "clean.db")
    assert subprocess.run([*RUN, "--db", clean], capture_output=True).returncode == 0
    query = "SELECT slot, seed, winner, days, n_turns FROM game ORDER BY slot"
    assert rows(db, query) == rows(clean, query)


def _count(db: str, sql: str) -> int:
    try:
        return rows(db, sql)[0][0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


@pytest.mark.parametrize(
    "target, message",
    [
        ("/no/such/dir/lab.db", "does not exist"),
        (".", "is a directory"),
        ("nope://x", "cannot open"),
    ],
)
def test_bad_database_targets_are_clear_errors(target, message):
    with pytest.raises(StoreError, match=message):
        open_engine(target)


def test_sqlalchemy_url_accepted_and_wal_enabled(tmp_path):
    db = tmp_path / "url.db"
    asyncio.run(run_games(f"sqlite:///{db}", 1, seed=1))
    assert rows(str(db), "PRAGMA journal_mode") == [("wal",)]


def test_store_connections_keep_durability_and_checkpoint_every_10000_pages(db_path):
    engine = open_engine(db_path)
    with engine.connect() as conn:
        values = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("synchronous", "foreign_keys", "wal_autocheckpoint")
        }
    engine.dispose()
    # synchronous NORMAL (1) and foreign keys on, as before the checkpoint interval grew.
    assert values == {"synchronous": 1, "foreign_keys": 1, "wal_autocheckpoint": 10000}


def test_database_password_never_shown_in_errors():
    with pytest.raises(StoreError) as info:
        open_engine("postgresql+psycopg://lab:hunter2@127.0.0.1:1/nodb")
    assert "hunter2" not in str(info.value) and "***" in str(info.value)


def _blocked_while_held(lock_path: str, write) -> None:
    """`write` waits while another holder has the writers' lock, and completes once it is free."""
    import fcntl
    import threading

    holder = os.open(lock_path, os.O_RDWR)  # its own open file: a separate flock, as a process
    fcntl.flock(holder, fcntl.LOCK_EX)
    done = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            write()
        except BaseException as exc:  # re-raised by the test below
            errors.append(exc)
        done.set()

    thread = threading.Thread(target=target)
    try:
        thread.start()
        assert not done.wait(0.3), "wrote while another writer held the lock"
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    assert done.wait(10), "still waiting after the lock was released"
    thread.join()
    assert not errors, errors


def test_sqlite_writers_queue_on_one_lock_file(db_path):
    # Several processes on one SQLite file take turns on `<db>-lock` (flock) instead of
    # SQLite's busy handler, whose growing sleeps starved a waiting worker's whole loop.
    engine = open_engine(db_path)
    conn = engine.connect()
    lock = db_path + "-lock"
    for name, seed in (("t", 1), ("u", 2)):
        ensure_tournament(conn, name, {}, name, [{"slot": 0, "seed": seed, "config": {}}])
    claims = [claim_next_game(conn, 1, "me")]  # the first write creates the lock file
    assert os.path.exists(lock)
    _blocked_while_held(lock, lambda: claims.append(claim_next_game(conn, 2, "me")))
    assert [c.seed for c in claims] == [1, 2]

    players = villagers(4)
    recorders: list[GameRecorder] = []
    _blocked_while_held(lock, lambda: recorders.append(start_game(conn, claims[0].id, players)))
    recorder = recorders[0]
    call = CallRecord(model="m", messages=[], attempt=1, mode="prompt")
    recorder.add_call({"seat": 0, "turn": None, **call.model_dump()})
    _blocked_while_held(lock, recorder.commit)
    _blocked_while_held(lock, lambda: recorder.finish("village", 1, 0))
    conn.close()
    engine.dispose()
    assert rows(db_path, "SELECT status FROM game WHERE id=?", claims[0].id) == [("finished",)]
    assert rows(db_path, "SELECT COUNT(*) FROM player") == [(4,)]
    assert rows(db_path, "SELECT COUNT(*) FROM llmcall") == [(1,)]


def _reclaimed(db: str):
    """A game claimed by worker "a", its recorder, then reclaimed and claimed again by "b"."""
    engine, conn, recorder = claimed(db, worker="a")
    other = engine.connect()
    assert reset_game(other, recorder.game_id, "running", "a")  # `--reclaim` while "a" plays
    assert claim_next_game(other, 1, "b").id == recorder.game_id
    return engine, conn, other, recorder, recorder.game_id


def test_a_reclaimed_game_is_never_finished_or_failed_by_its_first_worker(db_path):
    engine, conn, other, recorder, game_id = _reclaimed(db_path)
    with pytest.raises(GameTakenOver):
        recorder.finish("village", 1, 0)
    recorder.fail("RuntimeError: late")
    fail_claimed_game(conn, game_id, "RuntimeError: late", "a")
    for c in (conn, other):
        c.close()
    engine.dispose()
    assert rows(db_path, "SELECT status, worker, error FROM game") == [("running", "b", None)]


def test_a_game_reclaimed_mid_play_is_left_to_its_new_worker(db_path):
    # Worker "a" is still playing when `--reclaim` hands its game to "b": "a" finishes the game
    # in memory but neither marks it finished nor failed; the row stays "b"'s.
    engine = open_engine(db_path)
    conn, other = engine.connect(), engine.connect()
    ensure_tournament(conn, "t", {}, "f", [{"slot": 0, "seed": 1, "config": {}}])
    claim = claim_next_game(conn, 1, "a")

    class Reclaimed(ScriptedAgent):
        async def act(self, observation):
            if observation.day == 2 and reset_game(other, claim.id, "running", "a"):
                assert claim_next_game(other, 1, "b").id == claim.id
            return await super().act(observation)

    agents = [Reclaimed(s) for s in range(7)]
    with pytest.raises(GameTakenOver):
        asyncio.run(
            play_game(
                WerewolfConfig(),
                1,
                lambda roles: agents,
                lambda p: start_game(conn, claim.id, p, worker="a"),
            )
        )
    for c in (conn, other):
        c.close()
    engine.dispose()
    assert rows(db_path, "SELECT status, worker, error FROM game") == [("running", "b", None)]

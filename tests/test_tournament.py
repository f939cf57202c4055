"""Plans from files, balanced expansion, idempotent resume, budget cap, transactional claims."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, update

from runs.claims import claim_next_game, ensure_tournament
from runs.orchestrator import is_stale, run
from runs.plan import ConfigError, Plan, lineup, load_plan, plan_game, plan_games
from runs.schema import Game, LLMCall, Player, Tournament
from runs.store import open_engine
from tests.tournament_helpers import assert_complete, outcome, write_config

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    """Run `sdlab` in a subprocess (the real entry point, exit codes included)."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


# ----- config ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"games": 31}, "games: 31 is not a multiple of 3"),
        ({"games": 0}, "games: Input should be greater than or equal to 1"),
        ({"players": []}, "players: List should have at least 1 item"),
        ({"players": ["honest", "honest"]}, "players.1.model: 'honest' appears twice"),
        ({"concurrency": 0}, "concurrency: Input should be greater than or equal to 1"),
        ({"budget_usd": -1}, "budget_usd: Input should be greater than 0"),
        ({"game": {"roster": {"werewolf": 5}}}, "game.roster: 5 werewolves against 5"),
        ({"conditions": {"framings": ["watched"]}}, "conditions.framings.0: Input should be"),
        ({"seats": 7}, "seats: Extra inputs are not permitted"),
        (
            {"players": ["honest", {"model": "openai/x", "options": {"api_key": "sk-123"}}]},
            "players.1: options.api_key: keys go in environment variables",
        ),
        ({"players": [{"model": "honest", "temperature": 0.2}]}, "takes no LLM options"),
    ],
)
def test_bad_config_names_the_field_and_writes_nothing(tmp_path, overrides, expected):
    path = write_config(tmp_path / "t.yaml", **overrides)
    with pytest.raises(ConfigError, match="^" + str(path) + ": ") as info:
        load_plan(path)
    assert expected in str(info.value)


def test_bad_config_on_the_command_line_exits_nonzero_and_creates_no_db(tmp_path):
    path = write_config(tmp_path / "t.yaml", games=31)
    db = tmp_path / "lab.db"
    done = cli("tournament", str(path), "--db", str(db))
    assert done.returncode == 2
    assert "games: 31 is not a multiple of 3" in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists()
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    done = cli("tournament", str(broken), "--db", str(db))
    assert done.returncode == 2 and "is not valid yaml" in done.stderr
    assert not db.exists()


def test_toml_and_yaml_give_the_same_tournament(tmp_path):
    (tmp_path / "t.toml").write_text(
        'name = "t"\nplayers = ["honest", "deceptive", "random"]\ngames = 30\nseed = 7\n'
        "concurrency = 1\n[game.roster]\nwerewolf = 2\nseer = 1\ndoctor = 1\nvillager = 3\n"
    )
    toml = load_plan(tmp_path / "t.toml")
    yaml_ = load_plan(write_config(tmp_path / "t.yaml"))
    assert toml == yaml_
    assert toml.fingerprint() == yaml_.fingerprint()


def test_fingerprint_ignores_how_it_runs_not_what_it_plays():
    base = Plan(name="t", players=["honest", "random"], games=4)
    assert base.fingerprint() == base.model_copy(update={"concurrency": 9}).fingerprint()
    assert base.fingerprint() == base.model_copy(update={"budget_usd": 5.0}).fingerprint()
    assert base.fingerprint() != base.model_copy(update={"seed": 1}).fingerprint()
    assert base.fingerprint() != base.model_copy(update={"games": 6}).fingerprint()


def test_example_configs_validate():
    offline = load_plan(ROOT / "examples" / "tournament_offline.yaml")
    assert all(p.scripted for p in offline.players)
    two = load_plan(ROOT / "examples" / "tournament_two_models.yaml")
    assert [p.scripted for p in two.players] == [False, False]
    assert len(two.conditions.cells()) > 1


# ----- expansion: balanced by construction ------------------------------------------------------


@pytest.mark.parametrize(
    ("players", "roster", "prompts", "framings"),
    [
        (["honest", "deceptive", "random"], {}, ["neutral"], ["observed"]),
        (["a/m1", "b/m2"], {}, ["neutral", "deception_permitted"], ["observed", "unobserved"]),
        (
            ["a/m1", "b/m2", "c/m3", "d/m4", "e/m5"],
            {"werewolf": 1, "seer": 1, "doctor": 0, "villager": 2},
            ["neutral"],
            ["observed", "unobserved"],
        ),
        ([f"m/{i}" for i in range(9)], {}, ["neutral"], ["observed"]),  # more models than seats
    ],
)
def test_every_model_plays_every_role_equally_often_in_every_condition(
    players, roster, prompts, framings
):
    cells = len(prompts) * len(framings)
    config = Plan(
        name="t",
        players=players,
        game={"roster": roster} if roster else {},
        games=2 * len(players) * cells,
        conditions={"prompt_conditions": prompts, "framings": framings},
    )
    per_cell: dict[tuple, Counter] = {}
    for plan in plan_games(config):
        from games.werewolf.rules import WerewolfGame

        roles = WerewolfGame(config.game, plan.seed).roles
        seats = lineup(config, plan, roles)
        cell = per_cell.setdefault((plan.prompt_condition, plan.framing), Counter())
        for seat, index in enumerate(seats):
            cell[(players[index], roles[seat])] += 1
    assert len(per_cell) == cells
    role_counts = Counter(config.game.roster.roles())
    for counts in per_cell.values():
        for model in players:
            for role, k in role_counts.items():
                # 2 blocks per cell, each player holds each role slot once per block
                assert counts[(model, role)] == 2 * k, (model, role, counts)


def test_plans_are_a_pure_function_of_the_slot():
    config = Plan(name="t", players=["honest", "random"], games=6, seed=3)
    assert plan_game(config, 4) == list(plan_games(config))[4]
    assert len({p.seed for p in plan_games(config)}) == 6


# ----- running, resuming, refusing ----------------------------------------------------------------


def test_tournament_plays_all_games_and_a_rerun_adds_nothing(tmp_path):
    config = load_plan(write_config(tmp_path / "t.yaml"))
    db = str(tmp_path / "lab.db")
    first = asyncio.run(run(config, db))
    assert (first.created, first.played, first.finished) == (True, 30, 30)
    engine = open_engine(db)
    games = assert_complete(engine, "t", 30, 7)
    again = asyncio.run(run(config, db))
    assert (again.created, again.played, again.finished) == (False, 0, 30)
    assert outcome(assert_complete(engine, "t", 30, 7)) == outcome(games)
    # Players are who the rotation says, under the labels ratings will use.
    with engine.connect() as conn:
        kinds = Counter(conn.scalars(select(Player.agent_kind)))
    assert kinds == {"scripted:honest": 70, "scripted:deceptive": 70, "scripted:random": 70}


def test_same_name_with_another_config_is_refused_without_writing(tmp_path):
    db = str(tmp_path / "lab.db")
    ok = cli("tournament", str(write_config(tmp_path / "a.yaml", games=3)), "--db", db)
    assert ok.returncode == 0, ok.stderr
    other = write_config(tmp_path / "b.yaml", games=3, seed=8)
    refused = cli("tournament", str(other), "--db", db)
    assert refused.returncode == 2
    assert "already exists in this database with other games" in refused.stderr
    engine = open_engine(db)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Tournament)) == 1
        assert conn.scalar(select(func.count()).select_from(Game)) == 3


def test_failed_game_is_retried_on_the_next_run(tmp_path):
    config = Plan(name="t", players=["honest", "random"], games=4, max_attempts=2)
    db = str(tmp_path / "lab.db")
    open_engine(db).dispose()
    # A real storage failure for one game: the database refuses its turns.
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TRIGGER broken BEFORE INSERT ON turn WHEN NEW.game_id = 2"
            " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
    first = asyncio.run(run(config, db))
    assert (first.played, first.failed, first.finished) == (3, 1, 3)
    assert "disk on fire" in first.errors[0] and first.exit_code == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, error FROM game WHERE id = 2").fetchone()[0] == "failed"
        conn.execute("DROP TRIGGER broken")
    second = asyncio.run(run(config, db))
    assert (second.retried, second.played, second.finished) == (1, 1, 4)
    assert second.exit_code == 0
    assert_complete(open_engine(db), "t", 4, 7)


def test_a_game_that_keeps_failing_stops_at_max_attempts(tmp_path):
    config = Plan(name="t", players=["honest", "random"], games=2, max_attempts=2)
    db = str(tmp_path / "lab.db")
    open_engine(db).dispose()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TRIGGER broken BEFORE INSERT ON turn WHEN NEW.game_id = 1"
            " BEGIN SELECT RAISE(ABORT, 'still broken'); END"
        )
    for _ in range(4):
        summary = asyncio.run(run(config, db))
        assert summary.exit_code == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, attempts FROM game WHERE id = 1").fetchone() == (
            "failed",
            2,
        )


# ----- budget ----------------------------------------------------------------------------


def test_budget_cap_stops_starting_games_and_says_so(tmp_path, stub, fake_key):
    llm = {
        "model": "openai/gpt-4o-mini",
        "api_base": stub.api_base,
        "options": {"reasoning": False},
    }
    config = Plan(name="t", players=[llm, "honest"], games=10, budget_usd=0.002, concurrency=2)
    db = str(tmp_path / "lab.db")
    summary = asyncio.run(run(config, db))
    assert summary.budget_stopped and summary.exit_code == 3
    assert 0 < summary.finished < 10 and summary.pending == 10 - summary.finished
    # Games in flight finish; none starts once the cap is reached.
    with open_engine(db).connect() as conn:
        spent = conn.scalar(select(func.sum(LLMCall.cost)).where(LLMCall.game_id.is_not(None)))
    assert spent == pytest.approx(summary.spent)
    per_game = spent / summary.finished
    assert spent - per_game * config.concurrency < 0.002 <= spent
    from rich.console import Console

    from app.views import print_summary

    out = Console(record=True, width=200)
    assert print_summary(summary, db, out, out) == 3
    assert "budget cap reached" in out.export_text()
    # The spend is remembered: a resume with the same cap starts nothing.
    again = asyncio.run(run(config, db))
    assert again.budget_stopped and again.played == 0


# ----- claims ----------------------------------------------------------------------------


def claim_race(url: str, n_games: int, n_threads: int = 4) -> list[int]:
    """Threads with their own connections claim until nothing is left; return all claims."""
    engine = open_engine(url)
    with engine.connect() as conn:
        rows = [{"slot": i, "seed": i, "config": {}} for i in range(n_games)]
        tid, _ = ensure_tournament(conn, "race", {}, "fp", rows)
    claimed: list[int] = []
    lock = threading.Lock()

    def claimer(k: int) -> None:
        with engine.connect() as conn:
            while (claim := claim_next_game(conn, tid, f"w{k}")) is not None:
                with lock:
                    claimed.append(claim.id)

    threads = [threading.Thread(target=claimer, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with engine.connect() as conn:
        attempts = conn.scalars(select(Game.attempts).where(Game.tournament_id == tid)).all()
        conn.execute(update(Game).where(Game.tournament_id == tid).values(status="finished"))
        conn.commit()
    assert attempts == [1] * n_games
    engine.dispose()
    return claimed


def test_concurrent_claimers_never_take_the_same_game_sqlite(tmp_path):
    claimed = claim_race(str(tmp_path / "race.db"), 60)
    assert len(claimed) == 60 and len(set(claimed)) == 60


def test_running_games_of_other_machines_wait_for_reclaim(tmp_path):
    config = Plan(name="t", players=["honest", "random"], games=4)
    db = str(tmp_path / "lab.db")
    asyncio.run(run(config, db))
    engine = open_engine(db)
    with engine.connect() as conn:  # pretend slot 2 is being played on another machine
        conn.execute(
            update(Game).where(Game.slot == 2).values(status="running", worker="elsewhere:1")
        )
        conn.commit()
    kept = asyncio.run(run(config, db))
    assert (kept.replayed, kept.running, kept.finished) == (0, 1, 3)
    taken = asyncio.run(run(config, db, reclaim=True))
    assert (taken.replayed, taken.played, taken.finished) == (1, 1, 4)
    assert_complete(engine, "t", 4, 7)


def test_only_dead_local_workers_are_stale():
    import os
    import socket

    host = socket.gethostname()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert is_stale(f"{host}:{dead.pid}")
    assert is_stale(f"{host}:{os.getpid()}")  # our own pid, reused: nothing of ours runs yet
    assert not is_stale(f"{host}:{os.getppid()}")  # alive
    assert not is_stale("another-host:1")
    assert is_stale("another-host:1", reclaim_all=True)
    assert is_stale(None)


def test_paired_plans_play_each_seed_once_in_every_cell_with_the_same_seats(tmp_path):
    grid = {"framings": ["observed", "unobserved"], "paired": True}
    config = Plan(name="p", players=["honest", "random"], games=8, conditions=grid)
    plans = list(plan_games(config))
    for a, b in zip(plans[::2], plans[1::2], strict=True):
        assert (a.framing, b.framing) == ("observed", "unobserved")
        assert a.seed == b.seed and a.rotation == b.rotation
    assert len({p.seed for p in plans}) == 4
    db = str(tmp_path / "p.db")
    asyncio.run(run(config, db))
    with sqlite3.connect(db) as conn:
        seated = conn.execute(
            "SELECT g.seed, p.seat, p.role, p.agent_kind FROM game g JOIN player p"
            " ON p.game_id = g.id ORDER BY g.slot, p.seat"
        ).fetchall()
    by_seed: dict = {}
    for seed, *seat in seated:
        by_seed.setdefault(seed, []).append(tuple(seat))
    assert len(by_seed) == 4  # and each seed's two games seated the same roles the same way
    per_game = len(seated) // 8
    assert all(len(v) == 2 * per_game and v[:per_game] == v[per_game:] for v in by_seed.values())


def test_scripted_kinds_take_their_own_parameters_and_nothing_else():
    ok = Plan(
        name="t", players=[{"model": "deceptive", "options": {"fake_seer_rate": 0.9}}], games=1
    )
    assert ok.players[0].llm_options("neutral", "observed")["fake_seer_rate"] == 0.9
    unknown = r"takes no option bogus \(its options: fake_seer_rate"
    with pytest.raises(ValidationError, match=unknown):
        Plan(name="t", players=[{"model": "deceptive", "options": {"bogus": 1}}], games=1)
    with pytest.raises(ValidationError, match="takes no option fake_seer_rate"):
        Plan(name="t", players=[{"model": "honest", "options": {"fake_seer_rate": 0.5}}], games=1)


def test_the_summary_tells_failed_games_from_notes(tmp_path):
    from rich.console import Console

    from app.views import print_summary

    db = str(tmp_path / "lab.db")
    summary = asyncio.run(run(Plan(name="t", players=["honest"], games=1), db))
    summary.errors.append("slot 3 (seed 9): RuntimeError: boom")
    summary.notes.append("slot 4 (seed 8): game 5 was given to another worker")
    out = Console(record=True, width=200)
    print_summary(summary, db, out, out)
    text = out.export_text()
    assert "failed: slot 3 (seed 9): RuntimeError: boom" in text
    assert "note: slot 4 (seed 8): game 5 was given to another worker" in text
    assert "failed: slot 4" not in text

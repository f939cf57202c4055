"""Shared checks for tournament tests: configs on disk and the invariants of a resumed store."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, func, select

from runs.schema import Event, Game, Player, Tournament, Turn

ROOT = Path(__file__).resolve().parents[1]


def start_worker(config: Path, db: str) -> subprocess.Popen:
    """`sdlab tournament CONFIG --db DB` as a separate process (another worker or machine)."""
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "tournament", str(config), "--db", db],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_config(path: Path, **overrides: Any) -> Path:
    """A small scripted tournament file (3 players, 7 seats) with overrides."""
    data: dict[str, Any] = {
        "name": "t",
        "players": ["honest", "deceptive", "random"],
        "game": {"roster": {"werewolf": 2, "seer": 1, "doctor": 1, "villager": 3}},
        "games": 30,
        "seed": 7,
        "concurrency": 1,
    }
    data.update(overrides)
    path.write_text(yaml.safe_dump(data))
    return path


def games_by_slot(engine: Engine, name: str) -> dict[int, Any]:
    """slot → Game row of the named tournament."""
    with engine.connect() as conn:
        tids = conn.scalars(select(Tournament.id).where(Tournament.name == name)).all()
        assert len(tids) == 1, f"tournament {name!r} stored {len(tids)} times"
        rows = conn.execute(select(Game).where(Game.tournament_id == tids[0])).all()
    slots = Counter(r.slot for r in rows)
    assert not [s for s, c in slots.items() if c > 1], "duplicate slots"
    return {r.slot: r for r in rows}


def assert_complete(engine: Engine, name: str, n_games: int, n_players: int) -> dict[int, Any]:
    """Exactly `n_games` finished games, each with whole rows and nothing else."""
    games = games_by_slot(engine, name)
    assert sorted(games) == list(range(n_games))
    assert {g.status for g in games.values()} == {"finished"}
    with engine.connect() as conn:
        ids = [g.id for g in games.values()]
        players = dict(
            conn.execute(
                select(Player.game_id, func.count())
                .where(Player.game_id.in_(ids))
                .group_by(Player.game_id)
            ).all()
        )
        turns = dict(
            conn.execute(
                select(Turn.game_id, func.count())
                .where(Turn.game_id.in_(ids))
                .group_by(Turn.game_id)
            ).all()
        )
        events = {
            gid: (n, lo, hi)
            for gid, n, lo, hi in conn.execute(
                select(Event.game_id, func.count(), func.min(Event.seq), func.max(Event.seq))
                .where(Event.game_id.in_(ids))
                .group_by(Event.game_id)
            ).all()
        }
    for g in games.values():
        assert players.get(g.id) == n_players, f"slot {g.slot}: {players.get(g.id)} players"
        assert turns.get(g.id) == g.n_turns, f"slot {g.slot}: turns {turns.get(g.id)}"
        n, lo, hi = events[g.id]
        assert (lo, hi) == (0, n - 1), f"slot {g.slot}: event seqs not contiguous"
    return games


def outcome(games: dict[int, Any]) -> dict[int, tuple]:
    """What a replay must reproduce exactly: per slot seed, winner, days, turns."""
    return {s: (g.seed, g.winner, g.days, g.n_turns) for s, g in games.items()}

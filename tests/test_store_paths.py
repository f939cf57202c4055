"""The SQLite fast path (raw driver) and the SQLAlchemy Core path store identical rows.

GameRecorder and start_game write SQLite through the `sqlite3` driver for speed and every
other database through SQLAlchemy Core. The same seeded games are played through each path
(with model-written text needing repair and LLM call rows, so every branch of the recorder
runs) and every table is compared value by value and type by type; the row counts must be
what the engine emitted. This guards the recorder's hot-path optimisations.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

import runs.store
from agents.base import CallRecord
from agents.scripted import ScriptedAgent
from games.werewolf import WerewolfConfig
from runs.claims import claim_next_game, ensure_tournament
from runs.runner import play_game
from runs.schema import STORE_TABLES
from runs.store import open_engine, start_game

SEEDS = (1, 2, 3)
# Timestamps are the only values allowed to differ between the two databases.
CLOCKS = {
    "tournament": {"created_at"},
    "game": {"started_at", "finished_at"},
    "llmcall": {"created_at"},
}
# Model-written text: ASCII, non-ASCII, NUL and lone surrogates (repaired and counted).
TEXTS = ("plain ascii", "Ich glaube, Spieler 3 lügt — sicher.", "nul\x00here", "bad \ud800 half")


class Chatty(ScriptedAgent):
    """A scripted agent that also 'reasons' in hostile text and reports LLM calls."""

    kind = "scripted:chatty"
    model = "stub/chatty"

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.n = 0

    async def act(self, observation):
        turn = await super().act(observation)
        self.n += 1
        text = TEXTS[self.n % len(TEXTS)]
        calls = []
        if self.n % 3 == 0:
            calls.append(
                CallRecord(
                    model=self.model,
                    messages=[
                        {"role": "system", "content": "rules"},
                        {"role": "user", "content": text, "k\x00ey": ["x", text, 1, 2.5, None]},
                    ],
                    response=text,
                    parsed_ok=self.n % 2 == 0,
                    error=None if self.n % 2 else text,
                    prompt_tokens=100 + self.n,
                    completion_tokens=self.n,
                    cost=0.001 * self.n,
                    latency_s=0.25,
                    attempt=1 + self.n % 2,
                    mode="json_schema",
                )
            )
        return turn.model_copy(update={"reasoning": text if self.n % 5 else None, "calls": calls})


def _play(db: str) -> list:
    """Play SEEDS through the store at `db`; the engine's results, events kept."""
    conn = open_engine(db).connect()
    games = [{"slot": i, "seed": s, "config": {}} for i, s in enumerate(SEEDS)]
    ensure_tournament(conn, "paths", {}, "f", games)
    results = []
    while (claim := claim_next_game(conn, 1, "me")) is not None:
        agents = [Chatty(claim.seed * 10 + s) for s in range(7)]
        results.append(
            asyncio.run(
                play_game(
                    WerewolfConfig(),
                    claim.seed,
                    lambda roles, agents=agents: agents,
                    lambda players, claim=claim: start_game(conn, claim.id, players),
                    keep_events=True,
                )
            )
        )
    conn.close()
    return results


def _table(db: str, table: str) -> list[tuple]:
    """Every row of a table as (value, SQLite type) pairs, timestamps left out, in key order."""
    with sqlite3.connect(db) as conn:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        keep = [c for c in cols if c not in CLOCKS.get(table, set())]
        picked = ", ".join(f"{c}, typeof({c})" for c in keep)
        return conn.execute(f"SELECT {picked} FROM {table} ORDER BY 1, 3, 5, 7").fetchall()


def test_fast_path_and_core_path_store_identical_rows(tmp_path, monkeypatch):
    fast_db, core_db = str(tmp_path / "fast.db"), str(tmp_path / "core.db")
    fast = _play(fast_db)
    with monkeypatch.context() as m:
        m.setattr(runs.store, "sqlite_driver", lambda conn: None)
        core = _play(core_db)
    assert [(r.winner, r.n_turns, r.n_events, r.n_beliefs) for r in fast] == [
        (r.winner, r.n_turns, r.n_events, r.n_beliefs) for r in core
    ]
    for table in STORE_TABLES:
        fast_rows, core_rows = _table(fast_db, table), _table(core_db, table)
        assert fast_rows, table
        assert fast_rows == core_rows, table


@pytest.mark.parametrize("path", ["fast", "core"])
def test_row_counts_and_events_are_what_the_engine_emitted(tmp_path, monkeypatch, path):
    if path == "core":
        monkeypatch.setattr(runs.store, "sqlite_driver", lambda conn: None)
    db = str(tmp_path / "lab.db")
    results = _play(db)
    conn = sqlite3.connect(db)

    def count(table: str, game_id: int) -> int:
        return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE game_id=?", (game_id,)).fetchone()[
            0
        ]

    repairs_seen = 0
    for r in results:
        status, winner, days, n_turns, repairs = conn.execute(
            "SELECT status, winner, days, n_turns, text_repairs FROM game WHERE id=?",
            (r.game_id,),
        ).fetchone()
        assert (status, winner, days, n_turns) == ("finished", r.winner, r.days, r.n_turns)
        repairs_seen += repairs
        assert count("player", r.game_id) == 7
        assert count("turn", r.game_id) == r.n_turns
        assert count("belief", r.game_id) == r.n_beliefs
        assert count("llmcall", r.game_id) == r.n_calls > 0
        stored = conn.execute(
            "SELECT seq, day, phase, kind, actor, target, visibility, text, payload FROM event"
            " WHERE game_id=? ORDER BY seq",
            (r.game_id,),
        ).fetchall()
        assert len(stored) == r.n_events == len(r.events)
        emitted = [
            (e.seq, e.day, e.phase, e.kind, e.actor, e.target, e.visibility, e.text, e.payload)
            for e in r.events
        ]
        assert [(*row[:-1], json.loads(row[-1])) for row in stored] == emitted
    calls = conn.execute("SELECT COUNT(*) FROM llmcall").fetchone()[0]
    assert calls == sum(r.n_calls for r in results)
    # The hostile texts were repaired (NUL and lone surrogates) and counted.
    assert repairs_seen > 0
    reasonings = {r for (r,) in conn.execute("SELECT DISTINCT reasoning FROM turn")}
    assert reasonings == {None, "plain ascii", TEXTS[1], "nul\ufffdhere", "bad \ufffd half"}
    conn.close()

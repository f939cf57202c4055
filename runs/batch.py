"""Playing many games into one database, concurrently when agents wait on I/O."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from agents.registry import is_scripted
from games.werewolf import WerewolfConfig
from runs.runner import GameResult, UsageHook, derive_seed, play_game, seat_agents
from runs.store import PlayerInfo, create_tournament, open_engine, start_game


@dataclass
class RunSummary:
    """Totals of a batch of games."""

    games: int = 0
    failed: int = 0
    wins: Counter = field(default_factory=Counter)
    turns: int = 0
    events: int = 0
    beliefs: int = 0
    calls: int = 0
    fallbacks: int = 0
    prompt_tokens: int = 0
    cost: float = 0.0
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)
    tournament_id: int | None = None

    def add(self, result: GameResult) -> None:
        """Count one finished game."""
        self.games += 1
        self.wins[result.winner or "none"] += 1
        self.turns += result.n_turns
        self.events += result.n_events
        self.beliefs += result.n_beliefs
        self.calls += result.n_calls
        self.fallbacks += result.n_fallbacks
        self.prompt_tokens += result.prompt_tokens
        self.cost += result.cost

    @property
    def games_per_s(self) -> float:
        """Throughput."""
        return self.games / self.elapsed if self.elapsed else 0.0


def worker_id() -> str:
    """host:pid, recorded on the games this process plays."""
    return f"{socket.gethostname()}:{os.getpid()}"


def recorder_factory(
    conn: Connection, seed: int, config: WerewolfConfig, tournament_id: int | None, **kw: Any
) -> Callable[[list[PlayerInfo]], Any]:
    """A callback that opens the game row once the env has dealt the roles."""

    def open_recorder(players: list[PlayerInfo]) -> Any:
        return start_game(
            conn,
            seed=seed,
            config=config.model_dump(),
            players=players,
            tournament_id=tournament_id,
            worker=worker_id(),
            **kw,
        )

    return open_recorder


async def run_games(
    db: str | None,
    n_games: int,
    *,
    seed: int = 0,
    config: WerewolfConfig | None = None,
    players: Sequence[str] = ("scripted",),
    concurrency: int = 1,
    name: str = "run",
    per_turn: bool = True,
    on_game: Callable[[GameResult], None] | None = None,
    on_usage: UsageHook | None = None,
    llm_options: dict[str, Any] | None = None,
) -> RunSummary:
    """Play `n_games` seeded games (game i gets `derive_seed(seed, i)`) into `db`.

    `per_turn=False` commits each game once at its end instead of after every turn.
    """
    config = config or WerewolfConfig()
    summary = RunSummary()
    conn = None
    if db is not None:
        engine = open_engine(db)
        conn = engine.connect()
        summary.tournament_id = create_tournament(
            conn,
            name,
            {"seed": seed, "games": n_games, "players": list(players), "game": config.model_dump()},
        )
    scripted_only = all(is_scripted(p) for p in players)
    limit = asyncio.Semaphore(max(1, concurrency))
    from agents.session import LLMSession

    session = LLMSession((llm_options or {}).get("concurrency", 16))
    start = time.perf_counter()

    async def one(index: int) -> None:
        game_seed = derive_seed(seed, index)
        agents = seat_agents(players, config.n_players, game_seed, session, **(llm_options or {}))
        opener = (
            recorder_factory(conn, game_seed, config, summary.tournament_id, per_turn=per_turn)
            if conn is not None
            else None
        )
        async with limit:
            try:
                result = await play_game(config, agents, game_seed, opener, on_usage)
            except Exception as exc:  # one broken game must not sink the batch
                summary.failed += 1
                summary.errors.append(f"game {index} (seed {game_seed}): {exc}")
                return
        summary.add(result)
        if on_game is not None:
            on_game(result)

    try:
        if scripted_only or concurrency <= 1:
            for i in range(n_games):
                await one(i)
        else:
            await asyncio.gather(*(one(i) for i in range(n_games)))
    finally:
        summary.elapsed = time.perf_counter() - start
        if conn is not None:
            conn.close()
    return summary

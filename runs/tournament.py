"""Playing a tournament: pending games in the store, claimed one at a time, resumable.

Crash safety comes from the store, not from this process: every game is a `pending` row before
anything is played; a worker claims one in a transaction (status `running`, its `worker` id),
plays it with a commit per turn, and only `finish()` marks it `finished`, atomically with its last
rows. After a kill -9, a game left `running` by a dead worker is replayed from the start: its
partial rows (players, events, turns, beliefs, LLM calls) are deleted and it becomes `pending`.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from agents.base import Agent
from agents.registry import make_agent
from runs.batch import worker_id
from runs.claims import (
    ClaimedGame,
    claim_next_game,
    ensure_tournament,
    fail_claimed_game,
    reset_game,
    tournament_cost,
    tournament_games,
)
from runs.progress import BatchProgress
from runs.runner import GameResult, UsageHook, derive_seed, play_game
from runs.store import PlayerInfo, open_engine, start_game
from runs.tournament_config import GamePlan, TournamentConfig, lineup, plan_game, plan_games

AgentFactory = Callable[..., Agent]


@dataclass
class TournamentSummary:
    """What a `run_tournament` call found, did, and left."""

    name: str
    tournament_id: int = 0
    created: bool = False
    total: int = 0
    finished_before: int = 0
    played: int = 0  # finished by this call
    failed: int = 0  # failed during this call
    replayed: int = 0  # stale running games reset to pending at start
    retried: int = 0  # failed games given another attempt at start
    finished: int = 0
    pending: int = 0
    running: int = 0
    failed_total: int = 0
    wins: Counter = field(default_factory=Counter)
    calls: int = 0
    tokens: int = 0
    cost: float = 0.0  # spent by this call
    spent: float = 0.0  # spent by the whole tournament, as recorded
    budget_stopped: bool = False
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every configured game is finished."""
        return self.finished == self.total

    @property
    def games_per_s(self) -> float:
        """Throughput of this call."""
        return self.played / self.elapsed if self.elapsed else 0.0


def is_stale(worker: str | None, reclaim_all: bool = False) -> bool:
    """Whether a `running` game's worker is gone: a dead local process (or any, if told so)."""
    if reclaim_all or not worker:
        return True
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only it (or --reclaim) may give it up
    if int(pid) == os.getpid():
        return True  # a dead worker's pid, reused by us: we have nothing running yet
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_games(
    conn: Connection, tournament_id: int, max_attempts: int, reclaim_all: bool = False
) -> tuple[int, int]:
    """Reset stale running games and retryable failed ones to pending: (replayed, retried)."""
    replayed = retried = 0
    for g in tournament_games(conn, tournament_id):
        if g.status == "running" and is_stale(g.worker, reclaim_all):
            replayed += reset_game(conn, g.id, "running", g.worker)
        elif g.status == "failed" and g.attempts < max_attempts:
            retried += reset_game(conn, g.id, "failed", g.worker)
    return replayed, retried


def build_agents(
    config: TournamentConfig,
    plan: GamePlan,
    factory: AgentFactory = make_agent,
) -> list[Agent]:
    """The agents of one game, seated by the balanced role rotation."""
    agents: list[Agent] = []
    for seat, index in enumerate(lineup(config, plan)):
        spec = config.players[index]
        options = spec.llm_options(plan.prompt_condition, plan.framing)
        agents.append(factory(spec.model, derive_seed(plan.seed, "seat", seat), **options))
    return agents


def _count(summary: TournamentSummary, conn: Connection, tournament_id: int) -> None:
    statuses = Counter(g.status for g in tournament_games(conn, tournament_id))
    summary.finished = statuses["finished"]
    summary.pending = statuses["pending"]
    summary.running = statuses["running"]
    summary.failed_total = statuses["failed"]


@dataclass
class _Run:
    """One process's part in a tournament: claim, play, repeat (state shared by its loops)."""

    config: TournamentConfig
    conn: Connection
    tournament_id: int
    summary: TournamentSummary
    factory: AgentFactory
    on_game: Callable[[GameResult], None] | None
    on_usage: UsageHook | None
    worker: str = field(default_factory=worker_id)

    def usage(self, calls: int, prompt: int, completion: int, cost: float) -> None:
        """Count LLM usage of one turn (the budget reads `spent`)."""
        s = self.summary
        s.calls += calls
        s.tokens += prompt + completion
        s.cost += cost
        s.spent += cost
        if self.on_usage is not None:
            self.on_usage(calls, prompt, completion, cost)

    async def loop(self) -> None:
        """Claim and play games until none is pending or the budget is spent."""
        budget = self.config.budget_usd
        while True:
            if budget is not None and self.summary.spent >= budget:
                self.summary.budget_stopped = True
                return
            claim = claim_next_game(self.conn, self.tournament_id, self.worker)
            if claim is None:
                return
            await self.play(claim)
            # Scripted games never yield to the loop: without this, Ctrl-C (a task
            # cancellation under asyncio.run) would wait for the whole tournament.
            await asyncio.sleep(0)

    async def play(self, claim: ClaimedGame) -> None:
        """Play one claimed game; a failure is recorded and the tournament goes on."""
        plan = plan_game(self.config, claim.slot)
        try:
            agents = build_agents(self.config, plan, self.factory)
        except Exception as exc:  # e.g. bad LLM options: the game fails, the rest go on
            fail_claimed_game(self.conn, claim.id, f"{type(exc).__name__}: {exc}")
            self._failed(claim, exc)
            return
        opener = self._recorder_opener(claim)
        try:
            result = await play_game(self.config.game, agents, plan.seed, opener, self.usage)
        except asyncio.CancelledError:
            # Interrupted, not broken: give the game back (play_game marked it failed).
            if not reset_game(self.conn, claim.id, "failed", self.worker):
                reset_game(self.conn, claim.id, "running", self.worker)
            raise
        except Exception as exc:  # one broken game must not sink the tournament
            self._failed(claim, exc)
            return
        self.summary.played += 1
        self.summary.wins[result.winner or "none"] += 1
        if self.on_game is not None:
            self.on_game(result)

    def _recorder_opener(self, claim: ClaimedGame) -> Callable[[list[PlayerInfo]], Any]:
        def open_recorder(players: list[PlayerInfo]) -> Any:
            return start_game(
                self.conn,
                seed=claim.seed,
                config=self.config.game.model_dump(),
                players=players,
                tournament_id=self.tournament_id,
                game_id=claim.id,
                worker=self.worker,
            )

        return open_recorder

    def _failed(self, claim: ClaimedGame, exc: Exception) -> None:
        self.summary.failed += 1
        self.summary.errors.append(f"slot {claim.slot} (seed {claim.seed}): {exc}")


def prepare(
    conn: Connection, config: TournamentConfig, summary: TournamentSummary, reclaim: bool
) -> int:
    """Create or find the tournament, give stale and retryable games back; its id."""
    rows = [
        {"slot": p.slot, "seed": p.seed, "config": config.game.model_dump()}
        for p in plan_games(config)
    ]
    tid, summary.created = ensure_tournament(
        conn, config.name, config.model_dump(mode="json"), config.fingerprint(), rows
    )
    summary.tournament_id = tid
    summary.replayed, summary.retried = release_games(conn, tid, config.max_attempts, reclaim)
    _count(summary, conn, tid)
    summary.finished_before = summary.finished
    summary.spent = tournament_cost(conn, tid)
    return tid


async def run_tournament(
    config: TournamentConfig,
    db: str,
    *,
    agent_factory: AgentFactory = make_agent,
    reclaim: bool = False,
    on_game: Callable[[GameResult], None] | None = None,
    on_usage: UsageHook | None = None,
    on_start: Callable[[TournamentSummary], None] | None = None,
) -> TournamentSummary:
    """Create or resume the tournament in `db` and play its pending games."""
    start = time.perf_counter()
    summary = TournamentSummary(config.name, total=config.games)
    engine = open_engine(db)
    conn = engine.connect()
    try:
        tid = prepare(conn, config, summary, reclaim)
        if on_start is not None:
            on_start(summary)
        run = _Run(config, conn, tid, summary, agent_factory, on_game, on_usage)
        scripted_only = all(p.scripted for p in config.players)
        # Scripted games never wait on I/O: one loop is fastest; LLM games overlap their calls.
        n_loops = 1 if scripted_only and agent_factory is make_agent else config.concurrency
        await asyncio.gather(*(run.loop() for _ in range(n_loops)))
        _count(summary, conn, tid)
    finally:
        summary.elapsed = time.perf_counter() - start
        conn.close()
        engine.dispose()
    return summary


class TournamentProgress(BatchProgress):
    """The batch progress bar, starting from the games an earlier run already finished."""

    def on_start(self, summary: TournamentSummary) -> None:
        """Count what is already done before this run plays anything."""
        self.done = summary.finished
        self.progress.update(self.task, completed=self.done)


def play_tournament(config: TournamentConfig, db: str, reclaim: bool = False) -> TournamentSummary:
    """`run_tournament` with a progress bar (games, calls, tokens, cost, ETA)."""
    bar = TournamentProgress(config.games)
    try:
        return asyncio.run(
            run_tournament(
                config,
                db,
                reclaim=reclaim,
                on_game=bar.on_game,
                on_usage=bar.on_usage,
                on_start=bar.on_start,
            )
        )
    finally:
        bar.close()


def print_tournament(
    summary: TournamentSummary, db: str, budget: float | None, out: Any, err: Any
) -> int:
    """Print the outcome; return the exit code (0 complete, 1 failed games, 3 budget stop)."""
    from rich.table import Table

    s = summary
    table = Table(title=f"sdlab tournament {s.name!r} → {db}", show_header=False)
    table.add_row("tournament id", f"{s.tournament_id} ({'new' if s.created else 'resumed'})")
    table.add_row("games finished", f"{s.finished} of {s.total} ({s.played} in this run)")
    if s.replayed or s.retried:
        table.add_row("replayed from start", f"{s.replayed} interrupted, {s.retried} failed")
    if s.pending or s.running:
        table.add_row("left", f"{s.pending} pending, {s.running} running elsewhere")
    if s.failed_total:
        table.add_row("games failed", f"[red]{s.failed_total}[/]")
    for team, count in sorted(s.wins.items()):
        table.add_row(f"wins this run: {team}", str(count))
    if s.calls or s.spent:
        table.add_row("LLM calls / tokens", f"{s.calls} / {s.tokens:,}")
        table.add_row("cost ($)", f"{s.cost:.4f} this run, {s.spent:.4f} in total")
    table.add_row("elapsed", f"{s.elapsed:.2f} s ({s.games_per_s:.1f} games/s)")
    out.print(table)
    for line in s.errors[:5]:
        err.print(f"[red]failed:[/] {line}", highlight=False)
    if s.budget_stopped and not s.complete:
        err.print(
            f"[bold yellow]budget cap reached:[/] ${s.spent:.4f} spent of ${budget:.2f}; "
            f"no new games started, {s.pending} left pending. Raise budget_usd and run the "
            "same command again to continue.",
            highlight=False,
        )
        return 3
    if s.failed_total:
        err.print(
            f"[red]{s.failed_total} game(s) failed[/]: run the same command again to retry them "
            "(up to max_attempts per game).",
            highlight=False,
        )
        return 1
    return 0

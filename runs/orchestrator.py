"""The one way games are played: a plan's pending rows, claimed → played → recorded.

`sdlab run`, `sdlab tournament`, `sdlab play` and the Python API all come here. Crash safety
comes from the store, not from this process: every game is a `pending` row before anything is
played; a worker claims one in a transaction (status `running`, its `worker` id), plays it with
a commit per decision group, and only the recorder's `finish()` marks it `finished`, atomically
with its last rows. A game left `running` by a dead worker is replayed from the start; Ctrl-C
(or SIGTERM) gives the games in flight back; a model that cannot answer stops the run.

In a notebook, `await run(plan, db)` works inside Jupyter's running loop; elsewhere
`run_sync(plan, db)` does the same synchronously.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from agents.base import Agent
from agents.registry import make_agent
from agents.session import LLMSession, ProviderError
from runs.claims import (
    ClaimedGame,
    claim_next_game,
    ensure_tournament,
    fail_claimed_game,
    games_in,
    reset_game,
    status_counts,
    tournament_cost,
)
from runs.plan import GamePlan, Plan, lineup, plan_game, plan_games
from runs.provenance import provenance, without_secrets
from runs.runner import GameResult, UsageHook, play_game
from runs.seeds import derive_seed
from runs.store import (
    GameRecorder,
    GameTakenOver,
    PlayerInfo,
    StoreError,
    open_engine,
    record_calls,
    start_game,
)
from vocab import team_of

DEGRADED_SHARE = 0.10  # a model whose turns fall back more often than this is flagged

# Exit codes of every command that plays games.
EXIT_OK = 0  # every planned game finished
EXIT_INCOMPLETE = 1  # games failed (or are still running elsewhere): run again to retry
EXIT_USAGE = 2  # bad input: plan, flags, database
EXIT_BUDGET = 3  # the budget cap stopped new games
EXIT_PROVIDER = 4  # a model cannot be used (key, name, server): nothing more was played
EXIT_INTERRUPTED = 130  # Ctrl-C / SIGTERM: games in flight were given back


@dataclass
class RunSummary:
    """What a run found, did and left; the exit code follows from it."""

    name: str
    tournament_id: int = 0
    created: bool = False
    total: int = 0
    finished_before: int = 0
    played: int = 0  # finished by this run
    failed: int = 0  # failed during this run
    replayed: int = 0  # stale running games reset to pending
    retried: int = 0  # failed games given another attempt at start
    gave_up: int = 0  # stale games past max_attempts, left failed
    finished: int = 0
    pending: int = 0
    running: int = 0
    failed_total: int = 0
    wins: Counter = field(default_factory=Counter)
    turns: int = 0
    events: int = 0
    beliefs: int = 0
    calls: int = 0
    fallbacks: int = 0
    prompt_tokens: int = 0
    tokens: int = 0
    cost: float = 0.0  # spent by this run
    spent: float = 0.0  # spent by the whole plan, as recorded
    text_repairs: int = 0
    model_turns: Counter = field(default_factory=Counter)  # model → decisions it was asked for
    model_fallbacks: Counter = field(default_factory=Counter)  # model → of those, fallbacks
    modes: dict[str, str] = field(default_factory=dict)  # model → structured-output mode used
    stopped: dict[str, str] = field(default_factory=dict)  # model → why its breaker opened
    migrated: tuple[str | None, str] | None = None
    budget_stopped: bool = False
    interrupted: bool = False
    provider_error: str | None = None
    elapsed: float = 0.0
    errors: list[str] = field(default_factory=list)  # games that failed, one line each
    notes: list[str] = field(default_factory=list)  # what happened to games that did not fail

    @property
    def complete(self) -> bool:
        """Every planned game is finished."""
        return self.total > 0 and self.finished == self.total

    @property
    def games(self) -> int:
        """Games finished by this run (the same as `played`)."""
        return self.played

    @property
    def games_per_s(self) -> float:
        """Throughput of this run."""
        return self.played / self.elapsed if self.elapsed else 0.0

    def fallback_share(self, model: str) -> float:
        """Share of a model's decisions in this run that fell back to a default."""
        asked = self.model_turns[model]
        return self.model_fallbacks[model] / asked if asked else 0.0

    @property
    def degraded(self) -> dict[str, float]:
        """Models whose fallback share in this run is over DEGRADED_SHARE."""
        shares = {m: self.fallback_share(m) for m in self.model_turns}
        return {m: s for m, s in shares.items() if s > DEGRADED_SHARE}

    @property
    def exit_code(self) -> int:
        """0 only when every planned game finished; see the EXIT_* constants."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.provider_error:
            return EXIT_PROVIDER
        if self.complete:
            return EXIT_OK
        if self.budget_stopped:
            return EXIT_BUDGET
        return EXIT_INCOMPLETE

    def add(self, result: GameResult) -> None:
        """Count one finished game."""
        self.played += 1
        self.wins[result.winner or "none"] += 1
        self.turns += result.n_turns
        self.events += result.n_events
        self.beliefs += result.n_beliefs
        self.fallbacks += result.n_fallbacks
        self.model_turns.update(result.model_turns)
        self.model_fallbacks.update(result.model_fallbacks)


@dataclass
class Hooks:
    """Callbacks for a progress display (all optional)."""

    on_start: Callable[[RunSummary], None] | None = None
    on_game: Callable[[GameResult], None] | None = None
    on_usage: UsageHook | None = None


def worker_id() -> str:
    """host:pid, recorded on the games this process plays."""
    return f"{socket.gethostname()}:{os.getpid()}"


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
    conn: Connection,
    tournament_id: int,
    max_attempts: int,
    reclaim_all: bool = False,
    retry_failed: bool = True,
) -> tuple[int, int, int]:
    """Stale running games back to pending, retryable failed ones too: (replayed, retried, gave up).

    A stale game that has used every attempt stays failed instead: attempts never pass
    `max_attempts`.
    """
    replayed = retried = gave_up = 0
    statuses = ("running", "failed") if retry_failed else ("running",)
    for g in games_in(conn, tournament_id, statuses):
        if g.status == "running" and is_stale(g.worker, reclaim_all):
            if g.attempts >= max_attempts:
                reason = f"interrupted on each of its {g.attempts} attempts (last by {g.worker})"
                gave_up += reset_game(conn, g.id, "running", g.worker, give_up=reason)
            else:
                replayed += reset_game(conn, g.id, "running", g.worker)
        elif g.status == "failed" and g.attempts < max_attempts:
            retried += reset_game(conn, g.id, "failed", g.worker)
    return replayed, retried, gave_up


def build_agents(
    plan: Plan, game: GamePlan, roles: Sequence[str], session: LLMSession | None
) -> list[Agent]:
    """The agents of one game: the plan's rotation over the roles the env dealt."""
    agents = []
    for seat, (index, role) in enumerate(zip(lineup(plan, game, roles), roles, strict=True)):
        spec = plan.players[index]
        options = spec.llm_options(game.prompt_condition, game.framing)
        seed = derive_seed(game.seed, "seat", seat)
        agents.append(make_agent(spec.model, seed, team_of(role), session, **options))
    return agents


def llm_contestants(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    """(model, options) of every LLM contestant, as its first condition cell asks for it."""
    condition, framing = plan.conditions.cells()[0]
    return [(p.model, p.llm_options(condition, framing)) for p in plan.players if not p.scripted]


def session_for(plan: Plan) -> LLMSession | None:
    """The run's LLM session (requests in flight across models), or None for scripted plans."""
    contestants = llm_contestants(plan)
    if not contestants:
        return None
    limit = max(int(options.get("concurrency", 16)) for _, options in contestants)
    return LLMSession(limit)


@dataclass
class _Worker:
    """One process's part in a plan: claim, play, repeat (state shared by its loops)."""

    plan: Plan
    conn: Connection
    tournament_id: int
    summary: RunSummary
    session: LLMSession | None
    hooks: Hooks
    worker: str = field(default_factory=worker_id)
    stop: bool = False  # set when a model stops answering: no new games

    def usage(self, calls: int, prompt: int, completion: int, cost: float) -> None:
        """Count LLM usage of one turn (the budget reads `spent`)."""
        s = self.summary
        s.calls += calls
        s.prompt_tokens += prompt
        s.tokens += prompt + completion
        s.cost += cost
        s.spent += cost
        if self.hooks.on_usage is not None:
            self.hooks.on_usage(calls, prompt, completion, cost)

    async def loop(self) -> None:
        """Claim and play games until none is pending, the budget is spent or a model fails."""
        budget = self.plan.budget_usd
        while not self.stop:
            if budget is not None and self.summary.spent >= budget:
                self.summary.budget_stopped = True
                return
            claim = claim_next_game(self.conn, self.tournament_id, self.worker)
            if claim is None:
                return
            await self.play(claim)
            # Scripted games never yield to the loop: without this, Ctrl-C (a task
            # cancellation) would wait for the whole plan.
            await asyncio.sleep(0)

    async def play(self, claim: ClaimedGame) -> None:
        """Play one claimed game; a failure is recorded and the plan goes on."""
        game = plan_game(self.plan, claim.slot)
        recorder: list[GameRecorder] = []

        def seat_agents(roles: Sequence[str]) -> list[Agent]:
            return build_agents(self.plan, game, roles, self.session)

        def open_recorder(players: list[PlayerInfo]) -> GameRecorder:
            per_turn = self.plan.commit == "turn"
            rec = start_game(self.conn, claim.id, players, per_turn, self.worker)
            recorder.append(rec)
            return rec

        try:
            result = await play_game(
                self.plan.game, game.seed, seat_agents, open_recorder, self.usage
            )
        except asyncio.CancelledError:
            # Interrupted, not broken: give the game and its attempt back.
            self.conn.rollback()
            reset_game(self.conn, claim.id, "running", self.worker, give_back=True)
            raise
        except ProviderError as exc:
            # The model, not the game: back to pending, and nothing more is started.
            for status in ("failed", "running"):
                if reset_game(self.conn, claim.id, status, self.worker, give_back=True):
                    break
            self.summary.provider_error = str(exc)
            self.stop = True
            return
        except GameTakenOver as exc:
            # Reclaimed while this worker was still playing it: the replay is the other's.
            self.summary.notes.append(f"slot {claim.slot} (seed {claim.seed}): {exc}")
            return
        except Exception as exc:  # one broken game must not sink the plan
            fail_claimed_game(self.conn, claim.id, f"{type(exc).__name__}: {exc}", self.worker)
            self.summary.failed += 1
            self.summary.errors.append(f"slot {claim.slot} (seed {claim.seed}): {exc}")
            return
        self.summary.add(result)
        self.summary.text_repairs += recorder[0].text_repairs if recorder else 0
        if self.hooks.on_game is not None:
            self.hooks.on_game(result)


def _local_games_running(conn: Connection, tournament_id: int) -> bool:
    """Whether live workers on this host still play games of the plan."""
    host = socket.gethostname()
    return any(
        (g.worker or "").rpartition(":")[0] == host and not is_stale(g.worker)
        for g in games_in(conn, tournament_id, ("running",))
    )


def _count(summary: RunSummary, conn: Connection, tournament_id: int) -> None:
    counts = status_counts(conn, tournament_id)
    summary.finished = counts.get("finished", 0)
    summary.pending = counts.get("pending", 0)
    summary.running = counts.get("running", 0)
    summary.failed_total = counts.get("failed", 0)


def prepare(conn: Connection, plan: Plan, summary: RunSummary, reclaim: bool) -> int:
    """Create or find the plan's rows and give stale and retryable games back; its id."""
    game_config = plan.game.model_dump()
    rows = ({"slot": g.slot, "seed": g.seed, "config": game_config} for g in plan_games(plan))
    tid, summary.created = ensure_tournament(
        conn,
        plan.name,
        without_secrets(plan.model_dump(mode="json")),
        plan.fingerprint(),
        rows,
        provenance(),
    )
    summary.tournament_id = tid
    replayed, retried, gave_up = release_games(conn, tid, plan.max_attempts, reclaim)
    summary.replayed, summary.retried, summary.gave_up = replayed, retried, gave_up
    _count(summary, conn, tid)
    summary.finished_before = summary.finished
    summary.spent = tournament_cost(conn, tid)
    return tid


async def run(
    plan: Plan,
    db: str,
    *,
    reclaim: bool = False,
    hooks: Hooks | None = None,
) -> RunSummary:
    """Create or resume the plan in `db` and play its pending games; never raises on a game.

    Raises StoreError for a database that cannot be used. A model that cannot answer
    (preflight or mid-run) ends the run with `provider_error` set; Ctrl-C / SIGTERM end it
    with `interrupted` set, the games in flight given back.
    """
    hooks = hooks or Hooks()
    start = time.perf_counter()
    summary = RunSummary(plan.name, total=plan.games)
    session = session_for(plan)
    restore = _cancel_on_sigterm()
    engine = conn = None
    try:
        checked = []
        if session is not None:
            try:
                checked = await session.preflight(llm_contestants(plan))
            except ProviderError as exc:  # before the store is opened: nothing is written
                summary.provider_error = str(exc)
                return summary
        engine = open_engine(db, lambda old, new: setattr(summary, "migrated", (old, new)))
        conn = engine.connect()
        # The preflight's requests are real (and may be paid for): they are logged like all.
        rows = [{"seat": None, "turn": None, **c.model_dump()} for r in checked for c in r.calls]
        record_calls(conn, rows, "preflight")
        for row in rows:
            summary.calls += 1
            summary.prompt_tokens += row.get("prompt_tokens") or 0
            summary.tokens += (row.get("prompt_tokens") or 0) + (row.get("completion_tokens") or 0)
            summary.cost += row.get("cost") or 0.0
        tid = prepare(conn, plan, summary, reclaim)
        if hooks.on_start is not None:
            hooks.on_start(summary)
        worker = _Worker(plan, conn, tid, summary, session, hooks)
        # Scripted games never wait on I/O: one loop is fastest; LLM games overlap their calls.
        loops = 1 if session is None else plan.concurrency
        while True:
            await asyncio.gather(*(worker.loop() for _ in range(loops)))
            if worker.stop or summary.budget_stopped:
                break
            # Nothing left to claim. Games other local workers still play are waited for (so
            # every worker of a finished plan exits 0), and a game a local worker left behind
            # by dying is replayed here. Another machine's games are not waited for.
            replayed, _, gave_up = release_games(conn, tid, plan.max_attempts, retry_failed=False)
            summary.replayed += replayed
            summary.gave_up += gave_up
            if replayed:
                continue
            if not _local_games_running(conn, tid):
                break
            await asyncio.sleep(0.2)
        _count(summary, conn, tid)
    except asyncio.CancelledError:
        summary.interrupted = True
        if conn is not None:
            with contextlib.suppress(Exception):
                _count(summary, conn, summary.tournament_id)
    finally:
        restore()
        summary.elapsed = time.perf_counter() - start
        if session is not None:
            summary.modes = dict(session.modes)
            summary.stopped = dict(session.stopped)
        if conn is not None:
            conn.close()
        if engine is not None:
            engine.dispose()
        if session is not None:
            session.close()
    return summary


def _cancel_on_sigterm() -> Callable[[], None]:
    """SIGTERM cancels the run like Ctrl-C (games given back); returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    if task is None:
        return lambda: None
    try:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    except (NotImplementedError, RuntimeError):  # not on this platform / loop
        return lambda: None
    return lambda: loop.remove_signal_handler(signal.SIGTERM)


def run_sync(plan: Plan, db: str, **kwargs: Any) -> RunSummary:
    """`run` for code without an event loop; inside a running loop (Jupyter) it uses a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run(plan, db, **kwargs))
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["summary"] = asyncio.run(run(plan, db, **kwargs))
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="sdlab-run")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["summary"]


__all__ = [
    "DEGRADED_SHARE",
    "EXIT_BUDGET",
    "EXIT_INCOMPLETE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROVIDER",
    "EXIT_USAGE",
    "Hooks",
    "RunSummary",
    "StoreError",
    "build_agents",
    "is_stale",
    "prepare",
    "release_games",
    "run",
    "run_sync",
    "worker_id",
]

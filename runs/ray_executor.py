"""Past one machine: the orchestrator's one loop, run by N Ray actors on one PostgreSQL database.

`sdlab tournament CONFIG --executor ray [--address HOST:PORT]` comes here. Nothing about
playing changes: each actor calls `runs.orchestrator.run` for the plan, so every game is
claimed exactly once by the same row claims that several local processes share (`SELECT …
FOR UPDATE SKIP LOCKED`), played, and marked finished atomically with its last rows.

What Ray adds is a driver that knows its workers. Each actor tells the driver its worker id
(host:pid, the id it writes on the games it claims) before it plays. When an actor dies (its
process killed, its node lost), the driver gives that worker's `running` games back to
`pending` and starts a replacement while games are pending. `reset_game` only resets a game
still running under that exact id, so a replay another worker has already claimed (a live
actor on the same host sees the dead pid and replays it itself) is never touched: whoever
comes first replays it, once. Ray's own actor restarts and task retries are off, so nothing
re-runs behind the driver's back.

SQLite is refused: one file cannot be shared by machines, and its single writer would
serialise the workers anyway.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from runs.claims import games_in, reset_game, status_counts, tournament_cost
from runs.orchestrator import RunSummary, prepare, run_sync
from runs.plan import Plan
from runs.store import StoreError, db_url, display_url, open_engine

RAY_MISSING = "--executor ray needs Ray, which is not installed: pip install 'sdlab[ray]'"
WAIT_S = 1.0  # how often the driver looks at its actors (and reports progress)
KILL_WAIT_S = 30.0  # how long Ctrl-C waits for killed actors to be gone


class RayUnavailable(RuntimeError):
    """Ray is not installed (the message says how to install it)."""


class ClusterError(RuntimeError):
    """The Ray cluster cannot be reached (the message says which and why)."""


def import_ray() -> Any:
    """The ray module, or RayUnavailable naming the extra to install."""
    try:
        import ray
    except ImportError:
        raise RayUnavailable(RAY_MISSING) from None
    return ray


def check_database(db: str) -> None:
    """Refuse a database that machines cannot share (StoreError): Ray needs PostgreSQL."""
    try:
        backend = make_url(db_url(db)).get_backend_name()
    except (ArgumentError, ValueError):
        return  # not a URL at all: open_engine says so in its own words
    if backend != "postgresql":
        raise StoreError(
            f"--executor ray needs a PostgreSQL database that every node can reach, not "
            f"{backend} ({display_url(db)}); pass --db postgresql+psycopg://USER:PASS@HOST/DB"
        )


class _Worker:
    """A Ray actor's body: one orchestrator run for the plan (wrapped by `ray.remote`)."""

    def ident(self) -> str:
        """The worker id this process writes on the games it claims."""
        from runs.orchestrator import worker_id

        return worker_id()

    def play(self, plan: Plan, db: str) -> RunSummary:
        """Play the plan's pending games until none is left: the local executor's loop."""
        return run_sync(plan, db)


def release_worker(conn: Connection, tournament_id: int, worker: str, max_attempts: int) -> int:
    """A dead worker's running games back to pending (or failed past max_attempts); how many."""
    replayed = 0
    for g in games_in(conn, tournament_id, ("running",)):
        if g.worker != worker:
            continue
        if g.attempts >= max_attempts:
            reason = f"interrupted on each of its {g.attempts} attempts (last by {worker})"
            reset_game(conn, g.id, "running", worker, give_up=reason)
        else:
            replayed += reset_game(conn, g.id, "running", worker)
    return replayed


def merge(summary: RunSummary, part: RunSummary) -> None:
    """Add one actor's run to the driver's summary (counts of what it did, not of the plan)."""
    for name in (
        "played",
        "failed",
        "replayed",
        "retried",
        "gave_up",
        "turns",
        "events",
        "beliefs",
        "calls",
        "fallbacks",
        "prompt_tokens",
        "tokens",
        "cost",
        "text_repairs",
    ):
        setattr(summary, name, getattr(summary, name) + getattr(part, name))
    summary.wins.update(part.wins)
    summary.model_turns.update(part.model_turns)
    summary.model_fallbacks.update(part.model_fallbacks)
    summary.modes.update(part.modes)
    summary.stopped.update(part.stopped)
    summary.budget_stopped |= part.budget_stopped
    summary.interrupted |= part.interrupted
    summary.provider_error = summary.provider_error or part.provider_error
    summary.errors.extend(part.errors)
    summary.notes.extend(part.notes)


def _recount(summary: RunSummary, conn: Connection) -> None:
    counts = status_counts(conn, summary.tournament_id)
    summary.finished = counts.get("finished", 0)
    summary.pending = counts.get("pending", 0)
    summary.running = counts.get("running", 0)
    summary.failed_total = counts.get("failed", 0)


def default_workers(ray: Any, plan: Plan) -> int:
    """One actor per CPU of the cluster, never more than the plan has games."""
    cpus = int(ray.cluster_resources().get("CPU", 1))
    return max(1, min(cpus, plan.games))


def run_ray(
    plan: Plan,
    db: str,
    *,
    workers: int | None = None,
    address: str | None = None,
    reclaim: bool = False,
    max_replacements: int | None = None,
    on_progress: Callable[[RunSummary], None] | None = None,
) -> RunSummary:
    """Play the plan's pending games with `workers` Ray actors; one summary for them all.

    Connects to the cluster at `address` (or starts a local one) unless Ray is already
    initialised. Raises RayUnavailable without Ray, ClusterError for a cluster it cannot join,
    StoreError for a database the nodes cannot share. Ctrl-C kills the actors and gives their
    games back (`interrupted`). Dead actors are replaced at most `max_replacements` times
    (default: workers × the plan's max_attempts), so a crashing node cannot loop forever.
    """
    check_database(db)
    ray = import_ray()
    start = time.perf_counter()
    connect(ray, address)  # before the store: a wrong address writes nothing
    summary = RunSummary(plan.name, total=plan.games)
    engine = open_engine(db, lambda old, new: setattr(summary, "migrated", (old, new)))
    conn = engine.connect()
    try:
        # Rows, migration and --reclaim happen once, here: an actor that reclaimed every
        # running game would take back the games its sibling actors had just claimed.
        tid = prepare(conn, plan, summary, reclaim)
        n = workers or default_workers(ray, plan)
        spare = n * plan.max_attempts if max_replacements is None else max_replacements
        remote = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(_Worker)
        live: dict[Any, tuple[Any, Any]] = {}  # play ref → (actor, ident ref)

        def launch() -> None:
            actor = remote.remote()
            # Methods of one actor run in order: ident has answered before play starts.
            live[actor.play.remote(plan, db)] = (actor, actor.ident.remote())

        for _ in range(n):
            launch()
        try:
            while live:
                done, _ = ray.wait(list(live), num_returns=1, timeout=WAIT_S)
                for ref in done:
                    actor, ident = live.pop(ref)
                    try:
                        merge(summary, ray.get(ref))
                    except (ray.exceptions.RayActorError, ray.exceptions.RayTaskError) as exc:
                        # Died (killed, node lost) or its run raised (say, the database is
                        # unreachable from its node): either way its run is over.
                        why = _first_line(exc)
                        summary.notes.append(f"a Ray worker stopped, games given back: {why}")
                        ray.kill(actor)  # a run that raised leaves its actor alive
                        summary.replayed += _release_dead(ray, conn, tid, ident, plan)
                        if status_counts(conn, tid).get("pending", 0) and spare > 0:
                            spare -= 1
                            launch()
                    ray.kill(actor)  # its CPU goes back to the cluster
                if on_progress is not None:
                    _recount(summary, conn)
                    on_progress(summary)
        except KeyboardInterrupt:
            summary.interrupted = True
            for actor, _ in live.values():
                ray.kill(actor)
            # ray.kill only asks: an actor still alive would go on writing (and claiming) after
            # its games were given back. Its play ref fails once the process is gone.
            ray.wait(list(live), num_returns=len(live), timeout=KILL_WAIT_S)
            for _, ident in live.values():
                _release_dead(ray, conn, tid, ident, plan, give_back=True)
        _recount(summary, conn)
        if summary.interrupted:
            # Killed actors return no summary: what they finished is read from the store.
            summary.played = max(summary.played, summary.finished - summary.finished_before)
        summary.spent = tournament_cost(conn, tid)
    finally:
        summary.elapsed = time.perf_counter() - start
        conn.close()
        engine.dispose()
    return summary


def connect(ray: Any, address: str | None) -> None:
    """Join the cluster at `address` (None: RAY_ADDRESS or a new local one), unless joined."""
    if ray.is_initialized():
        return
    try:
        ray.init(address=address, logging_level="ERROR", log_to_driver=False)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        # Ray 2.59+ may require token auth: a driver without the token gets refused.
        raise ClusterError(
            f"cannot reach the Ray cluster at {address or 'RAY_ADDRESS'}: {_first_line(exc)} "
            "(use the address `ray start --head` printed; a cluster with token authentication "
            "also needs RAY_AUTH_MODE=token and its token here)"
        ) from None


def _release_dead(
    ray: Any, conn: Connection, tid: int, ident: Any, plan: Plan, give_back: bool = False
) -> int:
    """Give back the running games of an actor that is gone; how many were replayed."""
    try:
        worker = ray.get(ident, timeout=5)
    except Exception:  # it died before saying who it was: it had claimed nothing
        return 0
    _wait_gone(worker)
    if give_back:  # interrupted by us, not the game's fault: its attempt is returned too
        games = games_in(conn, tid, ("running",))
        return sum(
            reset_game(conn, g.id, "running", worker, give_back=True)
            for g in games
            if g.worker == worker
        )
    return release_worker(conn, tid, worker, plan.max_attempts)


def _wait_gone(worker: str, timeout: float = KILL_WAIT_S) -> None:
    """On this host, wait until a killed worker's process has exited: Ray reports first."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return  # another node's process: Ray's word that it is dead is all there is
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return
        except PermissionError:
            return  # the pid now belongs to another user's process: ours is gone
        time.sleep(0.05)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = [
    "RAY_MISSING",
    "ClusterError",
    "RayUnavailable",
    "check_database",
    "connect",
    "default_workers",
    "import_ray",
    "merge",
    "release_worker",
    "run_ray",
]

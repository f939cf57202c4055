"""Engine benchmark: 7-player scripted games per second, bare vs logged through the real path.

Run by hand: `python bench/bench_engine.py [--games 1000] [--dir DIR] [--processes 2]`. Prints
games/s (wall and CPU), the logging cost ratio, the logged run's off-CPU time, the same plan
played by several processes on one file, and peak memory. Targets
(issue 14): >= 200 games/s with the default logging (one transaction per decision group), at
most 2x the bare engine.

"bare" plays the same games (same seeds, same agents) through `runs.runner.play_game` with no
store; "logged" runs a plan through `runs.orchestrator.run`, the path every command takes
(claims, players, every event, decision, belief, and the commits). CPU time is printed beside
wall time because on a shared 2-core machine wall time includes other processes' load; the
load average before and after is printed too, since the ratios move with it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
import tracemalloc

from agents.registry import make_agent
from games.werewolf import WerewolfConfig
from runs.orchestrator import run
from runs.plan import plan_from_flags, plan_games
from runs.runner import play_game
from runs.seeds import derive_seed
from vocab import team_of


def plan(games: int, commit: str = "turn"):
    """The benchmark's plan: scripted agents, the default 7-player table."""
    p = plan_from_flags(players=["scripted"], games=games, game=WerewolfConfig(), seed=123)
    return p.model_copy(update={"commit": commit})


async def bare(games: int) -> int:
    """The same games with no store; returns the number of decisions played."""
    turns = 0
    for g in plan_games(plan(games)):

        def seat(roles, seed=g.seed):
            return [make_agent("scripted", derive_seed(seed, "seat", s), team_of(r))
                    for s, r in enumerate(roles)]  # fmt: skip

        result = await play_game(WerewolfConfig(), g.seed, seat)
        turns += result.n_turns
    return turns


def timed(coro_factory):
    """(wall s, CPU s, result) of one asyncio run."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = asyncio.run(coro_factory())
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _worker(games: int, db: str, ready, go, results) -> None:
    """One of several processes playing the same plan on one database file."""
    ready.put(os.getpid())  # imports done
    go.wait()
    summary = asyncio.run(run(plan(games), db))
    results.put(summary.played)


def processes(games: int, db: str, n: int) -> float:
    """Wall seconds for `n` processes to play a plan of `games` on one SQLite file.

    What `sdlab tournament` started N times on one file does: each claims games until none is
    left. The clock starts once every process has imported everything and the schema exists.
    """
    from worker_processes import run_in_processes

    from runs.store import open_engine

    open_engine(db).dispose()
    played, wall = run_in_processes(_worker, (games, db), n)
    assert sum(played) == games, played
    return wall


def main() -> None:
    """Run the three configurations and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument(
        "--dir", default=None, help="where the databases go (default: the system temp directory)"
    )
    parser.add_argument(
        "--processes", type=int, default=2, help="worker processes sharing one file (last row)"
    )
    args = parser.parse_args()
    n = args.games
    load_before = os.getloadavg()
    timed(lambda: bare(50))  # warm-up: imports, caches
    rows = []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        wall, cpu, _ = timed(lambda: bare(n))
        rows.append(("bare engine (no storage)", wall, cpu, None))
        for commit in ("turn", "game"):
            db = os.path.join(tmp, f"{commit}.db")
            wall, cpu, summary = timed(lambda db=db, commit=commit: run(plan(n, commit), db))
            assert summary.finished == n, summary
            rows.append((f"SQLite, commit per {commit}", wall, cpu, summary))
        shared = processes(n, os.path.join(tmp, "shared.db"), args.processes)
        tracemalloc.start()
        timed(lambda: run(plan(200), os.path.join(tmp, "mem.db")))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    bare_cpu, bare_wall = rows[0][2], rows[0][1]
    load_after = os.getloadavg()
    print(f"{n} games of 7 players (scripted agents), one process")
    print(f"load average (1, 5, 15 min): {_load(load_before)} before, {_load(load_after)} after")
    print(f"{'configuration':26} {'games/s wall':>13} {'games/s CPU':>12} {'x bare CPU':>11}"
          f" {'x bare wall':>12}")  # fmt: skip
    for label, wall, cpu, _ in rows:
        print(f"{label:26} {n / wall:13.1f} {n / cpu:12.1f} {cpu / bare_cpu:11.2f}"
              f" {wall / bare_wall:12.2f}")  # fmt: skip
    print(
        f"{args.processes} processes, one file, commit per turn: {n / shared:.1f} games/s wall"
        f" ({rows[1][1] / shared:.2f}x the one-process run; writers queue on <db>-lock)"
    )
    s = rows[1][3]
    # Time a logged run spends off the CPU is the file system making writes wait (ext4 here:
    # ~0.4 ms a game inside pwrite64/fcntl, none on tmpfs), not work of this process.
    print(f"off-CPU time of the per-turn run: {(rows[1][1] - rows[1][2]) / n * 1000:.2f} ms a game"
          f" ({args.dir or tempfile.gettempdir()})")  # fmt: skip
    print(
        f"per game: {s.turns / n:.1f} turns, {s.events / n:.1f} events, {s.beliefs / n:.1f} beliefs"
    )
    print(f"peak traced Python memory (200 logged games): {peak / 2**20:.1f} MiB")
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the process: {rss_mib:.0f} MiB")


def _load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


if __name__ == "__main__":
    main()

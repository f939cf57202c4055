"""Engine benchmark: 7-player scripted games per second, bare vs with SQLite logging.

Run by hand: `python bench/bench_engine.py [--games 1000]`. Prints games/s (wall and CPU),
the logging cost ratio, and peak memory. Targets (issue 2): >= 200 games/s with full logging on
one core, logging costing at most 2x the bare engine. CPU time is printed beside wall time
because on a shared 2-core machine wall time includes other processes' load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
import tracemalloc

from runs.batch import run_games


def measure(db: str | None, games: int, per_turn: bool = True) -> tuple[float, float, object]:
    """Wall and CPU seconds for one batch."""
    wall, cpu = time.perf_counter(), time.process_time()
    summary = asyncio.run(run_games(db, games, seed=123, per_turn=per_turn))
    return time.perf_counter() - wall, time.process_time() - cpu, summary


def main() -> None:
    """Run the three configurations and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=1000)
    args = parser.parse_args()
    n = args.games
    measure(None, 50)  # warm-up: imports, caches
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, db, per_turn in (
            ("bare engine (no storage)", None, True),
            ("SQLite, commit per turn", os.path.join(tmp, "turn.db"), True),
            ("SQLite, commit per game", os.path.join(tmp, "game.db"), False),
        ):
            wall, cpu, summary = measure(db, n, per_turn)
            rows.append((label, wall, cpu, summary))
        tracemalloc.start()
        measure(os.path.join(tmp, "mem.db"), 200)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    bare_cpu = rows[0][2]
    print(f"{n} games of 7 players (scripted agents), one process")
    print(f"{'configuration':28} {'games/s wall':>13} {'games/s CPU':>12} {'x bare (CPU)':>13}")
    for label, wall, cpu, _ in rows:
        print(f"{label:28} {n / wall:13.1f} {n / cpu:12.1f} {cpu / bare_cpu:13.2f}")
    s = rows[1][3]
    print(
        f"per game: {s.turns / n:.1f} turns, {s.events / n:.1f} events, {s.beliefs / n:.1f} beliefs"
    )
    print(f"peak traced Python memory (200 logged games): {peak / 2**20:.1f} MiB")
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the process: {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()

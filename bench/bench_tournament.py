"""What a kill -9 and a resume cost a plan: replayed games, and wall time against no kill.

    python bench/bench_tournament.py [--games 1000]

Runs a scripted plan as a real `sdlab tournament` process to the end; then runs it again into a
fresh database, kills it with SIGKILL halfway, and runs the same command again. Prints the games
finished when it was killed, the games replayed (a game claimed more than once), and the wall
time of killed + resumed against the uninterrupted run. (Throughput of the one run path against
the bare engine is bench/bench_engine.py.)
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SDLAB = Path(sys.executable).with_name("sdlab")


def plan(games: int) -> dict:
    """The benchmark plan: scripted vs random, 7 seats, per-turn commits."""
    return {"name": "bench", "players": ["scripted", "random"], "games": games, "seed": 1}


def sdlab(cfg: Path, db: str) -> subprocess.Popen:
    """`sdlab tournament` as its own process."""
    return subprocess.Popen(
        [str(SDLAB), "tournament", str(cfg), "--db", db],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def count(db: str, where: str) -> int:
    """Games matching `where`, as another process sees them."""
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(f"SELECT count(*) FROM game WHERE {where}").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def main() -> None:
    """Run the uninterrupted and the killed + resumed plan; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=1000)
    args = parser.parse_args()
    n = args.games
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cfg = tmp / "bench.yaml"
        cfg.write_text(yaml.safe_dump(plan(n)))
        t0 = time.perf_counter()
        assert sdlab(cfg, str(tmp / "once.db")).wait() == 0
        once = time.perf_counter() - t0

        db = str(tmp / "killed.db")
        t0 = time.perf_counter()
        proc = sdlab(cfg, db)
        while count(db, "status = 'finished'") < n // 2:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed_at = count(db, "status = 'finished'")
        left_running = count(db, "status = 'running'")
        code = sdlab(cfg, db).wait()
        total = time.perf_counter() - t0
        assert code == 0 and count(db, "status = 'finished'") == n
        replayed = count(db, "attempts > 1")
    print(f"{n} scripted games, 7 seats, per-turn commits, one `sdlab tournament` process")
    print(f"uninterrupted:           {once:7.2f} s  ({n / once:.0f} games/s with start-up)")
    print(f"killed at {killed_at} finished, {left_running} left running; resumed to {n}")
    print(f"killed + resumed:        {total:7.2f} s  (overhead {total - once:+.2f} s)")
    print(f"games replayed:          {replayed:7d}")


if __name__ == "__main__":
    main()

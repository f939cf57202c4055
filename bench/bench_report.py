"""Benchmark: `sdlab ratings` on a 2,001-game tournament and `sdlab report` on 10k games.

    python bench/bench_report.py                               # make both databases, measure
    python bench/bench_report.py --ratings-db t.db --report-db r.db   # measure existing ones

Targets (the issue): ratings on 2,000 games in under 2 s (vectorised; the per-game pandas loop
took 13-19 s), a 10k-game report (200 game pages) in under 60 s. Prints each stage's seconds,
the page sizes and the ratings table's widest line at 80 columns.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, sys.path[0] is bench/: put the repository first.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RATINGS_TARGET_S = 2.0
REPORT_TARGET_S = 60.0


def tournament_db(path: Path, games: int) -> str:
    """A scripted three-player tournament (honest, deceptive, random), one commit per game."""
    import yaml

    from runs.orchestrator import run
    from runs.plan import load_plan

    config = path.parent / "t.yaml"
    config.write_text(
        yaml.safe_dump(
            {"name": "bench", "players": ["honest", "deceptive", "random"], "games": games,
             "seed": 0, "concurrency": 1, "commit": "game"}
        )
    )  # fmt: skip
    asyncio.run(run(load_plan(config), str(path)))
    return str(path)


def run_db(path: Path, games: int) -> str:
    """`sdlab run --games N` (the scripted default), one commit per game."""
    from runs.batch import run_games

    asyncio.run(run_games(str(path), games, seed=0, per_turn=False, name="bench"))
    return str(path)


def measure_ratings(db: str) -> None:
    """ratings_report in this process (best of 3), then `sdlab ratings` as a user runs it."""
    from rich.console import Console

    from analysis.ratings import ratings_report
    from app.views import print_ratings

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        report = ratings_report(db)
        best = min(best, time.perf_counter() - start)
    console = Console(width=80, record=True, color_system=None, file=open(os.devnull, "w"))  # noqa: SIM115
    print_ratings(report, console)
    widest = max(len(line) for line in console.export_text().splitlines())
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", "ratings", "--db", db], env=env,
                   capture_output=True, check=True)  # fmt: skip
    wall = time.perf_counter() - start
    mark = "ok" if best < RATINGS_TARGET_S else "MISSED"
    print(f"ratings on {report.games:,} games: {best:.2f} s in process (best of 3; target "
          f"< {RATINGS_TARGET_S:.0f} s: {mark}); `sdlab ratings` wall {wall:.2f} s with "
          f"imports; widest line at 80 columns: {widest}")  # fmt: skip


def measure_report(db: str, out: Path) -> None:
    """build_report with the CLI's defaults (200 game pages), stage by stage, and page sizes."""
    from app.report.build import build_report

    start = time.perf_counter()
    result = build_report(db, out)
    seconds = time.perf_counter() - start
    mark = "ok" if seconds < REPORT_TARGET_S else "MISSED"
    print(f"report on {result.games:,} games: {seconds:.1f} s (target < {REPORT_TARGET_S:.0f} s:"
          f" {mark}); {len(result.game_pages)} game pages")  # fmt: skip
    for stage, took in result.timings.items():
        print(f"  {stage:<34} {took:6.2f} s")
    for what, size in result.sizes().items():
        print(f"  {what:<34} {size / 1024:8.1f} KiB")
    for title, why in result.skipped:
        print(f"  skipped {title}: {why}")


def main() -> None:
    """Make (or take) the databases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings-db")
    parser.add_argument("--report-db")
    parser.add_argument("--ratings-games", type=int, default=2001)
    parser.add_argument("--report-games", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ratings_db = args.ratings_db or tournament_db(work / "t.db", args.ratings_games)
        report_db = args.report_db or run_db(work / "r.db", args.report_games)
        measure_ratings(ratings_db)
        measure_report(report_db, work / "site")


if __name__ == "__main__":
    main()

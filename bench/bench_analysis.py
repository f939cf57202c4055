"""Benchmark: analysis and ratings at 10k and 100k games (targets: < 2 GB peak memory each).

    python bench/bench_analysis.py                       # 10k and 100k games in a temp dir
    python bench/bench_analysis.py --sizes 10000         # 10k only
    python bench/bench_analysis.py --workdir /tmp/ab     # keep (and reuse) the databases
    python bench/bench_analysis.py --db lab.db           # measure one existing database

How the data are made: `--played` scripted 7-player games (default 10k) are played with
`runs.batch.run_games`; a larger size is that database copied whole in SQL (`INSERT ... SELECT`
with game ids and slots shifted, every store table), so 100k games are 10 copies of 10k played
games. Analysis reads per game, so copies cost what fresh games would; playing 100k games
instead takes ~10 min of CPU here.

Each step runs in a fresh child process, which reports its own wall time, CPU time and peak
RSS (`ru_maxrss` of the child, interpreter and imports included), so one step's peak never
hides another's. Steps: `analysis` is `analysis_report` as `sdlab analyse` calls it (read,
extract, label, write the claim table, rates with bootstrap intervals); `ratings` is
`ratings_report` (OpenSkill, win rates, fallback shares); `export` is what `sdlab analyse --csv`
adds (every frame of `analysis.load`, written a part of the games at a time).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, sys.path[0] is bench/; put the repository first so `import analysis` finds
# the package itself (an editable install made before analysis/__init__.py existed would
# otherwise hand back an empty namespace package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MEMORY_TARGET_MB = 2048.0
STEPS = ("analysis", "ratings", "export")
# Store tables keyed by game (the key column to shift when copying games).
_GAME_TABLES = {
    "game": "id", "player": "game_id", "event": "game_id", "turn": "game_id",
    "belief": "game_id", "llmcall": "game_id",
}  # fmt: skip


def generate(db: str, games: int, seed: int) -> tuple[float, float]:
    """Play `games` scripted games into `db`; wall and CPU seconds."""
    from runs.batch import run_games

    start, cpu = time.perf_counter(), time.process_time()
    summary = asyncio.run(run_games(db, games, seed=seed, per_turn=False, name="bench"))
    if summary.failed:
        raise SystemExit(f"{summary.failed} games failed: {summary.errors[:3]}")
    return time.perf_counter() - start, time.process_time() - cpu


def replicate(src: str, dst: str, copies: int) -> float:
    """Write `copies` copies of every game of `src` into `dst` with SQL; wall seconds."""
    start = time.perf_counter()
    Path(dst).write_bytes(Path(src).read_bytes())
    conn = sqlite3.connect(dst)
    # A scratch file rebuilt on failure: no journal needed.
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    span = conn.execute("SELECT max(id) FROM game").fetchone()[0]
    slots = conn.execute("SELECT max(slot) + 1 FROM game").fetchone()[0]
    for k in range(1, copies):
        for table, key in _GAME_TABLES.items():
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            shifted = {key: f"{key} + {k * span}"}
            if table == "game":
                shifted["slot"] = f"slot + {k * slots}"  # unique within a tournament
            if table == "llmcall":
                shifted["id"] = "NULL"  # its own autoincrement key, not the game's
            exprs = [shifted.get(c, c) for c in cols]
            conn.execute(
                f'INSERT INTO "{table}" ({", ".join(cols)}) '
                f'SELECT {", ".join(exprs)} FROM "{table}" WHERE {key} <= {span}'
            )
        conn.commit()
    conn.close()
    return time.perf_counter() - start


def step(name: str, db: str) -> dict[str, float]:
    """Run one measured step in this (fresh) process; its figures as a dict."""
    import analysis

    out: dict[str, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    if name == "analysis":
        marks: dict[str, float] = {}
        # `timings` is newer than the chunked report: older code is measured without stages.
        timed = "timings" in inspect.signature(analysis.analysis_report).parameters
        report = analysis.analysis_report(db, **({"timings": marks} if timed else {}))
        out.update({f"{k}_s": v for k, v in marks.items()})
        out["claims"] = len(report.claims)
        out["games"] = int(report.claims["game_id"].nunique())
        wolves = report.by_team.set_index("team").loc["werewolves"]
        out["wolf_rate"] = float(wolves["lies_per_100"])
        out["wolf_low"], out["wolf_high"] = float(wolves["ci_low"]), float(wolves["ci_high"])
        out["claims_mb"] = report.claims.memory_usage(deep=True).sum() / 2**20
    elif name == "ratings":
        ratings = analysis.ratings_report(db)
        out["games"] = ratings.games
        out["contestants"] = len(ratings.models)
    elif name == "export":
        from analysis.report import export_frames

        with tempfile.TemporaryDirectory() as tmp:
            paths = export_frames(db, {}, Path(tmp), "csv")
            out["export_mb"] = sum(p.stat().st_size for p in paths) / 2**20
    else:
        raise SystemExit(f"unknown step {name!r}")
    out["wall_s"] = time.perf_counter() - start
    out["cpu_s"] = time.process_time() - cpu
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_step(name: str, db: str) -> dict[str, float]:
    """`step` in a fresh child process (its peak RSS is its own)."""
    child = subprocess.run(
        [sys.executable, __file__, "--step", name, "--db", db], capture_output=True, text=True
    )
    if child.returncode != 0:
        raise SystemExit(child.stderr)
    return json.loads(child.stdout.strip().splitlines()[-1])


def databases(args: argparse.Namespace, workdir: Path) -> list[tuple[int, str]]:
    """(games, path) per size, playing and replicating what is not already in `workdir`."""
    if args.db:
        with sqlite3.connect(args.db) as conn:
            n = conn.execute("SELECT count(*) FROM game WHERE status = 'finished'").fetchone()[0]
        return [(n, args.db)]
    played = workdir / f"played_{args.played}.db"
    if not played.exists():
        wall, cpu = generate(str(played), args.played, args.seed)
        print(f"played {args.played} scripted games in {wall:.0f} s ({cpu:.0f} s CPU)")
    out = []
    for size in args.sizes:
        if size % args.played:
            raise SystemExit(f"size {size} is not a multiple of --played {args.played}")
        path = workdir / f"games_{size}.db" if size != args.played else played
        if not path.exists():
            took = replicate(str(played), str(path), size // args.played)
            print(f"copied {args.played} played games to {size} in SQL in {took:.0f} s")
        out.append((size, str(path)))
    return out


def main() -> None:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="measure this existing database only")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--played", type=int, default=10_000, help="games actually played")
    ap.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    ap.add_argument("--workdir", help="keep databases here (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--step", help=argparse.SUPPRESS)  # child mode: print JSON figures
    args = ap.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.db)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"{'games':>7} {'step':<9} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}  notes")
        for games, db in databases(args, workdir):
            for name in args.steps:
                f = run_step(name, db)
                # On a shared machine wall time includes waiting for a core; CPU time does not.
                load = f"load avg {os.getloadavg()[0]:.1f}/{os.cpu_count()} cores"
                notes = [load]
                if name == "analysis":
                    stages = ", ".join(
                        f"{k} {f[f'{k}_s']:.0f}"
                        for k in ("read", "extract", "label", "write", "rates")
                        if f"{k}_s" in f
                    )
                    notes = [
                        f"{f['claims']:.0f} claims ({f['claims_mb']:.0f} MB)",
                        f"s: {stages}",
                        f"wolves {f['wolf_rate']:.1f}/100 [{f['wolf_low']:.1f}, "
                        f"{f['wolf_high']:.1f}]",
                        load,
                    ]
                elif name == "export":
                    notes = [f"every frame as CSV, {f['export_mb']:.0f} MB written", load]
                elif name == "ratings":
                    notes = [f"{f['games']:.0f} games, {f['contestants']:.0f} contestants", load]
                over = " OVER" if f["peak_rss_mb"] > MEMORY_TARGET_MB else ""
                print(
                    f"{games:>7} {name:<9} {f['wall_s']:7.1f} {f['cpu_s']:7.1f} "
                    f"{f['peak_rss_mb']:8.0f}{over}  {'; '.join(notes)}",
                    flush=True,
                )
        target = f"target < {MEMORY_TARGET_MB:.0f}"
        print(f"peak MB: the step's own process, interpreter and imports included; {target}")


if __name__ == "__main__":
    main()

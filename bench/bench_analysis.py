"""Benchmark: load and label 10k scripted games (targets: < 30 s and < 2 GB peak memory).

    python bench/bench_analysis.py                 # generate 10k games in a temp DB, then measure
    python bench/bench_analysis.py --db lab.db     # measure an existing database
    python bench/bench_analysis.py --games 2000

The measurement runs in a fresh child process so its peak RSS counts analysis only, not
game generation. It prints each stage's seconds, rows, peak memory, and checks that the
labels equal the scripted agents' own record of their lies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, sys.path[0] is bench/; put the repository first so `import analysis` finds
# the package itself (an editable install made before analysis/__init__.py existed would
# otherwise hand back an empty namespace package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TIME_TARGET_S = 30.0
MEMORY_TARGET_MB = 2048.0


def generate(db: str, games: int, seed: int) -> float:
    """Play `games` scripted games into `db` (one commit per game: generation is not measured)."""
    from runs.batch import run_games

    start = time.perf_counter()
    summary = asyncio.run(run_games(db, games, seed=seed, per_turn=False, name="bench"))
    if summary.failed:
        raise SystemExit(f"{summary.failed} games failed: {summary.errors[:3]}")
    return time.perf_counter() - start


def measure(db: str) -> dict[str, float]:
    """Load every frame, then extract + label + write back every claim; report figures."""
    import analysis
    from analysis.validate import recovery, stated_claims

    out: dict[str, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    frames = analysis.load(db)
    out["load_s"] = time.perf_counter() - start
    out["load_cpu_s"] = time.process_time() - cpu
    out["events"] = len(frames.events)
    out["turns"] = len(frames.turns)
    out["beliefs"] = len(frames.beliefs)
    out["games"] = len(frames.games)
    out["frames_mb"] = (
        sum(getattr(frames, f).memory_usage(deep=True).sum() for f in frames.__dataclass_fields__)
        / 2**20
    )
    del frames
    stages: dict[str, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    claims = analysis.label_claims(db, timings=stages)
    out["label_s"] = time.perf_counter() - start
    out["label_cpu_s"] = time.process_time() - cpu
    out.update({f"label.{k}_s": v for k, v in stages.items()})
    out["claims"] = len(claims)
    out["lies"] = int((claims["label"] == "lie").sum())
    start = time.perf_counter()
    rates = analysis.lie_rates(claims, by=["model", "role", "prompt_condition", "framing"])
    out["rates_s"] = time.perf_counter() - start
    out["rate_rows"] = len(rates)
    out["resamples"] = rates.attrs["interval"]["resamples"]
    start = time.perf_counter()
    by_team = analysis.lie_rates(claims, by=["team"])
    out["team_rates_s"] = time.perf_counter() - start
    wolves = by_team.set_index("team").loc["werewolves"]
    out["wolf_rate"], out["wolf_low"], out["wolf_high"] = (
        wolves["lies_per_100"], wolves["ci_low"], wolves["ci_high"])  # fmt: skip
    start = time.perf_counter()
    with analysis.open_db(db).connect() as conn:
        seats = analysis.read_seat_turns(conn)
    analysis.degraded_games(seats)
    out["fallback_s"] = time.perf_counter() - start
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    out["exact_recovery"] = float(recovery(claims, stated_claims(db)).exact)
    out["check_s"] = time.perf_counter() - start
    return out


def main() -> None:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="existing database to measure (default: generate one)")
    ap.add_argument("--games", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--measure", help=argparse.SUPPRESS)  # child mode: print JSON figures
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = str(Path(tmp) / "bench.db")
            took = generate(db, args.games, args.seed)
            print(f"generated {args.games} scripted games in {took:.1f} s -> {db}")
        child = subprocess.run(
            [sys.executable, __file__, "--measure", db], capture_output=True, text=True
        )
        if child.returncode != 0:
            raise SystemExit(child.stderr)
        f = json.loads(child.stdout.strip().splitlines()[-1])
        size = Path(db).stat().st_size / 2**20 if Path(db).exists() else float("nan")
    total = f["load_s"] + f["label_s"]
    cpu = f["load_cpu_s"] + f["label_cpu_s"]
    print(f"database: {f['games']:.0f} games, {f['events']:.0f} events, {f['turns']:.0f} turns, "
          f"{f['beliefs']:.0f} beliefs, {size:.0f} MB")  # fmt: skip
    print(f"load (all frames)       {f['load_s']:6.2f} s   "
          f"frames in memory {f['frames_mb']:.0f} MB")  # fmt: skip
    print(f"label_claims            {f['label_s']:6.2f} s   ({f['claims']:.0f} claims, "
          f"{f['lies']:.0f} lies)")  # fmt: skip
    for key in ("read", "extract", "label", "write"):
        print(f"  {key:<21} {f[f'label.{key}_s']:6.2f} s")
    print(f"lie_rates (4 groupings) {f['rates_s']:6.2f} s   ({f['rate_rows']:.0f} rows, "
          f"cluster bootstrap over games, {f['resamples']:.0f} resamples)")  # fmt: skip
    ci = f"{f['wolf_low']:.1f}-{f['wolf_high']:.1f}"
    print(f"lie_rates (by team)     {f['team_rates_s']:6.2f} s   werewolves "
          f"{f['wolf_rate']:.1f} lies/100, 95% CI {ci}")  # fmt: skip
    print(f"fallback shares         {f['fallback_s']:6.2f} s   (per game x model, degraded games)")
    print(f"load + label            {total:6.2f} s   target < {TIME_TARGET_S:.0f} s "
          f"({total / TIME_TARGET_S:.2f} of budget)")  # fmt: skip
    # On a shared machine wall time includes waiting for a core; CPU time does not.
    print(f"  of which CPU time      {cpu:6.2f} s   ({cpu / TIME_TARGET_S:.2f} of budget; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    print(f"peak memory (RSS)       {f['peak_rss_mb']:6.0f} MB  target < {MEMORY_TARGET_MB:.0f} MB "
          f"({f['peak_rss_mb'] / MEMORY_TARGET_MB:.2f} of budget)")  # fmt: skip
    print(f"exact recovery of scripted lies: {bool(f['exact_recovery'])} "
          f"(checked in {f['check_s']:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    main()

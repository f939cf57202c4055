"""Monitors against ground truth: the figures the README quotes, and what they cost.

    python bench/bench_monitors.py                       # 200 scripted games (made here)
    python bench/bench_monitors.py --db smol.db --probe  # a database of local-model games

Prints, per target, each monitor's AUROC with its game-resampling interval, recall at 1 % and
5 % FPR and the paired gain over the length baseline; then what the same text monitor scores
against a labeller that reads the text only (the best template-level guess, fitted in sample),
the way peers score monitors against an LLM judge's labels; and the seconds each step took.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from analysis.monitors import (
    LengthMonitor,
    RandomMonitor,
    TextMonitor,
    evaluate,
    monitor_frame,
)


def show(report, title: str) -> None:
    """The overall table, compactly."""
    cols = ["monitor", "target", "utterances", "positives", "auroc", "auroc_low", "auroc_high"]
    cols += ["recall_at_1", "recall_at_5", "minus_length", "minus_length_low", "minus_length_high"]
    frame = report.overall[[c for c in cols if c in report.overall]]
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.precision", 3):
        print(f"\n{title}\n{frame.to_string(index=False)}")
    for note in report.notes:
        print("  not scored:", note)


def judge_like_labels(u: pd.DataFrame) -> pd.Series:
    """A labeller that reads the text only: 'lie' where most utterances of the template lie."""
    template = [re.sub(r"player_\d+", "P", t) for t in u["text"]]
    return u.groupby(template)["lie"].transform("mean") >= 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing games database (default: make scripted games)")
    parser.add_argument("--games", type=int, default=200, help="scripted games to make")
    parser.add_argument("--probe", action="store_true", help="add the probe (local models)")
    parser.add_argument("--include-degraded", action="store_true")
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    tmp = None
    db = args.db
    if db is None:
        from runs.batch import run_games

        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "lab.db")
        clock = time.perf_counter()
        asyncio.run(run_games(db, args.games, seed=1, per_turn=False))
        print(f"{args.games} scripted games made in {time.perf_counter() - clock:.1f} s")
    clock, cpu = time.perf_counter(), time.process_time()
    found = monitor_frame(db, include_degraded=args.include_degraded, prompts=args.probe)
    u = found.frame
    read = time.perf_counter() - clock
    counted = " (counted)" if args.include_degraded else ""
    print(
        f"{len(u)} utterances from {u['game_id'].nunique()} games read and labelled in "
        f"{read:.1f} s, {time.process_time() - cpu:.1f} s CPU; left out: {found.fallback} "
        f"fallback utterances, {found.degraded_utterances} of degraded games{counted}; "
        f"lies in {int(u['lie'].sum())}, werewolf speakers in {int(u['werewolf'].sum())}"
    )
    monitors = [LengthMonitor(), RandomMonitor(), TextMonitor()]
    probe = None
    if args.probe:
        from analysis.probe import ProbeMonitor

        local = sorted({m for m in u["model"].astype(str) if m.startswith("local/")})
        probe = ProbeMonitor(local[0]) if local else None
        monitors += [probe] if probe is not None else []
    clock, cpu = time.perf_counter(), time.process_time()
    report = evaluate(u, monitors, resamples=args.resamples, by=[])
    print(
        f"scored and bootstrapped in {time.perf_counter() - clock:.1f} s "
        f"({time.process_time() - cpu:.1f} s of CPU in this process)"
    )
    if probe is not None:
        s = probe.stats
        print(
            f"probe: {s.utterances} utterances read ({s.cached} from the cache), {s.tokens} "
            f"tokens run in {s.seconds:.1f} s, {s.unreadable} unreadable, {s.plain} as plain "
            f"text, {s.truncated} truncated"
        )
    show(report, "against ground truth")
    # The same text monitor scored against labels a text-only labeller would give.
    labelled = u.assign(judge_lie=judge_like_labels(u))
    if 0 < labelled["judge_lie"].sum() < len(labelled):
        text = [m for m in monitors if m.name == "text"]
        judged = evaluate(labelled, text, ["judge_lie"], resamples=args.resamples, by=[])
        show(judged, "text monitor against a text-only labeller's 'lie' labels")
        agree = float(np.mean(labelled["judge_lie"] == labelled["lie"]))
        print(f"the labeller agrees with ground truth on {agree:.1%} of utterances")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()

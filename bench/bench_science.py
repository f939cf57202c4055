"""Benchmark: leakage, the framing contrast and persuasion on 10k scripted games (< 60 s in all).

    python bench/bench_science.py                  # generate 10k games of examples/oversight.yaml
    python bench/bench_science.py --db oversight.db
    python bench/bench_science.py --games 2000

The games are examples/oversight.yaml's design (oversight + scripted, paired framings, bidding)
with `games` replaced. The measurement runs in a fresh child process (cold imports, peak RSS of
the analysis alone): reading the frames, labelling the claims (the contrast needs them),
`leakage` by model (speech, actions, both; one permutation null each), `contrast` by framing
(rates and leakage per arm) and `persuasion`; `instrumental` is timed apart (not in the
target). It prints each stage's wall and CPU seconds and the figures a reader can check: the
+30-point framing gap of the oversight kind, the leakage estimates against their null.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, sys.path[0] is bench/: put the repository first so `import analysis` finds it.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIME_TARGET_S = 60.0
STAGES = ("read", "claims", "leakage", "contrast", "persuasion")


def generate(db: str, games: int) -> float:
    """Play the oversight example's design with `games` games into `db` (not measured)."""
    from runs import load_plan, run_sync

    plan = load_plan(ROOT / "examples" / "oversight.yaml")
    plan = plan.model_copy(update={"games": games, "name": "bench-science"})
    start = time.perf_counter()
    summary = run_sync(plan, db)
    if summary.finished != games:
        raise SystemExit(f"{games - summary.finished} games did not finish: {summary.errors[:3]}")
    return time.perf_counter() - start


def measure(db: str) -> dict[str, object]:
    """Every stage timed (wall and CPU), with the figures worth printing."""
    import warnings

    warnings.filterwarnings("ignore")
    out: dict[str, object] = {}

    def stage(name: str, run):  # type: ignore[no-untyped-def]
        start, cpu = time.perf_counter(), time.process_time()
        result = run()
        out[f"{name}_s"] = time.perf_counter() - start
        out[f"{name}_cpu_s"] = time.process_time() - cpu
        return result

    import analysis

    data = stage("read", lambda: analysis.research_data(db))
    claims = stage("claims", lambda: data.claims)
    leak = stage("leakage", lambda: analysis.leakage(data, by=["model"], null=1))
    contrast = stage("contrast", lambda: analysis.contrast(data, "framing"))
    persuasion = stage("persuasion", lambda: analysis.persuasion(data))
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stage("instrumental", lambda: analysis.instrumental(data))
    out.update(
        games=int(data.seats["game_id"].nunique()),
        player_games=len(data.seats),
        utterances=len(data.utterances),
        turns=len(data.turns),
        beliefs=len(data.beliefs),
        claims=len(claims),
        shifts=len(persuasion.shifts),
    )
    lies = contrast[(contrast["metric"] == "lie_rate")]
    keep = ["model", "team", "design", "clusters", "value_reference", "value_arm", "difference",
            "ci_low", "ci_high", "p_value"]  # fmt: skip
    out["framing"] = lies[keep].to_dict("records")
    shown = leak.dropna(subset=["leakage_bits"])
    out["leakage"] = shown[["model", "features", "players", "h_bits", "leakage_bits", "ci_low",
                            "ci_high", "null_bits", "min_entropy_leakage_bits",
                            "upper_bits"]].to_dict("records")  # fmt: skip
    det = persuasion.detection
    out["detection"] = det[det["day"] == "all"][["listener_model", "auroc", "ci_low",
                                                  "ci_high"]].to_dict("records")  # fmt: skip
    return out


def main() -> None:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="existing database to measure (default: generate one)")
    ap.add_argument("--games", type=int, default=10_000, help="a multiple of 4")
    ap.add_argument("--measure", help=argparse.SUPPRESS)  # child mode: print JSON figures
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure), default=float))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = str(Path(tmp) / "science.db")
            took = generate(db, args.games)
            print(f"generated {args.games} games of examples/oversight.yaml in {took:.0f} s")
        child = subprocess.run(
            [sys.executable, __file__, "--measure", db], capture_output=True, text=True
        )
        if child.returncode != 0:
            raise SystemExit(child.stderr)
        f = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"database: {f['games']} games, {f['player_games']} player-games, "
          f"{f['utterances']} utterances, {f['turns']} decisions, {f['beliefs']} beliefs, "
          f"{f['claims']} claims")  # fmt: skip
    for name in (*STAGES, "instrumental"):
        note = " (not in the target)" if name == "instrumental" else ""
        print(f"{name:<13} {f[f'{name}_s']:6.1f} s wall {f[f'{name}_cpu_s']:6.1f} s CPU{note}")
    wall = sum(f[f"{s}_s"] for s in STAGES)
    cpu = sum(f[f"{s}_cpu_s"] for s in STAGES)
    print(f"{'total':<13} {wall:6.1f} s wall {cpu:6.1f} s CPU   target < {TIME_TARGET_S:.0f} s "
          f"({wall / TIME_TARGET_S:.2f} of budget wall, {cpu / TIME_TARGET_S:.2f} CPU; load "
          f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    print(f"peak memory (RSS) {f['peak_rss_mb']:.0f} MB; {f['shifts']} belief shifts")
    print("framing contrast, lie rate (unobserved - observed; the oversight kind's is +0.30):")
    for r in f["framing"]:
        print(f"  {r['model']:<20} {r['team']:<10} {r['design']} ({r['clusters']} pairs): "
              f"{r['value_reference']:.3f} -> {r['value_arm']:.3f}, {r['difference']:+.3f} "
              f"[{r['ci_low']:+.3f}, {r['ci_high']:+.3f}], p = {r['p_value']:.3f}")  # fmt: skip
    print("leakage of the team (bits per player-game; lower bound, null: teams shuffled):")
    for r in f["leakage"]:
        print(f"  {r['model']:<20} {r['features']:<8} H {r['h_bits']:.3f}  I >= "
              f"{r['leakage_bits']:.3f} [{r['ci_low']:.3f}, {r['ci_high']:.3f}]  null "
              f"{r['null_bits']:+.4f}  ME {r['min_entropy_leakage_bits']:.3f}  <= "
              f"{r.get('upper_bits', float('nan')):.3f}")  # fmt: skip
    print("detection, AUROC of village listeners' P(werewolf), all days:")
    for r in f["detection"]:
        print(f"  {r['listener_model']:<20} {r['auroc']:.3f} [{r['ci_low']:.3f}, "
              f"{r['ci_high']:.3f}]")  # fmt: skip


if __name__ == "__main__":
    main()

"""Games/s of the Ray executor with 1 and 2 workers on this machine, against the local executor.

    SDLAB_BENCH_PG_URL=postgresql+psycopg://U:P@HOST/DB python bench/bench_ray.py [--games 300]

(SDLAB_TEST_PG_URL is used when SDLAB_BENCH_PG_URL is unset.) Plays the same scripted plan
(scripted vs random, 7 seats, a commit per turn) into PostgreSQL under a fresh plan name per
executor: once with the local executor (this process), then with `--executor ray` and 1, 2
workers on a local Ray cluster of this machine's CPUs. The Ray start-up (`ray.init`) is timed
apart; each Ray figure includes starting its actors. Scripted games are CPU-bound, so this is
the executor's overhead and the scaling over cores; LLM games wait on the provider instead
(see the README's capacity estimate for that bound). Prints the load average, which skews
every figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid

from runs.orchestrator import RunSummary, run_sync
from runs.plan import Plan


def plan(name: str, games: int) -> Plan:
    """The benchmark plan: scripted vs random, 7 seats, per-turn commits."""
    return Plan.model_validate(
        {"name": name, "players": ["scripted", "random"], "games": games, "seed": 1}
    )


def line(label: str, summary: RunSummary, base: float | None) -> float:
    """Print one executor's figures; its games/s."""
    assert summary.exit_code == 0, summary.errors
    rate = summary.played / summary.elapsed
    ratio = f"  ×{rate / base:.2f} of local" if base else ""
    took = f"{summary.elapsed:7.2f} s"
    print(f"{label:<20} {summary.played:>5} games {took} {rate:7.1f} games/s{ratio}")
    return rate


def main() -> None:
    """Run the plan with each executor and print games/s."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    db = os.environ.get("SDLAB_BENCH_PG_URL") or os.environ.get("SDLAB_TEST_PG_URL")
    if not db:
        sys.exit("set SDLAB_BENCH_PG_URL (or SDLAB_TEST_PG_URL) to a PostgreSQL URL")
    import ray

    from runs.ray_executor import run_ray

    tag = uuid.uuid4().hex[:6]
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    local = line("local executor", run_sync(plan(f"bench-local-{tag}", args.games), db), None)
    start = time.perf_counter()
    ray.init(address="local", include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    print(f"ray.init: {time.perf_counter() - start:.1f} s (once per driver, not counted below)")
    try:
        for n in args.workers:
            summary = run_ray(plan(f"bench-ray{n}-{tag}", args.games), db, workers=n)
            line(f"ray, {n} worker(s)", summary, local)
    finally:
        ray.shutdown()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

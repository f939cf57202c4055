"""SmolLM2-135M on llama.cpp: how many turns parse without a fallback, by both local paths.

    python bench/bench_local.py [--games 2] [--players 5] [--days 2]

Path 1 is `--model local/smollm2` (the session starts the server). Path 2 is what
`sdlab serve-local` prints: a server started apart, reached as `--model openai/local
--api-base URL` (structured output negotiated, llama.cpp detected: one request at a time).
Prints, per path: LLM turns, the share parsed without fallback (target >= 95 %), the share
parsed at the first attempt, calls, seconds per call, the structured mode used and the error
kinds logged. Needs the [local] extra; a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.local_server import LocalServer, smollm2_path
from games.werewolf import Roster, WerewolfConfig
from runs.batch import run_games

# A 135M model: no private reasoning (tokens it cannot use well), generous timeouts for a CPU.
OPTIONS = {"timeout": 120.0, "max_retries": 1, "reasoning": False}


def figures(db: str, seconds: float) -> dict[str, object]:
    """Turn and call figures of the LLM turns in one database."""
    with sqlite3.connect(db) as conn:
        turns = conn.execute(
            "SELECT t.game_id, t.turn, t.fallback, count(c.id) FROM turn t "
            "JOIN llmcall c ON c.game_id = t.game_id AND c.turn = t.turn "
            "GROUP BY t.game_id, t.turn"
        ).fetchall()
        calls = conn.execute("SELECT latency_s, error, mode FROM llmcall").fetchall()
        games = conn.execute("SELECT count(*) FROM game WHERE status = 'finished'").fetchone()[0]
    n = len(turns)
    ok = sum(1 for *_, fallback, _ in turns if not fallback)
    first = sum(1 for *_, fallback, k in turns if not fallback and k == 1)
    kinds: Counter[str] = Counter()
    for _, error, _ in calls:
        if error:
            kinds[error.split(":")[0] if not error.startswith("invalid answer") else
                  "invalid answer: " + error.split(":", 2)[1].strip()[:40]] += 1  # fmt: skip
    latencies = [lat for lat, _, _ in calls if lat is not None]
    return {
        "games finished": games,
        "LLM turns": n,
        "parsed without fallback": f"{ok / n:.1%}" if n else "-",
        "parsed at first attempt": f"{first / n:.1%}" if n else "-",
        "calls": len(calls),
        "s per call": f"{sum(latencies) / len(latencies):.2f}" if latencies else "-",
        "modes": dict(Counter(m for *_, m in calls)),
        "errors": dict(kinds),
        "wall s": f"{seconds:.0f}",
    }


async def play(db: str, model: str, games: int, config: WerewolfConfig, **extra: object) -> float:
    """Play the games; the seconds they took."""
    start = time.perf_counter()
    summary = await run_games(
        db, games, seed=11, config=config, players=[model], llm_options={**OPTIONS, **extra}
    )
    if getattr(summary, "provider_error", None):
        raise SystemExit(f"error: {summary.provider_error}")
    return time.perf_counter() - start


def main() -> None:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=2)
    ap.add_argument("--players", type=int, default=5)
    ap.add_argument("--days", type=int, default=2, help="max_days per game (short games)")
    ap.add_argument("--only", choices=["local", "printed"], help="one path only")
    args = ap.parse_args()
    config = WerewolfConfig(
        roster=Roster.for_players(args.players), discussion_rounds=1, max_days=args.days
    )
    tmp = Path(tempfile.mkdtemp(prefix="sdlab-bench-local-"))
    results: dict[str, dict[str, object]] = {}
    if args.only in (None, "local"):
        db = str(tmp / "local.db")
        took = asyncio.run(play(db, "local/smollm2", args.games, config))
        results["local/smollm2"] = figures(db, took)
    if args.only in (None, "printed"):
        server = LocalServer(smollm2_path()).start()  # what `sdlab serve-local` runs
        try:
            db = str(tmp / "printed.db")
            took = asyncio.run(
                play(db, "openai/local", args.games, config, api_base=server.api_base)
            )
            results[f"openai/local --api-base {server.api_base}"] = figures(db, took)
        finally:
            server.stop()
    for path, figs in results.items():
        print(f"\n== {path}")
        for k, v in figs.items():
            print(f"  {k:24} {v}")


if __name__ == "__main__":
    main()

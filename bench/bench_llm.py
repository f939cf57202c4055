"""LLM games against the loopback stub: wall time vs the call graph's lower bound, and prompt size.

    python bench/bench_llm.py --games 100 --latency 0.2 --concurrency 64

The stub (tests/stub_server.py) runs in its own process at a fixed latency L. The lower bound
comes from the games' own call graph as logged: within a game, a step is one speech (or night
kill, last words) or one simultaneous group (votes, seer + doctor, bids), and its attempts run
back to back, so a game cannot finish faster than L × Σ_steps max attempts (its critical path);
and C request slots cannot serve the total calls faster than L × calls / C. The bound is the
larger of the two; the ratio wall / bound says how close scheduling comes to it.
Next to it, the zero-CPU scheduling floor: the same calls and dependencies replayed with no
client CPU at all, L per call and C slots handed out first come, first served (as the session's
semaphores do), so the best ratio a FIFO client could reach; and the same with the slots given
to the game with the longest remaining critical path first (it needs to know the future).
Also printed: the request path's CPU per call (agents.transport.request alone, by client: the
direct client that runs, and litellm.acompletion), the stub's CPU, and how late the event loop
ran (time it was busy or descheduled: on 2 shared cores, what keeps wall above the bound);
prompt tokens per turn by day and round (the history cap keeps growth linear)
and calls and prompt tokens per game (design target for 8 players: ≤ 120 calls, ≤ 100k tokens).
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import heapq
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLIENTS = ("direct", "litellm")  # the opt-in direct client and litellm.acompletion (default)
SIMULTANEOUS = {"night_actions", "day_vote", "day_revote", "day_bid"}


def start_stub(latency: float, speech_chars: int) -> tuple[subprocess.Popen[str], str]:
    """The stub server in its own process (so it shares no GIL with the agents)."""
    stub = str(ROOT / "tests" / "stub_server.py")
    proc = subprocess.Popen(
        [sys.executable, stub, "--latency", str(latency), "--speech-chars", str(speech_chars)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT"):
        proc.kill()
        raise RuntimeError(f"stub did not start: {line!r}")
    return proc, f"http://127.0.0.1:{int(line.split()[1])}/v1"


def call_graph(db: str, steps: dict[int, list[list[int]]]) -> tuple[dict[int, int], int]:
    """Per game, the calls on its critical path (in units of one latency); and total calls."""
    critical = {g: sum(max(step) for step in game) for g, game in steps.items()}
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT count(*) FROM llmcall").fetchone()[0]
    return critical, total


def game_steps(db: str) -> dict[int, list[list[int]]]:
    """Per game, its steps in order; per step, the attempts of each of its turns (0: no call).

    A step is one turn, or one simultaneous group (votes, night actions, bids): its turns
    start together, and the next step starts when all of them are done.
    """
    with sqlite3.connect(db) as conn:
        turns = conn.execute(
            "SELECT game_id, turn, day, phase FROM turn ORDER BY game_id, turn"
        ).fetchall()
        attempts = dict(
            ((g, t), n)
            for g, t, n in conn.execute(
                "SELECT game_id, turn, count(*) FROM llmcall GROUP BY game_id, turn"
            )
        )
    steps: dict[int, list[list[int]]] = defaultdict(list)
    step: tuple | None = None
    for game, turn, day, phase in turns:
        key = (game, day, phase) if phase in SIMULTANEOUS else (game, turn)
        if key != step:
            step = key
            steps[game].append([])
        steps[game][-1].append(attempts.get((game, turn), 0))
    return dict(steps)


def scheduling_floor(steps: dict[int, list[list[int]]], slots: int, longest_first: bool) -> int:
    """Latencies a zero-CPU client needs for these games, all started at once, on `slots` slots.

    Every call takes one latency and a turn's attempts run back to back, so everything happens
    on a grid of latencies: each round the waiting calls get the free slots, first come first
    served (or longest remaining critical path first); a call done makes its turn's next
    attempt wait, or its game's next step once the whole step is done.
    """
    games = {g: [[n for n in step if n] for step in game] for g, game in steps.items()}
    games = {g: [step for step in game if step] for g, game in games.items()}
    # remaining[g][i]: calls on game g's critical path from step i on
    remaining = {
        g: [sum(max(step) for step in game[i:]) for i in range(len(game) + 1)]
        for g, game in games.items()
    }
    at = dict.fromkeys(games, 0)  # each game's current step
    left: dict[int, list[int]] = {}  # its turns' attempts still to make
    busy: dict[int, int] = {}  # its turns not finished
    waiting: list[tuple[int, int, int, int]] = []  # (priority, arrival, game, turn): a heap
    arrivals = 0

    def wait(game: int, turn: int) -> None:
        nonlocal arrivals
        priority = -remaining[game][at[game]] if longest_first else 0
        heapq.heappush(waiting, (priority, arrivals, game, turn))
        arrivals += 1

    def start_step(game: int) -> None:
        if at[game] < len(games[game]):
            left[game] = list(games[game][at[game]])
            busy[game] = len(left[game])
            for turn in range(len(left[game])):
                wait(game, turn)

    for game in games:
        start_step(game)
    rounds = 0
    while waiting:
        rounds += 1
        running = [heapq.heappop(waiting)[2:] for _ in range(min(slots, len(waiting)))]
        for game, turn in running:
            left[game][turn] -= 1
            if left[game][turn]:
                wait(game, turn)
                continue
            busy[game] -= 1
            if not busy[game]:
                at[game] += 1
                start_step(game)
    return rounds


def by_worker(db: str, steps: dict[int, list[list[int]]]) -> dict[str, dict[int, Any]]:
    """The games' steps grouped by the worker process that played them."""
    with sqlite3.connect(db) as conn:
        worker = dict(conn.execute("SELECT id, worker FROM game").fetchall())
    parts: dict[str, dict[int, Any]] = defaultdict(dict)
    for game, game_steps_ in steps.items():
        parts[worker.get(game) or ""][game] = game_steps_
    return dict(parts)


def tokens_by_round(db: str) -> list[tuple[int, str, float, int]]:
    """Mean prompt tokens of a turn by day and kind of turn."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT t.day, t.kind, avg(c.prompt_tokens), count(*) FROM llmcall c "
            "JOIN turn t ON t.game_id = c.game_id AND t.turn = c.turn "
            "GROUP BY t.day, t.kind ORDER BY t.day, t.kind"
        ).fetchall()
    return [(d, k, float(p or 0), n) for d, k, p, n in rows]


def tokenizer_ratio(db: str, litellm: object, sample: int = 200) -> float:
    """Real tokens (gpt-4o's tokenizer via litellm) per stub-estimated token, on a sample."""
    import json

    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT messages, prompt_tokens FROM llmcall WHERE prompt_tokens > 0 "
            "ORDER BY random() LIMIT ?",
            (sample,),
        ).fetchall()
    real = sum(
        litellm.token_counter(model="gpt-4o", messages=json.loads(m))  # type: ignore[attr-defined]
        for m, _ in rows
    )
    return real / max(1, sum(p for _, p in rows))


async def watch_loop(work: Any, tick: float = 0.01) -> tuple[Any, list[float]]:
    """Run `work` while measuring how late a 10 ms timer fires: time the loop was not free."""
    lags: list[float] = []
    task = asyncio.ensure_future(work)
    while not task.done():
        start = time.perf_counter()
        await asyncio.wait({task}, timeout=tick)
        lags.append(max(0.0, time.perf_counter() - start - tick))
    return task.result(), lags


def _register_free_stub(litellm: Any) -> None:
    """Price the stub at zero, so litellm's cost lookup succeeds at once instead of failing."""
    free = {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "mode": "chat"}
    litellm.register_model(
        {
            "openai/stub": {**free, "litellm_provider": "openai"},
            "stub": {**free, "litellm_provider": "openai"},
        }
    )


def _worker(plan: Any, db: str, ready: Any, go: Any, results: Any) -> None:
    """One worker process: imports paid before the start signal, then the orchestrator's run."""
    from agents.transport import _litellm
    from runs.orchestrator import run

    _register_free_stub(_litellm())
    ready.put(os.getpid())
    go.wait()
    cpu = time.process_time()
    summary, lags = asyncio.run(watch_loop(run(plan, db)))
    results.put((summary, time.process_time() - cpu, lags))


def play_in_processes(plan: Any, db: str, processes: int) -> tuple[Any, float, float, list[float]]:
    """The plan played by `processes` worker processes at once: summary, wall, CPU, loop lags.

    Wall time runs from the start signal (imports done) to the last worker's summary.
    """
    from worker_processes import run_in_processes

    from runs.ray_executor import merge

    parts, wall = run_in_processes(_worker, (plan, db), processes)
    summary, cpu, lags = parts[0][0], 0.0, []
    for n, (part, part_cpu, part_lags) in enumerate(parts):
        cpu += part_cpu
        lags += part_lags
        if n:
            merge(summary, part)
    return summary, wall, cpu, lags


def client_cpu(api_base: str, db: str, client: str, n: int = 300, concurrency: int = 64) -> float:
    """CPU seconds per request on the request path alone (`agents.transport.request`).

    The games' own prompts are sent again through a fresh session, all in flight at once:
    process time over the batch, so waiting on the stub costs nothing and prompts, the game
    engine and the store are left out.
    """
    import json

    from agents.llm import LLMOptions
    from agents.providers import resolve
    from agents.session import LLMSession, Ready
    from agents.transport import request

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT messages FROM llmcall ORDER BY rowid LIMIT ?", (n,)).fetchall()
    prompts = [json.loads(m) for (m,) in rows]
    opts = LLMOptions(api_base=api_base, client=client, concurrency=concurrency)
    provider = resolve("openai/stub", opts)

    async def batch() -> float:
        session = LLMSession(concurrency)
        await request(session, provider, prompts[0], Ready, opts, [])  # probe, pool, prices
        start = time.process_time()
        await asyncio.gather(*(request(session, provider, m, Ready, opts, []) for m in prompts))
        return (time.process_time() - start) / len(prompts)

    return asyncio.run(batch())


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--players", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--client", choices=CLIENTS, default="litellm", help="the client the games' calls use"
    )
    parser.add_argument(
        "--speech-chars", type=int, default=300, help="stub speeches padded to this length"
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="worker processes sharing the database"
    )
    args = parser.parse_args()

    from agents.transport import _litellm
    from games.werewolf import Roster, WerewolfConfig
    from runs.plan import plan_from_flags

    litellm = _litellm()  # pay the import before the clock starts
    _register_free_stub(litellm)
    config = WerewolfConfig(roster=Roster.for_players(args.players), discussion_rounds=args.rounds)
    stub, api_base = start_stub(args.latency, args.speech_chars)
    tmp = tempfile.mkdtemp(prefix="bench-llm-")
    atexit.register(shutil.rmtree, tmp, True)  # the database is read until the last line
    db = os.path.join(tmp, "bench.db")
    # Plans take no keys (they are stored): the server provider reads OPENAI_API_KEY, as in use.
    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    n = max(1, args.processes)
    slots = max(1, args.concurrency // n)
    options = {"api_base": api_base, "concurrency": slots, "client": args.client}
    plan = plan_from_flags(
        players=["openai/stub"],
        games=args.games,
        game=config,
        seed=args.seed,
        llm_options=options,
        # Every game in flight: the request slots are the limit.
        concurrency=max(1, -(-args.games // n)),
    )
    try:
        if n == 1:
            from runs.orchestrator import run

            start, cpu_start = time.perf_counter(), time.process_time()
            summary, lags = asyncio.run(watch_loop(run(plan, db)))
            wall = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
        else:
            summary, wall, cpu, lags = play_in_processes(plan, db, n)
        # Median of three: other processes on the machine disturb any single batch.
        per_call = {
            c: statistics.median(
                client_cpu(api_base, db, c, concurrency=args.concurrency) for _ in range(3)
            )
            for c in CLIENTS
        }
    finally:
        stub.terminate()
        # The stub's own CPU: on 2 cores a busy server, not the agents, can be what is slow.
        _, _, usage = os.wait4(stub.pid, 0)
        stub_cpu = usage.ru_utime + usage.ru_stime
    steps = game_steps(db)
    critical, total = call_graph(db, steps)
    # Each worker process hands out its own slots to the games it claimed.
    fifo = longest = 0.0
    for part in by_worker(db, steps).values():
        fifo = max(fifo, scheduling_floor(part, slots, longest_first=False) * args.latency)
        longest = max(longest, scheduling_floor(part, slots, longest_first=True) * args.latency)
    path_bound = max(critical.values()) * args.latency
    slot_bound = total * args.latency / args.concurrency
    bound = max(path_bound, slot_bound)
    print(
        f"{args.games} games × {args.players} players, {args.rounds} rounds; "
        f"L = {args.latency * 1000:.0f} ms, C = {args.concurrency}; "
        f"speeches ~{args.speech_chars} chars; client {args.client}; "
        f"{n} process(es) × {slots} slots"
    )
    print(f"finished {summary.games}, failed {summary.failed}, fallbacks {summary.fallbacks}")
    print(f"wall time               {wall:8.2f} s")
    print(
        f"lower bound             {bound:8.2f} s  (critical path {path_bound:.2f} s, "
        f"calls/C × L {slot_bound:.2f} s)"
    )
    print(f"ratio wall / bound      {wall / bound:8.3f}   (target ≤ 1.2)")
    print(
        f"zero-CPU floor          {fifo / bound:8.3f}   (FIFO slots, as the client hands them "
        f"out: {fifo:.2f} s; longest remaining path first {longest / bound:.3f})"
    )
    print(
        f"agents' CPU              {cpu:8.2f} s  ({cpu / max(1, total) * 1000:.1f} ms per call: "
        "litellm, prompts, store; the stub runs in another process)"
    )
    print(
        "request path CPU        "
        + ", ".join(f"{c}: {v * 1000:.2f} ms per call" for c, v in per_call.items())
        + "  (median of 3 batches; target ≤ 2 ms)"
    )
    stub_ms = stub_cpu / max(1, total) * 1000
    print(f"stub server's CPU       {stub_cpu:8.2f} s  ({stub_ms:.1f} ms per call)")
    if lags:  # the worker processes' loops together
        lags.sort()
        p50, p99 = lags[len(lags) // 2] * 1000, lags[int(len(lags) * 0.99)] * 1000
        print(
            f"event loop late by      {sum(lags):8.2f} s in all  "
            f"(p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {lags[-1] * 1000:.0f} ms)"
        )
    per_game = total / max(1, summary.games)
    ratio = tokenizer_ratio(db, litellm)
    tokens = summary.prompt_tokens / max(1, summary.games)
    print(
        f"per game: {per_game:.1f} calls (target ≤ 120), {tokens:,.0f} prompt tokens by the "
        f"stub's 4-chars estimate = {tokens * ratio:,.0f} by gpt-4o's tokenizer (target ≤ 100k); "
        f"critical path {statistics.mean(critical.values()):.1f} calls"
    )
    print("prompt tokens per turn by day (gpt-4o tokenizer, mean over calls):")
    for day, kind, mean, n in tokens_by_round(db):
        print(f"  day {day:2d}  {kind:8s} {mean * ratio:7.0f}  ({n} calls)")


if __name__ == "__main__":
    main()

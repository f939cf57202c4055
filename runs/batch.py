"""Playing N games from Python without writing a plan file: an ad-hoc plan, same path.

    summary = await run_games("lab.db", 20, players=["scripted"], seed=1)

is `sdlab run --games 20 --seed 1` as a coroutine: the same plan (named after its settings,
so a second identical call resumes instead of duplicating), played by runs.orchestrator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from games.werewolf import WerewolfConfig
from runs.orchestrator import Hooks, RunSummary, run
from runs.plan import plan_from_flags


async def run_games(
    db: str,
    n_games: int,
    *,
    seed: int = 0,
    config: WerewolfConfig | None = None,
    players: Sequence[str] = ("scripted",),
    concurrency: int | None = None,
    name: str | None = None,
    per_turn: bool = True,
    llm_options: dict[str, Any] | None = None,
    hooks: Hooks | None = None,
) -> RunSummary:
    """Play `n_games` seeded games into `db` (resuming the same plan if it is there)."""
    options = dict(llm_options or {})
    condition = options.pop("prompt_condition", "neutral")
    framing = options.pop("framing", "observed")
    plan = plan_from_flags(
        players=list(players),
        games=n_games,
        game=config or WerewolfConfig(),
        seed=seed,
        name=name,
        condition=condition,
        framing=framing,
        llm_options=options,
        concurrency=concurrency or 1,
    )
    plan = plan.model_copy(update={"commit": "turn" if per_turn else "game"})
    return await run(plan, db, hooks=hooks)

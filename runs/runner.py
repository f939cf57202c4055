"""Plays one game: env + agents + store, the one place where the three meet.

The env deals the roles; then the caller's `seat_agents(roles)` builds the agents (it knows
from the plan who plays which role slot), the recorder opens the game's rows, and every
decision group is played and committed until the game ends.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agents.base import Agent, Turn
from games.core.observation import Observation
from games.werewolf import WerewolfConfig, raw_env
from games.werewolf.rules import MAX_BID, name
from runs.seeds import derive_seed
from runs.store import GameRecorder, GameTakenOver, PlayerInfo
from vocab import NO_FRAMING, SCRIPTED_CONDITION


@dataclass
class GameResult:
    """What one game produced, for summaries and progress bars."""

    seed: int
    winner: str | None
    days: int
    n_turns: int
    n_events: int
    n_beliefs: int
    game_id: int | None = None
    n_calls: int = 0
    n_fallbacks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    # model → decisions it was asked for / of those, legal defaults played instead
    model_turns: Counter[str] = field(default_factory=Counter)
    model_fallbacks: Counter[str] = field(default_factory=Counter)
    events: list[Any] = field(default_factory=list, repr=False)


# Called after each LLM-bearing turn with (calls, prompt_tokens, completion_tokens, cost).
UsageHook = Callable[[int, int, int, float], None]


# Builds a game's agents from the roles the env dealt (seat → role).
SeatAgents = Callable[[Sequence[str]], Sequence[Agent]]
RecorderFactory = Callable[[list[PlayerInfo]], GameRecorder]


async def play_game(
    config: WerewolfConfig,
    seed: int,
    seat_agents: SeatAgents,
    open_recorder: RecorderFactory | None = None,
    on_usage: UsageHook | None = None,
    keep_events: bool = False,
) -> GameResult:
    """Play one game to the end; with `open_recorder`, every turn is committed to the store.

    If anything fails mid-game, the game is marked `failed` (never `finished`) and the
    exception propagates. A cancellation (Ctrl-C) propagates untouched: whoever owns the game
    gives it back.
    """
    env = raw_env(config)
    env.reset(seed=seed)
    game = env.game
    assert game is not None
    agents = seat_agents(game.roles)
    recorder = open_recorder(players_of(game.roles, game.teams, agents)) if open_recorder else None
    try:
        result = await _play(env, agents, seed, recorder, on_usage)
    except (asyncio.CancelledError, GameTakenOver):
        raise  # whoever owns the game now (the caller, or another worker) decides its fate
    except Exception as exc:
        if recorder is not None:
            recorder.fail(f"{type(exc).__name__}: {exc}")
        raise
    if keep_events:
        result.events = list(game.events)
    return result


async def _play(
    env: raw_env,
    agents: Sequence[Agent],
    seed: int,
    recorder: GameRecorder | None,
    on_usage: UsageHook | None,
) -> GameResult:
    game = env.game
    assert game is not None
    rng = random.Random(derive_seed(seed, "fallback"))
    result = GameResult(seed, None, 0, 0, 0, 0, recorder.game_id if recorder else None)
    written = 0
    while not game.over:
        # Everyone in `pending` decides on the same information, so LLM calls can overlap.
        pending = env.pending_agents()
        observations = [env.observation_for(a) for a in pending]
        if len(observations) == 1:
            turns = [await agents[observations[0].seat].act(observations[0])]
        else:
            turns = await asyncio.gather(*(agents[o.seat].act(o) for o in observations))
        rows = []
        for obs, raw_turn in zip(observations, turns, strict=True):
            turn = _legal(raw_turn, obs, rng)
            env.step(_to_action(turn, obs, game.n))
            rows.append((_turn_row(result.n_turns, obs, turn), turn))
            if turn.calls:
                _count_calls(result, turn, recorder, obs.seat, result.n_turns, on_usage)
            result.n_turns += 1
            result.n_fallbacks += turn.fallback
            model = getattr(agents[obs.seat], "model", None)
            if model and (turn.calls or turn.fallback):
                result.model_turns[model] += 1
                result.model_fallbacks[model] += turn.fallback
            result.n_beliefs += sum(len(d) for d in turn.beliefs.values())
        new_events = game.events[written:]
        written = len(game.events)
        _link_events([row for row, _ in rows], new_events)
        if recorder is not None:
            for e in new_events:
                recorder.add_event(e)
            for row, turn in rows:
                recorder.add_turn(row, turn.beliefs)
            if not game.over:
                recorder.commit()
    result.n_events = written
    result.winner = game.winner
    result.days = game.day
    if recorder is not None:
        recorder.finish(game.winner, game.day, result.n_turns)
    return result


def _legal(turn: Turn, obs: Observation, rng: random.Random) -> Turn:
    """Last line of defence: an agent's illegal choice becomes a logged legal fallback.

    A target named where the decision takes none (a speech) is not a choice: it is ignored.
    """
    bad_target = bool(obs.legal_targets) and (
        (turn.target is None and not obs.may_abstain)
        or (turn.target is not None and turn.target not in obs.legal_targets)
    )
    bad_bid = obs.wants_bid and (turn.bid is None or not 0 <= turn.bid <= MAX_BID)
    if not (bad_target or bad_bid):
        return turn
    update: dict[str, Any] = {"fallback": True}
    if bad_target:
        update["target"] = None if obs.may_abstain else rng.choice(obs.legal_targets)
    if bad_bid:
        update["bid"] = 0
    return turn.model_copy(update=update)


def _to_action(turn: Turn, obs: Observation, n: int) -> dict[str, Any]:
    return {
        "speech": turn.speech if obs.wants_speech else "",
        "target": n if turn.target is None or not obs.legal_targets else turn.target,
        "bid": turn.bid if obs.wants_bid else 0,
    }


def _turn_row(index: int, obs: Observation, turn: Turn) -> dict[str, Any]:
    return {
        "turn": index,
        "seat": obs.seat,
        "day": obs.day,
        "phase": obs.phase,
        "kind": obs.kind,
        "event_seq": None,
        "speech": turn.speech if obs.wants_speech else "",
        "target": turn.target if obs.legal_targets else None,
        "bid": turn.bid if obs.wants_bid else None,
        "reasoning": turn.reasoning,
        "fallback": turn.fallback,
        "intended_lie": turn.intended_lie,
        "stated_claims": [c.model_dump() for c in turn.stated_claims],
    }


_ACTION_KINDS = frozenset(
    {
        "speech",
        "last_words",
        "vote",
        "wolf_chat",
        "wolf_proposal",
        "inspection",
        "protection",
        "bid",
    }
)


def _link_events(rows: list[dict[str, Any]], events: Sequence[Any]) -> None:
    """Point each decision at the first event it produced (speech, vote, inspection …)."""
    by_actor: dict[int, int] = {}
    for e in events:
        if e.actor is not None and e.kind in _ACTION_KINDS and e.actor not in by_actor:
            by_actor[e.actor] = e.seq
    for row in rows:
        row["event_seq"] = by_actor.get(row["seat"])


def _count_calls(
    result: GameResult,
    turn: Turn,
    recorder: GameRecorder | None,
    seat: int,
    index: int,
    on_usage: UsageHook | None,
) -> None:
    prompt = completion = 0
    cost = 0.0
    for call in turn.calls:
        prompt += call.prompt_tokens or 0
        completion += call.completion_tokens or 0
        cost += call.cost or 0.0
        if recorder is not None:
            recorder.add_call({"seat": seat, "turn": index, **call.model_dump()})
    result.n_calls += len(turn.calls)
    result.prompt_tokens += prompt
    result.completion_tokens += completion
    result.cost += cost
    if on_usage is not None:
        on_usage(len(turn.calls), prompt, completion, cost)


def players_of(
    env_roles: Sequence[str], teams: Sequence[str], agents: Sequence[Agent]
) -> list[PlayerInfo]:
    """Player rows: hidden roles from the ground truth, agent identity from the agents."""
    return [
        PlayerInfo(
            seat=s,
            name=name(s),
            role=env_roles[s],
            team=teams[s],
            agent_kind=agent.kind,
            model=getattr(agent, "model", None),
            prompt_condition=getattr(agent, "prompt_condition", SCRIPTED_CONDITION),
            framing=getattr(agent, "framing", NO_FRAMING),
            prompt_hash=getattr(agent, "prompt_hash", None),
        )
        for s, agent in enumerate(agents)
    ]


__all__ = ["GameResult", "SeatAgents", "derive_seed", "play_game", "players_of"]

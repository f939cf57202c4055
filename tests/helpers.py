"""Small helpers shared by tests: games played through the real env, games claimed by hand."""

from __future__ import annotations

import random

from sqlalchemy import Connection, Engine

from agents.scripted import RandomAgent, ScriptedAgent
from games.werewolf import Action, WerewolfConfig, WerewolfGame, raw_env
from runs.claims import claim_next_game, ensure_tournament
from runs.schema import PlayerInfo
from runs.store import GameRecorder, open_engine, start_game


def villagers(n: int) -> list[PlayerInfo]:
    """Players for a game written by hand (the store checks no roles)."""
    return [
        PlayerInfo(seat=s, name=f"player_{s}", role="villager", team="village", agent_kind="x")
        for s in range(n)
    ]


def claimed(db: str, worker: str = "me") -> tuple[Engine, Connection, GameRecorder]:
    """A one-game plan in `db`, its game claimed by `worker`, and that game's recorder."""
    engine = open_engine(db)
    conn = engine.connect()
    ensure_tournament(conn, "h", {}, "f", [{"slot": 0, "seed": 1, "config": {}}])
    claim = claim_next_game(conn, 1, worker)
    assert claim is not None
    return engine, conn, start_game(conn, claim.id, villagers(2), worker=worker)


def play_rules(game: WerewolfGame, seed: int = 0) -> WerewolfGame:
    """Finish a plain rules game with uniformly random legal actions."""
    rng = random.Random(seed)
    while not game.over:
        seat = game.next_actor()
        assert seat is not None
        request = game.request
        assert request is not None
        legal = game.legal_targets(seat)
        target = rng.choice(legal) if legal else None
        if request.may_abstain and rng.random() < 0.1:
            target = None
        bid = rng.randint(0, 4) if request.bid else None
        game.act(seat, Action(target, "words" if request.speech else "", bid))
    return game


def play_env(config: WerewolfConfig, seed: int, agent_cls=ScriptedAgent, on_obs=None, on_done=None):
    """Play one game through the AEC env with scripted agents; return the env.

    `on_done({agent: reward})` receives the reward each agent holds at its dead step.
    """
    env = raw_env(config)
    env.reset(seed=seed)
    agents = [agent_cls(seed * 31 + s) for s in range(config.n_players)]
    for agent_id in env.agent_iter():
        _, reward, term, trunc, info = env.last(observe=False)
        if term or trunc:
            if on_done is not None:
                on_done({agent_id: reward})
            env.step(None)
            continue
        obs = info["observation"]
        if on_obs is not None:
            on_obs(env, obs)
        turn = agents[obs.seat].decide(obs)
        env.step(
            {
                "speech": turn.speech,
                "target": config.n_players if turn.target is None else turn.target,
                "bid": turn.bid or 0,
            }
        )
    return env


__all__ = ["RandomAgent", "ScriptedAgent", "play_env", "play_rules"]

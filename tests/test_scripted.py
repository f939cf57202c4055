"""Scripted agents: legal, seeded, beliefs every turn, and speech that matches its annotations."""

from __future__ import annotations

import asyncio

from agents.scripted import DeceptiveWerewolf, HonestAgent, RandomAgent, ScriptedAgent, sentence
from games.werewolf import WerewolfConfig, raw_env
from tests.helpers import play_env


def collect(seed: int, agent_cls=ScriptedAgent, config: WerewolfConfig | None = None):
    """Play a game, returning (observation, turn) for every decision."""
    config = config or WerewolfConfig()
    log = []
    agents = {}

    def on_obs(env, obs):
        agent = agents.setdefault(obs.seat, agent_cls(seed * 100 + obs.seat))
        log.append((obs, agent.decide(obs), env.game.roles))

    play_env(config, seed, agent_cls, on_obs=on_obs)
    return log


def test_turns_are_legal_and_carry_beliefs_about_every_other_living_player():
    for seed in range(30):
        for obs, turn, _ in collect(seed):
            if obs.legal_targets and not obs.may_abstain:
                assert turn.target in obs.legal_targets
            if turn.target is not None:
                assert turn.target in obs.legal_targets
            others = {s for s in obs.living() if s != obs.seat}
            assert set(turn.beliefs) == others
            assert all(0.0 <= d["werewolf"] <= 1.0 for d in turn.beliefs.values())
            if obs.wants_speech:
                assert turn.speech


def test_speech_is_exactly_the_annotated_claims():
    for seed in range(30):
        for obs, turn, _ in collect(seed):
            if turn.stated_claims:
                assert turn.speech == " ".join(sentence(c, obs.names) for c in turn.stated_claims)


def test_annotated_lies_are_false_and_honest_agents_never_lie():
    lies = 0
    for seed in range(40):
        for obs, turn, roles in collect(seed):
            for claim in turn.stated_claims:
                if roles[obs.seat] != "werewolf":
                    assert not claim.lie, (obs.role, claim)
                if claim.type == "role_claim" and not claim.hedged:
                    assert claim.lie == (claim.value != roles[obs.seat])
                if claim.type in ("accusation", "defence") and not claim.hedged:
                    is_wolf = roles[claim.subject] == "werewolf"
                    said_wolf = claim.type == "accusation"
                    if claim.lie:
                        assert said_wolf != is_wolf
                lies += claim.lie
    assert lies > 50


def test_werewolves_never_chat_claims_on_the_pack_channel():
    for seed in range(20):
        for obs, turn, _ in collect(seed):
            if obs.kind == "kill":
                assert turn.stated_claims == []


def test_same_seed_same_decisions():
    a = [(t.speech, t.target, t.beliefs) for _, t, _ in collect(5)]
    b = [(t.speech, t.target, t.beliefs) for _, t, _ in collect(5)]
    assert a == b


def test_every_policy_finishes_games_through_the_async_protocol():
    env = raw_env()
    for cls in (RandomAgent, HonestAgent, DeceptiveWerewolf, ScriptedAgent):
        env.reset(seed=1)
        agents = [cls(s) for s in range(7)]
        while not env.game.over:
            obs = env.observation_for(env.agent_selection)
            turn = asyncio.run(agents[obs.seat].act(obs))
            target = turn.target if turn.target is not None else env.game.n
            env.step({"speech": turn.speech, "target": target, "bid": turn.bid or 0})
        assert env.game.winner is not None


def test_pending_agents_names_simultaneous_deciders():
    env = raw_env(WerewolfConfig(discussion_rounds=0))
    env.reset(seed=2)
    agents = [ScriptedAgent(s) for s in range(7)]
    seen_group = False
    while not env.game.over:
        pending = env.pending_agents()
        if env.game.request.phase == "day_vote" and len(pending) == len(env.game.living()):
            seen_group = True
        assert pending[0] == env.agent_selection
        obs = env.observation_for(env.agent_selection)
        turn = agents[obs.seat].decide(obs)
        env.step(
            {
                "speech": turn.speech,
                "target": env.game.n if turn.target is None else turn.target,
                "bid": turn.bid or 0,
            }
        )
    assert seen_group

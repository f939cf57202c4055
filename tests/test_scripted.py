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
    lies = hedged_lies = plans = 0
    for seed in range(40):
        for obs, turn, roles in collect(seed):
            for claim in turn.stated_claims:
                if roles[obs.seat] != "werewolf":
                    assert not claim.lie, (obs.role, claim)
                if claim.type == "role_claim":
                    assert claim.lie == (claim.value != roles[obs.seat])
                if claim.type in ("accusation", "defence"):
                    # Hedged or not (DESIGN): a werewolf knows every player's wolf status, so
                    # its claim is a lie exactly when it is false.
                    is_wolf = roles[claim.subject] == "werewolf"
                    said_wolf = claim.type == "accusation"
                    if roles[obs.seat] == "werewolf":
                        assert claim.lie == (said_wolf != is_wolf), claim
                    hedged_lies += claim.lie and claim.hedged
                if claim.type == "plan":
                    assert not claim.lie  # never decided by the ground truth
                    plans += 1
                lies += claim.lie
    assert lies > 50 and hedged_lies > 10 and plans > 10


def test_honest_agents_never_speak_against_their_logged_belief():
    """A suspicion at P(werewolf) <= 0.2, or a defence at >= 0.8, would be inconsistent."""
    # Honest players only: with no liars at the table, beliefs flatten out to the prior
    # (0.2 exactly with one wolf left among five), where the old rule still accused.
    for seed in range(30):
        for obs, turn, roles in collect(seed, agent_cls=HonestAgent):
            if roles[obs.seat] == "werewolf":
                continue
            for claim in turn.stated_claims:
                p = turn.beliefs.get(claim.subject, {}).get("werewolf")
                if claim.type == "accusation":
                    assert p is not None and p > 0.2, (claim, p)
                if claim.type == "defence" and claim.subject != obs.seat:
                    assert p is not None and p < 0.8, (claim, p)


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

"""The PettingZoo AEC glue: api_test, masks, illegal actions, determinism, rewards."""

from __future__ import annotations

import numpy as np
import pytest
from pettingzoo.test import api_test

from games.werewolf import IllegalActionError, WerewolfConfig, env, raw_env
from tests.helpers import play_env


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"turn_taking": "bidding", "tie_rule": "revote"},
        {"reveal_role_on_death": False, "discussion_rounds": 1},
        {"roster": {"werewolf": 1, "seer": 1, "doctor": 0, "villager": 3}},
        {"roster": {"werewolf": 3, "seer": 1, "doctor": 1, "villager": 5}},
    ],
)
def test_pettingzoo_api_test(config):
    api_test(env(**config), num_cycles=300)


def test_env_returns_order_enforcing_wrapper_and_raw_env_is_plain():
    wrapped = env()
    assert wrapped.unwrapped.__class__ is raw_env
    with pytest.raises(AttributeError):
        _ = wrapped.agents  # before reset


def test_action_mask_matches_legal_targets():
    e = raw_env()
    e.reset(seed=3)
    agent = e.agent_selection
    _, _, _, _, info = e.last()
    mask = info["action_mask"]
    obs = info["observation"]
    assert set(np.flatnonzero(mask["target"])) == set(obs.legal_targets)
    assert mask["speech"] is None
    assert obs.name == agent


def test_illegal_target_raises_clear_error_and_game_continues():
    e = raw_env()
    e.reset(seed=3)
    obs = e.infos[e.agent_selection]["observation"]
    teammate = next(s for s, r in obs.known_roles.items() if r == "werewolf" and s != obs.seat)
    events_before = len(e.game.events)
    with pytest.raises(IllegalActionError, match="cannot target"):
        e.step({"speech": "", "target": teammate, "bid": 0})
    assert len(e.game.events) == events_before
    e.step({"speech": "", "target": obs.legal_targets[0], "bid": 0})
    assert len(e.game.events) > events_before


def test_same_seed_same_scripted_agents_identical_event_stream():
    config = WerewolfConfig()
    a = play_env(config, seed=11).game.events
    b = play_env(config, seed=11).game.events
    c = play_env(config, seed=12).game.events
    assert a == b
    assert a != c


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_rewards_go_to_teams_at_the_end(seed):
    final: dict[str, float] = {}

    def record(env, obs):
        for agent in env.agents:  # nothing is paid before the end
            assert env.rewards[agent] == 0

    e = play_env(WerewolfConfig(), seed=seed, on_obs=record, on_done=final.update)
    assert e.agents == []  # everyone terminated and removed after their dead step
    game = e.game
    assert game.over and game.winner in ("village", "werewolves")
    for seat, team in enumerate(game.teams):  # dead players are paid too
        assert final[f"player_{seat}"] == (1 if team == game.winner else -1), (seat, team)


def test_unicode_speech_is_normalised_not_crashing():
    e = raw_env()
    e.reset(seed=1)
    obs = e.infos[e.agent_selection]["observation"]
    e.step({"speech": "Let’s go 🐺 — “now”\u00a0ok", "target": obs.legal_targets[0], "bid": 0})
    chat = [ev for ev in e.game.events if ev.kind == "wolf_chat"][-1]
    assert chat.text == "Let’s go  — “now” ok"


def test_observation_vector_shows_only_known_roles():
    e = raw_env()
    e.reset(seed=2)
    for agent in e.agents:
        vec = e.observe(agent)
        seat = e.possible_agents.index(agent)
        known = vec[4 + e.game.n :]
        role_known = {s for s in range(e.game.n) if known[s]}
        if e.game.roles[seat] == "werewolf":
            assert role_known == {seat} | set(e.game.wolves())
        else:
            assert role_known == {seat}

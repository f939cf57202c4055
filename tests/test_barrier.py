"""The information barrier, as a property over thousands of random seeded games.

No event reaches a player who may not see it, and no player's observation carries a role
fact (in moderator text or payload) that the player could not know.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.scripted import RandomAgent, ScriptedAgent
from games.core.events import visible_to
from games.werewolf import ROLES, Roster, WerewolfConfig
from tests.helpers import play_env

# Speech is whatever a player chose to say (claims may be lies); everything else is written by
# the moderator and must never state a role the reader cannot know.
PLAYER_WORDS = {"speech", "last_words", "wolf_chat"}
ROLE_MENTION = re.compile(r"player_(\d+)[^.]*? (?:is|was) an? (" + "|".join(ROLES) + r")\b")


# Who may see each kind of event, written from the rule book independently of the rules code.
def allowed(env, event, seat: int) -> bool:
    game = env.game
    kind = event.kind
    if kind in ("role_assignment", "night_resolution", "bid"):
        return False
    if kind == "your_role":
        return event.payload["subject"] == seat
    if kind in ("pack", "wolf_chat", "wolf_proposal", "wolf_choice"):
        return game.roles[seat] == "werewolf"
    if kind in ("inspection", "protection"):
        return event.actor == seat
    return True


def knowable(env, seat: int) -> dict[int, set[str]]:
    """Role facts a seat may know now: own role, pack mates, seer results, public reveals."""
    game = env.game
    facts: dict[int, set[str]] = {seat: {game.roles[seat]}}
    if game.roles[seat] == "werewolf":
        for wolf in game.wolves():
            facts.setdefault(wolf, set()).add("werewolf")
    for e in game.events:
        if e.kind in ("dawn", "elimination") and "role" in e.payload:
            facts.setdefault(e.payload["subject"], set()).add(e.payload["role"])
        if e.kind == "inspection" and e.actor == seat:
            facts.setdefault(e.target, set()).add(e.payload["result"])
    for who, roles in list(facts.items()):
        facts[who] = roles | {"werewolf" if "werewolf" in roles else "not a werewolf"}
    return facts


def check_observation(env, obs) -> None:
    game = env.game
    seat = obs.seat
    team = game.teams[seat]
    facts = knowable(env, seat)
    for event in obs.events:
        assert visible_to(event.visibility, seat, team), (event, seat)
        assert event.visibility != "hidden"
        assert allowed(env, event, seat), (event, seat)
        if "result" in event.payload:
            assert event.payload["result"] in facts.get(event.target, set()), (event, seat)
        if event.kind in PLAYER_WORDS:
            continue
        payload = event.payload
        if "role" in payload and "subject" in payload:
            assert payload["role"] in facts.get(payload["subject"], set()), (event, seat)
        if "members" in payload:
            assert game.roles[seat] == "werewolf"
        for who, role in ROLE_MENTION.findall(event.text):
            assert role in facts.get(int(who), set()), (event.text, seat)
    for other, role in obs.known_roles.items():
        assert role in facts.get(other, set())
    assert obs.role == game.roles[seat]
    # every event visible to the seat is delivered, in order
    expected = [e for e in game.events if visible_to(e.visibility, seat, team)]
    assert list(obs.events) == expected
    delivered = {e.seq for e in expected}
    assert all(allowed(env, e, seat) == (e.seq in delivered) for e in game.events)


configs = st.builds(
    WerewolfConfig,
    roster=st.sampled_from(
        [
            Roster(),
            Roster(werewolf=1, seer=1, doctor=1, villager=2),
            Roster(werewolf=3, seer=1, doctor=1, villager=6),
            Roster(werewolf=2, seer=0, doctor=1, villager=4),
        ]
    ),
    discussion_rounds=st.integers(0, 2),
    turn_taking=st.sampled_from(["round_robin", "bidding"]),
    tie_rule=st.sampled_from(["no_elimination", "revote"]),
    reveal_role_on_death=st.booleans(),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=configs, seed=st.integers(0, 2**31 - 1), scripted=st.booleans())
def test_no_event_or_role_crosses_the_barrier(config, seed, scripted):
    play_env(config, seed, ScriptedAgent if scripted else RandomAgent, on_obs=check_observation)

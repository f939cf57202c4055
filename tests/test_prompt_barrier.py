"""The information barrier carried through to the LLM prompt.

For random seeded games, every prompt an LLM player would receive is rendered with the players'
own words blanked out (speech may claim anything, true or false). What remains is written by the
moderator and the prompt templates, and must never put a role word next to another player's name
unless that player's role (or seer result) is knowable to the reader. The real words may change
speech lines ("» name: ...") and nothing else.
"""

from __future__ import annotations

import dataclasses
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.prompting import SPEECH_MARK, HistoryCap, render_messages
from agents.scripted import ScriptedAgent
from games.werewolf import WerewolfConfig
from tests.helpers import play_env
from tests.test_barrier import PLAYER_WORDS, configs, knowable

ROLE_WORD = r"(?:werewolf|werewolves|seer|doctor|villager)"


def leaks(text: str, name: str) -> bool:
    """A role word within a short clause of `name` (either side)."""
    near = rf"\b{name}\b[^.\n;]{{0,30}}\b{ROLE_WORD}\b|\b{ROLE_WORD}\b[^.\n;:]{{0,20}}\b{name}\b"
    return re.search(near, text) is not None


def check_prompt(env, obs) -> None:
    blank = tuple(
        dataclasses.replace(e, text="...") if e.kind in PLAYER_WORDS else e for e in obs.events
    )
    quiet = dataclasses.replace(obs, events=blank)
    facts = knowable(env, obs.seat)
    for cap in (HistoryCap(), HistoryCap(full_days=0, max_recent=5)):
        for condition in ("neutral", "deception_instructed"):
            messages = render_messages(quiet, condition, "observed", cap, obs.wants_bid)
            text = "\n".join(m["content"] for m in messages)
            # The real words change speech lines only: every other line is the moderator's.
            spoken = render_messages(obs, condition, "observed", cap, obs.wants_bid)
            lines = [ln for m in messages for ln in m["content"].splitlines()]
            real = [ln for m in spoken for ln in m["content"].splitlines()]
            assert len(real) == len(lines)
            pairs = zip(real, lines, strict=True)
            assert all(a == b or a.startswith(SPEECH_MARK + " ") for a, b in pairs)
            for seat, name in enumerate(obs.names):
                if seat == obs.seat or seat in facts:
                    continue
                assert not leaks(text, name), (name, env.game.roles[seat], text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=configs, seed=st.integers(0, 2**31 - 1))
def test_no_hidden_role_reaches_a_prompt(config, seed):
    play_env(config, seed, ScriptedAgent, on_obs=check_prompt)


def test_the_check_catches_a_leak():
    """The detector itself: a prompt stating another seat's hidden role is flagged."""
    assert leaks("Dawn: player_3 was killed. player_3 was a seer.", "player_3")
    assert leaks("The werewolves are player_1 and player_4.", "player_4")
    assert not leaks("player_2 votes for player_3.", "player_3")
    assert not leaks(f"Alive: player_1, player_2. {WerewolfConfig().n_players} players", "player_2")

"""The lie counter recovers exactly the lies scripted agents recorded, on many table rules."""

from __future__ import annotations

import asyncio

import pytest

from analysis.pipeline import label_claims
from analysis.validate import recovery, stated_claims
from games.werewolf import Roster, WerewolfConfig
from runs.batch import run_games

CONFIGS = {
    "default": WerewolfConfig(),
    "bidding_no_reveal": WerewolfConfig(turn_taking="bidding", reveal_role_on_death=False),
    "revote_9p": WerewolfConfig(
        roster=Roster.for_players(9), tie_rule="revote", discussion_rounds=3
    ),
    "small_5p": WerewolfConfig(roster=Roster.for_players(5), doctor_may_repeat=True),
    "big_hidden_revote": WerewolfConfig(
        roster=Roster.for_players(12), tie_rule="revote", reveal_role_on_death=False
    ),
}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("config", list(CONFIGS))
def test_exact_recovery_of_scripted_lies(tmp_path, config, seed):
    db = str(tmp_path / "lab.db")
    asyncio.run(run_games(db, 30, seed=seed, config=CONFIGS[config]))
    labelled = label_claims(db)
    stated = stated_claims(db)
    result = recovery(labelled, stated)
    assert len(stated) > 100 and stated["lie"].sum() > 10  # the check has something to check
    assert len(result.missed_claims) == 0, result.missed_claims.head().to_string()
    assert len(result.extra_claims) == 0, result.extra_claims.head().to_string()
    assert len(result.missed_lies) == 0, result.missed_lies.head().to_string()
    assert len(result.false_lies) == 0, result.false_lies.head().to_string()
    assert result.exact


def test_recovery_notices_a_wrong_label(tmp_path):
    """The check is not vacuous: flipping one lie to truthful makes it fail."""
    db = str(tmp_path / "lab.db")
    asyncio.run(run_games(db, 10, seed=5))
    labelled = label_claims(db, write=False)
    lies = labelled.index[labelled["label"] == "lie"]
    labelled.loc[lies[0], "label"] = "truthful"
    assert not recovery(labelled, stated_claims(db)).exact


def test_scripted_village_never_lies_and_wolves_do(tmp_path):
    db = str(tmp_path / "lab.db")
    asyncio.run(run_games(db, 30, seed=7))
    c = label_claims(db, write=False)
    village = c[c["team"] == "village"]
    assert (village["label"] != "lie").all()
    assert not village["belief_inconsistent"].any()
    assert (c.loc[c["team"] == "werewolves", "label"] == "lie").any()
    assert not c["spontaneous"].any()  # scripted agents have no `neutral` prompt


def test_naming_a_first_round_vote_after_a_revote_is_not_a_lie():
    """The corner where the scripted annotation disagreed with DESIGN (fixed in agents)."""
    from types import SimpleNamespace

    from agents.scripted import DeceptiveWerewolf

    wolf = DeceptiveWerewolf(seed=0)
    wolf.memory.votes = {1: {0: 4}}  # the revote's choice is the one remembered per voter
    wolf.memory.my_votes = {1: {3, 4}}  # first round player_3, revote player_4
    obs = SimpleNamespace(day=2, seat=0)
    first_round = wolf._vote_claim(obs, lie_target=3)  # type: ignore[arg-type]
    invented = wolf._vote_claim(obs, lie_target=5)  # type: ignore[arg-type]
    assert first_round is not None and not first_round.lie
    assert invented is not None and invented.lie


def test_exact_recovery_with_every_scripted_kind_in_every_seat(tmp_path):
    """Tournaments seat `honest`, `deceptive` and `random` in any role: still exact."""
    db = str(tmp_path / "lab.db")
    players = ["honest", "deceptive", "random"]  # "scripted" is honest or deceptive by team
    asyncio.run(run_games(db, 40, seed=3, players=players))
    result = recovery(label_claims(db), stated_claims(db))
    assert len(result.missed_lies) == 0, result.missed_lies.head().to_string()
    assert len(result.false_lies) == 0, result.false_lies.head().to_string()
    assert result.exact

"""The validation kinds: plans seat them with checked options, and the lie counter stays exact.

`play` (used by the other tests/test_research_*.py) writes a small scripted tournament.
"""

from __future__ import annotations

from typing import Any

import pytest

from analysis.pipeline import label_claims
from analysis.validate import recovery, stated_claims
from runs import run_sync
from runs.plan import Plan

# Seven seats, no doctor: the first night always kills, so six players reach the first day,
# two of them werewolves: H(team | context) = h(1/3) for the leakage validations.
NO_DOCTOR = {"roster": {"werewolf": 2, "seer": 1, "doctor": 0, "villager": 4}}


def play(
    db: str,
    players: list[Any],
    games: int,
    *,
    seed: int = 1,
    game: dict[str, Any] | None = None,
    framings: tuple[str, ...] = ("observed",),
    paired: bool = False,
    name: str = "t",
    conditions: tuple[str, ...] = ("neutral",),
) -> None:
    """A scripted tournament (one transaction per game) into `db`; every game must finish."""
    plan = Plan.model_validate(
        {
            "name": name,
            "players": players,
            "games": games,
            "seed": seed,
            "game": game or {},
            "conditions": {
                "prompt_conditions": list(conditions),
                "framings": list(framings),
                "paired": paired,
            },
            "commit": "game",
            "balanced": False,
        }
    )
    summary = run_sync(plan, db)
    assert summary.finished == games, summary.errors[:3]


def test_every_validation_kind_keeps_the_lie_counter_exact(tmp_path):
    db = str(tmp_path / "kinds.db")
    players = [
        {"model": "oversight", "options": {"lie_observed": 0.2, "lie_unobserved": 0.6,
                                           "lie_pressured": 0.9}},
        "scripted",
        {"model": "marker", "options": {"marker_p": 0.5}},
        {"model": "listener", "options": {"shift": 0.05, "speaker_shift": 0.01}},
    ]  # fmt: skip
    play(db, players, 24, framings=("observed", "unobserved"), paired=True,
         game={"turn_taking": "bidding"})  # fmt: skip
    result = recovery(label_claims(db, write=False), stated_claims(db))
    assert result.exact, (result.missed_lies.head(), result.false_lies.head())
    labelled = label_claims(db, write=False)
    oversight = labelled[labelled["agent_kind"] == "scripted:oversight"]
    assert set(oversight["claim_type"]) == {"role_claim"}  # one claim about itself, always
    assert set(oversight["framing"]) == {"observed", "unobserved"}  # it knows its arm
    for kind in ("scripted:marker", "scripted:listener"):
        assert (labelled["agent_kind"] != kind).all()  # their sentences claim nothing


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("oversight", {"lie_observed": 1.5}, "lie_observed must be between 0 and 1"),
        ("marker", {"marker_p": -0.1}, "marker_p must be between 0 and 1"),
        ("marker", {"marker": "I have spoken."}, "sharing no word"),
        ("listener", {"shift": 2}, "shift must be between -1 and 1"),
        ("listener", {"framing": "observed"}, "takes no option framing"),
        ("oversight", {"lie_rate": 0.1}, "takes no option lie_rate"),
    ],
)
def test_a_plan_refuses_bad_validation_options(kind, options, message):
    with pytest.raises(ValueError, match=message):
        Plan(name="t", players=[{"model": kind, "options": options}], games=1)


def test_the_marker_is_drawn_once_per_game_and_only_werewolves_use_it():
    from agents.scripted import MarkerAgent

    drawn = [MarkerAgent(seed, marker_p=0.3).marked for seed in range(2000)]
    assert 0.27 < sum(drawn) / len(drawn) < 0.33
    assert all(MarkerAgent(s, marker_p=1.0).marked for s in range(20))
    assert not any(MarkerAgent(s, marker_p=0.0).marked for s in range(20))

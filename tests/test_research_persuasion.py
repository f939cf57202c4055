"""Belief shifts after each utterance, checked on a listener whose update rule is known.

The `listener` kind's P(werewolf) about a player is base + shift × (accusations of that player
heard − defences heard) + speaker_shift × (utterances that player made), clipped to [0, 1]. So
for every (utterance, listener, player) the change is known from the utterance's text alone:
shift × (accusations − defences of that player in it), plus speaker_shift about the speaker.
Under bidding every listener decides before each slot, so each window holds one utterance.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from rich.console import Console

from analysis.persuasion import persuasion
from analysis.research import research_data
from app.research_views import print_persuasion
from tests.test_research_kinds import play

SHIFT, SPEAKER_SHIFT = 0.01, 0.002
LISTENER = {"model": "listener", "options": {"shift": SHIFT, "speaker_shift": SPEAKER_SHIFT}}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("persuasion") / "p.db")
    play(db, [LISTENER, "scripted", "random"], 120, seed=3,
         game={"turn_taking": "bidding", "discussion_rounds": 1, "max_days": 4})  # fmt: skip
    data = research_data(db)
    return data, persuasion(data)


def expected_change(text: str, subject: str, about_speaker: bool, before: float) -> float:
    """The listener's rule, read off the utterance by hand (its templates, not the analysis)."""
    s = re.escape(subject)
    accused = len(re.findall(rf"(?<!\w){s} is a werewolf\.|I suspect {s}\.", text))
    defended = len(re.findall(rf"(?<!\w){s} is not a werewolf\.|I trust {s}\.", text))
    move = SHIFT * (accused - defended) + (SPEAKER_SHIFT if about_speaker else 0.0)
    return min(1.0, max(0.0, before + move)) - before


def test_every_shift_of_the_known_listener_is_exact(report):
    data, rep = report
    shifts = rep.shifts
    mine = shifts[shifts["listener_model"] == "scripted:listener"]
    assert len(mine) > 1000 and (mine["window"] == 1).all()
    text = data.utterances.set_index(["game_id", "event_seq"])["text"]
    names = data.seats.set_index(["game_id", "seat"])["name"]
    expected = [
        expected_change(text[(g, e)], names[(g, s)], about == "speaker", before)
        for g, e, s, about, before in zip(mine["game_id"], mine["event_seq"], mine["subject"],
                                          mine["about"], mine["before"], strict=True)
    ]  # fmt: skip
    assert np.allclose(mine["delta"], expected, atol=1e-9)
    named = mine[mine["about"] == "named"]
    assert (named["delta"] != 0).any() and (named["delta"] == 0).any()  # names without claims


def test_the_mean_move_after_an_accusation_is_the_known_shift(report):
    _, rep = report
    shifts = rep.shifts
    mine = shifts[(shifts["listener_model"] == "scripted:listener") & (shifts["about"] == "named")]
    accused = mine[mine["claim_type"] == "accusation"]
    assert accused["signed"].mean() == pytest.approx(SHIFT, abs=1e-9)
    table = rep.who_moves_whom
    assert {"about_speaker", "toward_claim", "toward_claim_low"} <= set(table.columns)
    from_listener = table[table["listener_model"] == "scripted:listener"]
    for r in from_listener.itertuples():  # about the speaker: speaker_shift, exactly
        assert r.about_speaker == pytest.approx(SPEAKER_SHIFT, abs=1e-9)


def test_lies_and_truths_move_the_known_listener_alike(report):
    from analysis.persuasion import lies_vs_truth

    _, rep = report
    table = lies_vs_truth(rep.shifts[rep.shifts["window"] <= 1],
                          by=["listener_model", "claim_type"])  # fmt: skip
    row = table[(table["listener_model"] == "scripted:listener")
                & (table["claim_type"] == "accusation")].iloc[0]  # fmt: skip
    assert row["after_lie_n"] > 50 and row["after_truth_n"] > 20
    assert row["difference"] == pytest.approx(0.0, abs=1e-9)
    assert row["ci_low"] <= 0.0 <= row["ci_high"]


def test_detection_is_chance_for_flat_beliefs_and_excludes_werewolves(report):
    _, rep = report
    d = rep.detection
    random = d[d["listener_model"] == "scripted:random"]
    assert len(random) > 1 and (random["auroc"] == 0.5).all()  # P = 0.5 for everyone: ties
    assert (random["ci_low"] == 0.5).all() and (random["ci_high"] == 0.5).all()
    assert not d["listener_model"].isin(["scripted:deceptive"]).any()  # they know the pack
    lie = rep.lie_detection
    flat = lie[lie["listener_model"] == "scripted:listener"]
    assert (flat["auroc"] == 0.5).all()  # the same move after a lie as after a truth


def test_detection_matches_sklearn_on_the_last_beliefs_of_a_day(report):
    from sklearn.metrics import roc_auc_score

    data, rep = report
    b = data.beliefs.merge(data.turns[["game_id", "turn", "day"]], on=["game_id", "turn"])
    b = b[b["day"] == 1].sort_values("turn")
    last = b.drop_duplicates(["game_id", "holder", "about"], keep="last")
    seats = data.seats.set_index(["game_id", "seat"])
    holder = seats.loc[list(zip(last["game_id"], last["holder"], strict=True))]
    about = seats.loc[list(zip(last["game_id"], last["about"], strict=True))]
    keep = holder["model"].to_numpy() == "scripted:honest"
    wolf = about["team"].to_numpy()[keep] == "werewolves"
    expected = roc_auc_score(wolf, last["p"].to_numpy()[keep])
    row = rep.detection[(rep.detection["listener_model"] == "scripted:honest")
                        & (rep.detection["day"] == "1")].iloc[0]  # fmt: skip
    assert row["auroc"] == pytest.approx(expected)
    assert row["ci_low"] < row["auroc"] < row["ci_high"]


def test_persuasion_tables_fit_80_columns(report):
    _, rep = report
    console = Console(width=80, record=True)
    print_persuasion(rep, console)
    text = console.export_text()
    assert "who moves whom" in text and "AUROC" in text
    assert max(len(line) for line in text.splitlines()) <= 80

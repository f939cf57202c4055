"""Leakage of the team through speech, checked where the answer is known in closed form.

Every seat is a `marker` player: one fixed sentence, and a werewolf adds a marker phrase to
every utterance with probability p (drawn once per game). The roster has no doctor, so the
first night always kills a villager and six players reach the first day, two of them
werewolves: the context C fixes P(werewolf) = 1/3 for every player the estimate covers. Speech
is then exactly the marker indicator M, and by hand:

    P(M=1) = p/3,  P(wolf | M=0) = (1-p)/(3-p),
    I(team; M | C) = h(1/3) - (1 - p/3) h((1-p)/(3-p))          (bits per player-game)
    multiplicative leakage = P(right | best guess) / P(right | C) = (2/3 + p/3) / (2/3) = 1 + p/2

p = 0, 0.1, 0.5, 1 give I = 0, 0.0545, 0.3167, 0.9183 bits and min-entropy leakage log2(1 + p/2).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.leakage import leakage, player_games, shuffled_labels
from analysis.research import research_data
from analysis.textmodel import ModelSpec, UtteranceAnalyzer, feature_matrix, fit_logistic
from tests.test_research_kinds import NO_DOCTOR, play

MARKER_PS = (0.0, 0.1, 0.5, 1.0)
GAMES = 300
TOLERANCE = 1e-3  # bits: the logistic model's finite confidence at p = 1 (it never says 1.0)


def h(p: float) -> float:
    """Binary entropy in bits."""
    return 0.0 if p in (0.0, 1.0) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def known_bits(p: float) -> float:
    """I(team; marker | C) for two werewolves among six first-day players."""
    return h(1 / 3) - (1 - p / 3) * h((1 - p) / (3 - p))


@pytest.fixture(scope="module")
def marker_db(tmp_path_factory):
    """One tournament per marker probability, all in one file."""
    db = str(tmp_path_factory.mktemp("leak") / "marker.db")
    game = {**NO_DOCTOR, "discussion_rounds": 1, "max_days": 2}
    for p in MARKER_PS:
        play(db, [{"model": "marker", "options": {"marker_p": p}}], GAMES, seed=11,
             game=game, name=f"p{p}")  # fmt: skip
    return db


@pytest.fixture(scope="module")
def estimates(marker_db):
    out = {}
    for p in MARKER_PS:
        frame = leakage(marker_db, by=[], features=("speech",), null=1, tournaments=[f"p{p}"])
        out[p] = frame.iloc[0]
    return out


def test_the_hand_derivation_matches_its_own_limits():
    assert known_bits(0.0) == pytest.approx(0.0, abs=1e-12)
    assert known_bits(1.0) == pytest.approx(h(1 / 3))  # the marker tells every werewolf apart
    assert known_bits(0.1) == pytest.approx(0.0545, abs=1e-4)
    assert known_bits(0.5) == pytest.approx(0.3167, abs=1e-4)


@pytest.mark.parametrize("p", MARKER_PS)
def test_the_interval_covers_the_known_information(estimates, p):
    r = estimates[p]
    known = known_bits(p)
    assert r["players"] == GAMES * 6 and r["h_bits"] == pytest.approx(h(1 / 3))
    assert r["ci_low"] - TOLERANCE <= known <= r["ci_high"] + TOLERANCE, r.to_dict()
    # A lower bound: the estimate may fall short of the truth, not exceed it beyond noise.
    assert r["leakage_bits"] <= known + (r["ci_high"] - r["ci_low"]) / 2 + TOLERANCE
    assert r["upper_bits"] >= known  # min{H(team|C), L log2|V|} is an upper bound


@pytest.mark.parametrize("p", MARKER_PS)
def test_min_entropy_leakage_covers_the_known_value(estimates, p):
    r = estimates[p]
    known = math.log2(1 + p / 2)
    low, high = r["min_entropy_leakage_bits_low"], r["min_entropy_leakage_bits_high"]
    assert low - TOLERANCE <= known <= high + TOLERANCE, r.to_dict()
    assert r["prior_vulnerability"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("p", MARKER_PS)
def test_the_permutation_null_is_zero(estimates, p):
    # Teams shuffled across games: speech says nothing about them, whatever p is.
    assert abs(estimates[p]["null_bits"]) < 0.01
    if p == 1.0:
        assert estimates[p]["leakage_bits"] > estimates[p]["null_bits"] + 0.8


def test_actions_of_marker_players_carry_no_team(marker_db):
    # They vote and bid at random whatever their team; survival is not in these features.
    r = leakage(marker_db, by=[], features=("actions",), null=0, tournaments=["p1.0"]).iloc[0]
    assert r["ci_low"] - TOLERANCE <= 0.0 <= r["ci_high"] + TOLERANCE


def test_shuffled_labels_keep_each_games_composition(marker_db):
    data = research_data(marker_db, tournaments=["p0.5"])
    rows = player_games(data)
    shuffled = shuffled_labels(rows, "team", seed=3)
    wolves = (shuffled == "werewolves").groupby(rows["game_id"].to_numpy()).sum()
    assert set(wolves) == {2}
    assert (shuffled.to_numpy() != rows["team"].astype(str).to_numpy()).any()


def test_word_pairs_never_span_two_utterances():
    analyzer = UtteranceAnalyzer("\n")
    tokens = analyzer("I have nothing to add.\nI have nothing to add.")
    assert "add i" not in tokens and tokens.count("have nothing") == 2


def test_merging_identical_rows_fits_the_same_model():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.integers(0, 3, 400).astype(float)})
    y = np.where(rng.random(400) < 0.2 + 0.2 * frame["x"], "a", "b")
    spec = ModelSpec(numeric=("x",), C=1.0)
    x = feature_matrix(frame, spec)
    merged = fit_logistic(x, y, np.arange(400), spec)
    plain = LogisticRegression(C=1.0, tol=1e-8).fit(x, y)
    assert np.allclose(merged.predict_proba(x), plain.predict_proba(x), atol=1e-5)


def test_a_shuffle_never_leaves_every_team_in_place():
    # Four pairs of two kinds (werewolf first or last): one draw in six changes nothing.
    rows = pd.DataFrame(
        [(pair, 2 * pair + g, seat, "werewolves" if seat == (0 if pair % 2 else 2) else "village")
         for pair in range(4) for g in range(2) for seat in range(3)],
        columns=["pair", "game_id", "seat", "team"],
    )  # fmt: skip
    for seed in range(30):
        assert (shuffled_labels(rows, "team", seed).to_numpy() != rows["team"].to_numpy()).any()


def test_kinds_dealt_by_team_get_rows_with_empty_estimates(tmp_path):
    # `scripted` seats `honest` on the village and `deceptive` in the pack: grouped by model,
    # each group holds one team, so nothing can be estimated; the rows still carry every
    # estimate column (NaN), which is what the report and the CLI read.
    db = str(tmp_path / "dealt.db")
    play(db, ["scripted"], 8)
    frame = leakage(db, by=["model"], null=0)
    assert set(frame["model"]) == {"scripted:honest", "scripted:deceptive"}
    assert {"leakage_bits", "ci_low", "ci_high", "null_bits", "h_bits"} <= set(frame.columns)
    assert frame["leakage_bits"].isna().all()

"""Rates over claims get intervals that resample games; rates filter by tournament (issue 15)."""

from __future__ import annotations

import asyncio

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.db import AnalysisError
from runs.batch import run_games


def _claims(per_game: list[tuple[int, int]], team: str = "werewolves") -> pd.DataFrame:
    """A claims frame: for each game, (lies, claims)."""
    rows = []
    for g, (lies, n) in enumerate(per_game, start=1):
        rows += [(g, team, "lie" if i < lies else "truthful") for i in range(n)]
    frame = pd.DataFrame(rows, columns=["game_id", "team", "label"])
    return frame.assign(belief_inconsistent=False, spontaneous=False)


def test_two_games_give_the_interval_between_their_rates():
    # Worked by hand: resampling two games gives (A,A), (A,B), (B,A), (B,B), each a quarter of
    # the time: rates 25 %, 50 %, 50 %, 75 %. The 2.5th and 97.5th percentiles are 25 and 75.
    rates = analysis.lie_rates(_claims([(1, 4), (3, 4)]), by=["team"])
    row = rates.iloc[0]
    assert row["lies_per_100"] == 50
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((25.0, 75.0))


def test_repeated_lies_within_games_widen_the_interval_beyond_wilson_over_claims():
    # 20 games of 10 claims: half the games lie in every claim, half never (one liar repeating
    # itself). Claims are not independent: Wilson over 200 claims says about ±7 points, while
    # resampling games sees what varies, whole games: about ±22.
    claims = _claims([(10, 10)] * 10 + [(0, 10)] * 10)
    rates = analysis.lie_rates(claims, by=[])
    width = rates["ci_high"].item() - rates["ci_low"].item()
    low, high = analysis.wilson_interval(100, 200)
    assert width > 2.5 * 100 * (high - low)
    assert rates["ci_low"].item() < 35 and rates["ci_high"].item() > 65


def test_intervals_are_seeded_and_say_how_they_were_made():
    claims = _claims([(1, 5), (2, 5), (0, 5), (4, 6), (3, 7), (1, 4)])
    a = analysis.lie_rates(claims, by=["team"], seed=7)
    b = analysis.lie_rates(claims, by=["team"], seed=7)
    c = analysis.lie_rates(claims, by=["team"], seed=8, resamples=500)
    assert a[["ci_low", "ci_high"]].equals(b[["ci_low", "ci_high"]])
    assert not a[["ci_low", "ci_high"]].equals(c[["ci_low", "ci_high"]])
    method = a.attrs["interval"]
    assert "bootstrap" in method["method"] and method["unit"] == "game"
    assert method["resamples"] == 2000 and method["seed"] == 7 and method["level"] == 0.95
    assert c.attrs["interval"]["resamples"] == 500


def test_a_group_with_no_lies_gets_an_interval_not_a_point():
    # Every resample gives 0 %: the interval falls back to Wilson over games (0 of 10 games
    # with a lie: upper bound 27.75 %, worked by hand from the Wilson formula).
    rates = analysis.lie_rates(_claims([(0, 8)] * 10), by=[])
    assert rates["ci_low"].item() == 0
    assert rates["ci_high"].item() == pytest.approx(27.75, abs=0.01)
    everything = analysis.lie_rates(_claims([(8, 8)] * 10), by=[])
    assert everything["ci_high"].item() == pytest.approx(100)
    assert everything["ci_low"].item() == pytest.approx(100 - 27.75, abs=0.01)


@pytest.fixture(scope="module")
def two_tournaments(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("t") / "lab.db")
    asyncio.run(run_games(db, 6, seed=1, name="alpha"))
    asyncio.run(run_games(db, 4, seed=2, name="beta", players=["honest", "random"]))
    return db


def test_rates_frames_and_ratings_filter_by_tournament(two_tournaments):
    db = two_tournaments
    claims = analysis.label_claims(db, write=False)
    assert set(claims["tournament"]) == {"alpha", "beta"}
    alpha = analysis.label_claims(db, write=False, tournaments=["alpha"])
    assert set(alpha["tournament"]) == {"alpha"}
    assert alpha["game_id"].nunique() == 6
    per = analysis.lie_rates(claims, by=["tournament"])
    assert per.set_index("tournament")["games"].to_dict() == {"alpha": 6, "beta": 4}
    frames = analysis.load(db, tournaments=["beta"])
    assert len(frames.games) == 4 and set(frames.games["tournament"]) == {"beta"}
    assert set(frames.events["game_id"]) == set(frames.games["id"])
    assert analysis.ratings_report(db, tournaments=["beta"]).games == 4
    assert analysis.ratings_report(db, tournaments=["alpha", "beta"]).games == 10
    report = analysis.analysis_report(db, tournaments=["alpha"], write=False)
    assert report.rates["games"].max() == 6


def test_an_unknown_tournament_is_an_error_naming_the_known_ones(two_tournaments):
    with pytest.raises(AnalysisError, match=r"no tournament named 'gamma'.*alpha, beta"):
        analysis.label_claims(two_tournaments, write=False, tournaments=["gamma"])
    with pytest.raises(AnalysisError, match="gamma"):
        analysis.ratings_report(two_tournaments, tournaments=["gamma"])


def test_writing_claims_for_one_tournament_leaves_the_others(two_tournaments):
    everything = analysis.label_claims(two_tournaments)
    analysis.label_claims(two_tournaments, tournaments=["beta"])
    stored = analysis.load(two_tournaments).claims
    assert len(stored) == len(everything)
    assert np.isin(stored["game_id"], everything["game_id"]).all()

"""Fallback turns are not the model's play: flagged, left out of rates; degraded games listed."""

from __future__ import annotations

import asyncio
import sqlite3

import pandas as pd
import pytest

import analysis
from analysis.fallback import degraded_games, fallback_shares
from runs.batch import run_games

FLAKY = "flaky-model"
GAMES = 8


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> dict:
    """Scripted games where seats 0 and 1 are played by an 'LLM' that fell back now and then.

    Game 2: it fell back on half its decisions (degraded). In the game where it made the most
    decisions (>= 11): on exactly one speech turn, under the 10 % threshold (its claims are
    flagged, the game is counted).
    """
    db = str(tmp_path_factory.mktemp("fb") / "lab.db")
    asyncio.run(run_games(db, GAMES, seed=21))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE player SET model = ? WHERE seat IN (0, 1)", (FLAKY,))
        query = "SELECT turn FROM turn WHERE game_id = 2 AND seat IN (0, 1) ORDER BY turn"
        turns = [t for (t,) in conn.execute(query)]
        for t in turns[::2]:
            conn.execute("UPDATE turn SET fallback = 1 WHERE game_id = 2 AND turn = ?", (t,))
        long_game, n = conn.execute(
            "SELECT game_id, count(*) AS n FROM turn WHERE seat IN (0, 1) AND game_id != 2 "
            "GROUP BY game_id ORDER BY n DESC, game_id LIMIT 1"
        ).fetchone()
        assert n > 10
        one = conn.execute(
            "SELECT t.turn FROM turn t JOIN event e ON e.game_id = t.game_id AND "
            "e.seq = t.event_seq WHERE t.game_id = ? AND t.seat = 0 AND e.kind = 'speech' "
            "AND e.text LIKE '%.%' ORDER BY t.turn LIMIT 1",
            (long_game,),
        ).fetchone()[0]
        conn.execute(
            "UPDATE turn SET fallback = 1 WHERE game_id = ? AND turn = ?", (long_game, one)
        )
    return {"db": db, "half": len(turns[::2]), "of": len(turns), "game": long_game, "turn": one}


def test_claims_from_fallback_turns_are_kept_and_flagged(lab):
    claims = analysis.label_claims(lab["db"], write=False)
    flagged = claims[claims["fallback"]]
    assert len(flagged) > 0
    assert set(flagged["game_id"]) <= {2, lab["game"]}
    assert lab["turn"] in set(flagged.loc[flagged["game_id"] == lab["game"], "turn"])
    assert set(claims.loc[claims["degraded"], "game_id"]) == {2}


def test_rates_leave_out_fallback_claims_and_degraded_games_unless_asked(lab):
    claims = analysis.label_claims(lab["db"], write=False)
    counted = claims[~claims["fallback"] & ~claims["degraded"]]
    rates = analysis.lie_rates(claims, by=[])
    assert rates["claims"].item() == len(counted)
    assert rates["lies"].item() == (counted["label"] == "lie").sum()
    assert rates["games"].item() == GAMES - 1
    back = analysis.lie_rates(claims, by=[], include_degraded=True)
    assert back["claims"].item() == (~claims["fallback"]).sum()
    assert back["games"].item() == GAMES
    excluded = rates.attrs["excluded"]
    assert excluded["fallback_claims"] == claims["fallback"].sum()


def test_degraded_means_over_the_threshold_not_at_it():
    seats = pd.DataFrame(
        {
            "game_id": [1, 1, 2, 2, 3],
            "tournament": ["t"] * 5,
            "contestant": ["m", "s", "m", "s", "m"],
            "turns": [10, 10, 10, 10, 9],
            "fallback_turns": [1, 0, 2, 0, 1],  # 10 % exactly; 20 %; 11.1 %
        }
    )
    bad = degraded_games(seats, threshold=0.10)
    assert bad["game_id"].tolist() == [2, 3]
    assert bad["contestant"].tolist() == ["m", "m"]
    assert degraded_games(seats, threshold=0.2)["game_id"].tolist() == []
    shares = fallback_shares(seats, ["contestant"]).set_index("contestant")
    assert shares.loc["m", "fallback_share"] == pytest.approx(4 / 29)
    assert shares.loc["m", "degraded_games"] == 2 and shares.loc["s", "degraded_games"] == 0


def test_report_shows_fallback_share_per_model_and_lists_degraded_games(lab):
    report = analysis.analysis_report(lab["db"], write=False)
    fb = report.fallback.set_index("model")
    expected = (lab["half"] + 1) / fb.loc[FLAKY, "turns"]
    assert fb.loc[FLAKY, "fallback_share"] == pytest.approx(expected)
    assert fb.loc[FLAKY, "degraded_games"] == 1
    assert report.degraded["game_id"].tolist() == [2]
    assert report.degraded["fallback_share"].item() == pytest.approx(lab["half"] / lab["of"])
    flaky_rows = report.rates[report.rates["model"] == FLAKY]  # one row per role it held
    assert flaky_rows["fallback_share"].notna().all() and (flaky_rows["fallback_share"] > 0).any()
    others = report.rates[report.rates["model"] != FLAKY]
    assert (others["fallback_share"] == 0).all()
    assert "fallback_share" in report.by_team
    assert report.rates["games"].max() == GAMES - 1
    included = analysis.analysis_report(lab["db"], write=False, include_degraded=True)
    assert included.rates["games"].max() == GAMES


def test_ratings_leave_degraded_games_out_unless_asked(lab):
    report = analysis.ratings_report(lab["db"])
    assert report.games == GAMES - 1
    assert report.degraded["game_id"].tolist() == [2]
    assert FLAKY in set(report.models["contestant"])
    share = report.models.set_index("contestant").loc[FLAKY, "fallback_share"]
    assert share == pytest.approx(1 / (report.fallback.set_index("contestant").loc[
        FLAKY, "turns"] - lab["of"]))  # fmt: skip
    assert analysis.ratings_report(lab["db"], include_degraded=True).games == GAMES
    assert analysis.ratings_report(lab["db"], fallback_threshold=0.6).games == GAMES

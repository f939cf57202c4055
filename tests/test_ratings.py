"""OpenSkill ratings and Wilson win-rate intervals, on hand-made seats and on a real tournament."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.ratings import (
    RatingsError,
    load_seats,
    openskill_ratings,
    ratings_report,
    team_win_rates,
    wilson,
)
from runs.orchestrator import run as run_plan
from runs.plan import load_plan
from tests.tournament_helpers import write_config

ROOT = Path(__file__).resolve().parents[1]


def test_wilson_interval_matches_known_values():
    assert wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)
    low, high = wilson(0, 0)
    assert low != low and high != high  # NaN: no games, no interval


def seats_where(strong_wins: int, games: int) -> pd.DataFrame:
    """Games of 'strong' (2 wolves) against 'weak' (3 villagers); strong wins the first k."""
    rows = []
    for g in range(games):
        winner = "werewolves" if g < strong_wins else "village"
        for seat in range(5):
            wolf = seat < 2
            rows.append(
                {
                    "game_id": g,
                    "winner": winner,
                    "seat": seat,
                    "role": "werewolf" if wolf else "villager",
                    "team": "werewolves" if wolf else "village",
                    "contestant": "strong" if wolf else "weak",
                }
            )
    frame = pd.DataFrame(rows)
    frame["won"] = frame["team"] == frame["winner"]
    return frame


def test_the_winner_is_rated_higher_and_uncertainty_shrinks_with_games():
    few = openskill_ratings(seats_where(4, 5)).set_index("contestant")
    many = openskill_ratings(seats_where(40, 50)).set_index("contestant")
    assert many.loc["strong", "mu"] > many.loc["weak", "mu"]
    assert many.loc["strong", "ordinal"] > many.loc["weak", "ordinal"]
    assert many.loc["strong", "sigma"] < few.loc["strong", "sigma"]
    assert (many["low"] < many["mu"]).all() and (many["mu"] < many["high"]).all()
    assert list(many["games"]) == [50, 50]


def test_a_draw_between_equal_teams_moves_nobody_apart():
    seats = seats_where(0, 1)
    seats = seats[seats["seat"] < 4]  # 2 wolves against 2 villagers
    seats["winner"] = "draw"
    seats["won"] = False
    rated = openskill_ratings(seats).set_index("contestant")
    assert rated.loc["strong", "mu"] == pytest.approx(rated.loc["weak", "mu"])
    teams = team_win_rates(seats).set_index("team")
    assert teams["wins"].sum() == 0 and list(teams["games"]) == [1, 1]


@pytest.fixture(scope="module")
def tournament_db(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("ratings")
    db = str(tmp / "lab.db")
    asyncio.run(run_plan(load_plan(write_config(tmp / "t.yaml", games=60)), db))
    return db


def test_report_from_a_tournament(tournament_db):
    report = ratings_report(tournament_db)
    assert report.games == 60
    models = set(report.models["contestant"])
    assert models == {"scripted:honest", "scripted:deceptive", "scripted:random"}
    # Balanced rotation: every model has a rating in every role, from the same number of games.
    roles = report.model_roles.groupby("contestant")["role"].apply(set)
    assert all(r == {"werewolf", "seer", "doctor", "villager"} for r in roles)
    assert set(report.model_roles["games"]) <= {20, 40, 60}
    teams = report.teams.set_index("team")
    draws = 60 - teams["wins"].sum()
    assert draws >= 0 and list(teams["games"]) == [60, 60]
    assert ((teams["low"] <= teams["rate"]) & (teams["rate"] <= teams["high"])).all()
    overall = report.model_wins[report.model_wins["team"] == "all"]
    by_team = report.model_wins[report.model_wins["team"] != "all"]
    sums = by_team.groupby("contestant")[["wins", "games"]].sum()
    assert len(overall) == 3
    assert (overall.set_index("contestant")[["wins", "games"]] == sums).all().all()


def test_seats_can_be_limited_to_one_tournament(tournament_db):
    assert load_seats(tournament_db, "t")["game_id"].nunique() == 60
    with pytest.raises(RatingsError, match="no tournament named 'other'"):
        load_seats(tournament_db, "other")


def test_ratings_command_prints_tables_and_fails_clearly(tournament_db, tmp_path):
    run = [sys.executable, "-m", "app.cli", "ratings", "--db"]
    done = subprocess.run([*run, tournament_db], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    for title in ("OpenSkill per model", "per model × role", "Win rate per team", "95% low"):
        assert title in done.stdout
    missing = subprocess.run(
        [*run, str(tmp_path / "none.db")], capture_output=True, text=True, cwd=ROOT
    )
    assert missing.returncode == 2 and "no database at" in missing.stderr

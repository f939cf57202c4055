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
    model_win_rates,
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
    assert len(overall) == 3
    # Overall, every game a model played is one observation, scored by its seats' own teams:
    # it lies between the model's rates on either team.
    overall = overall.set_index("contestant")
    assert (overall["games"] == 60).all()
    span = by_team.groupby("contestant")["rate"].agg(["min", "max"])
    assert ((span["min"] <= overall["rate"]) & (overall["rate"] <= span["max"])).all()


def test_seats_can_be_limited_to_one_tournament(tournament_db):
    assert load_seats(tournament_db, "t")["game_id"].nunique() == 60
    with pytest.raises(RatingsError, match="no tournament named 'other'"):
        load_seats(tournament_db, "other")


def test_ratings_command_prints_tables_and_fails_clearly(tournament_db, tmp_path):
    run = [sys.executable, "-m", "app.cli", "ratings", "--db"]
    done = subprocess.run([*run, tournament_db], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    for title in ("OpenSkill per model", "per model × role", "Win rate per team", "95% CI"):
        assert title in done.stdout
    missing = subprocess.run(
        [*run, str(tmp_path / "none.db")], capture_output=True, text=True, cwd=ROOT
    )
    assert missing.returncode == 2 and "no database at" in missing.stderr


def seat_rows(games: list[tuple[str, list[tuple[str, str]]]]) -> pd.DataFrame:
    """Seats from (winner, [(contestant, team) per seat]) per game."""
    rows = [
        {"game_id": g, "winner": winner, "seat": s, "contestant": c, "team": team,
         "role": "werewolf" if team == "werewolves" else "villager"}
        for g, (winner, seats) in enumerate(games)
        for s, (c, team) in enumerate(seats)
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["won"] = frame["team"] == frame["winner"]
    return frame


def test_win_rates_count_each_seat_with_its_own_team():
    w, v = "werewolves", "village"
    seats = seat_rows(
        [
            # A holds two wolf seats and one village seat, B the other three village seats.
            (w, [("A", w), ("A", w), ("A", v), ("B", v), ("B", v), ("B", v)]),
            # A only on the village, which wins; B holds both wolves and one villager.
            (v, [("A", v), ("A", v), ("B", w), ("B", w), ("B", v), ("A", v)]),
            # A draw is a loss for every seat.
            ("draw", [("A", w), ("B", v), ("B", v), ("B", v)]),
        ]
    )
    rates = model_win_rates(seats).set_index(["contestant", "team"])
    # Worked by hand. A: game 0 scores 2/3 (two of its three seats won), game 1 scores 1,
    # game 2 scores 0 -> (2/3 + 1 + 0) / 3. B: 0, 1/3 (its villager won), 0 -> (1/3) / 3.
    assert rates.loc[("A", "all"), "wins"] == pytest.approx(5 / 3)
    assert rates.loc[("A", "all"), "games"] == 3
    assert rates.loc[("A", "all"), "rate"] == pytest.approx(5 / 9)
    assert rates.loc[("B", "all"), "rate"] == pytest.approx(1 / 9)
    # Per team, one observation per game the model held a seat there: A as wolves won game 0
    # and drew game 2; A on the village lost game 0 and won game 1.
    assert tuple(rates.loc[("A", "werewolves"), ["wins", "games"]]) == (1, 2)
    assert tuple(rates.loc[("A", "village"), ["wins", "games"]]) == (1, 2)
    assert tuple(rates.loc[("B", "werewolves"), ["wins", "games"]]) == (0, 1)
    assert tuple(rates.loc[("B", "village"), ["wins", "games"]]) == (1, 3)
    low, high = rates.loc[("A", "all"), ["low", "high"]]
    assert (low, high) == pytest.approx(wilson_fraction(5 / 9, 3), abs=1e-12)


def wilson_fraction(p: float, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson bounds for a (possibly fractional) proportion p over n trials, by hand."""
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5 / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def reference_ratings(seats: pd.DataFrame, by: tuple[str, ...]) -> dict:
    """The straightforward per-game loop (the old implementation), as a reference."""
    from openskill.models import PlackettLuce

    model = PlackettLuce()
    ratings: dict = {}
    for _, game in seats.groupby("game_id", sort=True):
        winner = game["winner"].iloc[0]
        keys = {t: [tuple(r) for r in g[list(by)].itertuples(index=False)]
                for t, g in game.groupby("team")}  # fmt: skip
        if len(keys) != 2:
            continue
        order = sorted(keys)
        for k in {k for ks in keys.values() for k in ks}:
            ratings.setdefault(k, (model.mu, model.sigma))
        teams = [[model.rating(*ratings[k]) for k in keys[t]] for t in order]
        ranks = [0, 0] if winner == "draw" else [0 if t == winner else 1 for t in order]
        updates: dict = {}
        for t, team in zip(order, model.rate(teams, ranks=ranks), strict=True):
            for k, r in zip(keys[t], team, strict=True):
                updates.setdefault(k, []).append(r)
        for k, rs in updates.items():
            ratings[k] = (sum(r.mu for r in rs) / len(rs), sum(r.sigma for r in rs) / len(rs))
    return ratings


def test_vectorised_ratings_match_the_per_game_loop():
    import random

    rng = random.Random(4)
    games = []
    for _ in range(60):
        winner = rng.choice(["werewolves", "village", "village", "draw"])
        seats = [(rng.choice("ABC"), "werewolves" if s < 2 else "village") for s in range(7)]
        games.append((winner, seats))
    seats = seat_rows(games)
    for by in (("contestant",), ("contestant", "role")):
        got = openskill_ratings(seats, by)
        want = reference_ratings(seats, by)
        assert len(got) == len(want)
        for row in got.itertuples(index=False):
            key = tuple(getattr(row, c) for c in by)
            assert (row.mu, row.sigma) == pytest.approx(want[key], abs=1e-9)


def test_ratings_tables_fit_80_columns_and_never_cut_a_number():
    from rich.console import Console

    from analysis.ratings import RatingsReport, team_win_rates
    from app.views import print_ratings

    long = "openrouter/meta-llama/llama-3.1-405b-instruct-turbo"
    games = [("werewolves", [(long, "werewolves"), ("B", "werewolves")] + [("B", "village")] * 5)]
    seats = seat_rows(games * 3 + [("village", games[0][1])] * 2)
    models = openskill_ratings(seats)
    models["mu"] = [-12345.678, -0.5]  # wide numbers must still be printed whole
    models["low"], models["high"] = models["mu"] - 3.3, models["mu"] + 3.3
    report = RatingsReport(
        models=models,
        model_roles=openskill_ratings(seats, ("contestant", "role")),
        teams=team_win_rates(seats),
        model_wins=model_win_rates(seats),
        games=5,
        fallback=pd.DataFrame(
            {
                "contestant": [long],
                "games": [5],
                "turns": [10],
                "fallback_turns": [0],
                "fallback_share": [0.0],
                "degraded_games": [0],
            }
        ),
    )
    console = Console(width=80, record=True, color_system=None)
    print_ratings(report, console)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text
    # The long model wins 3 of its 5 games; B scores 1/6 in each wolf win and 5/6 in each
    # village win: (3/6 + 10/6) / 5 = 43.3 %.
    for number in ("-12345.7", "-12349.0–-12342.4", "-0.5", "60.0", "43.3"):
        assert number in text
    assert "openrouter/meta" in text

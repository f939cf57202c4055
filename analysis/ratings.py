"""Ratings and win rates from finished games: OpenSkill (Plackett–Luce) and Wilson intervals.

A contestant is the `model` of a seat, or its scripted `agent_kind` when it has none. Werewolf is
a two-team game: each game rates the village against the werewolves (a draw ranks them equal).
One contestant often holds several seats of a team; each seat is rated as a copy of it, and the
contestant takes the mean of its copies' new ratings, so holding more seats is not more evidence.
Plackett–Luce sums a team's skills, and Werewolf's teams differ in size and power, so absolute
mu carries the roster's imbalance: compare contestants within one tournament, where the role
rotation gives every contestant every role equally often and the imbalance hits all alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openskill.models import PlackettLuce
from sqlalchemy import Engine, create_engine, select

from runs.schema import Game, Player, Tournament

Z95 = 1.959963984540054


class RatingsError(Exception):
    """Nothing to rate, or the database cannot be read; the message says which."""


@dataclass
class RatingsReport:
    """Everything `sdlab ratings` prints, as DataFrames."""

    models: pd.DataFrame  # contestant, mu, sigma, ordinal, low, high, games
    model_roles: pd.DataFrame  # contestant, role, mu, sigma, ordinal, low, high, games
    teams: pd.DataFrame  # team, wins, games, rate, low, high (draws count as not won)
    model_wins: pd.DataFrame  # contestant, team, wins, games, rate, low, high
    games: int


def _engine(db: str | Engine) -> Engine:
    if isinstance(db, Engine):
        return db
    if "://" not in db:
        if not Path(db).is_file():
            raise RatingsError(f"no database file at {db}")
        db = f"sqlite:///{db}"
    return create_engine(db)


def load_seats(db: str | Engine, tournament: str | None = None) -> pd.DataFrame:
    """One row per seat of every finished game: game_id, contestant, role, team, won, winner."""
    engine = _engine(db)
    query = (
        select(
            Game.id.label("game_id"),
            Game.winner,
            Player.seat,
            Player.role,
            Player.team,
            Player.model,
            Player.agent_kind,
            Player.prompt_condition,
            Player.framing,
        )
        .join(Player, Player.game_id == Game.id)
        .where(Game.status == "finished")
        .order_by(Game.id, Player.seat)
    )
    if tournament is not None:
        query = query.join(Tournament, Tournament.id == Game.tournament_id).where(
            Tournament.name == tournament
        )
    try:
        with engine.connect() as conn:
            seats = pd.DataFrame(conn.execute(query).mappings().all())
    except Exception as exc:  # driver errors differ; a missing table means "not a lab DB"
        raise RatingsError(f"cannot read games from {db}: {str(exc).splitlines()[0]}") from exc
    if seats.empty:
        where = f" in tournament {tournament!r}" if tournament else ""
        raise RatingsError(f"no finished games{where} to rate")
    seats["contestant"] = seats["model"].where(seats["model"].notna(), seats["agent_kind"])
    seats["won"] = seats["team"] == seats["winner"]
    return seats


def openskill_ratings(seats: pd.DataFrame, by: tuple[str, ...] = ("contestant",)) -> pd.DataFrame:
    """Sequential Plackett–Luce ratings of the groups `by`, in game order, with ±1.96σ bounds."""
    model = PlackettLuce()
    ratings: dict[Any, Any] = {}
    games: dict[Any, int] = {}
    for _, game in seats.groupby("game_id", sort=True):
        winner = game["winner"].iloc[0]
        if winner not in ("village", "werewolves", "draw"):
            continue
        keys = {
            team: [tuple(r) for r in g[list(by)].itertuples(index=False)]
            for team, g in game.groupby("team")
        }
        if len(keys) != 2:
            continue
        order = sorted(keys)  # ["village", "werewolves"]
        for k in {k for ks in keys.values() for k in ks}:
            ratings.setdefault(k, model.rating(name=str(k)))
            games[k] = games.get(k, 0) + 1
        teams = [[model.rating(ratings[k].mu, ratings[k].sigma) for k in keys[t]] for t in order]
        ranks = [0, 0] if winner == "draw" else [0 if t == winner else 1 for t in order]
        new = model.rate(teams, ranks=ranks)
        updates: dict[Any, list[Any]] = {}
        for t, team in zip(order, new, strict=True):
            for k, r in zip(keys[t], team, strict=True):
                updates.setdefault(k, []).append(r)
        for k, rs in updates.items():
            mu = sum(r.mu for r in rs) / len(rs)
            sigma = sum(r.sigma for r in rs) / len(rs)
            ratings[k] = model.rating(mu, sigma, name=str(k))
    rows = [
        {
            **dict(zip(by, k, strict=True)),
            "mu": r.mu,
            "sigma": r.sigma,
            "ordinal": r.mu - 3 * r.sigma,
            "low": r.mu - Z95 * r.sigma,
            "high": r.mu + Z95 * r.sigma,
            "games": games[k],
        }
        for k, r in ratings.items()
    ]
    columns = [*by, "mu", "sigma", "ordinal", "low", "high", "games"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("ordinal", ascending=False, ignore_index=True)


def wilson(wins: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion (sensible at 0, 1 and small n)."""
    if n == 0:
        return (math.nan, math.nan)
    p = wins / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _rates(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=True)["won"].agg(wins="sum", games="count").reset_index()
    grouped["wins"] = grouped["wins"].astype(int)
    grouped["rate"] = grouped["wins"] / grouped["games"]
    bounds = [wilson(w, n) for w, n in zip(grouped["wins"], grouped["games"], strict=True)]
    grouped["low"] = [b[0] for b in bounds]
    grouped["high"] = [b[1] for b in bounds]
    return grouped


def team_win_rates(seats: pd.DataFrame) -> pd.DataFrame:
    """Per team: games won out of games played (a draw is a game neither team won)."""
    per_game = seats.drop_duplicates(["game_id", "team"])[["game_id", "team", "won"]]
    return _rates(per_game, ["team"])


def model_win_rates(seats: pd.DataFrame) -> pd.DataFrame:
    """Per contestant and team, and overall ('all'): a game counts once per contestant and team.

    Seats of one contestant in one game share the outcome, so they are one observation here.
    """
    once = seats.drop_duplicates(["game_id", "contestant", "team"])
    by_team = _rates(once, ["contestant", "team"])
    overall = _rates(once.assign(team="all"), ["contestant", "team"])
    return pd.concat([overall, by_team], ignore_index=True)


def ratings_report(db: str | Engine, tournament: str | None = None) -> RatingsReport:
    """All ratings and win rates of the finished games in `db` (or one tournament of it)."""
    seats = load_seats(db, tournament)
    return RatingsReport(
        models=openskill_ratings(seats, ("contestant",)),
        model_roles=openskill_ratings(seats, ("contestant", "role")),
        teams=team_win_rates(seats),
        model_wins=model_win_rates(seats),
        games=int(seats["game_id"].nunique()),
    )

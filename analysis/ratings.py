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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openskill.models import PlackettLuce
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from analysis.db import AnalysisError, DbTarget, GameFilter, open_db, read_frame
from analysis.fallback import FALLBACK_THRESHOLD, degraded_games, fallback_shares, read_seat_turns
from runs.schema import Game, Player, Tournament

Z95 = 1.959963984540054


class RatingsError(AnalysisError):
    """Nothing to rate, or the database cannot be read; the message says which."""


@dataclass
class RatingsReport:
    """Everything `sdlab ratings` prints, as DataFrames."""

    models: pd.DataFrame  # contestant, mu, sigma, ordinal, low, high, games, fallback_share
    model_roles: pd.DataFrame  # contestant, role, mu, sigma, ordinal, low, high, games
    teams: pd.DataFrame  # team, wins, games, rate, low, high (draws count as not won)
    model_wins: pd.DataFrame  # contestant, team, wins, games, rate, low, high
    games: int
    # Per contestant: games, turns, fallback turns and share, degraded games (all games read).
    fallback: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Games some contestant played with a fallback share over the threshold (left out unless
    # include_degraded): game_id, tournament, contestant, turns, fallback_turns, fallback_share.
    degraded: pd.DataFrame = field(default_factory=pd.DataFrame)
    include_degraded: bool = False
    fallback_threshold: float = FALLBACK_THRESHOLD


def _names(tournament: str | None, tournaments: Sequence[str] | None) -> list[str] | None:
    names = [*(tournaments or []), *([tournament] if tournament is not None else [])]
    return names or None


def load_seats(
    db: DbTarget, tournament: str | None = None, *, tournaments: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per seat of every finished game: game_id, tournament, contestant, role, team, won."""
    names = _names(tournament, tournaments)
    only = GameFilter.of(names)
    query = (
        select(
            Game.id.label("game_id"),
            Tournament.name.label("tournament"),
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
        .outerjoin(Tournament, Tournament.id == Game.tournament_id)
        .where(Game.status == "finished", *only.on(Game.id))
        .order_by(Game.id, Player.seat)
    )
    try:
        with open_db(db).connect() as conn:
            only.check(conn)
            seats = read_frame(conn, query)
    except RatingsError:
        raise
    except AnalysisError as exc:
        raise RatingsError(str(exc)) from exc
    except SQLAlchemyError as exc:  # driver errors differ per backend; the first line says it
        raise RatingsError(f"cannot read games from {db}: {str(exc).splitlines()[0]}") from exc
    if seats.empty:
        where = f" in tournament {', '.join(map(repr, names))}" if names else ""
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


def ratings_report(
    db: DbTarget,
    tournament: str | None = None,
    *,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
) -> RatingsReport:
    """All ratings and win rates of the finished games in `db` (or some tournaments of it).

    Games in which a contestant's fallback share is over `fallback_threshold` are left out
    (and listed in `.degraded`) unless `include_degraded`.
    """
    seats = load_seats(db, tournament, tournaments=tournaments)
    with open_db(db).connect() as conn:
        every = read_seat_turns(conn, GameFilter.of(_names(tournament, tournaments)))
    degraded = degraded_games(every, fallback_threshold)
    turns = every
    if not include_degraded:
        seats = seats[~seats["game_id"].isin(degraded["game_id"])]
        turns = turns[~turns["game_id"].isin(degraded["game_id"])]
        if seats.empty:
            raise RatingsError(
                f"every finished game is degraded (a model fell back on over "
                f"{fallback_threshold:.0%} of its turns): nothing left to rate; "
                "include them with include_degraded"
            )
    shares = fallback_shares(turns, ["contestant"], fallback_threshold)
    models = openskill_ratings(seats, ("contestant",))
    models = models.merge(shares[["contestant", "fallback_share"]], on="contestant", how="left")
    return RatingsReport(
        models=models,
        model_roles=openskill_ratings(seats, ("contestant", "role")),
        teams=team_win_rates(seats),
        model_wins=model_win_rates(seats),
        games=int(seats["game_id"].nunique()),
        fallback=fallback_shares(every, ["contestant"], fallback_threshold),
        degraded=degraded,
        include_degraded=include_degraded,
        fallback_threshold=fallback_threshold,
    )

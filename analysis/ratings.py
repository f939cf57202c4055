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

import numpy as np
import pandas as pd
from openskill.models import PlackettLuce
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from analysis.db import AnalysisError, DbTarget, GameFilter, open_db, read_frame
from analysis.fallback import FALLBACK_THRESHOLD, degraded_games, fallback_shares, read_seat_turns
from analysis.rates import wilson_interval
from runs.schema import Game, Player, Tournament

Z95 = 1.959963984540054
OUTCOMES = ("village", "werewolves", "draw")


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
    rated = seats[seats["winner"].isin(OUTCOMES)].sort_values(["game_id", "seat"], kind="stable")
    # Group keys and teams become small integer codes, games become row ranges: the loop below
    # touches plain Python lists only (a per-game pandas groupby cost 13-19 s on 2,000 games).
    key_codes, keys = pd.MultiIndex.from_frame(rated[list(by)].astype(object)).factorize()
    team_codes, team_index = pd.factorize(rated["team"], sort=True)
    team_names = team_index.tolist()
    game = rated["game_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, game[1:] != game[:-1]]).tolist()
    ends = [*starts[1:], len(game)]
    code, team = key_codes.tolist(), team_codes.tolist()
    winners = rated["winner"].to_numpy()[starts].tolist() if starts else []
    mu = [model.mu] * len(keys)
    sigma = [model.sigma] * len(keys)
    games = [0] * len(keys)
    for s, e, winner in zip(starts, ends, winners, strict=True):
        sides: dict[int, list[int]] = {}
        for i in range(s, e):
            sides.setdefault(team[i], []).append(code[i])
        if len(sides) != 2:
            continue
        order = sorted(sides)  # team codes follow sorted names: village, then werewolves
        names = [team_names[t] for t in order]
        ranks = [0, 0] if winner == "draw" else [0 if n == winner else 1 for n in names]
        # Each seat is a copy of its group's rating; the group takes the mean of its copies.
        teams = [[model.rating(mu[k], sigma[k]) for k in sides[t]] for t in order]
        new = model.rate(teams, ranks=ranks)
        sums: dict[int, list[float]] = {}
        for t, team_ratings in zip(order, new, strict=True):
            for k, r in zip(sides[t], team_ratings, strict=True):
                acc = sums.setdefault(k, [0.0, 0.0, 0])
                acc[0] += r.mu
                acc[1] += r.sigma
                acc[2] += 1
        for k, (m, sd, n) in sums.items():
            mu[k], sigma[k] = m / n, sd / n
            games[k] += 1
    frame = keys.to_frame(index=False, name=list(by))
    frame["mu"], frame["sigma"] = mu, sigma
    frame = frame.assign(
        ordinal=frame["mu"] - 3 * frame["sigma"],
        low=frame["mu"] - Z95 * frame["sigma"],
        high=frame["mu"] + Z95 * frame["sigma"],
        games=games,
    )
    frame = frame[frame["games"] > 0]
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


def _rates(frame: pd.DataFrame, by: list[str], score: str = "won") -> pd.DataFrame:
    """Per group: wins (sum of `score`), games (rows), rate and a Wilson 95 % interval."""
    grouped = frame.groupby(by, sort=True, observed=True)[score].agg(wins="sum", games="count")
    grouped = grouped.reset_index()
    grouped["wins"] = grouped["wins"].astype(float)
    grouped["rate"] = grouped["wins"] / grouped["games"]
    # Fractional wins (scores in [0, 1]) go through the same formula: Wilson takes a proportion.
    grouped["low"], grouped["high"] = wilson_interval(grouped["wins"], grouped["games"])
    return grouped


def team_win_rates(seats: pd.DataFrame) -> pd.DataFrame:
    """Per team: games won out of games played (a draw is a game neither team won)."""
    per_game = seats.drop_duplicates(["game_id", "team"])[["game_id", "team", "won"]]
    out = _rates(per_game, ["team"])
    out["wins"] = out["wins"].astype(int)
    return out


def model_win_rates(seats: pd.DataFrame) -> pd.DataFrame:
    """Per contestant on each team, and overall ('all'), each seat counted with its own team.

    - On a team: one observation per game in which the contestant held a seat on that team
      (its seats there share one outcome), won when that team won. A contestant on both teams
      of a game has one win on the winning side and one loss on the other.
    - Overall: one observation per game the contestant played, scored by the share of its seats
      whose own team won (two of its three seats on the winning team score 2/3). A game with
      the contestant on both teams is then neither a whole win nor a whole loss; counting it as
      both (one win and one loss) pulled every contestant to the same rate.
    `wins` is the sum of those scores (fractional for 'all'). The Wilson interval over games
    stays valid for scores in [0, 1]: their variance is at most p(1 - p), a binomial's.
    A draw is a loss for every seat.
    """
    won = seats["won"].astype(float)
    keys = ["game_id", "contestant"]
    per_team = seats.assign(won=won).drop_duplicates([*keys, "team"])
    by_team = _rates(per_team, ["contestant", "team"])
    per_game = seats.assign(won=won).groupby(keys, observed=True, sort=False)["won"].mean()
    overall = _rates(per_game.reset_index().assign(team="all"), ["contestant", "team"])
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

"""The frames the research measures share, read once: seats, speech, decisions, beliefs, votes.

analysis.contrast, .leakage, .persuasion and .instrumental each take a database or a
`ResearchData` read from one (`research_data(db)`), so `sdlab analyse` reads the store once for
all of its sections. Only finished games are read. Fallback turns stay in the frames, flagged;
degraded games (some model's fallback share over the threshold, see analysis.fallback) are left
out unless `include_degraded=True`, and listed in `degraded`.

Unit vocabulary used throughout: a *player-game* is one seat of one game; a *pair* is the games
of one seed of a paired tournament (`conditions.paired`), played once in every condition cell.
Scripted seats have no model: their `model` is their kind (`scripted:honest`), as in the lie
rates of `sdlab analyse`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, cast, select

from analysis.claims import Extractor
from analysis.db import DbTarget, GameFilter, open_db, read_frame
from analysis.fallback import FALLBACK_THRESHOLD, degraded_games, read_seat_turns
from analysis.pipeline import label_claims, read_utterances
from runs import schema
from vocab import WEREWOLF

_G, _T, _B, _E = (schema.Game.__table__, schema.Turn.__table__, schema.Belief.__table__,
                  schema.Event.__table__)  # fmt: skip
DAY_PHASES = ("day_bid", "day_speech", "day_vote", "day_revote")
CONTEXT = ["model", "role", "team", "prompt_condition", "framing"]


@dataclass
class ResearchData:
    """What the research measures read, for the chosen games (degraded ones out by default).

    Beliefs, votes and labelled claims are read on first use: not every measure needs them.
    """

    seats: pd.DataFrame  # one row per player-game: context, name, pair, first-day survival
    utterances: pd.DataFrame  # public speech and last words: game_id, event_seq, turn, speaker…
    turns: pd.DataFrame  # decisions: game_id, turn, seat, day, phase, kind, event_seq, target, bid
    degraded: pd.DataFrame  # degraded games (left out unless include_degraded), one row per model
    include_degraded: bool = False
    fallback_threshold: float = FALLBACK_THRESHOLD
    source: DbTarget | None = None
    tournaments: tuple[str, ...] | None = None
    extractor: Extractor | None = None
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def beliefs(self) -> pd.DataFrame:
        """P(werewolf) logged at every decision: game_id, turn, holder, about, p."""
        return self._read("beliefs", _beliefs)

    @property
    def votes(self) -> pd.DataFrame:
        """Public votes: game_id, seq, day, phase, voter, target."""
        return self._read("votes", _votes)

    @property
    def claims(self) -> pd.DataFrame:
        """Labelled claims of the chosen games (the default extractor unless another was given)."""
        if "claims" not in self._cache:
            if self.source is None:
                raise ValueError("no database to label claims from")
            labelled = label_claims(
                self.source,
                self.extractor,
                write=False,
                tournaments=self.tournaments,
                fallback_threshold=self.fallback_threshold,
            )
            self._cache["claims"] = self._with_context(labelled)
        return self._cache["claims"]

    def with_claims(self, claims: pd.DataFrame) -> ResearchData:
        """The same data with claims labelled elsewhere (e.g. by `sdlab analyse`'s report)."""
        self._cache["claims"] = self._with_context(claims)
        return self

    def _read(self, name: str, reader: Any) -> pd.DataFrame:
        if name not in self._cache:
            if self.source is None:
                raise ValueError(f"no database to read {name} from")
            with open_db(self.source).connect() as conn:
                frame = reader(conn, GameFilter.of(self.tournaments))
            kept = frame["game_id"].isin(self.seats["game_id"].unique())
            self._cache[name] = frame[kept].reset_index(drop=True)
        return self._cache[name]

    def _with_context(self, claims: pd.DataFrame) -> pd.DataFrame:
        keep = claims["game_id"].isin(self.seats["game_id"].unique())
        out = claims[keep].copy()
        named = out["model"].astype("string").fillna(out["agent_kind"].astype("string"))
        out["model"] = named.astype(str)
        pair = self.seats.drop_duplicates("game_id")[["game_id", "pair", "tournament"]]
        return out.drop(columns=["tournament"], errors="ignore").merge(pair, on="game_id")


def research_data(
    db: DbTarget | ResearchData,
    *,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
    extractor: Extractor | None = None,
) -> ResearchData:
    """Read seats, speech and decisions of finished games.

    A ResearchData passes through unchanged (its own selection stands: the other arguments
    apply only when reading a database).
    """
    if isinstance(db, ResearchData):
        return db
    engine = open_db(db)
    only = GameFilter.of(tournaments)
    with engine.connect() as conn:
        only.check(conn)
        seats = read_seat_turns(conn, only)
        games = _games(conn, only)
        names = _names(conn, only)
        utterances = read_utterances(conn, only)
        turns = _turns(conn, only)
    degraded = degraded_games(seats, fallback_threshold)
    if not include_degraded:
        bad = set(degraded["game_id"])
        # A pair is only a pair whole: one degraded game takes its partners out too.
        bad_pairs = set(games.loc[games["game_id"].isin(bad), "pair"])
        kept = set(games.loc[~games["pair"].isin(bad_pairs), "game_id"])
        seats = seats[seats["game_id"].isin(kept)]
        games = games[games["game_id"].isin(kept)]
        utterances = utterances[utterances["game_id"].isin(kept)]
        turns = turns[turns["game_id"].isin(kept)]
    seats = _seat_context(seats.merge(names, on=["game_id", "seat"]), games, turns)
    return ResearchData(
        seats=seats.reset_index(drop=True),
        utterances=utterances.reset_index(drop=True),
        turns=turns.reset_index(drop=True),
        degraded=degraded,
        include_degraded=include_degraded,
        fallback_threshold=fallback_threshold,
        source=db,
        tournaments=tuple(tournaments) if tournaments is not None else None,
        extractor=extractor,
    )


def _names(conn, only: GameFilter) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    p = schema.Player.__table__.c
    return read_frame(conn, select(p.game_id, p.seat, p.name).where(*only.on(p.game_id)))


def _games(conn, only: GameFilter) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    c = _G.c.config
    query = select(
        _G.c.id.label("game_id"), _G.c.tournament_id, _G.c.slot, _G.c.seed,
        c["turn_taking"].as_string().label("turn_taking"),
    ).where(_G.c.status == "finished", *only.on(_G.c.id))  # fmt: skip
    games = read_frame(conn, query)
    games["turn_taking"] = games["turn_taking"].fillna("round_robin").astype(str)
    # Games of a paired tournament share their seed: (tournament, seed) names the pair. In an
    # unpaired tournament every seed differs, so each game is its own "pair" of one.
    tid = games["tournament_id"].fillna(-1).astype("int64").astype(str)
    games["pair"] = (tid + ":" + games["seed"].astype(str)).astype("category").cat.codes
    return games


def _turns(conn, only: GameFilter) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    t = _T.c
    query = (
        select(t.game_id, t.turn, t.seat, t.day, t.phase, t.kind, t.event_seq, t.target, t.bid,
               t.fallback)
        .join(_G, _G.c.id == t.game_id)
        .where(_G.c.status == "finished", *only.on(t.game_id))
        .order_by(t.game_id, t.turn)
    )  # fmt: skip
    turns = read_frame(conn, query)
    for col in ("event_seq", "target", "bid"):
        turns[col] = turns[col].astype("Int64")
    turns["fallback"] = turns["fallback"].fillna(False).astype(bool)
    return turns


def _beliefs(conn, only: GameFilter) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    b = _B.c
    # One packed integer per row instead of four: the driver builds half the Python objects
    # (4.3M beliefs of 10k bidding games: 6.9 s -> 4.1 s). Seats < 64, decisions < 2^20.
    key = ((cast(b.game_id, BigInteger) * 1048576 + b.turn) * 64 + b.holder) * 64 + b.about
    query = (
        select(key.label("k"), b.probability.label("p"))
        .join(_G, _G.c.id == b.game_id)
        .where(_G.c.status == "finished", b.role == WEREWOLF, *only.on(b.game_id))
    )
    raw = read_frame(conn, query)
    k = raw["k"].to_numpy(dtype=np.int64)
    return pd.DataFrame({
        "game_id": k >> 32, "turn": (k >> 12) & 0xFFFFF, "holder": (k >> 6) & 63,
        "about": k & 63, "p": raw["p"].to_numpy(dtype=float),
    })  # fmt: skip


def _votes(conn, only: GameFilter) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    e = _E.c
    query = (
        select(e.game_id, e.seq, e.day, e.phase, e.actor.label("voter"), e.target)
        .join(_G, _G.c.id == e.game_id)
        .where(_G.c.status == "finished", e.kind == "vote", *only.on(e.game_id))
    )
    votes = read_frame(conn, query)
    votes["target"] = votes["target"].astype("Int64")
    return votes


def _seat_context(seats: pd.DataFrame, games: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """Seats with their game's pair and design, a `model` for every seat, first-day survival."""
    out = seats.merge(games, on="game_id", how="inner")
    out["model"] = out["contestant"].astype(str)
    for col in ("role", "team", "prompt_condition", "framing", "agent_kind"):
        out[col] = out[col].astype(str)
    # Alive at the first day's discussion: every living player votes that day (an abstention is
    # a vote turn too). Night victims are never werewolves, so the wolves among these players
    # are the roster's, a fact of the public record even when roles are not revealed.
    day1 = turns.loc[(turns["day"] == 1) & turns["phase"].isin(DAY_PHASES), ["game_id", "seat"]]
    alive = day1.drop_duplicates().assign(first_day=True)
    out = out.merge(alive, on=["game_id", "seat"], how="left")
    out["first_day"] = out["first_day"].fillna(False).astype(bool)
    return out


def named(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The columns of `columns` that `frame` has (group keys a caller asked for)."""
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ValueError(f"cannot group by {', '.join(missing)} (have: {', '.join(frame)})")
    return list(columns)


def game_index(frame: pd.DataFrame, column: str = "game_id") -> tuple[pd.Series, int]:
    """Dense 0..n-1 codes of a cluster column, and n (clusters for the resampler)."""
    codes, uniques = pd.factorize(frame[column], sort=True)
    return pd.Series(codes, index=frame.index), len(uniques)


def text_of(utterances: pd.DataFrame, separator: str = "\n") -> pd.DataFrame:
    """Public speech per player-game, utterances in order joined by `separator`."""
    u = utterances.sort_values(["game_id", "event_seq"])
    text = u["text"].astype(str).str.replace(separator, " ", regex=False)
    joined = text.groupby([u["game_id"], u["speaker"]], sort=False).agg(separator.join)
    out = joined.rename("speech").reset_index().rename(columns={"speaker": "seat"})
    counts = u.groupby(["game_id", "speaker"]).size().rename("utterances").reset_index()
    return out.merge(counts.rename(columns={"speaker": "seat"}), on=["game_id", "seat"])


__all__ = [
    "CONTEXT",
    "ResearchData",
    "game_index",
    "named",
    "research_data",
    "text_of",
]

"""From a database to labelled claims: read utterances, extract, label, flag, write back."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, delete, select
from sqlalchemy.engine import Connection

from analysis.claim_table import claim_table, ensure_claim_table, write_claims
from analysis.claims import Extractor, Utterance, claims_frame, extractor_named
from analysis.db import CHUNK_GAMES, DbTarget, GameFilter, open_db, read_frame
from analysis.fallback import FALLBACK_THRESHOLD, degraded_games, read_seat_turns
from analysis.frames import concat_tidy, tidy
from analysis.labels import Facts, label
from runs import schema

__all__ = [
    "OUTPUT_COLUMNS",
    "extract_claims",
    "label_claims",
    "read_facts",
    "read_utterances",
    "utterances_of",
    "write_claims",
]

SPOKEN = ("speech", "last_words")  # public utterances; the pack's night chat is not public
_EVENT, _TURN, _GAME = schema.Event.__table__, schema.Turn.__table__, schema.Game.__table__
_E, _T, _G = _EVENT.c, _TURN.c, _GAME.c
_P, _B = schema.Player.__table__.c, schema.Belief.__table__.c

OUTPUT_COLUMNS = [
    "game_id", "event_seq", "turn", "position", "speaker", "claim_type", "subject", "value",
    "hedged", "extractor", "truth", "speaker_knew", "basis", "belief_wolf", "label",
    "belief_inconsistent", "spontaneous", "fallback",
]  # fmt: skip


def read_utterances(conn: Connection, only: GameFilter | None = None) -> pd.DataFrame:
    """Public speech of finished games with the decision (turn) that produced it."""
    query = (
        select(_E.game_id, _E.seq.label("event_seq"), _E.actor.label("speaker"), _E.text,
               _T.turn, _E.day, _E.phase, _T.fallback)
        .join(_GAME, _G.id == _E.game_id)
        .outerjoin(_TURN, and_(_T.game_id == _E.game_id, _T.event_seq == _E.seq))
        .where(_E.kind.in_(SPOKEN), _E.visibility == "public", _G.status == "finished",
               _E.text != "")
        .order_by(_E.game_id, _E.seq)
    )  # fmt: skip
    if only is not None:
        query = query.where(*only.on(_E.game_id))
    frame = read_frame(conn, query)
    frame["turn"] = frame["turn"].astype("Int64")
    # Speech with no decision row (none today) is not a fallback; SQLite reads booleans as 0/1.
    frame["fallback"] = frame["fallback"].fillna(False).astype(bool)
    return frame


def read_facts(conn: Connection, only: GameFilter | None = None) -> Facts:
    """Only what labelling needs: players, ground-truth events, P(werewolf) at speech turns."""
    # Utterances bring their own day and phase (read_utterances): no speech rows needed here.
    kinds = ["inspection", "protection", "vote", "night_resolution", "dawn", "elimination"]
    p = _E.payload
    ev_q = select(
        _E.game_id, _E.seq, _E.day, _E.phase, _E.kind, _E.actor, _E.target,
        p["subject"].as_integer().label("subject"), p["role"].as_string().label("role"),
        p["result"].as_string().label("result"),
    ).where(_E.kind.in_(kinds))  # fmt: skip
    pl_q = select(schema.Player.__table__)
    b_q = (
        select(_B.game_id, _B.turn, _B.about, _B.probability)
        .join(_TURN, and_(_T.game_id == _B.game_id, _T.turn == _B.turn))
        .where(_B.role == "werewolf", _T.kind == "speak")
    )
    if only is not None:
        ev_q, pl_q = ev_q.where(*only.on(_E.game_id)), pl_q.where(*only.on(_P.game_id))
        b_q = b_q.where(*only.on(_B.game_id))
    events = tidy(read_frame(conn, ev_q), "events")
    players = tidy(read_frame(conn, pl_q), "players")
    beliefs = read_frame(conn, b_q)
    return Facts(players, events, beliefs)


def utterances_of(frame: pd.DataFrame, names: dict[int, tuple[str, ...]]) -> list[Utterance]:
    """Utterance objects for an extractor; `names` maps game_id to its seat names."""
    default: tuple[str, ...] = ()
    return [
        Utterance(text, int(speaker), names.get(int(g), default), int(g), int(seq),
                  None if pd.isna(turn) else int(turn), phase)
        for g, seq, speaker, text, turn, phase in zip(
            frame["game_id"], frame["event_seq"], frame["speaker"], frame["text"], frame["turn"],
            frame["phase"] if "phase" in frame else [None] * len(frame), strict=True,
        )
    ]  # fmt: skip


def _names(players: pd.DataFrame) -> dict[int, tuple[str, ...]]:
    # Most stores seat "player_0".. everywhere: share one tuple so the extractor cache hits.
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    ordered = players.sort_values(["game_id", "seat"])
    by_game = ordered["name"].astype(str).groupby(ordered["game_id"], sort=False).agg(tuple)
    return {int(g): shared.setdefault(names, names) for g, names in by_game.items()}


def extract_claims(
    spoken: pd.DataFrame, names: dict[int, tuple[str, ...]], extractor: Extractor
) -> pd.DataFrame:
    """Claims of every utterance; identical (text, speaker, table) utterances are read once."""
    names_id = {n: i for i, n in enumerate(dict.fromkeys(names.values()))}
    table = spoken["game_id"].map(lambda g: names_id.get(names.get(g, ()), -1))
    key = pd.DataFrame({"text": spoken["text"], "speaker": spoken["speaker"], "table": table})
    spoken = spoken.assign(_key=key.groupby(["text", "speaker", "table"], sort=False).ngroup())
    first = spoken.drop_duplicates("_key")
    utterances = utterances_of(first, names)
    found = extractor.extract(utterances)
    unique = claims_frame(utterances, found, extractor.name)
    unique["_key"] = first["_key"].to_numpy().repeat([len(f) for f in found])
    per_claim = ["_key", "position", "speaker", "claim_type", "subject", "value", "hedged"]
    where = ["game_id", "event_seq", "turn", "day", "phase", "_key"]
    where += [c for c in ("fallback",) if c in spoken]
    claims = spoken[where].merge(unique[[*per_claim, "extractor"]], on="_key", how="inner")
    claims = claims.sort_values(["game_id", "event_seq", "position"], ignore_index=True)
    return claims.drop(columns="_key")


def label_claims(
    db: DbTarget,
    extractor: Extractor | None = None,
    *,
    write: bool = True,
    game_ids: Sequence[int] | None = None,
    tournaments: Sequence[str] | None = None,
    fallback_threshold: float = FALLBACK_THRESHOLD,
    timings: dict[str, float] | None = None,
    chunk_games: int = CHUNK_GAMES,
) -> pd.DataFrame:
    """Extract and label every claim of finished games; write them back as claim rows.

    Every claim is kept: `fallback` flags claims from fallback turns, `degraded` those of games
    in which some model's fallback share is over `fallback_threshold` (rates leave both out).
    Games are read `chunk_games` at a time (a claim needs only its own game's rows), so memory
    grows with the claims kept, not with every row read; the result does not depend on it.
    """
    extractor = extractor or extractor_named()
    only = GameFilter.of(tournaments, game_ids)
    # Reads go through a read-only connection; only writing the claim table needs more.
    engine = open_db(db)
    marks = timings if timings is not None else {}
    for stage in ("read", "extract", "label", *(("write",) if write else ())):
        marks[stage] = 0.0
    with engine.connect() as conn:
        only.check(conn)
        parts = only.chunks(conn, chunk_games)
    writer = open_db(db, write=True) if write else None
    if writer is not None and len(parts) > 1:
        _drop_unread(writer, extractor.name, only)
    labelled = []
    for part in parts:
        claims = _label_part(engine, part, extractor, fallback_threshold, marks)
        if writer is not None:
            clock = time.perf_counter()
            # One transaction per part: a game's rows are always one run's complete set.
            write_claims(writer, claims, extractor.name, only=part)
            marks["write"] += time.perf_counter() - clock
        labelled.append(tidy(claims, "claims"))
    out = concat_tidy(labelled)
    out.attrs["fallback_threshold"] = fallback_threshold
    return out


def _label_part(
    engine: Engine,
    part: GameFilter,
    extractor: Extractor,
    threshold: float,
    marks: dict[str, float],
) -> pd.DataFrame:
    """Labelled claims of one part's games, with tournament and `degraded` (not yet tidy)."""
    clock = time.perf_counter()
    with engine.connect() as conn:
        spoken = read_utterances(conn, part)
        facts = read_facts(conn, part)
        seats = read_seat_turns(conn, part)
    marks["read"] += time.perf_counter() - clock
    clock = time.perf_counter()
    claims = extract_claims(spoken, _names(facts.players), extractor)
    marks["extract"] += time.perf_counter() - clock
    clock = time.perf_counter()
    labelled = _with_games(label(claims, facts), seats, threshold)
    marks["label"] += time.perf_counter() - clock
    return labelled


def _drop_unread(engine: Engine, extractor: str, only: GameFilter) -> None:
    """Delete this extractor's claim rows of chosen games no part reads (not finished)."""
    # Unchunked, write_claims deletes every chosen game's rows; chunked, each part deletes
    # its own range's, and this catches the rest (games since replayed, failed or deleted).
    ensure_claim_table(engine)
    finished = select(_G.id).where(_G.status == "finished")
    c = claim_table.c
    stmt = delete(claim_table).where(
        c.extractor == extractor, c.game_id.not_in(finished), *only.on(c.game_id)
    )
    with engine.begin() as conn:
        conn.execute(stmt)


def _with_games(claims: pd.DataFrame, seats: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Tournament name per claim and the `degraded` flag of its game."""
    games = seats.drop_duplicates("game_id")[["game_id", "tournament"]]
    out = claims.merge(games, on="game_id", how="left")
    bad = degraded_games(seats, threshold)["game_id"].unique()
    out["degraded"] = out["game_id"].isin(bad)
    return out

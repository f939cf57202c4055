"""From a database to labelled claims: read utterances, extract, label, write back."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, delete, inspect, select
from sqlalchemy.engine import Connection

from analysis.claims import Extractor, Utterance, claims_frame
from analysis.frames import _tidy, engine_for, read_frame
from analysis.labels import Facts, label
from runs import schema

SPOKEN = ("speech", "last_words")  # public utterances; the pack's night chat is not public
_EVENT, _TURN, _GAME = schema.Event.__table__, schema.Turn.__table__, schema.Game.__table__
_E, _T, _G = _EVENT.c, _TURN.c, _GAME.c
_P, _B = schema.Player.__table__.c, schema.Belief.__table__.c

OUTPUT_COLUMNS = [
    "game_id", "event_seq", "turn", "position", "speaker", "claim_type", "subject", "value",
    "hedged", "extractor", "truth", "speaker_knew", "basis", "belief_wolf", "label",
    "belief_inconsistent", "spontaneous",
]  # fmt: skip


def read_utterances(conn: Connection, game_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Public speech of finished games with the decision (turn) that produced it."""
    query = (
        select(_E.game_id, _E.seq.label("event_seq"), _E.actor.label("speaker"), _E.text,
               _T.turn, _E.day, _E.phase)
        .join(_GAME, _G.id == _E.game_id)
        .outerjoin(_TURN, and_(_T.game_id == _E.game_id, _T.event_seq == _E.seq))
        .where(_E.kind.in_(SPOKEN), _E.visibility == "public", _G.status == "finished",
               _E.text != "")
        .order_by(_E.game_id, _E.seq)
    )  # fmt: skip
    if game_ids is not None:
        query = query.where(_E.game_id.in_(list(game_ids)))
    frame = read_frame(conn, query)
    frame["turn"] = frame["turn"].astype("Int64")
    return frame


def read_facts(conn: Connection, game_ids: Sequence[int] | None = None) -> Facts:
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
    if game_ids is not None:
        ids = list(game_ids)
        ev_q, pl_q = ev_q.where(_E.game_id.in_(ids)), pl_q.where(_P.game_id.in_(ids))
        b_q = b_q.where(_B.game_id.in_(ids))
    events = _tidy(read_frame(conn, ev_q), "events")
    players = _tidy(read_frame(conn, pl_q), "players")
    beliefs = read_frame(conn, b_q)
    return Facts(players, events, beliefs)


def utterances_of(frame: pd.DataFrame, names: dict[int, tuple[str, ...]]) -> list[Utterance]:
    """Utterance objects for an extractor; `names` maps game_id to its seat names."""
    default: tuple[str, ...] = ()
    return [
        Utterance(text, int(speaker), names.get(int(g), default), int(g), int(seq),
                  None if pd.isna(turn) else int(turn))
        for g, seq, speaker, text, turn in zip(
            frame["game_id"], frame["event_seq"], frame["speaker"], frame["text"], frame["turn"],
            strict=True,
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
    claims = spoken[where].merge(unique[[*per_claim, "extractor"]], on="_key", how="inner")
    claims = claims.sort_values(["game_id", "event_seq", "position"], ignore_index=True)
    return claims.drop(columns="_key")


def label_claims(
    db: str | Engine,
    extractor: Extractor | None = None,
    *,
    write: bool = True,
    game_ids: Sequence[int] | None = None,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Extract and label every claim of finished games; write them back as Claim rows."""
    from analysis.rules import RuleExtractor

    extractor = extractor or RuleExtractor()
    engine = engine_for(db)
    clock = time.perf_counter()
    marks = timings if timings is not None else {}
    with engine.connect() as conn:
        spoken = read_utterances(conn, game_ids)
        facts = read_facts(conn, game_ids)
    marks["read"] = time.perf_counter() - clock
    claims = extract_claims(spoken, _names(facts.players), extractor)
    marks["extract"] = time.perf_counter() - clock - marks["read"]
    labelled = label(claims, facts)
    marks["label"] = time.perf_counter() - clock - marks["read"] - marks["extract"]
    if write:
        write_claims(engine, labelled, extractor.name, game_ids)
        marks["write"] = time.perf_counter() - clock - sum(marks.values())
    return _tidy(labelled, "claims")


def write_claims(
    engine: Engine, claims: pd.DataFrame, extractor: str, game_ids: Sequence[int] | None = None
) -> int:
    """Replace this extractor's Claim rows (for these games, or all) in one transaction."""
    table = schema.Claim.__table__
    _ensure_claim_table(engine)
    cols = [c.name for c in table.columns if c.name != "id"]
    # Python objects with None for missing values: what every DB driver accepts.
    values = [claims[c].astype(object).where(claims[c].notna(), None) for c in cols]
    rows = list(zip(*values, strict=True))
    with engine.begin() as conn:
        stmt = delete(table).where(table.c.extractor == extractor)
        if game_ids is not None:
            stmt = stmt.where(table.c.game_id.in_(list(game_ids)))
        conn.execute(stmt)
        if not rows:
            return 0
        if conn.dialect.name == "sqlite":  # the driver's executemany: ~10x Core's speed here
            marks = ", ".join("?" * len(cols))
            sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({marks})"
            conn.connection.driver_connection.executemany(sql, rows)
        else:
            conn.execute(table.insert(), [dict(zip(cols, r, strict=True)) for r in rows])
    return len(rows)


def _ensure_claim_table(engine: Engine) -> None:
    """Claim rows are derived data: an older Claim table is dropped and rebuilt, not migrated."""
    table = schema.Claim.__table__
    insp = inspect(engine)
    if insp.has_table(table.name):
        have = {c["name"] for c in insp.get_columns(table.name)}
        if have == {c.name for c in table.columns}:
            return
        table.drop(engine)
    table.create(engine)

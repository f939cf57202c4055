"""From a database to labelled claims: read utterances, extract, label, write back."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, delete, inspect, select
from sqlalchemy.engine import Connection

from analysis.claims import Extractor, Utterance, claims_frame
from analysis.labels import Facts, label
from analysis.load import _tidy, engine_for
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
               _T.turn)
        .join(_GAME, _G.id == _E.game_id)
        .outerjoin(_TURN, and_(_T.game_id == _E.game_id, _T.event_seq == _E.seq))
        .where(_E.kind.in_(SPOKEN), _E.visibility == "public", _G.status == "finished",
               _E.text != "")
        .order_by(_E.game_id, _E.seq)
    )  # fmt: skip
    if game_ids is not None:
        query = query.where(_E.game_id.in_(list(game_ids)))
    frame = pd.read_sql(query, conn)
    frame["turn"] = frame["turn"].astype("Int64")
    return frame


def read_facts(conn: Connection, game_ids: Sequence[int] | None = None) -> Facts:
    """Only what labelling needs: players, ground-truth events, P(werewolf) at speech turns."""
    kinds = ["inspection", "protection", "vote", "night_resolution", "dawn", "elimination"]
    kinds += list(SPOKEN)
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
    events = _tidy(pd.read_sql(ev_q, conn), "events")
    players = _tidy(pd.read_sql(pl_q, conn), "players")
    beliefs = pd.read_sql(b_q, conn)
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
    out = {}
    for g, grp in players.sort_values(["game_id", "seat"]).groupby("game_id", sort=False):
        names = tuple(grp["name"].astype(str))
        out[int(g)] = shared.setdefault(names, names)
    return out


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
    utterances = utterances_of(spoken, _names(facts.players))
    found = extractor.extract(utterances)
    claims = claims_frame(utterances, found, extractor.name)
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
    rows = claims[cols].astype(object).where(claims[cols].notna(), None)
    records = rows.to_dict("records")
    with engine.begin() as conn:
        stmt = delete(table).where(table.c.extractor == extractor)
        if game_ids is not None:
            stmt = stmt.where(table.c.game_id.in_(list(game_ids)))
        conn.execute(stmt)
        if records:
            conn.execute(table.insert(), records)
    return len(records)


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

"""Checking the lie counter against the scripted agents' own record of what they meant."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, select

from analysis.db import DbTarget, open_db
from runs import schema

KEY = ["game_id", "event_seq", "claim_type", "subject", "value", "hedged"]


def stated_claims(db: DbTarget) -> pd.DataFrame:
    """One row per claim a scripted agent said it made, with its `lie` flag (public speech)."""
    t, e = schema.Turn.__table__, schema.Event.__table__
    query = (
        select(t.c.game_id, t.c.event_seq, t.c.seat.label("speaker"), t.c.stated_claims)
        .join(e, and_(e.c.game_id == t.c.game_id, e.c.seq == t.c.event_seq))
        .where(e.c.kind.in_(["speech", "last_words"]), e.c.visibility == "public")
    )
    with open_db(db).connect() as conn:
        rows = conn.execute(query).all()
    out = [
        (g, seq, speaker, c["type"], c["subject"], c["value"], bool(c["hedged"]), bool(c["lie"]))
        for g, seq, speaker, claims in rows
        for c in (claims if isinstance(claims, list) else json.loads(claims or "[]"))
    ]
    cols = ["game_id", "event_seq", "speaker", "claim_type", "subject", "value", "hedged", "lie"]
    frame = pd.DataFrame(out, columns=cols)
    frame["subject"] = frame["subject"].astype("Int64")
    return frame


@dataclass
class Recovery:
    """How the analysis compares with the scripted record; `exact` means no difference."""

    missed_claims: pd.DataFrame  # stated but not extracted
    extra_claims: pd.DataFrame  # extracted but never stated
    missed_lies: pd.DataFrame  # stated as lies, not labelled lie
    false_lies: pd.DataFrame  # labelled lie, not stated as a lie

    @property
    def exact(self) -> bool:
        """No claim and no lie differs."""
        return all(
            len(f) == 0
            for f in (self.missed_claims, self.extra_claims, self.missed_lies, self.false_lies)
        )


def recovery(labelled: pd.DataFrame, stated: pd.DataFrame) -> Recovery:
    """Compare labelled claims with the stated ones, as sets of (game, event, claim) keys."""
    ours = _keyed(labelled)
    theirs = _keyed(stated)
    both = ours.merge(theirs, on=KEY, how="outer", indicator=True, suffixes=("", "_stated"))
    lie_ours = both["label"] == "lie"
    lie_theirs = both["lie"].fillna(False).astype(bool)
    return Recovery(
        missed_claims=both[both["_merge"] == "right_only"],
        extra_claims=both[both["_merge"] == "left_only"],
        missed_lies=both[lie_theirs & ~lie_ours],
        false_lies=both[lie_ours & ~lie_theirs],
    )


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in frame.columns if c in {*KEY, "label", "lie"}]
    out = frame[cols].copy()
    out["claim_type"] = out["claim_type"].astype(str)
    out["value"] = out["value"].astype(str)
    out["subject"] = out["subject"].astype("Int64")
    out["hedged"] = out["hedged"].astype(bool)
    return out

"""What a claim is, and the one interface every claim extractor implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import pandas as pd

from vocab import CLAIM_TYPES, CLAIM_VALUES, EXTRACTORS, NOT_WOLF, ClaimType
from vocab import WEREWOLF as WOLF

ROLE_VALUES = CLAIM_VALUES["role_claim"]
VOTE_VALUES = CLAIM_VALUES["vote_claim"]
NIGHT_VALUES = CLAIM_VALUES["night_claim"]
__all__ = [
    "CLAIM_TYPES",
    "EXTRACTORS",
    "NOT_WOLF",
    "WOLF",
    "ClaimType",
    "ExtractedClaim",
    "Extractor",
    "Utterance",
    "extractor_named",
]


@dataclass(frozen=True, slots=True)
class Utterance:
    """One public utterance to read: who said it, in which game, with the table's names."""

    text: str
    speaker: int
    names: Sequence[str]
    game_id: int | None = None
    event_seq: int | None = None
    turn: int | None = None
    phase: str | None = None  # "last_words" or day speech; None where the caller does not say


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    """One claim read from an utterance; `subject` is a seat (None when unresolved)."""

    type: str
    subject: int | None
    value: str
    hedged: bool = False


@runtime_checkable
class Extractor(Protocol):
    """Reads claims out of utterances; `name` is stored on every Claim row it produces."""

    name: str

    def extract(self, utterances: Sequence[Utterance]) -> list[list[ExtractedClaim]]:
        """Claims for each utterance, in order."""
        ...


def extractor_named(name: str | None = None) -> Extractor:
    """An extractor by its stored name: "rules+model" (the default) or "rules"."""
    name = name or EXTRACTORS[0]
    if name == "rules":
        from analysis.rules import RuleExtractor

        return RuleExtractor()
    if name == "rules+model":
        from analysis.claim_model import HybridExtractor

        return HybridExtractor()
    raise ValueError(f"unknown extractor {name!r}: choose one of {', '.join(EXTRACTORS)}")


CLAIM_COLUMNS = [
    "game_id",
    "event_seq",
    "turn",
    "position",
    "speaker",
    "claim_type",
    "subject",
    "value",
    "hedged",
    "extractor",
]


def claims_frame(
    utterances: Sequence[Utterance], found: Sequence[Sequence[ExtractedClaim]], extractor: str
) -> pd.DataFrame:
    """Flatten per-utterance claims into a frame, one row per claim."""
    rows = [
        (u.game_id, u.event_seq, u.turn, i, u.speaker, c.type, c.subject, c.value, c.hedged)
        for u, claims in zip(utterances, found, strict=True)
        for i, c in enumerate(claims)
    ]
    frame = pd.DataFrame(rows, columns=CLAIM_COLUMNS[:-1])
    frame["extractor"] = extractor
    for col in ("turn", "subject"):
        frame[col] = frame[col].astype("Int64")
    frame["hedged"] = frame["hedged"].astype(bool)
    return frame

"""What a claim is, and the one interface every claim extractor implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import pandas as pd

ClaimType = Literal[
    "role_claim", "accusation", "defence", "inspection_claim", "vote_claim", "night_claim"
]
CLAIM_TYPES: tuple[str, ...] = (
    "role_claim",
    "accusation",
    "defence",
    "inspection_claim",
    "vote_claim",
    "night_claim",
)
WOLF = "werewolf"
NOT_WOLF = "not a werewolf"
# Values per type. role_claim: a role, or "village" for a team-only claim ("I'm village").
# vote_claim: which day's vote ("yesterday", "today", or "last" = the speaker's latest).
# night_claim: "attacked" (subject = speaker) or "protected" (subject = the one protected).
ROLE_VALUES = ("werewolf", "seer", "doctor", "villager", "village")
VOTE_VALUES = ("yesterday", "today", "last")
NIGHT_VALUES = ("attacked", "protected")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One public utterance to read: who said it, in which game, with the table's names."""

    text: str
    speaker: int
    names: Sequence[str]
    game_id: int | None = None
    event_seq: int | None = None
    turn: int | None = None


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

"""What one player may know when it must decide: built only from events visible to it."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass, field

from games.core.events import Event

# Speech is stored in this charset: printable ASCII plus the typographic marks models love.
SPEECH_CHARSET = frozenset(string.printable + "’‘“”—–…éèêàâçôöüïñ€£°")
SPEECH_MAX_CHARS = 4000
_TRANSLATE = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " "})


def normalize_speech(text: str | None) -> str:
    """Fold speech into the env's charset (NFKC, odd characters dropped) and cap its length."""
    if not text:
        return ""
    if text.isascii() and text.isprintable():  # the common case, checked in C
        return text.strip()[:SPEECH_MAX_CHARS]
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    if not all(c in SPEECH_CHARSET for c in text):
        text = "".join(c for c in text if c in SPEECH_CHARSET)
    return text.strip()[:SPEECH_MAX_CHARS]


@dataclass(frozen=True, slots=True)
class Observation:
    """A player's view of the game at a decision point; the only input an agent gets."""

    game: str
    seat: int
    role: str
    team: str
    day: int
    phase: str
    kind: str  # what is asked: speak, vote, kill, inspect, protect, bid
    legal_targets: tuple[int, ...]
    may_abstain: bool
    wants_speech: bool
    wants_bid: bool
    alive: tuple[bool, ...]
    known_roles: dict[int, str]
    events: tuple[Event, ...]
    names: tuple[str, ...] = field(default=())
    roster: dict[str, int] = field(default_factory=dict)  # public: how many of each role

    @property
    def name(self) -> str:
        """This player's public name."""
        return self.names[self.seat]

    def living(self) -> list[int]:
        """Seats alive as far as this player knows (deaths are public)."""
        return [s for s, a in enumerate(self.alive) if a]

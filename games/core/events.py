"""Events with visibility and the information barrier.

Every fact of a game is an `Event` with a visibility string:
`public`, `team:<name>`, `private:<seat>` or `hidden`. What a player may know is
exactly the events for which `visible_to` is true; nothing else crosses the barrier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PUBLIC = "public"
HIDDEN = "hidden"


def team(name: str) -> str:
    """Visibility of a team's private channel."""
    return f"team:{name}"


def private(seat: int) -> str:
    """Visibility of an event only `seat` sees."""
    return f"private:{seat}"


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened; `payload` is structured data visible with the event."""

    seq: int
    day: int
    phase: str
    kind: str
    visibility: str
    text: str
    actor: int | None = None
    target: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


def visible_to(visibility: str, seat: int, team_name: str) -> bool:
    """The information barrier: may a player at `seat` on `team_name` see this visibility?"""
    if visibility == PUBLIC:
        return True
    if visibility == HIDDEN:
        return False
    scope, _, who = visibility.partition(":")
    if scope == "team":
        return who == team_name
    if scope == "private":
        return who == str(seat)
    raise ValueError(f"unknown visibility {visibility!r}")


class EventLog:
    """Append-only event log that keeps, per seat, the events that seat may see.

    Routing each event once when it is appended keeps observation building O(1) per turn
    instead of re-filtering the whole log every turn.
    """

    def __init__(self, teams: list[str]) -> None:
        self.teams = teams
        self.events: list[Event] = []
        self.by_seat: list[list[Event]] = [[] for _ in teams]

    def add(
        self,
        day: int,
        phase: str,
        kind: str,
        visibility: str,
        text: str,
        actor: int | None = None,
        target: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Event:
        """Append an event and deliver it to every seat allowed to see it."""
        event = Event(
            len(self.events), day, phase, kind, visibility, text, actor, target, payload or {}
        )
        self.events.append(event)
        if visibility == PUBLIC:
            for seen in self.by_seat:
                seen.append(event)
        elif visibility != HIDDEN:
            for seat, team_name in enumerate(self.teams):
                if visible_to(visibility, seat, team_name):
                    self.by_seat[seat].append(event)
        return event

"""What every game shares: events with visibility, the information barrier, ground truth."""

from games.core.events import (
    HIDDEN,
    PUBLIC,
    Event,
    EventLog,
    private,
    team,
    visible_to,
)

__all__ = ["HIDDEN", "PUBLIC", "Event", "EventLog", "private", "team", "visible_to"]

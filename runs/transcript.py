"""Printing one game as a readable transcript."""

from __future__ import annotations

import asyncio

from rich.console import Console
from rich.table import Table

from games.core.events import PUBLIC
from games.werewolf import WerewolfConfig
from games.werewolf.rules import name
from runs.batch import recorder_factory
from runs.runner import play_game, seat_agents
from runs.store import open_engine

_STYLE = {
    "speech": "white",
    "last_words": "italic",
    "vote": "cyan",
    "vote_result": "bold cyan",
    "dawn": "bold yellow",
    "elimination": "bold yellow",
    "game_over": "bold green",
}


def play_and_print(
    config: WerewolfConfig,
    seed: int,
    console: Console,
    show_private: bool = False,
    db: str | None = None,
    players: tuple[str, ...] = ("scripted",),
) -> None:
    """Play one game (optionally storing it) and print what happened."""
    agents = seat_agents(players, config.n_players, seed)
    opener = None
    conn = None
    if db is not None:
        conn = open_engine(db).connect()
        opener = recorder_factory(conn, seed, config, None)
    try:
        result = asyncio.run(play_game(config, agents, seed, opener, keep_events=True))
    finally:
        if conn is not None:
            conn.close()
    roles = {e.payload["subject"]: e.payload["role"] for e in result.events
             if e.kind == "role_assignment"}  # fmt: skip
    console.rule(f"Werewolf, seed {seed}, {config.n_players} players")
    day = -1
    for e in result.events:
        if e.visibility != PUBLIC and not (show_private and e.kind != "role_assignment"):
            continue
        if e.day != day:
            day = e.day
            if day:
                console.rule(f"night and day {day}", style="dim")
        who = (
            f"[bold]{name(e.actor)}[/]: " if e.kind in ("speech", "last_words", "wolf_chat") else ""
        )
        style = "dim" if e.visibility != PUBLIC else _STYLE.get(e.kind, "white")
        tag = "" if e.visibility == PUBLIC else f"[dim]({e.visibility})[/] "
        console.print(f"{tag}{who}[{style}]{e.text}[/]", highlight=False)
    table = Table(title="Roles")
    table.add_column("player")
    table.add_column("role")
    for seat in sorted(roles):
        table.add_row(name(seat), roles[seat])
    console.print(table)
    console.print(f"Winner: [bold]{result.winner}[/] after {result.days} days, "
                  f"{result.n_turns} turns.")  # fmt: skip

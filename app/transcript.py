"""`sdlab show` / `sdlab play`: a stored game as a readable terminal transcript."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, select

from games.core.events import PUBLIC
from games.werewolf.rules import name
from runs import schema

_STYLE = {
    "speech": "white",
    "last_words": "italic",
    "vote": "cyan",
    "vote_result": "bold cyan",
    "dawn": "bold yellow",
    "elimination": "bold yellow",
    "game_over": "bold green",
}
_SPOKEN = ("speech", "last_words", "wolf_chat")


class GameNotFound(LookupError):
    """No such game, or no readable sdlab database; the message says which."""


def resolve_game(engine: Engine, game_id: int | None, plan_name: str | None = None) -> int:
    """The game to show: the one asked for, else the last game (of the named plan)."""
    if game_id is not None:
        return game_id
    g, t = schema.Game, schema.Tournament
    query = select(g.id).order_by(g.id.desc()).limit(1)
    if plan_name is not None:
        query = query.join(t, t.id == g.tournament_id).where(t.name == plan_name)
    try:
        with engine.connect() as conn:
            found = conn.execute(query).scalar()
    except Exception as exc:  # not an sdlab database, unreadable file
        raise GameNotFound(f"cannot read games: {str(exc).splitlines()[0]}") from None
    if found is None:
        raise GameNotFound("no games in this database")
    return int(found)


def read_game(engine: Engine, game_id: int) -> tuple[Any, list[Any], list[Any]]:
    """(game row, players, events) of one stored game."""
    g, p, e = schema.Game, schema.Player, schema.Event
    with engine.connect() as conn:
        game = conn.execute(select(g).where(g.id == game_id)).first()
        if game is None:
            raise GameNotFound(f"no game {game_id} in this database")
        players = conn.execute(select(p).where(p.game_id == game_id).order_by(p.seat)).all()
        events = conn.execute(select(e).where(e.game_id == game_id).order_by(e.seq)).all()
    return game, list(players), list(events)


def print_game(engine: Engine, game_id: int, console: Console, show_private: bool = False) -> None:
    """Print one stored game: public events (and with `show_private` the night's secrets)."""
    game, players, events = read_game(engine, game_id)
    console.rule(f"game {game.id}: Werewolf, seed {game.seed}, {len(players)} players")
    day = -1
    for e in events:
        if e.visibility != PUBLIC and not (show_private and e.kind != "role_assignment"):
            continue
        if e.day != day:
            day = e.day
            if day:
                console.rule(f"night and day {day}", style="dim")
        who = f"[bold]{name(e.actor)}[/]: " if e.kind in _SPOKEN and e.actor is not None else ""
        style = "dim" if e.visibility != PUBLIC else _STYLE.get(e.kind, "white")
        tag = "" if e.visibility == PUBLIC else f"[dim]({e.visibility})[/] "
        text = e.text.replace("[", r"\[")  # speech is data, not rich markup
        console.print(f"{tag}{who}[{style}]{text}[/]", highlight=False)
    table = Table(title="Players")
    for col in ("player", "role", "played by"):
        table.add_column(col)
    for p in players:
        table.add_row(p.name, p.role, p.model or p.agent_kind)
    console.print(table)
    status = game.status if game.status != "finished" else f"winner: [bold]{game.winner}[/]"
    console.print(f"{status} after {game.days} days, {game.n_turns} turns.", highlight=False)

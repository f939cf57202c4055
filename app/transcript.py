"""`sdlab show` / `sdlab play`: a stored game as a readable terminal transcript, claims marked.

The words that describe a claim and its evidence live here and are shared with the HTML game
pages (app/report), so the terminal and the browser say the same thing about the same claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
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
# How each label (and a belief–speech inconsistency) is shown: a mark, a word and a colour.
MARKS = {
    "lie": ("✗", "LIE", "bold red"),
    "inconsistent": ("≠", "inconsistent", "bold magenta"),
    "mistake": ("?", "mistake", "yellow"),
    "unverifiable": ("·", "unverifiable", "dim"),
    "truthful": ("✓", "truthful", "green"),
}
# An utterance is shown by its gravest claim.
SEVERITY = ("lie", "inconsistent", "mistake", "unverifiable", "truthful")
BASIS = {
    "own_role": "own role",
    "own_night": "own night action",
    "own_vote": "own vote",
    "pack": "knows the pack",
    "reveal": "role revealed on death",
    "inspection": "own inspection",
    "belief": "own logged belief (≥ 0.8)",
}


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


def read_reasoning(engine: Engine, game_id: int) -> dict[int, str]:
    """Private reasoning per event seq of one game (turns that produced an event)."""
    t = schema.Turn
    query = select(t.event_seq, t.reasoning).where(
        t.game_id == game_id, t.event_seq.is_not(None), t.reasoning.is_not(None)
    )
    with engine.connect() as conn:
        return {int(seq): text for seq, text in conn.execute(query) if text}


def game_claims(engine: Engine, game_id: int) -> pd.DataFrame:
    """The game's claims, extracted and labelled on the fly (nothing is written)."""
    from analysis.pipeline import label_claims

    return label_claims(engine, write=False, game_ids=[game_id])


def claim_kind(row: Any) -> str:
    """The label a claim is shown with: its label, or 'inconsistent' for a non-lie that
    contradicts the speaker's own belief."""
    label = str(row["label"])
    if label != "lie" and bool(row.get("belief_inconsistent", False)):
        return "inconsistent"
    return label


def gravest(kinds: Iterable[str]) -> str | None:
    """The most serious of some claim kinds (a lie outranks everything), or None."""
    found = set(kinds)
    return next((k for k in SEVERITY if k in found), None)


def describe_claim(row: Any) -> str:
    """What a claim asserts, in words ("player_3 is a werewolf")."""
    kind, value = str(row["claim_type"]), str(row["value"])
    subject = row["subject"]
    who = name(int(subject)) if subject is not None and not pd.isna(subject) else "someone"
    if kind == "role_claim":
        article = "the" if value in ("seer", "doctor") else "a"
        role = "on the village" if value == "village" else f"{article} {value}"
        return f"{who} is {role}"
    if kind == "accusation":
        return f"{who} is a werewolf"
    if kind == "defence":
        return f"{who} is not a werewolf"
    if kind == "inspection_claim":
        return f"inspected {who}: {'a werewolf' if value == 'werewolf' else 'not a werewolf'}"
    if kind == "vote_claim":
        return f"voted for {who} ({value})"
    if kind == "night_claim":
        return f"{who} was {value} last night"
    return f"{value} about {who}"


def evidence(row: Any) -> dict[str, str]:
    """A claim's evidence in words: the truth, what the speaker knew and from what, its belief."""
    belief = row.get("belief_wolf")
    knew = str(row.get("speaker_knew"))
    basis = row.get("basis")
    how = BASIS.get(str(basis), str(basis)) if basis is not None and not pd.isna(basis) else ""
    out = {
        "truth": str(row.get("truth")),
        "speaker knew": {"true": "it was true", "false": "it was false"}.get(knew, "not known"),
        "from": how or "—",
        "belief P(werewolf)": "—" if belief is None or pd.isna(belief) else f"{belief:.2f}",
    }
    if bool(row.get("hedged", False)):
        out["hedged"] = "yes"
    if bool(row.get("fallback", False)):
        out["fallback turn"] = "yes (not the model's speech; left out of rates)"
    return out


def short_evidence(row: Any) -> str:
    """The evidence on one short line: "false · knew false (own role) · P(wolf) 0.00"."""
    knew = str(row.get("speaker_knew"))
    basis = row.get("basis")
    how = BASIS.get(str(basis), str(basis)) if basis is not None and not pd.isna(basis) else ""
    parts = [str(row.get("truth"))]
    parts.append(f"knew {knew} ({how})" if knew in ("true", "false") else "did not know")
    belief = row.get("belief_wolf")
    if belief is not None and not pd.isna(belief):
        parts.append(f"P(wolf) {belief:.2f}")
    parts += ["hedged"] * bool(row.get("hedged", False))
    parts += ["fallback turn"] * bool(row.get("fallback", False))
    return " · ".join(parts)


def _claim_line(row: Any) -> str:
    mark, word, style = MARKS.get(claim_kind(row), ("·", str(row["label"]), "white"))
    what, why = escape(describe_claim(row)), escape(short_evidence(row))
    return f"    [{style}]{mark} {word}[/] {what} [dim]\\[{why}][/]"


def print_game(
    engine: Engine,
    game_id: int,
    console: Console,
    show_private: bool = False,
    claims: pd.DataFrame | None = None,
) -> None:
    """Print one stored game: public events with their claims marked by label (and with
    `show_private` the night's secrets and each speaker's private reasoning)."""
    game, players, events = read_game(engine, game_id)
    by_event: dict[int, list[Any]] = {}
    if claims is not None and not claims.empty:
        for row in claims.sort_values(["event_seq", "position"]).to_dict("records"):
            by_event.setdefault(int(row["event_seq"]), []).append(row)
    reasoning = read_reasoning(engine, game_id) if show_private else {}
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
        said = by_event.get(int(e.seq), [])
        worst = gravest(claim_kind(c) for c in said)
        flag = f"[{MARKS[worst][2]}]{MARKS[worst][0]}[/] " if worst else ""
        console.print(f"{flag}{tag}{who}[{style}]{escape(e.text)}[/]", highlight=False)
        for c in said:
            console.print(_claim_line(c), highlight=False)
        if e.seq in reasoning:
            console.print(f"    [dim italic]thinks: {escape(reasoning[e.seq])}[/]", highlight=False)
    table = Table(title="Players")
    for col in ("player", "role", "played by"):
        table.add_column(col)
    for p in players:
        table.add_row(p.name, p.role, p.model or p.agent_kind)
    console.print(table)
    if claims is not None and not claims.empty:
        counts = pd.Series([claim_kind(c) for c in claims.to_dict("records")]).value_counts()
        shown = ", ".join(f"{counts[k]} {MARKS[k][1].lower()}" for k in SEVERITY if k in counts)
        console.print(f"claims: {shown}", highlight=False)
    status = game.status if game.status != "finished" else f"winner: [bold]{game.winner}[/]"
    console.print(f"{status} after {game.days} days, {game.n_turns} turns.", highlight=False)

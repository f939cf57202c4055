"""One game's page: players with roles revealed, each player's P(werewolf) as a chart, and the
transcript with every claim highlighted by its label (evidence on hover and click) and the
private parts (night events, reasoning, beliefs at each turn) behind a toggle."""

from __future__ import annotations

from typing import Any

import pandas as pd

from app.report import charts
from app.report.build import Page, table
from app.report.data import GameRows
from app.transcript import (
    MARKS,
    SEVERITY,
    claim_kind,
    describe_claim,
    evidence,
    gravest,
    short_evidence,
)

SPOKEN = ("speech", "last_words")


def game_context(rows: GameRows, shown: str) -> dict[str, Any]:
    """Everything game.html.j2 draws for one game."""
    players = rows.players.sort_values("seat")
    seats = players["seat"].astype(int)
    names = dict(zip(seats, players["name"].astype(str), strict=True))
    roles = dict(zip(seats, players["role"].astype(str), strict=True))
    items = transcript_items(rows, names, roles)
    chart_rows = belief_rows(rows.beliefs, names, roles)
    kinds = pd.Series([c["kind"] for i in items for c in i.get("claims", [])]).value_counts()
    counted = ", ".join(f"{kinds[k]} {MARKS[k][1].lower()}" for k in SEVERITY if k in kinds)
    played_by = (
        players["model"]
        .astype(object)
        .where(players["model"].notna(), players["agent_kind"].astype(object))
    )
    columns = [
        ("name", "player", ""),
        ("role", "role", ""),
        ("team", "team", ""),
        ("played_by", "played by", ""),
        ("prompt_condition", "prompt", ""),
        ("framing", "framing", ""),
    ]
    return {
        "game": {k: (None if _missing(v) else v) for k, v in rows.game.items()},
        "players": table(players.assign(played_by=played_by), columns),
        "chart": Page().chart(charts.belief_chart(chart_rows)) if chart_rows else "",
        "items": items,
        "claim_note": f"Claims: {counted}. Click a claim for its evidence."
        if counted
        else "No claims extracted from this game.",
        "root": "../",
        "shown": shown,
    }


def transcript_items(
    rows: GameRows, names: dict[int, str], roles: dict[int, str]
) -> list[dict[str, Any]]:
    """The events in order as items to draw: day headers, utterances with their claims, public
    events, private events; each with the deciding player's reasoning and beliefs at that turn."""
    turn_of, thoughts = _turns(rows.turns)
    held: dict[int, list[str]] = {}
    b = rows.beliefs
    for t, about, p in zip(b["turn"], b["about"], b["probability"], strict=True):
        held.setdefault(int(t), []).append(f"{names.get(int(about), about)} {p:.2f}")
    claims_at: dict[int, list[dict[str, Any]]] = {}
    for c in rows.claims.sort_values(["event_seq", "position"]).to_dict("records"):
        claims_at.setdefault(int(c["event_seq"]), []).append(c)
    items: list[dict[str, Any]] = []
    day = -1
    for e in rows.events.to_dict("records"):
        if e["day"] != day:
            day = e["day"]
            if day:
                items.append({"kind": "day", "text": f"Night and day {day}"})
        seq = int(e["seq"])
        item: dict[str, Any] = {"seq": seq, "text": e.get("text") or ""}
        actor = e.get("actor")
        public = str(e["visibility"]) == "public"
        if public and str(e["kind"]) in SPOKEN and pd.notna(actor):
            said = [claim_view(c) for c in claims_at.get(seq, [])]
            item.update(
                kind="utterance",
                who=names.get(int(actor), str(actor)),
                role=roles.get(int(actor), ""),
                claims=said,
                grave=gravest(c["kind"] for c in said),
            )
        else:
            item.update(kind="event" if public else "private", visibility=str(e["visibility"]))
        item["reasoning"] = thoughts.get(seq, "")
        turn = turn_of.get(seq)
        item["beliefs"] = ", ".join(held.get(turn, [])) if turn is not None else ""
        items.append(item)
    return items


def _turns(turns: pd.DataFrame) -> tuple[dict[int, int], dict[int, str]]:
    """Event seq → the decision (turn) that produced it, and → that decision's reasoning."""
    if not len(turns):
        return {}, {}
    made = turns[turns["event_seq"].notna()]
    seqs = made["event_seq"].astype(int).tolist()
    turn_of = dict(zip(seqs, made["turn"].astype(int).tolist(), strict=True))
    reasons = made["reasoning"].tolist() if "reasoning" in made else [None] * len(seqs)
    thoughts = {s: r for s, r in zip(seqs, reasons, strict=True) if isinstance(r, str) and r}
    return turn_of, thoughts


def belief_rows(
    beliefs: pd.DataFrame, names: dict[int, str], roles: dict[int, str]
) -> list[dict[str, Any]]:
    """The chart's rows: turn, holder, about (each named with its role), P(werewolf)."""
    # Roles are revealed on this page: name each line and panel with its player's role.
    label = {s: f"{n} ({roles.get(s, '?')})" for s, n in names.items()}
    b = beliefs[beliefs["probability"].notna()]
    return [
        {
            "turn": int(t),
            "holder": label.get(int(h), str(h)),
            "about": label.get(int(a), str(a)),
            "p": round(float(p), 4),
            "wolf": roles.get(int(a)) == "werewolf",
        }
        for t, h, a, p in zip(b["turn"], b["holder"], b["about"], b["probability"], strict=True)
    ]


def claim_view(row: dict[str, Any]) -> dict[str, Any]:
    """A claim as drawn: its kind (the CSS class), mark, words, hover title and evidence."""
    kind = claim_kind(row)
    mark, word, _ = MARKS.get(kind, ("·", kind, ""))
    what = describe_claim(row)
    return {
        "kind": kind,
        "mark": mark,
        "word": word.lower(),
        "what": what,
        "title": f"{word.lower()}: {what} [{short_evidence(row)}]",
        "evidence": list(evidence(row).items()),
    }


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False

"""One game's page: players with roles revealed, each player's P(werewolf) as a chart, and the
transcript with every claim highlighted by its label (evidence on hover and click) and the
private parts (night events, reasoning, beliefs at each turn) behind a toggle."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from app.report import charts
from app.report.build import Page, table_of
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
    players = sorted(rows.players, key=lambda p: p["seat"])
    names = {int(p["seat"]): str(p["name"]) for p in players}
    roles = {int(p["seat"]): str(p["role"]) for p in players}
    items = transcript_items(rows, names, roles)
    chart_rows = belief_rows(rows.beliefs, names, roles)
    kinds = Counter(c["kind"] for i in items for c in i.get("claims", []))
    counted = ", ".join(f"{kinds[k]} {MARKS[k][1].lower()}" for k in SEVERITY if k in kinds)
    for p in players:
        p["played_by"] = p.get("model") or p.get("agent_kind")
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
        "players": table_of(players, columns),
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
    made = [t for t in rows.turns if t["event_seq"] is not None]
    turn_of = {int(t["event_seq"]): int(t["turn"]) for t in made}
    thoughts = {int(t["event_seq"]): t["reasoning"] for t in made if t.get("reasoning")}
    held: dict[int, list[str]] = {}
    for b in rows.beliefs:
        about = names.get(int(b["about"]), str(b["about"]))
        held.setdefault(int(b["turn"]), []).append(f"{about} {b['probability']:.2f}")
    claims_at: dict[int, list[dict[str, Any]]] = {}
    for c in sorted(rows.claims, key=lambda c: (c["event_seq"], c["position"])):
        claims_at.setdefault(int(c["event_seq"]), []).append(c)
    items: list[dict[str, Any]] = []
    day = -1
    for e in rows.events:
        if e["day"] != day:
            day = e["day"]
            if day:
                items.append({"kind": "day", "text": f"Night and day {day}"})
        seq = int(e["seq"])
        item: dict[str, Any] = {"seq": seq, "text": e.get("text") or ""}
        actor = e.get("actor")
        public = str(e["visibility"]) == "public"
        if public and str(e["kind"]) in SPOKEN and actor is not None:
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


def belief_rows(
    beliefs: list[dict[str, Any]], names: dict[int, str], roles: dict[int, str]
) -> list[dict[str, Any]]:
    """The chart's rows: turn, holder, about (each named with its role), P(werewolf)."""
    # Roles are revealed on this page: name each line and panel with its player's role.
    label = {s: f"{n} ({roles.get(s, '?')})" for s, n in names.items()}
    return [
        {
            "turn": int(b["turn"]),
            "holder": label.get(int(b["holder"]), str(b["holder"])),
            "about": label.get(int(b["about"]), str(b["about"])),
            "p": round(float(b["probability"]), 4),
            "wolf": roles.get(int(b["about"])) == "werewolf",
        }
        for b in beliefs
        if b["probability"] is not None
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

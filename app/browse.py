"""`sdlab browse`: the lab database in datasette (the [browse] extra), described and with queries.

The table and column descriptions are generated from the code that defines the tables — the
SQLModel classes' docstrings, their fields' descriptions and the comments beside each field (and
the analysis-owned claim table's), so they are never written twice. Canned queries answer the
questions researchers ask first: the lies of a game, a player's beliefs over time, fallback turns.
Datasette opens the file read-only (no write query is defined) on 127.0.0.1.
"""

from __future__ import annotations

import inspect
import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel

from runs import schema

INSTALL = "sdlab browse needs datasette: pip install 'sdlab[browse]'"
_FIELD = re.compile(r"^\s*(\w+)\s*:[^#]*?(?:#\s*(.*))?$")
_COLUMN = re.compile(r"""^\s*Column\(\s*["'](\w+)["'][^#]*?(?:#\s*(.*))?$""")
_COMMENT = re.compile(r"^\s*#\s?(.*)$")


def source_comments(source: str, pattern: re.Pattern[str] = _FIELD) -> dict[str, str]:
    """Name → comment for every field line of some source: the comment beside the field, else
    the comment lines right above it (noqa and fmt directives left out)."""
    out: dict[str, str] = {}
    above: list[str] = []
    for line in source.splitlines():
        comment = _COMMENT.match(line)
        if comment:
            above.append(comment.group(1).strip())
            continue
        found = pattern.match(line)
        if found and not line.lstrip().startswith(("def ", "class ", "return")):
            beside = (found.group(2) or "").strip()
            text = beside if beside and not _directive(beside) else " ".join(above)
            if text and not _directive(text):
                out.setdefault(found.group(1), text)
        above = []
    return out


def _directive(text: str) -> bool:
    return text.startswith(("noqa", "fmt:", "type:"))


def table_metadata(model: type[SQLModel]) -> dict[str, Any]:
    """A table's description (the class docstring) and its columns' (field descriptions and the
    comments beside the fields in the class and its bases)."""
    notes: dict[str, str] = {}
    for cls in model.__mro__:
        if cls.__module__ == model.__module__:
            for name, text in source_comments(inspect.getsource(cls)).items():
                notes.setdefault(name, text)
    columns = {}
    for name, info in model.model_fields.items():
        text = info.description or notes.get(name)
        if text:
            columns[name] = text
    return {"description": inspect.getdoc(model) or "", "columns": columns}


def claim_metadata() -> dict[str, Any]:
    """The analysis-owned claim table (written by `sdlab analyse`), described from its source."""
    import importlib

    # By module path: `analysis.claim_table` the attribute is the Table the module defines.
    claims = importlib.import_module("analysis.claim_table")

    doc = (inspect.getdoc(claims) or "").split("\n\n")[0]
    return {
        "description": doc,
        "columns": source_comments(inspect.getsource(claims), _COLUMN),
    }


def canned_queries(has_claims: bool) -> dict[str, Any]:
    """The canned queries; the lies query only where the claim table has been written."""
    queries: dict[str, Any] = {
        "beliefs_over_time": {
            "title": "A player's beliefs over time",
            "description": "P(werewolf) that one seat (holder) of one game gave every other "
            "player, turn by turn (beliefs are private: no other player saw them).",
            "sql": (
                "SELECT b.turn, t.day, t.phase, t.kind AS decision, p.name AS about,\n"
                "       p.role AS about_role, round(b.probability, 3) AS p_werewolf\n"
                "FROM belief b\n"
                "JOIN turn t ON t.game_id = b.game_id AND t.turn = b.turn\n"
                "JOIN player p ON p.game_id = b.game_id AND p.seat = b.about\n"
                "WHERE b.game_id = :game AND b.holder = :seat AND b.role = 'werewolf'\n"
                "ORDER BY b.turn, b.about"
            ),
        },
        "fallback_turns": {
            "title": "Fallback turns",
            "description": "Decisions where the model gave no valid answer and a legal default "
            "was played: not the model's play, left out of every rate.",
            "sql": (
                "SELECT t.game_id, t.turn, t.day, t.phase, t.kind, p.name AS player, p.role,\n"
                "       coalesce(p.model, p.agent_kind) AS played_by, t.speech\n"
                "FROM turn t\n"
                "JOIN player p ON p.game_id = t.game_id AND p.seat = t.seat\n"
                "WHERE t.fallback\n"
                "ORDER BY t.game_id, t.turn"
            ),
        },
        "game_transcript": {
            "title": "A game's public transcript",
            "description": "What every player saw of one game, in order.",
            "sql": (
                "SELECT e.seq, e.day, e.phase, e.kind, p.name AS speaker, e.text\n"
                "FROM event e\n"
                "LEFT JOIN player p ON p.game_id = e.game_id AND p.seat = e.actor\n"
                "WHERE e.game_id = :game AND e.visibility = 'public'\n"
                "ORDER BY e.seq"
            ),
        },
    }
    if has_claims:
        queries["lies_of_game"] = {
            "title": "The lies of a game",
            "description": "Claims labelled a lie in one game: false, and the speaker knew it "
            "(from its role, night results, the pack, or its own belief >= 0.8).",
            "sql": (
                "SELECT c.event_seq, e.day, p.name AS speaker, p.role, c.claim_type,\n"
                "       s.name AS subject, c.value, c.basis, c.belief_wolf, c.fallback, e.text\n"
                "FROM claim c\n"
                "JOIN event e ON e.game_id = c.game_id AND e.seq = c.event_seq\n"
                "JOIN player p ON p.game_id = c.game_id AND p.seat = c.speaker\n"
                "LEFT JOIN player s ON s.game_id = c.game_id AND s.seat = c.subject\n"
                "WHERE c.game_id = :game AND c.label = 'lie'\n"
                "ORDER BY c.event_seq, c.position"
            ),
        }
    return queries


def metadata(db: Path) -> dict[str, Any]:
    """Datasette metadata for one lab database: descriptions of every table and the queries."""
    with sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True) as conn:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    models = {
        m.__tablename__: m
        for m in (schema.Tournament, schema.Game, schema.Player, schema.Event, schema.Turn,
                  schema.Belief, schema.LLMCall)
    }  # fmt: skip
    tables = {name: table_metadata(m) for name, m in models.items() if name in present}
    if "claim" in present:
        tables["claim"] = claim_metadata()
    return {
        "title": f"sdlab: {db.name}",
        "description": "A social deduction lab database: every utterance, action, private "
        "belief and LLM call of Werewolf games, next to the ground truth.",
        "databases": {db.stem: {"tables": tables, "queries": canned_queries("claim" in present)}},
    }

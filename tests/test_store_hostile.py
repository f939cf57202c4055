"""Storing any text a model or player can produce never raises, on SQLite and PostgreSQL.

A lone surrogate (legal in JSON as "\\ud800") and NUL (rejected by PostgreSQL) used to make the
store raise inside `fail()`, so the game stayed `running` and its LLM calls were lost.
"""

from __future__ import annotations

import os
import sqlite3
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from runs.schema import Event, Game, LLMCall, Turn
from runs.store import storable
from tests.helpers import claimed

NASTY = "a\ud800b\x00c\udfff — ok é"  # two lone surrogates and a NUL among fine characters
FIXED = "a\ufffdb\ufffdc\ufffd — ok é"
PG_URL = os.environ.get("SDLAB_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "h.db")
    if not PG_URL:
        pytest.skip("SDLAB_TEST_PG_URL is not set")
    from tests.test_postgres import empty_pg

    return empty_pg()


def test_storable_replaces_and_counts():
    assert storable(NASTY) == (FIXED, 3)
    value, n = storable({"k\x00": [NASTY, 1, None, {"x": "\ud83d"}]})
    assert value == {"k\ufffd": [FIXED, 1, None, {"x": "\ufffd"}]} and n == 5
    assert storable("plain ascii") == ("plain ascii", 0)


def test_every_text_column_takes_hostile_text_and_the_game_finishes(db):
    engine, conn, rec = claimed(db)
    rec.add_event(SimpleNamespace(seq=0, day=1, phase="day_speech", kind="speech", actor=0,
                                  target=None, visibility="public", text=NASTY,
                                  payload={"subject": 1}))  # fmt: skip
    row = {"turn": 0, "seat": 0, "day": 1, "phase": "day_speech", "kind": "speak",
           "event_seq": 0, "speech": NASTY, "target": None, "bid": None, "reasoning": NASTY,
           "fallback": False, "intended_lie": False, "stated_claims": []}  # fmt: skip
    rec.add_turn(row, {1: {"werewolf": 0.5}})
    message = {"role": "user", "content": NASTY}
    rec.add_call({"seat": 0, "turn": 0, "model": "m", "messages": [message], "response": NASTY,
                  "error": NASTY, "attempt": 1, "parsed_ok": False})  # fmt: skip
    rec.commit()
    rec.finish("village", 1, 1)
    with engine.connect() as c:
        game = c.execute(select(Game.status, Game.text_repairs)).one()
        event = c.execute(select(Event.text)).scalar()
        turn = c.execute(select(Turn.speech, Turn.reasoning)).one()
        call = c.execute(select(LLMCall.response, LLMCall.error)).one()
    assert game == ("finished", 3 * 6)  # 6 texts, 3 bad characters each
    assert event == FIXED and tuple(turn) == (FIXED, FIXED) and tuple(call) == (FIXED, FIXED)
    conn.close()
    engine.dispose()


def test_fail_never_raises_and_keeps_the_calls(db):
    engine, conn, rec = claimed(db)
    rec.add_call({"seat": 0, "turn": 0, "model": "m", "messages": [], "response": NASTY,
                  "attempt": 1, "parsed_ok": False})  # fmt: skip
    rec.fail(f"RuntimeError: {NASTY}")
    with engine.connect() as c:
        status, error = c.execute(select(Game.status, Game.error)).one()
        calls = c.execute(select(LLMCall.response)).scalars().all()
    assert status == "failed" and FIXED in error and calls == [FIXED]
    conn.close()
    engine.dispose()


def test_a_game_whose_calls_cannot_be_stored_is_still_marked_failed(tmp_path):
    db = str(tmp_path / "h.db")
    engine, conn, rec = claimed(db)
    with sqlite3.connect(db) as raw:
        raw.execute(
            "CREATE TRIGGER full BEFORE INSERT ON llmcall BEGIN SELECT RAISE(ABORT, 'full'); END"
        )
    rec.add_call(
        {"seat": 0, "turn": 0, "model": "m", "messages": [], "attempt": 1, "parsed_ok": False}
    )
    rec.fail("RuntimeError: boom")
    with engine.connect() as c:
        status, error = c.execute(select(Game.status, Game.error)).one()
    assert status == "failed"
    assert "boom" in error and "its LLM calls could not be stored" in error
    conn.close()
    engine.dispose()

"""The `sdlab` CLI: the offline main job, the transcript, and clear errors on bad input."""

from __future__ import annotations

import os
import sqlite3

import pytest
from typer.testing import CliRunner

from runs.cli import app

runner = CliRunner()


def test_run_plays_games_and_prints_summary(db_path):
    result = runner.invoke(app, ["run", "--games", "5", "--db", db_path, "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "games finished" in result.output and "games/s" in result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM game WHERE status='finished'").fetchone() == (5,)


def test_run_with_other_table_rules(db_path):
    args = [
        "run",
        "-n",
        "3",
        "--db",
        db_path,
        "--players",
        "9",
        "--bidding",
        "--revote",
        "--hide-roles",
        "--rounds",
        "1",
        "--commit",
        "game",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(DISTINCT seat) FROM player").fetchone() == (9,)
        assert conn.execute("SELECT COUNT(*) FROM event WHERE kind='bid'").fetchone()[0] > 0


def test_play_prints_transcript():
    result = runner.invoke(app, ["play", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Dawn:" in result.output and "Winner:" in result.output
    assert "role_assignment" not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--games", "0"], "--games must be at least 1"),
        (["run", "--players", "2"], "at least 4 players"),
        (["run", "--players", "31"], "at most 30 players"),
        (["run", "--rounds", "-1"], "discussion_rounds"),
        (["run", "--commit", "sometimes"], "--commit must be"),
        (["run", "--db", "/no/such/dir/x.db"], "does not exist"),
    ],
)
def test_bad_input_is_one_clear_line_and_nothing_written(tmp_path, args, message):
    os.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0
    assert not os.listdir(tmp_path)  # no lab.db or anything else half-written

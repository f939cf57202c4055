"""Analysis read in chunks of games gives what it gives read all at once (issue 14: 100k games)."""

from __future__ import annotations

import asyncio
import sqlite3

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import analysis
from analysis.claim_table import read_claim_rows
from analysis.db import GameFilter, open_db
from analysis.report import export_frames, write_frames
from runs.batch import run_games
from tests.report_helpers import lab_db
from vocab import EXTRACTORS

ALL = 10**6  # more games than any test database: one part, the unchunked path
TABLES = ("claims", "rates", "by_team", "spontaneous", "fallback", "degraded")


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> str:
    """Two tournaments, a game in the middle that did not finish, and a degraded game."""
    where = tmp_path_factory.mktemp("chunks")
    db = lab_db(where, games=12)  # honest, deceptive and random players: lies and mistakes
    asyncio.run(run_games(db, 5, seed=11, name="second"))
    with sqlite3.connect(db) as conn:
        # A failed game between two chunks: no chunk may read it, its stale claims must go.
        conn.execute("UPDATE game SET status = 'failed' WHERE id = 5")
        # Most of one seat's decisions fell back: its game is degraded (left out of rates).
        conn.execute("UPDATE turn SET fallback = 1 WHERE game_id = 8 AND seat = 2")
    return db


def _report(db: str, chunk: int, **options: object) -> analysis.AnalysisReport:
    return analysis.analysis_report(db, write=False, chunk_games=chunk, resamples=200, **options)


def _assert_same(a: analysis.AnalysisReport, b: analysis.AnalysisReport) -> None:
    for name in TABLES:
        left, right = getattr(a, name), getattr(b, name)
        assert_frame_equal(left, right, check_exact=True, obj=name)
        assert left.attrs == right.attrs, name


def test_the_lab_is_cut_into_parts_of_three_covering_every_finished_game_once(lab):
    with open_db(lab).connect() as conn:
        parts = GameFilter().chunks(conn, 3)
        finished = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id FROM game WHERE status = 'finished' ORDER BY id"
            )
        ]
    assert len(parts) == -(-len(finished) // 3) > 3
    covered = [g for p in parts for g in finished if p.id_range[0] <= g <= p.id_range[1]]
    assert covered == finished


@pytest.mark.parametrize("tournaments", [None, ["t"], ["second", "t"]])
def test_report_in_chunks_of_three_games_equals_the_report_read_at_once(lab, tournaments):
    whole = _report(lab, ALL, tournaments=tournaments)
    assert len(whole.claims) > 100 and (whole.claims["label"] == "lie").any()
    assert whole.degraded["game_id"].tolist() == [8] or tournaments == ["second"]
    _assert_same(whole, _report(lab, 3, tournaments=tournaments))
    _assert_same(whole, _report(lab, 1, tournaments=tournaments))


def test_claim_rows_written_in_chunks_equal_the_rows_written_at_once(lab, tmp_path):
    rows = {}
    for name, chunk in (("whole", ALL), ("chunked", 3)):
        copy = str(tmp_path / f"{name}.db")
        with sqlite3.connect(lab) as a, sqlite3.connect(copy) as b:
            a.backup(b)
        analysis.label_claims(copy, chunk_games=chunk)
        with sqlite3.connect(copy) as conn:  # a stale row of the failed game must go
            conn.execute(
                "INSERT INTO claim (game_id, event_seq, position, speaker, claim_type, value, "
                "hedged, extractor, belief_inconsistent, spontaneous, fallback) "
                "VALUES (5, 1, 0, 0, 'role_claim', 'seer', 0, ?, 0, 0, 0)",
                (EXTRACTORS[0],),  # the default reader's row: its next run must drop it
            )
            conn.execute("DELETE FROM claim WHERE game_id > 12")  # the next run rewrites them
        analysis.label_claims(copy, chunk_games=chunk)
        with open_db(copy).connect() as conn:
            frame = read_claim_rows(conn).drop(columns="id")
        rows[name] = frame.sort_values(["game_id", "event_seq", "position"], ignore_index=True)
    assert 5 not in set(rows["chunked"]["game_id"])
    assert len(rows["whole"]) > 100 and rows["whole"]["game_id"].max() > 12
    assert_frame_equal(rows["whole"], rows["chunked"], check_exact=True)


def test_an_empty_selection_gives_the_same_empty_report(tmp_path):
    db = str(tmp_path / "empty.db")
    asyncio.run(run_games(db, 1, seed=1))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE game SET status = 'failed'")
    whole, chunked = _report(db, ALL), _report(db, 3)
    assert whole.claims.empty
    _assert_same(whole, chunked)
    assert isinstance(whole.claims, pd.DataFrame)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_frames_exported_in_chunks_equal_the_frames_loaded_at_once(lab, tmp_path, fmt):
    report = _report(lab, ALL)
    extra = {"lie_rates": report.rates}
    frames = analysis.load(lab)
    frames.claims = report.claims
    whole = write_frames(frames, extra, tmp_path / "whole", fmt)
    parts = export_frames(lab, extra, tmp_path / "parts", fmt, claims=report.claims, chunk_games=3)
    assert sorted(p.name for p in whole) == sorted(p.name for p in parts)
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    for path in whole:
        a, b = read(path), read(tmp_path / "parts" / path.name)
        assert len(a) > 0 or path.stem in ("llm_calls", "fallback_by_model"), path.stem
        if fmt == "csv":  # the very same text
            assert path.read_bytes() == (tmp_path / "parts" / path.name).read_bytes(), path.stem
        assert_frame_equal(a, b, check_dtype=fmt == "csv", check_categorical=False, obj=path.stem)

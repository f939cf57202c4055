"""Loader dtypes, idempotent write-back, Wilson intervals, rates and the `sdlab analyse` CLI."""

from __future__ import annotations

import asyncio

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import analysis
from analysis.claim_table import claim_table
from runs.batch import run_games


def _cli():
    """The `sdlab` typer app, wherever the CLI lives (it is moving from runs.cli to app/)."""
    try:
        from app.cli import app
    except ImportError:
        from runs.cli import app
    return app


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("lab") / "lab.db")
    asyncio.run(run_games(db, 20, seed=11))
    return db


def _claim_rows(db: str) -> int:
    with analysis.open_db(db).connect() as conn:
        return conn.execute(select(func.count()).select_from(claim_table)).scalar_one()


def test_load_gives_tidy_typed_frames(lab):
    f = analysis.load(lab)
    assert len(f.games) == 20 and len(f.players) == 20 * 7
    assert f.players["role"].dtype == "category"
    assert set(f.players["role"].cat.categories) == {"werewolf", "seer", "doctor", "villager"}
    assert f.events["actor"].dtype == "Int64" and f.events["seq"].dtype == "int64"
    assert f.events["kind"].dtype == "category"
    assert pd.api.types.is_string_dtype(f.events["text"])
    assert isinstance(f.games["finished_at"].dtype, pd.DatetimeTZDtype)
    assert f.turns["fallback"].dtype == bool and f.beliefs["probability"].dtype == "float64"
    # payload fields the analysis needs are lifted into columns
    insp = f.events[f.events["kind"] == "inspection"]
    assert insp["result"].isin(["werewolf", "not a werewolf"]).all()
    roles = f.events[f.events["kind"] == "role_assignment"]
    assert (roles["subject"] == roles["target"]).all()
    assert len(f.llm_calls) == 0 and "purpose" in f.llm_calls
    assert f.games["tournament"].nunique() == 1  # run_games names its plan
    assert set(f.fallback["game_id"]) == set(f.games["id"])
    assert (f.fallback["fallback_share"] == 0).all() and not f.fallback["degraded"].any()


def test_label_claims_writes_back_idempotently(lab):
    first = analysis.label_claims(lab)
    n = _claim_rows(lab)
    assert n == len(first) > 0
    second = analysis.label_claims(lab)
    assert _claim_rows(lab) == n  # replaced, not appended
    assert second["label"].tolist() == first["label"].tolist()
    stored = analysis.load(lab).claims
    assert len(stored) == n
    assert stored["label"].value_counts().to_dict() == first["label"].value_counts().to_dict()
    assert set(stored["label"].astype(str)) <= set(analysis.LABELS)


def test_label_claims_for_some_games_leaves_the_others(lab):
    analysis.label_claims(lab)
    n = _claim_rows(lab)
    again = analysis.label_claims(lab, game_ids=[1, 2])
    assert set(again["game_id"]) == {1, 2}
    assert _claim_rows(lab) == n


def test_wilson_interval_known_values():
    # 81/263 worked by hand: centre 0.310752, half-width 0.055462
    low, high = analysis.wilson_interval(np.array([5, 0, 10, 81]), np.array([10, 10, 10, 263]))
    np.testing.assert_allclose(low, [0.236593, 0.0, 0.722467, 0.2553], atol=1e-4)
    np.testing.assert_allclose(high, [0.763407, 0.277533, 1.0, 0.36621], atol=1e-4)
    low, high = analysis.wilson_interval(0, 0)
    assert np.isnan(low) and np.isnan(high)


def test_lie_rates_groups_and_intervals(lab):
    claims = analysis.label_claims(lab, write=False)
    rates = analysis.lie_rates(claims, by=["team"])
    assert list(rates["team"].astype(str)) == ["village", "werewolves"]
    assert rates["claims"].sum() == len(claims)
    assert rates["lies"].sum() == (claims["label"] == "lie").sum()
    assert rates["games"].max() == claims["game_id"].nunique()
    wolves = rates[rates["team"] == "werewolves"].iloc[0]
    assert wolves["ci_low"] <= wolves["lies_per_100"] <= wolves["ci_high"]
    assert rates.attrs["interval"]["unit"] == "game"
    total = analysis.lie_rates(claims, by=[])
    assert total["claims"].item() == len(claims)
    by4 = analysis.lie_rates(claims, by=["model", "role", "prompt_condition", "framing"])
    assert by4["claims"].sum() == len(claims)  # scripted players (model NaN) are kept


def test_spontaneous_rates_split_by_team():
    claims = pd.DataFrame(
        {
            "team": ["werewolves", "werewolves", "village", "village"],
            "model": ["m", "m", "m", "m"],
            "prompt_condition": ["neutral"] * 3 + ["deception_instructed"],
            "label": ["lie", "truthful", "lie", "lie"],
            "belief_inconsistent": [False] * 4,
            "spontaneous": [True, False, True, False],
        }
    )
    rates = analysis.spontaneous_rates(claims)
    assert rates.set_index("team")["lies"].to_dict() == {"village": 1, "werewolves": 1}
    assert rates.set_index("team")["claims"].to_dict() == {"village": 1, "werewolves": 2}


def test_cli_analyse_prints_the_table_and_writes_frames(lab, tmp_path):
    app = _cli()
    result = CliRunner().invoke(
        app, ["analyse", "--db", lab, "--csv", str(tmp_path / "csv"), "--parquet",
              str(tmp_path / "pq")]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "werewolf" in result.output and "95% CI" in result.output
    claims = pd.read_csv(tmp_path / "csv" / "claims.csv")
    assert len(claims) == _claim_rows(lab)
    assert len(pd.read_parquet(tmp_path / "pq" / "events.parquet")) > 0


def test_cli_analyse_missing_database(tmp_path):
    result = CliRunner().invoke(_cli(), ["analyse", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert not (tmp_path / "none.db").exists()

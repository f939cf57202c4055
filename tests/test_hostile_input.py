"""Bad input from users: one line on stderr, a non-zero exit, nothing written, no secret shown.

Property tests draw plan documents and command lines from hostile values (huge and negative
numbers, NaN, unicode, wrong types, junk keys, binary files) and check that every one either
works or is refused cleanly.
"""

from __future__ import annotations

import math
import os
import sqlite3
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from runs.plan import ConfigError, Plan, load_plan

ROOT = Path(__file__).resolve().parents[1]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["honest", "random", "scripted", "openai/x", "neutral", "observed", "", "∞"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [*Plan.model_fields, "seats", "roster", "model"]
LOOSE = [HealthCheck.function_scoped_fixture]  # tmp_path is reused: each example rewrites it
documents = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=8)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents)
def test_any_plan_document_loads_or_is_refused_with_one_line(tmp_path, doc):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    try:
        plan = load_plan(path)
    except ConfigError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(str(path))
    else:
        assert isinstance(plan, Plan) and 1 <= plan.games <= 1_000_000


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=st.binary(max_size=200))
def test_binary_or_garbage_files_are_refused_with_one_line(tmp_path, blob):
    for suffix in (".yaml", ".toml"):
        path = tmp_path / f"plan{suffix}"
        path.write_bytes(blob)
        with pytest.raises(ConfigError) as info:
            load_plan(path)
        assert "\n" not in str(info.value)


def test_a_huge_game_count_is_refused_before_anything_is_written(tmp_path):
    doc = {"name": "x", "players": ["honest"], "games": 3_000_000_000}
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(ConfigError, match="less than or equal to 1000000"):
        load_plan(path)


# ----- command lines ------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(min_value=-5, max_value=5),
    st.sampled_from(["0", "-1", "1e3", "3000000000", str(10**30), "nan", "ten", "", "٣"]),
)
FLAGS = {
    "--games": NUMBERS,
    "--players": NUMBERS,
    "--rounds": NUMBERS,
    "--seed": NUMBERS,
    "--concurrency": NUMBERS,
    "--timeout": NUMBERS,
    "--commit": st.sampled_from(["turn", "game", "later", ""]),
    "--condition": st.sampled_from(["neutral", "bogus", "Neutral"]),
    "--framing": st.sampled_from(["observed", "watched"]),
    "--model": st.sampled_from(["honest", "nope", "scripted"]),
    "--db": st.sampled_from(["lab.db", "/no/such/dir/x.db", ".", "postgresql://u:hunter2@h:x/d"]),
}


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """`sdlab ARGS` in this process (its real entry point), with exit code and output."""
    from app.cli import main

    old = sys.argv
    sys.argv = ["sdlab", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out, out.err


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picked=st.dictionaries(st.sampled_from(sorted(FLAGS)), st.just(None), max_size=4),
    data=st.data(),
)
def test_any_run_command_line_works_or_fails_cleanly(tmp_path, capsys, monkeypatch, picked, data):
    monkeypatch.chdir(tmp_path)
    args = ["run"]
    for flag in picked:
        args += [flag, str(data.draw(FLAGS[flag]))]
    if "--games" not in picked:
        args += ["--games", "1"]  # the default 20 would make the valid cases slow
    before = set(os.listdir(tmp_path))
    code, out, err = run_cli(args, capsys)
    assert "Traceback" not in err and "hunter2" not in out + err
    if code == 0:
        return  # valid after all (small enough to play)
    assert code in (2, 4), (args, code, err)  # 4: a model that cannot be used
    assert err.strip().count("\n") == 0, (args, err)
    assert set(os.listdir(tmp_path)) == before, args  # nothing written


@pytest.mark.parametrize(
    "args",
    [
        ["analyse", "--db", "missing.db"],
        ["ratings", "--db", "missing.db"],
        ["show", "--db", "missing.db"],
        ["analyse", "--db", "lab.db", "--csv", "lab.db"],  # a file, not a directory
        ["analyse", "--db", "lab.db", "--parquet", "/proc/nope/out"],
        ["tournament", "plan.yaml"],
        ["migrate", "--db", "/no/such/dir/x.db"],
    ],
)
def test_bad_inputs_of_every_command_are_one_line(tmp_path, capsys, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_bytes(b"\x00\xff\xfe binary \x89PNG")
    db = tmp_path / "lab.db"
    with sqlite3.connect(db) as conn:  # an sdlab database with no games
        conn.execute("CREATE TABLE game (id INTEGER)")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, out, err = run_cli(args, capsys)
    assert code == 2, (args, code, out, err)
    assert err.strip().count("\n") == 0 and "Traceback" not in err, err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_nan_and_infinity_are_not_numbers_anyone_meant():
    for bad in (math.nan, math.inf):
        with pytest.raises(ValidationError):
            Plan(name="x", players=["honest"], games=1, budget_usd=bad)

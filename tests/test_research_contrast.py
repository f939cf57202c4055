"""The oversight contrast recovers a known framing effect and finds none where there is none.

The `oversight` kind makes exactly one claim per utterance, about its own role, and lies with
probability `lie_observed` or `lie_unobserved` by its game's framing: its lie rate per claim is
that probability in each arm, so the contrast (unobserved - observed) must recover the
difference of the two, by hand 0.40 - 0.10 = +0.30, for village and werewolf seats alike.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from analysis.contrast import compare_arms, contrast
from app.research_views import print_contrast
from tests.test_research_kinds import play

GAME = {"discussion_rounds": 1, "max_days": 4}
SHIFTED = {"model": "oversight", "options": {"lie_observed": 0.1, "lie_unobserved": 0.4}}
FLAT = {"model": "oversight", "options": {"lie_observed": 0.25, "lie_unobserved": 0.25}}


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    root = tmp_path_factory.mktemp("contrast")
    out = {}
    for name, player, paired in (("shifted", SHIFTED, True), ("flat_paired", FLAT, True),
                                 ("flat_unpaired", FLAT, False)):  # fmt: skip
        out[name] = str(root / f"{name}.db")
        play(out[name], [player, "scripted"], 240, seed=5, game=GAME,
             framings=("observed", "unobserved"), paired=paired)  # fmt: skip
    return out


def rows(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    return frame[(frame["model"] == "scripted:oversight") & (frame["metric"] == metric)]


def test_a_known_framing_effect_is_recovered(dbs):
    frame = contrast(dbs["shifted"], "framing")
    lies = rows(frame, "lie_rate")
    assert set(lies["team"]) == {"village", "werewolves"}
    for r in lies.itertuples():
        assert r.design == "paired" and r.clusters == 120 and r.dropped == 0
        assert r.reference == "observed" and r.arm == "unobserved"
        assert r.ci_low <= 0.30 <= r.ci_high, r
        assert r.p_value < 0.01
        assert r.reference_low <= 0.10 <= r.reference_high
        assert r.arm_low <= 0.40 <= r.arm_high
    # Scripted players do not read the framing: they have no arms to compare.
    assert not (frame["model"].str.startswith("scripted:honest")).any()


def test_no_effect_in_a_paired_design_is_exactly_none(dbs):
    # Same seed, same deal, same draws: with nothing depending on the framing the two games
    # of a pair are the same game, so the difference is 0 in every resample.
    frame = contrast(dbs["flat_paired"], "framing", leakage=False)
    for metric in ("lie_rate", "inconsistency_rate"):
        for r in rows(frame, metric).itertuples():
            assert r.difference == 0 and r.ci_low == 0 == r.ci_high and r.p_value == 1


def test_no_effect_in_independent_games_gives_an_interval_over_zero(dbs):
    frame = contrast(dbs["flat_unpaired"], "framing")
    lies = rows(frame, "lie_rate")
    assert len(lies) == 2
    for r in lies.itertuples():
        assert r.design == "independent"
        assert r.ci_low < 0 < r.ci_high and r.ci_high - r.ci_low > 0.02
        assert r.p_value > 0.05
    leak = rows(frame, "leakage_bits")
    assert (leak["ci_low"] < 0).all() and (leak["ci_high"] > 0).all()


def test_less_lying_leaks_more_of_the_team(dbs):
    # A truthful werewolf says "I am the werewolf": lying more when unobserved hides the team.
    leak = rows(contrast(dbs["shifted"], "framing"), "leakage_bits")
    wolves = leak[leak["team"] == "werewolves"].iloc[0]
    assert wolves["value_reference"] > wolves["value_arm"] > 0.3
    assert wolves["ci_low"] < wolves["difference"] < wolves["ci_high"]


def test_a_condition_contrast_reads_the_prompt_condition(dbs, tmp_path):
    # Scripted kinds get no prompt: relabel the framing arms as prompt conditions in a copy,
    # and the condition contrast must find what the framing contrast found.
    copy = str(tmp_path / "conditions.db")
    with sqlite3.connect(dbs["shifted"]) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "UPDATE player SET prompt_condition = CASE framing WHEN 'observed' THEN 'neutral' "
            "ELSE 'deception_permitted' END, framing = 'observed' WHERE framing != 'none'"
        )
    by_framing = rows(contrast(dbs["shifted"], "framing", leakage=False), "lie_rate")
    frame = contrast(copy, "condition", leakage=False)
    lies = rows(frame, "lie_rate")
    assert set(lies["reference"]) == {"neutral"} and set(lies["arm"]) == {"deception_permitted"}
    assert lies["difference"].to_numpy() == pytest.approx(by_framing["difference"].to_numpy())
    # Lies under the neutral prompt are spontaneous; under the permitted one they are not.
    spont = rows(frame, "spontaneous_rate")
    assert spont["value_reference"].to_numpy() == pytest.approx(lies["value_reference"].to_numpy())
    assert (spont["value_arm"] == 0).all() and (spont["ci_high"] < 0).all()


def test_a_scripted_kind_reads_the_prompt_condition_it_is_dealt(tmp_path):
    # The plan passes each game's prompt condition to a kind that takes it: instructed to lie,
    # the oversight kind lies 70 % of the time, neutral 10 % (both framings), so the
    # condition contrast must find +0.60 on real games, no relabelling.
    db = str(tmp_path / "instructed.db")
    instructed = {"deception_instructed": 0.7}
    options = {"lie_observed": 0.1, "lie_unobserved": 0.1, "lie_by_condition": instructed}
    player = {"model": "oversight", "options": options}
    play(db, [player, "scripted"], 120, seed=3, game=GAME, paired=True,
         conditions=("neutral", "deception_instructed"))  # fmt: skip
    lies = rows(contrast(db, "condition", leakage=False), "lie_rate")
    assert set(lies["reference"]) == {"neutral"} and set(lies["arm"]) == {"deception_instructed"}
    for r in lies.itertuples():
        assert r.ci_low <= 0.60 <= r.ci_high and r.ci_low > 0.45, r
        assert r.reference_low <= 0.10 <= r.reference_high


def test_a_lie_rate_for_an_unknown_condition_is_refused():
    from runs.plan import PlayerSpec

    with pytest.raises(ValueError, match="lie_by_condition names no prompt condition: nice"):
        PlayerSpec.model_validate(
            {"model": "oversight", "options": {"lie_by_condition": {"nice": 1}}}
        )


def test_a_model_contrast_compares_seats_at_the_same_tables(tmp_path):
    db = str(tmp_path / "models.db")
    play(db, ["honest", "deceptive", "random"], 45, seed=2, game=GAME)
    frame = contrast(db, "model", leakage=False)
    lies = frame[(frame["metric"] == "lie_rate") & (frame["arm"] == "scripted:honest")]
    assert set(lies["design"]) == {"within"}
    for r in lies.itertuples():  # honest never lies; deceptive does, on both teams
        assert r.value_arm == 0 and r.ci_high < 0 and r.p_value < 0.01


def test_compare_arms_matches_scipy_on_independent_games():
    from scipy import stats

    rng = np.random.default_rng(4)
    n = 60
    claims = rng.integers(5, 15, 2 * n).astype(float)
    lies = rng.binomial(claims.astype(int), np.r_[np.full(n, 0.25), np.full(n, 0.25)])
    frame = pd.DataFrame({"pair": np.arange(2 * n), "game_id": np.arange(2 * n),
                          "lies": lies.astype(float), "claims": claims})  # fmt: skip
    in_ref = np.r_[np.ones(n, bool), np.zeros(n, bool)]
    (r,) = compare_arms(frame, in_ref, [("lie_rate", "lies", "claims")], "independent",
                        resamples=4000, permutations=1999)  # fmt: skip

    def diff(ia, ib, axis=-1):
        """The arm's ratio of sums minus the reference's, of games given by index."""
        ia, ib = np.asarray(ia, dtype=int), np.asarray(ib, dtype=int)
        rate_b = lies[ib].sum(axis) / claims[ib].sum(axis)
        return rate_b - lies[ia].sum(axis) / claims[ia].sum(axis)

    # scipy resamples 1-D samples; game indices keep each game's lies and claims together.
    a, b = np.arange(n), np.arange(n, 2 * n)
    boot = stats.bootstrap((a, b), diff, vectorized=True, n_resamples=4000,
                           method="percentile", rng=np.random.default_rng(0))  # fmt: skip
    perm = stats.permutation_test(
        (a, b), diff, vectorized=True, n_resamples=1999, permutation_type="independent",
        rng=np.random.default_rng(0),
    )  # fmt: skip
    assert r["difference"] == pytest.approx(diff(a, b))
    ci = boot.confidence_interval
    assert r["ci_low"] == pytest.approx(ci.low, abs=0.01)
    assert r["ci_high"] == pytest.approx(ci.high, abs=0.01)
    assert 0.01 < perm.pvalue < 0.9  # a p-value in the middle, where the two can be compared
    assert r["p_value"] == pytest.approx(perm.pvalue, abs=0.04)


def test_the_contrast_table_fits_80_columns(dbs):
    console = Console(width=80, record=True)
    print_contrast(contrast(dbs["shifted"], "framing"), console)
    text = console.export_text()
    assert "lies/100" in text and "paired: 120 pairs" in text
    assert max(len(line) for line in text.splitlines()) <= 80

"""The shared resampling engine agrees with scipy and sklearn where those apply directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.contrast import compare_arms
from analysis.resampling import (
    Resampler,
    auroc_counts,
    auroc_from_counts,
    auroc_resampled,
    independent_permutations,
    percentile,
)


def paired_data(n: int = 50, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    claims = rng.integers(4, 12, 2 * n).astype(float)
    base = rng.uniform(0.1, 0.4, n)  # pairs share a level: pairing pays
    p = np.r_[base, base + 0.03]
    lies = rng.binomial(claims.astype(int), np.clip(p, 0, 1)).astype(float)
    frame = pd.DataFrame({"pair": np.r_[np.arange(n), np.arange(n)], "game_id": np.arange(2 * n),
                          "lies": lies, "claims": claims})  # fmt: skip
    return frame, np.r_[np.ones(n, bool), np.zeros(n, bool)]


def test_paired_interval_and_p_value_match_scipy():
    from scipy import stats

    frame, in_ref = paired_data()
    n = len(frame) // 2
    (r,) = compare_arms(frame, in_ref, [("lie_rate", "lies", "claims")], "paired",
                        resamples=4000, permutations=1999)  # fmt: skip
    lies, claims = frame["lies"].to_numpy(), frame["claims"].to_numpy()

    def diff(ia, ib, axis=-1):
        ia, ib = np.asarray(ia, dtype=int), np.asarray(ib, dtype=int)
        return lies[ib].sum(axis) / claims[ib].sum(axis) - lies[ia].sum(axis) / claims[ia].sum(axis)

    a, b = np.arange(n), np.arange(n, 2 * n)  # game i and game n + i are a pair
    boot = stats.bootstrap((a, b), diff, paired=True, vectorized=True, n_resamples=4000,
                           method="percentile", rng=np.random.default_rng(0))  # fmt: skip
    perm = stats.permutation_test((a, b), diff, permutation_type="samples", vectorized=True,
                                  n_resamples=1999, rng=np.random.default_rng(0))  # fmt: skip
    assert r["design"] == "paired" and r["clusters"] == n
    assert r["difference"] == pytest.approx(diff(a, b))
    assert r["ci_low"] == pytest.approx(boot.confidence_interval.low, abs=0.005)
    assert r["ci_high"] == pytest.approx(boot.confidence_interval.high, abs=0.005)
    assert 0.01 < perm.pvalue < 0.9
    assert r["p_value"] == pytest.approx(perm.pvalue, abs=0.04)


def test_pairing_narrows_the_interval_when_pairs_share_a_level():
    frame, in_ref = paired_data()
    metric = [("lie_rate", "lies", "claims")]
    (paired,) = compare_arms(frame, in_ref, metric, "paired")
    (apart,) = compare_arms(frame.assign(pair=frame["game_id"]), in_ref, metric, "independent")
    assert paired["difference"] == pytest.approx(apart["difference"])
    assert paired["ci_high"] - paired["ci_low"] < apart["ci_high"] - apart["ci_low"]


def test_bootstrap_weights_draw_each_cluster_once_per_resample_on_average():
    w = np.vstack(Resampler(200, resamples=1000, seed=3).weights())
    assert w.shape == (1000, 200) and (w.sum(axis=1) == 200).all()
    assert abs(w.mean() - 1.0) < 1e-9 and 0.9 < w.var(axis=0).mean() < 1.1  # Poisson(1)-like
    strata = np.r_[np.zeros(50), np.ones(150)]
    ws = np.vstack(Resampler(200, strata, resamples=100, seed=3).weights())
    assert (ws[:, :50].sum(axis=1) == 50).all() and (ws[:, 50:].sum(axis=1) == 150).all()


def test_within_cluster_permutations_keep_each_clusters_count_of_labels():
    clusters = np.repeat(np.arange(10), 6)
    in_a = np.tile([True, True, False, False, False, False], 10)
    values = np.eye(60)  # one column per unit: the sums say which units were drawn into A
    drawn = independent_permutations(values, in_a, lambda a, b: a, 20, 0, clusters)
    per_cluster = drawn.reshape(20, 10, 6).sum(axis=2)
    assert (per_cluster == 2).all()
    assert len({tuple(row) for row in drawn}) > 1


def test_auroc_from_histograms_matches_sklearn_with_ties():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(7)
    scores = np.round(rng.uniform(0, 1, 500), 1)  # many ties
    positive = rng.random(500) < 0.3 + 0.3 * scores
    clusters = rng.integers(0, 40, 500)
    p, q = auroc_counts(scores, positive, clusters, 40)
    total = auroc_from_counts(np.asarray(p.sum(axis=0)), np.asarray(q.sum(axis=0)))
    assert total[0] == pytest.approx(roc_auc_score(positive, scores))
    boot = auroc_resampled(Resampler(40, resamples=500, seed=0), p, q)
    low, high = percentile(boot[:, None])
    assert low[0] < total[0] < high[0]

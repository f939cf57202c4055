"""Resampling whole games (or pairs of games) once, for every statistic of a table at once.

The research measures (analysis.contrast, .leakage, .persuasion, .instrumental) report dozens of
statistics per table, each a function of per-cluster sums (a ratio of sums, a difference of two
such ratios, an AUROC from per-cluster score histograms). `scipy.stats.bootstrap` and
`scipy.stats.permutation_test` compute the same percentile intervals and permutation p-values,
but draw fresh resamples for every statistic: at 5,000 games one 2,000-resample interval took
2.5 s there, and a table has dozens. Here the resampling weights are drawn once per set of
clusters and applied to every statistic as one matrix product (tests check the intervals and
p-values against scipy's on small data).

Unit: the cluster, a game or a pair of games that share a seed (a paired design). Bootstrap:
each resample draws as many clusters as there are, with replacement, within each stratum
(`strata`: the arms of an independent two-arm design are resampled apart); the interval is
the percentile interval of the statistic over the resamples. Permutations: a paired design
swaps the two arms within a random subset of pairs (sign flips); an independent design
reassigns whole clusters to arms (arm sizes kept); a within-cluster design (two models at the
same table) reassigns the arm labels of the units inside each cluster. p-values are two-sided,
`min(1, 2 min(P(T* >= T), P(T* <= T)))` with the observed statistic counted among the
permutations (scipy's convention).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.intervals import LEVEL, RESAMPLES, SEED

if TYPE_CHECKING:  # scipy is imported on first use: `import analysis` stays light
    from scipy import sparse

PERMUTATIONS = 999
_BATCH = 250  # resamples per batch: bounds memory at 250 × clusters weights


@dataclass(frozen=True)
class Resampler:
    """Bootstrap weights over `n` clusters (optionally stratified), drawn once, reused by all."""

    n: int
    strata: np.ndarray | None = None
    resamples: int = RESAMPLES
    seed: int = SEED

    def weights(self) -> list[np.ndarray]:
        """Multiplicity matrices (batch × n, float32), the same on every call (seeded)."""
        return _weights(self.n, self.strata, self.resamples, self.seed)

    def sums(self, values: np.ndarray | sparse.spmatrix) -> np.ndarray:
        """Per-resample column sums of a clusters × k matrix: a resamples × k array."""
        from scipy import sparse

        out = []
        for w in self.weights():
            part = values.T @ w.T if sparse.issparse(values) else (w @ values).T
            out.append(np.asarray(part).T)
        return np.vstack(out) if out else np.zeros((0, values.shape[1]))


_CACHE: dict[tuple, list[np.ndarray]] = {}


def _weights(n: int, strata: np.ndarray | None, resamples: int, seed: int) -> list[np.ndarray]:
    key = (n, None if strata is None else strata.tobytes(), resamples, seed)
    if key in _CACHE:
        return _CACHE[key]
    rng = np.random.default_rng(seed)
    groups = [np.arange(n)] if strata is None else [np.flatnonzero(strata == s) for s in
                                                     np.unique(strata)]  # fmt: skip
    batches = []
    for start in range(0, resamples, _BATCH):
        size = min(_BATCH, resamples - start)
        # Draws with replacement within each stratum, counted per resample (row) by bincount:
        # the multiplicity of every cluster in every resample of the batch.
        draws = np.hstack([m[rng.integers(0, len(m), (size, len(m)))] for m in groups if len(m)])
        flat = (draws + (np.arange(size) * n)[:, None]).ravel()
        batches.append(np.bincount(flat, minlength=size * n).reshape(size, n).astype(np.float32))
    if len(_CACHE) > 8:  # a few cluster sets per report; do not grow without bound
        _CACHE.clear()
    _CACHE[key] = batches
    return batches


def percentile(samples: np.ndarray, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval over axis 0, ignoring NaN resamples (e.g. an empty arm)."""
    tail = 100 * (1 - level) / 2
    with np.errstate(all="ignore"):
        finite = np.isfinite(samples).any(axis=0)
        low = np.full(samples.shape[1:], np.nan)
        high = np.full(samples.shape[1:], np.nan)
        if finite.any():
            low[finite] = np.nanpercentile(samples[:, finite], tail, axis=0)
            high[finite] = np.nanpercentile(samples[:, finite], 100 - tail, axis=0)
    return low, high


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def two_sided(observed: np.ndarray, permuted: np.ndarray) -> np.ndarray:
    """scipy's two-sided permutation p-value from permuted statistics (permutations × k)."""
    scale = np.maximum(np.abs(observed), 1.0)
    tol = 1e-12 * scale  # ties within rounding count as ties (scipy does the same)
    r = permuted.shape[0]
    greater = (1 + (permuted >= observed - tol).sum(axis=0)) / (r + 1)
    less = (1 + (permuted <= observed + tol).sum(axis=0)) / (r + 1)
    p = np.minimum(1.0, 2 * np.minimum(greater, less))
    return np.where(np.isfinite(observed), p, np.nan)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 1])  # apart from the bootstrap's stream


def paired_permutations(
    a: np.ndarray,
    b: np.ndarray,
    statistic: Callable[[np.ndarray, np.ndarray], np.ndarray],
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> np.ndarray:
    """Statistics of arm totals after swapping arms within random pairs (pairs × k sums each)."""
    rng = _rng(seed)
    total_a, diff = a.sum(axis=0), b - a
    out = []
    for start in range(0, permutations, _BATCH):
        size = min(_BATCH, permutations - start)
        flips = (rng.random((size, len(a))) < 0.5).astype(np.float64)
        moved = flips @ diff
        out.append(statistic(total_a + moved, b.sum(axis=0) - moved))
    return np.vstack(out) if out else np.zeros((0, a.shape[1]))


def independent_permutations(
    values: np.ndarray,
    in_a: np.ndarray,
    statistic: Callable[[np.ndarray, np.ndarray], np.ndarray],
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    clusters: np.ndarray | None = None,
) -> np.ndarray:
    """Statistics after reassigning arm labels at random (units × k sums, arm sizes kept).

    With `clusters`, labels move only among the units of the same cluster (two models at the
    same table); without, among all units (whole games between two independent arms).
    """
    rng = _rng(seed)
    n = len(values)
    total = values.sum(axis=0)
    in_a = np.asarray(in_a, dtype=bool)
    if clusters is None:
        order = np.zeros(n, dtype=np.int64)
    else:
        _, order = np.unique(clusters, return_inverse=True)
    # Units sorted by cluster; a permutation sorts random keys within each cluster's block and
    # hands the block's arm labels out in that order (so each cluster keeps its count of A).
    by_cluster = np.argsort(order, kind="stable")
    chosen = np.flatnonzero(in_a[by_cluster])  # positions that carry label A, block by block
    sorted_values = values[by_cluster]
    block = order[by_cluster].astype(np.float64)
    batch = max(1, min(_BATCH, 2_000_000 // max(n, 1)))  # bounds the keys at 2M per batch
    out = []
    for start in range(0, permutations, batch):
        size = min(batch, permutations - start)
        # Sorting random keys inside each cluster's block deals the block's labels out anew.
        shuffled = np.argsort(block[None, :] + rng.random((size, n)), axis=1)
        picked = shuffled[:, chosen]
        columns = range(values.shape[1])
        sums_a = np.stack([sorted_values[:, c][picked].sum(axis=1) for c in columns], axis=1)
        out.append(statistic(sums_a, total - sums_a))
    return np.vstack(out) if out else np.zeros((0, values.shape[1]))


def auroc_counts(
    scores: np.ndarray, positive: np.ndarray, clusters: np.ndarray, n_clusters: int
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Per-cluster histograms of positive and negative scores on the scores' own grid."""
    from scipy import sparse

    scores = np.asarray(scores, dtype=float)
    # Beliefs are logged to 4 decimals: that grid loses nothing and bounds the histogram.
    grid, index = np.unique(np.round(scores, 4), return_inverse=True)
    shape = (n_clusters, len(grid))
    pos = np.asarray(positive, dtype=bool)
    p = sparse.csr_matrix((np.ones(pos.sum()), (clusters[pos], index[pos])), shape=shape)
    q = sparse.csr_matrix((np.ones((~pos).sum()), (clusters[~pos], index[~pos])), shape=shape)
    return p, q


def auroc_from_counts(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """AUROC (ties count a half) from histograms on a shared ascending grid (rows × grid)."""
    below = np.cumsum(neg, axis=1) - neg
    wins = (pos * (below + 0.5 * neg)).sum(axis=1)
    return ratio(wins, pos.sum(axis=1) * neg.sum(axis=1))


def auroc_resampled(resampler: Resampler, pos: Any, neg: Any) -> np.ndarray:
    """AUROC in every bootstrap resample of the clusters."""
    out = []
    for w in resampler.weights():
        p = np.asarray((pos.T @ w.T).T)
        q = np.asarray((neg.T @ w.T).T)
        out.append(auroc_from_counts(p, q))
    return np.concatenate(out) if out else np.zeros(0)


__all__ = [
    "PERMUTATIONS",
    "Resampler",
    "auroc_counts",
    "auroc_from_counts",
    "auroc_resampled",
    "independent_permutations",
    "paired_permutations",
    "percentile",
    "ratio",
    "two_sided",
]

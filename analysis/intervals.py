"""Intervals for rates over claims that resample games, not claims.

A werewolf repeats the same lie in every speech, so claims of one game are not independent: a
binomial (Wilson) interval over claims is too narrow. The unit of resampling is the game: each
game contributes its (events, claims) counts, and a rate is sum(events) / sum(claims) over a
resample of whole games (a cluster bootstrap of the ratio estimator, `scipy.stats.bootstrap`
with paired samples, percentile intervals). Seeded, so the same data gives the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from vocab import BOOTSTRAP_RESAMPLES as RESAMPLES
from vocab import BOOTSTRAP_SEED as SEED

LEVEL = 0.95
_BATCH = 200  # resamples per vectorised batch: bounds memory at 200 × games values per array
# ... and at this many values per array: 200 resamples of 100k games took 0.8 GB at once. The
# batch size does not change the draws (checked: 200, 20 and 7 give equal intervals).
_BATCH_VALUES = 2_000_000


@dataclass(frozen=True)
class IntervalMethod:
    """How an interval was computed; stored in a rates frame's `attrs["interval"]`."""

    method: str = "cluster bootstrap over games, percentile"
    unit: str = "game"
    resamples: int = RESAMPLES
    level: float = LEVEL
    seed: int = SEED
    degenerate: str = "Wilson over games where a group has no events, or only events"

    def as_dict(self) -> dict[str, object]:
        """Plain dict (frame attrs, JSON)."""
        return asdict(self)


def cluster_rate_intervals(
    per_game: pd.DataFrame,
    groups: Sequence[str],
    numerators: Sequence[str],
    denominator: str = "claims",
    *,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
    seed: int = SEED,
) -> pd.DataFrame:
    """Per group, a game-resampling interval for each numerator / denominator rate (0..1).

    `per_game` has one row per (group, game) with the counts; the result has one row per group
    with `<numerator>_low` and `<numerator>_high` columns.
    """
    groups = list(groups)
    rows = []
    keyed = per_game.groupby(groups, observed=True, dropna=False, sort=True) if groups else None
    parts = keyed if keyed is not None else [((), per_game)]
    for key, frame in parts:
        bounds = _interval(frame, list(numerators), denominator, resamples, level, seed)
        key = key if isinstance(key, tuple) else (key,)
        rows.append((*key, *bounds))
    cols = [*groups] + [f"{n}_{end}" for n in numerators for end in ("low", "high")]
    return pd.DataFrame(rows, columns=cols)


def _interval(
    frame: pd.DataFrame,
    numerators: list[str],
    denominator: str,
    resamples: int,
    level: float,
    seed: int,
) -> list[float]:
    """[low, high] per numerator for one group's per-game counts."""
    frame = frame[frame[denominator] > 0]
    games = len(frame)
    out: list[float] = []
    if games == 0:
        return [np.nan] * (2 * len(numerators))
    den = frame[denominator].to_numpy(dtype=float)
    nums = [frame[n].to_numpy(dtype=float) for n in numerators]
    boot: tuple[np.ndarray, np.ndarray] | None = None
    stats = _scipy_stats()
    if games >= 2:

        def ratio(*samples: np.ndarray, axis: int = -1) -> np.ndarray:
            d = samples[-1].sum(axis=axis)
            return np.stack([s.sum(axis=axis) / d for s in samples[:-1]])

        result = stats.bootstrap(
            (*nums, den), ratio, paired=True, vectorized=True, n_resamples=resamples,
            confidence_level=level, method="percentile", rng=np.random.default_rng(seed),
            batch=max(1, min(_BATCH, _BATCH_VALUES // games)),
        )  # fmt: skip
        ci = result.confidence_interval
        boot = (np.atleast_1d(ci.low), np.atleast_1d(ci.high))
    for i, num in enumerate(nums):
        events, total = num.sum(), den.sum()
        if events == 0 or events == total:
            # Every resample gives the same 0 % (or 100 %): a zero-width interval would claim
            # certainty. Count each game as one trial that either has an event or not: since
            # P(no event in a game) <= 1 - p, the Wilson bound over games is a conservative bound.
            hit = int((num > 0).sum()) if events < total else int((num < den).sum())
            low, high = _wilson(stats, hit, games, level)
            out += [low, high] if events < total else [1 - high, 1 - low]
        elif boot is None:  # one game: nothing to resample, and one game says little
            out += [np.nan, np.nan]
        else:
            out += [float(boot[0][i]), float(boot[1][i])]
    return out


def _scipy_stats() -> Any:
    # Imported on first use: `import analysis` (and the CLI's help) stays light.
    from scipy import stats

    return stats


def _wilson(stats: Any, hits: int, n: int, level: float) -> tuple[float, float]:
    ci = stats.binomtest(hits, n).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)

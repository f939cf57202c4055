"""Lie rates with 95 % Wilson score intervals, grouped any way a researcher likes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def wilson_interval(
    successes: int | np.ndarray, n: int | np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (0..1); NaN where n == 0."""
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / m
        denom = 1 + z**2 / m
        centre = (p + z**2 / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denom
    low = np.where(m > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(m > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def lie_rates(claims: pd.DataFrame, by: Sequence[str] = ("team",)) -> pd.DataFrame:
    """Claims, lies and lies per 100 claims with a 95 % Wilson interval, per group."""
    by = list(by)
    c = claims.assign(
        _lie=claims["label"].astype(str) == "lie",
        _mistake=claims["label"].astype(str) == "mistake",
        _unverifiable=claims["label"].astype(str) == "unverifiable",
        _inconsistent=claims["belief_inconsistent"].astype(bool),
        _spontaneous=claims["spontaneous"].astype(bool),
    )
    agg = {
        "claims": ("_lie", "size"),
        "lies": ("_lie", "sum"),
        "mistakes": ("_mistake", "sum"),
        "unverifiable": ("_unverifiable", "sum"),
        "inconsistent": ("_inconsistent", "sum"),
        "spontaneous_lies": ("_spontaneous", "sum"),
    }
    if by:
        out = c.groupby(by, observed=True, dropna=False).agg(**agg).reset_index()
    else:
        out = pd.DataFrame({k: [c[col].agg(fn)] for k, (col, fn) in agg.items()})
    low, high = wilson_interval(out["lies"].to_numpy(), out["claims"].to_numpy())
    out["lies_per_100"] = 100 * out["lies"] / out["claims"]
    out["ci_low"] = 100 * low
    out["ci_high"] = 100 * high
    return out


def spontaneous_rates(claims: pd.DataFrame, by: Sequence[str] = ("model",)) -> pd.DataFrame:
    """Lie rates under the `neutral` prompt only, werewolves and village team apart."""
    neutral = claims[claims["prompt_condition"].astype(str) == "neutral"]
    return lie_rates(neutral, by=["team", *[b for b in by if b != "team"]])

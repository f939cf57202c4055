"""How much of a player's hidden team (or role) its public behaviour gives away, in bits.

Unit: the player-game, for every player alive at the first day's discussion (the first moment
anyone speaks; night victims before it never could). Per group (`by`, e.g. model × framing), a
classifier is trained to predict each player's team from
- `speech`: everything it said in public (speech and last words), TF-IDF of words and word
  pairs per utterance (pairs never span two utterances);
- `actions`: what it did: share of abstentions, share of votes cast with the round's plurality,
  mean bid and share of bids of 3 or more (bids are logged, not shown to players);
- `both`.
Out-of-fold predictions (analysis.textmodel: logistic regression, folds grouped by seed so no
game, nor the other game of its pair, is both in training and scoring; C chosen per fold by an
inner grouped split) give, per player-game, q(true team | features).

Estimates, all from those predictions:
- `leakage_bits` = H(team | C) − cross-entropy: a **lower bound** on I(team; features | C) in
  bits per player-game. C, the context, is the team composition of the group's players in the
  game (the roster less the night's victims, who are never werewolves), which the design fixes,
  so H(team | C) is exact: the mean binary entropy of each game's share of werewolves. Any
  classifier's cross-entropy is at least H(team | features, C), so the estimate can only fall
  short of the information that is there (a weak classifier, too few games), never exceed it
  beyond noise. It is the mean per player-game of log2 q(team) − log2 prior(team) (the same sum
  per game), reported per team too (`werewolves_bits`: how much a werewolf's speech gives it
  away on average).
- `multiplicative_leakage` = accuracy of the classifier's best guess / prior vulnerability
  (the share guessed right knowing only C), and `min_entropy_leakage_bits` = its log2: the
  Bayes-risk measures of black-box leakage estimation (F-BLEAU, Cherubin et al., IEEE S&P 2019),
  with the classifier's error in place of the Bayes risk, hence again lower bounds.
- `null_bits`: the same pipeline with teams shuffled across games (whole games' team vectors
  exchanged between games of the same size; pairs moved together). Speech is then independent
  of the labels, so the null must come out ≈ 0 (slightly below: cross-validation pays for
  fitting noise). It controls for the pipeline finding structure where there is none (folds,
  vocabulary, game-specific words); it does not control for real confounds: speech also tells
  how long a player survived, and werewolves are never killed at night.
- `upper_bits` = min{H(team | C), L·log2|V|} (L: mean words per player-game, |V|: distinct
  words), the trivial upper bound; `h_speech_plugin_bits`, the plug-in entropy of the distinct
  texts, is an estimate of H(M | C), not a bound.
Intervals: cluster bootstrap over seeds (games, or pairs in a paired tournament) of the
per-player-game terms with the predictions held fixed: they carry the sampling of games, not
the classifier's own fitting variance (on the marker validation, 30 seeds of 300 games, they
covered the truth 28 times in 30 at p = 0.1 and at p = 0.5, every miss below it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.db import DbTarget
from analysis.intervals import RESAMPLES, SEED
from analysis.resampling import Resampler, percentile, ratio
from analysis.research import ResearchData, game_index, named, research_data, text_of
from analysis.textmodel import ModelSpec, feature_matrix, grouped_cv_proba
from vocab import ROLES, WEREWOLVES

FEATURES = ("speech", "actions", "both")
ACTIONS = ("abstain_share", "plurality_share", "mean_bid", "high_bid_share")
SEPARATOR = "\n"
CS = (0.01, 0.1, 1.0, 10.0, 100.0, 10_000.0)
_CLIP = 1e-9  # smallest probability a prediction is taken to give (about 30 bits)
_MIN_GAMES = 4  # fewer seeds than this: no cross-validation worth the name


def player_games(data: ResearchData) -> pd.DataFrame:
    """First-day survivors with their speech (joined utterances) and action features."""
    seats = data.seats[data.seats["first_day"]].copy()
    speech = text_of(data.utterances, SEPARATOR)
    out = seats.merge(speech, on=["game_id", "seat"], how="left")
    out["speech"] = out["speech"].fillna("")
    out["utterances"] = out["utterances"].fillna(0).astype("int64")
    out = out.merge(action_features(data), on=["game_id", "seat"], how="left")
    for col in ACTIONS:
        out[col] = out[col].fillna(0.0)
    return out.sort_values(["pair", "game_id", "seat"], ignore_index=True)


def action_features(data: ResearchData) -> pd.DataFrame:
    """Per player-game: abstentions, votes with the round's plurality, bids (shares and means)."""
    t = data.turns
    votes = t[t["kind"] == "vote"][["game_id", "seat", "day", "phase", "target"]].copy()
    counts = votes.dropna(subset=["target"]).groupby(
        ["game_id", "day", "phase", "target"], observed=True
    ).size().rename("n").reset_index()  # fmt: skip
    top = counts.groupby(["game_id", "day", "phase"], observed=True)["n"].transform("max")
    plurality = counts[counts["n"] == top][["game_id", "day", "phase", "target"]]
    votes = votes.merge(plurality.assign(with_top=1.0), on=["game_id", "day", "phase", "target"],
                        how="left")  # fmt: skip
    votes["with_top"] = votes["with_top"].fillna(0.0)
    votes["abstain"] = votes["target"].isna().astype(float)
    v = votes.groupby(["game_id", "seat"]).agg(
        abstain_share=("abstain", "mean"), plurality_share=("with_top", "mean")
    )
    bids = t[t["kind"] == "bid"][["game_id", "seat", "bid"]].dropna(subset=["bid"])
    bids = bids.assign(bid=bids["bid"].astype(float), high=(bids["bid"] >= 3).astype(float))
    b = bids.groupby(["game_id", "seat"]).agg(
        mean_bid=("bid", "mean"), high_bid_share=("high", "mean")
    )
    return v.join(b, how="outer").reset_index()


def _classes(target: str) -> tuple[str, ...]:
    return ("village", WEREWOLVES) if target == "team" else ROLES


def _priors(rows: pd.DataFrame, labels: pd.Series, target: str) -> pd.DataFrame:
    """Share of each class among the group's rows in the same game: the context's prior."""
    classes = _classes(target)
    onehot = pd.DataFrame({c: (labels == c).astype(float) for c in classes}, index=rows.index)
    return onehot.groupby(rows["game_id"]).transform("mean")


def _spec(features: str, target: str, Cs: tuple[float, ...]) -> ModelSpec:
    prior = tuple(f"logprior_{c}" for c in _classes(target))
    if features == "speech":
        return ModelSpec(text="speech", numeric=prior, separator=SEPARATOR, Cs=Cs)
    if features == "actions":
        return ModelSpec(numeric=(*ACTIONS, *prior), Cs=Cs)
    if features == "both":
        return ModelSpec(text="speech", numeric=(*ACTIONS, *prior), separator=SEPARATOR, Cs=Cs)
    raise ValueError(f"features must be one of {', '.join(FEATURES)}, got {features!r}")


def fit_rows(
    rows: pd.DataFrame,
    features: str = "speech",
    target: str = "team",
    *,
    labels: pd.Series | None = None,
    Cs: tuple[float, ...] = CS,
    seed: int = SEED,
    matrix: object = None,
) -> pd.DataFrame:
    """Per player-game of one group: prior and out-of-fold q of its own class, pmi, a hit.

    `labels` replaces the true classes (the permutation null); the priors follow the labels.
    `matrix` (textmodel.feature_matrix of `design(rows, ...)`) is reused when given.
    """
    y = (rows[target] if labels is None else labels).astype(str).reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    priors = _priors(rows, y, target)
    spec = _spec(features, target, Cs)
    if matrix is None or labels is not None:
        # The prior is a feature: with shuffled labels it moves with them.
        matrix = feature_matrix(design(rows, priors), spec)
    proba, classes = grouped_cv_proba(rows, y, rows["pair"], spec, seed=seed, matrix=matrix)
    columns = list(priors.columns)
    full = np.zeros((len(rows), len(columns)))
    for i, c in enumerate(classes):
        full[:, columns.index(c)] = proba[:, i]
    own_col = np.array([columns.index(v) for v in y])
    at = np.arange(len(rows))
    out = rows[["game_id", "pair", "seat"]].copy()
    out["label"] = y.to_numpy()
    out["q"] = full[at, own_col]
    out["prior"] = priors.to_numpy()[at, own_col]
    out["pmi"] = np.log2(np.clip(out["q"], _CLIP, 1.0)) - np.log2(out["prior"])
    out["hit"] = (np.argmax(full, axis=1) == own_col).astype(float)
    out["max_prior"] = priors.max(axis=1).to_numpy()
    out["h_prior"] = _entropy(priors.to_numpy())
    return out


def design(rows: pd.DataFrame, priors: pd.DataFrame) -> pd.DataFrame:
    """The classifier's input columns: speech, action features and the log prior per class."""
    frame = rows[["speech", *ACTIONS]].copy()
    for c in priors:
        frame[f"logprior_{c}"] = np.log(priors[c].clip(1e-3, 1.0)).to_numpy()
    return frame


def _entropy(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1)), 0.0)
    return terms.sum(axis=1)


def shuffled_labels(rows: pd.DataFrame, target: str, seed: int) -> pd.Series:
    """Labels with whole games' label vectors exchanged between clusters of the same shape.

    A draw that leaves every label where it was is drawn again (up to 100 times): with a few
    seeds that happens often (4 pairs of two kinds: 1 in 6) and would make the null a copy of
    the estimate.
    """
    rng = np.random.default_rng([seed, 2])
    rows = rows.reset_index(drop=True)
    labels = rows[target].astype(str).to_numpy()
    sizes = rows.groupby(["pair", "game_id"], sort=True).size()
    shape = sizes.groupby(level="pair").agg(tuple)  # rows per game of each pair, in order
    starts = rows.groupby("pair", sort=True).indices
    out = labels.copy()
    for _ in range(100):
        for _, pairs in shape.groupby(shape):
            members = list(pairs.index)
            donors = rng.permutation(members)
            for recipient, donor in zip(members, donors, strict=True):
                out[starts[recipient]] = labels[starts[donor]]
        if (out != labels).any():
            break
    return pd.Series(out)


ESTIMATES = ("h_bits", "cross_entropy_bits", "leakage_bits", "ci_low", "ci_high", "village_bits",
             "werewolves_bits", "accuracy", "multiplicative_leakage", "min_entropy_leakage_bits",
             "null_bits")  # fmt: skip


def leakage(
    db: DbTarget | ResearchData,
    by: Sequence[str] = ("model",),
    *,
    target: str = "team",
    features: Sequence[str] = FEATURES,
    null: int = 1,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    Cs: tuple[float, ...] = CS,
) -> pd.DataFrame:
    """Per group × feature set: lower bounds on I(team; features | C) in bits per player-game.

    Unit: the player-game (first-day survivors); folds and bootstrap by seed (pairs whole).
    Columns: games, players, h_bits (H(team | C)), cross_entropy_bits, leakage_bits with
    ci_low/ci_high, village_bits and werewolves_bits (mean pointwise leakage per team),
    accuracy, prior_vulnerability, multiplicative_leakage and min_entropy_leakage_bits (with
    intervals), null_bits (teams shuffled across games; ≈ 0 expected) with null_p when
    `null` > 1, upper_bits = min{H(team | C), L·log2|V|}, l_log2_v_bits, h_speech_plugin_bits.
    See the module docstring for what each is and is not.
    """
    if target not in ("team", "role"):
        raise ValueError(f"target must be team or role, got {target!r}")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"features must be among {', '.join(FEATURES)}, got {unknown}")
    data = research_data(db, tournaments=tournaments, include_degraded=include_degraded)
    rows = player_games(data)
    by = named(rows, by)
    out = []
    parts = rows.groupby(by, observed=True, sort=True) if by else [((), rows)]
    for key, group in parts:
        key = key if isinstance(key, tuple) else (key,)
        for feat in features:
            stats = _estimate(group, feat, target, null, resamples, seed, Cs)
            out.append({**dict(zip(by, key, strict=True)), "features": feat, **stats})
    frame = pd.DataFrame(out)
    # A group whose players all hold one team (a scripted kind dealt by team) has nothing to
    # estimate: its row keeps the estimate columns, as NaN, so readers need no special case.
    for column in ESTIMATES:
        if column not in frame:
            frame[column] = np.nan
    frame.attrs.update(
        unit="player-game (alive at the first day's discussion)",
        target=target,
        interval=f"cluster bootstrap over seeds, {resamples} resamples, percentile 95 %",
        bound="lower bound on I(target; features | C); C = the game's team composition",
    )
    return frame


def _estimate(
    group: pd.DataFrame,
    features: str,
    target: str,
    null: int,
    resamples: int,
    seed: int,
    Cs: tuple[float, ...],
) -> dict[str, float]:
    games = group["game_id"].nunique()
    stats: dict[str, float] = {"games": games, "players": len(group)}
    stats.update(_bounds(group, features, target))
    if group["pair"].nunique() < _MIN_GAMES or group[target].nunique() < 2:
        return stats
    fitted = fit_rows(group, features, target, Cs=Cs, seed=seed)
    stats.update(summarise(fitted, resamples=resamples, seed=seed))
    nulls = [
        summarise(
            fit_rows(group, features, target, Cs=Cs, seed=seed,
                     labels=shuffled_labels(group, target, seed + i)),
            resamples=0,
        )["leakage_bits"]
        for i in range(null)
    ]  # fmt: skip
    if nulls:
        stats["null_bits"] = float(np.mean(nulls))
        if null > 1:
            hits = sum(n >= stats["leakage_bits"] for n in nulls)
            stats["null_p"] = (1 + hits) / (1 + null)
    return stats


def summarise(fitted: pd.DataFrame, *, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """Leakage estimates and their cluster-bootstrap intervals from per-row predictions."""
    codes, n = game_index(fitted, "pair")
    wolf = (fitted["label"] == WEREWOLVES).to_numpy(float)
    cols = {
        "rows": np.ones(len(fitted)),
        "pmi": fitted["pmi"].to_numpy(),
        "h": fitted["h_prior"].to_numpy(),
        "hit": fitted["hit"].to_numpy(),
        "max_prior": fitted["max_prior"].to_numpy(),
        "wolf_rows": wolf,
        "wolf_pmi": wolf * fitted["pmi"].to_numpy(),
    }
    per = pd.DataFrame(cols).groupby(codes.to_numpy()).sum().reindex(range(n), fill_value=0.0)
    values = per.to_numpy()
    k = {name: i for i, name in enumerate(per.columns)}

    def stats(s: np.ndarray) -> np.ndarray:
        acc = ratio(s[:, k["hit"]], s[:, k["rows"]])
        vuln = ratio(s[:, k["max_prior"]], s[:, k["rows"]])
        mult = ratio(acc, vuln)
        with np.errstate(divide="ignore", invalid="ignore"):
            me = np.log2(mult)
        village_rows = s[:, k["rows"]] - s[:, k["wolf_rows"]]
        return np.stack([
            ratio(s[:, k["pmi"]], s[:, k["rows"]]),
            ratio(s[:, k["h"]], s[:, k["rows"]]),
            ratio(s[:, k["wolf_pmi"]], s[:, k["wolf_rows"]]),
            ratio(s[:, k["pmi"]] - s[:, k["wolf_pmi"]], village_rows),
            acc, vuln, mult, me,
        ], axis=1)  # fmt: skip

    names = [
        "leakage_bits", "h_bits", "werewolves_bits", "village_bits", "accuracy",
        "prior_vulnerability", "multiplicative_leakage", "min_entropy_leakage_bits",
    ]  # fmt: skip
    point = stats(values.sum(axis=0)[None, :])[0]
    out = dict(zip(names, map(float, point), strict=True))
    out["cross_entropy_bits"] = out["h_bits"] - out["leakage_bits"]
    if resamples and n >= 2:
        boot = stats(Resampler(n, resamples=resamples, seed=seed).sums(values))
        low, high = percentile(boot)
        for i, name in enumerate(names):
            if name in ("h_bits", "prior_vulnerability"):
                continue
            prefix = "ci" if name == "leakage_bits" else name
            out[f"{prefix}_low"], out[f"{prefix}_high"] = float(low[i]), float(high[i])
    return out


def _bounds(group: pd.DataFrame, features: str, target: str) -> dict[str, float]:
    """The trivial upper bound and the plug-in entropy of what the classifier reads."""
    if features == "actions":
        return {}
    words = group["speech"].str.lower().str.findall(r"(?u)\b\w\w+\b")
    length = float(words.str.len().mean()) if len(words) else 0.0
    vocabulary = len(set().union(*words)) if len(words) else 0
    l_log2_v = length * np.log2(vocabulary) if vocabulary > 1 else 0.0
    share = group["speech"].value_counts(normalize=True).to_numpy()
    priors = _priors(group, group[target].astype(str), target)
    h = float(_entropy(priors.to_numpy()).mean()) if len(group) else 0.0
    return {
        "upper_bits": float(min(h, l_log2_v)),
        "l_log2_v_bits": float(l_log2_v),
        "h_speech_plugin_bits": float(-(share * np.log2(share)).sum()),
    }


__all__ = [
    "ACTIONS",
    "CS",
    "FEATURES",
    "action_features",
    "fit_rows",
    "leakage",
    "player_games",
    "shuffled_labels",
    "summarise",
]

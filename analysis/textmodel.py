"""One cross-validated classifier for every "what does speech (or behaviour) reveal" question.

Leakage (speech → team) and the text monitor (utterance → contains a lie) are the same
machinery: out-of-fold probabilities from a scikit-learn pipeline, folds grouped by game so no
game is in both the training and the scoring part of a fold (a player repeats itself, and the
players of one game talk about the same things). Text goes through TF-IDF (words and word
pairs); numeric features through a scaler; both into a logistic regression. A second text
column (`context`, e.g. what was said before an utterance) gets a vocabulary of its own, so a
word said in the context is a different feature from the same word said by the speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

FOLDS = 5
SEED = 0


@dataclass(frozen=True)
class ModelSpec:
    """What the classifier reads: a text column, numeric columns, or both."""

    text: str | None = None
    numeric: tuple[str, ...] = ()
    context: str | None = None
    C: float = 1.0
    min_df: int = 2
    # Utterances joined by this separator: word pairs never span two utterances (a player's
    # texts concatenated would otherwise pair the last word of one with the first of the next).
    separator: str | None = None
    # Candidate Cs: each outer training part picks its own by an inner grouped split (log
    # loss), so the scored part never chose the regularisation that scores it.
    Cs: tuple[float, ...] = ()


class UtteranceAnalyzer:
    """TF-IDF's word and word-pair tokens of each utterance of a text, none across two."""

    def __init__(self, separator: str) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.separator = separator
        self.tokens = TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()

    def __call__(self, text: str) -> list[str]:
        """Tokens of every utterance, concatenated."""
        out: list[str] = []
        for part in text.split(self.separator):
            out.extend(self.tokens(part))
        return out


def _pipeline(spec: ModelSpec, seed: int) -> Any:  # a sklearn Pipeline (imported lazily)
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    parts = []
    if spec.text is not None:
        words = TfidfVectorizer(
            ngram_range=(1, 2), min_df=spec.min_df, sublinear_tf=True, max_features=50_000
        )
        if spec.separator is not None:  # the analyzer makes the word pairs itself
            words = TfidfVectorizer(
                analyzer=UtteranceAnalyzer(spec.separator), min_df=spec.min_df,
                sublinear_tf=True, max_features=50_000,
            )  # fmt: skip
        parts.append(("text", words, spec.text))
    if spec.context is not None:
        seen = TfidfVectorizer(
            ngram_range=(1, 2), min_df=spec.min_df, sublinear_tf=True, max_features=50_000
        )
        parts.append(("context", seen, spec.context))
    if spec.numeric:
        parts.append(("numeric", StandardScaler(), list(spec.numeric)))
    if not parts:
        raise ValueError("a model needs a text column, a context column or numeric columns")
    features = ColumnTransformer(parts)
    model = LogisticRegression(C=spec.C, max_iter=2000, random_state=seed)
    return Pipeline([("features", features), ("model", model)])


def grouped_cv_proba(
    data: pd.DataFrame,
    labels: Sequence[object] | pd.Series,
    groups: Sequence[object] | pd.Series,
    spec: ModelSpec,
    *,
    folds: int = FOLDS,
    seed: int = SEED,
    matrix: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(out-of-fold class probabilities, classes), folds grouped so no group spans two parts.

    Every row is scored by a model that never saw its group. A fold whose training part lacks
    a class gives that class probability 0 for its rows (clipped later by the caller's loss).
    `matrix` (from `feature_matrix`) skips refitting the features per fold; with it, or with
    `spec.Cs`, each fold's classifier comes from `fit_logistic`.
    """
    from sklearn.model_selection import GroupKFold

    y = np.asarray(labels)
    g = np.asarray(groups)
    classes = np.unique(y)
    n_groups = len(np.unique(g))
    if n_groups < 2 or len(classes) < 2:
        raise ValueError("cross-validation needs at least two groups and two classes")
    proba = np.zeros((len(y), len(classes)))
    splitter = GroupKFold(n_splits=min(folds, n_groups))
    for train, test in splitter.split(data, y, g):
        fitted_classes = np.unique(y[train])
        if len(fitted_classes) < 2:  # nothing to learn from: the training prior
            proba[np.ix_(test, np.searchsorted(classes, fitted_classes))] = 1.0
            continue
        if matrix is None and not spec.Cs:
            model = _pipeline(spec, seed).fit(data.iloc[train], y[train])
            columns = np.searchsorted(classes, model.classes_)
            proba[np.ix_(test, columns)] = model.predict_proba(data.iloc[test])
            continue
        if matrix is None:
            features = _pipeline(spec, seed).named_steps["features"]
            x_train = features.fit_transform(data.iloc[train])
            x_test = features.transform(data.iloc[test])
        else:
            x_train, x_test = matrix[train], matrix[test]
        model = fit_logistic(x_train, y[train], g[train], spec, seed)
        columns = np.searchsorted(classes, model.classes_)
        proba[np.ix_(test, columns)] = _predict(model, x_test)
    return proba, classes


def feature_matrix(data: pd.DataFrame, spec: ModelSpec) -> Any:
    """The spec's features of every row, the (label-free) transform fitted on all rows.

    For `grouped_cv_proba(..., matrix=)`: vocabulary, IDF and scaling see every row's text but
    never a label, so the labels stay out of fold while the transform is fitted once (not once
    per fold and per permutation).
    """
    return _pipeline(spec, SEED).named_steps["features"].fit_transform(data)


def fit_logistic(x: Any, y: np.ndarray, g: np.ndarray, spec: ModelSpec, seed: int = SEED) -> Any:
    """A logistic regression on identical rows merged (weighted), C picked from `spec.Cs`.

    Merging identical (row, label) pairs into one weighted row leaves the loss unchanged and
    cuts templated speech to a few distinct rows. C: one grouped holdout (a quarter of the
    training groups) scores each candidate by log loss, the best is refitted on all rows.
    Newton steps (Cholesky) where features are few, L-BFGS otherwise: the same optimum.
    """
    import warnings

    from scipy.linalg import LinAlgWarning
    from sklearn.exceptions import ConvergenceWarning

    # Newton steps on rows that are all alike (no signal at all, or collinear features) fall
    # back to L-BFGS with a warning; a model short of the optimum only scores worse (a looser
    # bound), never better.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", LinAlgWarning)
        return _fit_logistic(x, y, g, spec, seed)


def _fit_logistic(x: Any, y: np.ndarray, g: np.ndarray, spec: ModelSpec, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    rows, weights, index = _merged(x, y)
    xu, yu = x[rows], y[rows]
    solver = "newton-cholesky" if x.shape[1] <= 2000 else "lbfgs"
    model = LogisticRegression(
        C=spec.C, max_iter=2000, solver=solver, tol=1e-6, warm_start=True, random_state=seed
    )
    if spec.Cs and len(np.unique(g)) >= 4:
        fit, hold = _holdout(g, seed)
        # Weights count each merged row's members on each side of the holdout.
        w_fit = np.bincount(index[fit], minlength=len(rows))[: len(rows)].astype(float)
        w_hold = np.bincount(index[hold], minlength=len(rows))[: len(rows)].astype(float)
        in_fit, in_hold = w_fit > 0, w_hold > 0
        if len(np.unique(yu[in_fit])) == len(np.unique(yu)) and in_hold.any():
            scores = []
            for c in sorted(spec.Cs):  # warm-started along increasing C: few steps each
                model.set_params(C=c).fit(xu[in_fit], yu[in_fit], sample_weight=w_fit[in_fit])
                p = model.predict_proba(xu[in_hold])
                scores.append(
                    log_loss(yu[in_hold], p, sample_weight=w_hold[in_hold], labels=model.classes_)
                )
            model.set_params(C=sorted(spec.Cs)[int(np.argmin(scores))])
    return model.fit(xu, yu, sample_weight=weights)


def _merged(x: Any, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first row of each distinct (features, label), its count, each row's distinct index)."""
    from scipy import sparse

    if sparse.issparse(x):
        x = sparse.csr_matrix(x)
        x.sum_duplicates()
        x.sort_indices()
        ptr, ind, dat = x.indptr, x.indices, x.data
        keys = [ind[a:b].tobytes() + dat[a:b].tobytes() for a, b in pairwise(ptr)]
    else:
        dense = np.ascontiguousarray(np.asarray(x, dtype=float))
        keys = [r.tobytes() for r in dense]
    labels = pd.factorize(pd.Series(y))[0]
    index, uniques = pd.factorize(
        pd.Series([k + int(c).to_bytes(4, "little") for k, c in zip(keys, labels, strict=True)])
    )
    rows = np.zeros(len(uniques), dtype=np.int64)
    rows[index[::-1]] = np.arange(len(index))[::-1]  # the first row holding each key
    return rows, np.bincount(index, minlength=len(uniques)).astype(float), index


def _holdout(g: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of a grouped (fit, holdout) split: about a quarter of the groups held out."""
    groups = np.unique(g)
    rng = np.random.default_rng(seed)
    held = rng.choice(groups, size=max(1, len(groups) // 4), replace=False)
    mask = np.isin(g, held)
    return np.flatnonzero(~mask), np.flatnonzero(mask)


def _predict(model: Any, x: Any) -> np.ndarray:
    """predict_proba on distinct rows only, spread back to every row."""
    rows, _, index = _merged(x, np.zeros(x.shape[0]))
    return model.predict_proba(x[rows])[index]

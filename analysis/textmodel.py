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
) -> tuple[np.ndarray, np.ndarray]:
    """(out-of-fold class probabilities, classes), folds grouped so no group spans two parts.

    Every row is scored by a model that never saw its group. A fold whose training part lacks
    a class gives that class probability 0 for its rows (clipped later by the caller's loss).
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
        model = _pipeline(spec, seed).fit(data.iloc[train], y[train])
        columns = np.searchsorted(classes, model.classes_)
        proba[np.ix_(test, columns)] = model.predict_proba(data.iloc[test])
    return proba, classes

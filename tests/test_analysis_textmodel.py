"""The grouped cross-validated classifier: signal is found, leakage across folds is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.textmodel import ModelSpec, grouped_cv_proba


def frame(n_groups: int, marker_rate: float, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for g in range(n_groups):
        for k in range(4):
            wolf = k == 0
            words = ["we", "should", "vote", "carefully", f"topic{g}"]
            if wolf and rng.random() < marker_rate:
                words.append("honestly")
            rows.append({"text": " ".join(rng.permutation(words)), "game": g})
            labels.append("wolf" if wolf else "village")
    return pd.DataFrame(rows), np.array(labels)


def test_a_planted_word_is_learnt_out_of_fold():
    data, y = frame(60, 1.0)
    proba, classes = grouped_cv_proba(data, y, data["game"], ModelSpec(text="text"))
    wolf = proba[:, list(classes).index("wolf")]
    assert wolf[y == "wolf"].mean() > 0.7 > wolf[y == "village"].mean()


def test_a_word_only_one_game_uses_cannot_leak_across_folds():
    # Each game has its own topic word and one wolf: a model that saw the game's rows would
    # tie the topic to... nothing (every game has a wolf); out of fold, no signal means ~prior.
    data, y = frame(60, 0.0)
    proba, classes = grouped_cv_proba(data, y, data["game"], ModelSpec(text="text"))
    wolf = proba[:, list(classes).index("wolf")]
    assert abs(wolf[y == "wolf"].mean() - wolf[y == "village"].mean()) < 0.05


def test_it_refuses_what_it_cannot_cross_validate():
    data, y = frame(1, 1.0)
    with pytest.raises(ValueError, match="two groups"):
        grouped_cv_proba(data, y, data["game"], ModelSpec(text="text"))

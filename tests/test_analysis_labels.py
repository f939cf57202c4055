"""Lie labels against expectations written by hand from DESIGN.md, not computed by project code.

Exact recovery (test_analysis_recovery) compares the labeller with the scripted agents' own
flags, and both follow the same rule, so it cannot catch a wrong rule. Here every expected
label and `inconsistent` flag was written by a person reading DESIGN.md's "What counts as a
lie" (tests/data/labels_hand.json says why, claim by claim; analysis/gold_data/gold_claims.json
is the older gold set, migrated by hand). The labeller labels the hand-read claims of each file, so
extraction plays no part.

More files in the same format (analysis/gold_data/GUIDELINES.md) join these tests without code:
    SDLAB_GOLD_FILES='analysis/gold_data/writer-*.json' \\
        python -m pytest tests/test_analysis_labels.py
or list their globs in EXTRA_GOLD_FILES (relative to the repository).
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.gold import GOLD_PATH, Gold, label_check, load_gold
from analysis.labels import knows_not_wolf, knows_wolf
from vocab import CLAIM_TYPES, LABELS

ROOT = Path(__file__).resolve().parent.parent
HAND_LABELS_PATH = ROOT / "tests" / "data" / "labels_hand.json"
# The dev part of the split gold set; the frozen test part is read only by the final
# measurement (tests/test_analysis_gold.py), never by a test that is run while tuning.
EXTRA_GOLD_FILES: list[str] = ["analysis/gold_data/dev.json"]
SHOWN = ["utterance", "claim_type", "subject", "value", "hedged", "belief_wolf", "basis",
         "label", "gold_label", "belief_inconsistent", "gold_inconsistent"]  # fmt: skip


def gold_files() -> list[Path]:
    """The hand-labelled files these tests read: ours, then any the lead points at."""
    patterns = [*EXTRA_GOLD_FILES, *os.environ.get("SDLAB_GOLD_FILES", "").split(os.pathsep)]
    extra: list[Path] = []
    for pattern in filter(None, (p.strip() for p in patterns)):
        full = pattern if Path(pattern).is_absolute() else str(ROOT / pattern)
        found = sorted(Path(p) for p in glob.glob(full))
        assert found, f"no gold file matches {pattern!r}"
        extra += found
    return [HAND_LABELS_PATH, GOLD_PATH, *dict.fromkeys(extra)]


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: p.name)
def test_labeller_agrees_with_every_hand_label(path):
    checked = label_check(load_gold(path))
    wrong = checked[~(checked["label_ok"] & checked["inconsistent_ok"])]
    assert len(checked) > 0
    assert wrong.empty, (
        f"{len(wrong)} of {len(checked)} claims differ:\n" + wrong[SHOWN].to_string()
    )


# ----- one test per hand-written case, so a failure names the definition it breaks -------------
@pytest.fixture(scope="module")
def hand() -> tuple[Gold, pd.DataFrame]:
    gold = load_gold(HAND_LABELS_PATH)
    return gold, label_check(gold)


def _cases() -> list[tuple[str, int]]:
    gold = load_gold(HAND_LABELS_PATH)
    return [(u["id"], i) for u in gold.utterances for i in range(len(u["claims"]))]


@pytest.mark.parametrize("utterance, position", _cases(), ids=lambda x: str(x))
def test_hand_case(hand, utterance, position):
    gold, checked = hand
    row = checked[(checked["utterance"] == utterance) & (checked["position"] == position)]
    claim = next(u for u in gold.utterances if u["id"] == utterance)["claims"][position]
    assert len(row) == 1
    got = row.iloc[0]
    why = claim.get("why", "")
    assert got["label"] == claim["label"], f"{utterance}: {why} ({got['basis']})"
    assert bool(got["belief_inconsistent"]) == claim["inconsistent"], f"{utterance}: {why}"


def test_hand_cases_cover_every_label_type_and_boundary(hand):
    """The hand file holds what issue 15 asks for; checked on the file, not on the labeller."""
    gold, _ = hand
    rows = [
        {**c, "speaker": u["speaker"], "belief": u["beliefs"].get(str(c["subject"]))}
        for u in gold.utterances
        for c in u["claims"]
    ]
    claims = pd.DataFrame(rows)
    assert set(claims["label"]) == set(LABELS)
    assert set(claims["type"]) == set(CLAIM_TYPES)
    for b in (0.2, 0.8):  # exactly at the boundary: known, so a lie and an inconsistency
        at = claims[claims["belief"] == b]
        assert ((at["label"] == "lie") & at["inconsistent"]).any(), b
    for b in (0.19, 0.21, 0.79, 0.81):
        assert (claims["belief"] == b).any(), b
    other = claims[
        (claims["type"] == "role_claim")
        & claims["subject"].notna()
        & (claims["subject"] != claims["speaker"])
    ]
    assert {"truthful", "lie", "mistake"} <= set(other["label"])
    assert other["inconsistent"].any()
    hedged = claims[claims["hedged"] & (claims["type"] != "plan")]
    assert {"truthful", "mistake", "lie"} <= set(hedged["label"])
    plans = claims[claims["type"] == "plan"]
    assert set(plans["value"]) == {"intent", "prediction"}
    assert (plans["label"] == "unverifiable").all() and not plans["inconsistent"].any()


def test_a_belief_of_exactly_point_two_or_point_eight_counts_as_knowing():
    # The bug this guards: `b <= 1 - 0.8` compares with 0.19999999999999996.
    assert 1 - 0.8 < 0.2
    assert knows_not_wolf(0.2) and knows_wolf(0.8)
    assert not knows_not_wolf(0.2001) and not knows_wolf(0.7999)
    assert not knows_not_wolf(float("nan")) and not knows_wolf(float("nan"))


def test_hedges_are_recorded_but_never_change_a_label(hand):
    """DESIGN: a hedge does not make a claim unverifiable; the proposition is judged."""
    gold, checked = hand
    flipped = Gold(
        gold.scenarios,
        [
            {**u, "claims": [{**c, "hedged": not c["hedged"]} for c in u["claims"]]}
            for u in gold.utterances
        ],
    )
    again = label_check(flipped)
    assert again["label"].tolist() == checked["label"].tolist()
    assert again["belief_inconsistent"].tolist() == checked["belief_inconsistent"].tolist()
